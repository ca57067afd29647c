// A store that never loses an account: many `axway` processes at once, processes killed with
// SIGKILL at random moments, and one refresh token refreshed by many processes at once.
// Runs on the file store everywhere and on the secure store inside the Secret Service wrapper:
//
//   scripts/with-secret-service.sh node --test __test__/stress.test.mjs
//
// Figures are printed as test diagnostics (`# stress: …` lines). STRESS_SEED=<n> replays a run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { BIN, api, apiOptions, decodeStoreFile, makeHome, runCli, seed, startPlatform } from './helpers/env.mjs';
import { loginInBrowser } from './helpers/browser.mjs';
import { ensureKeytar } from '../scripts/build-keytar.mjs';

const require = createRequire(import.meta.url);
const SS = !!process.env.SECRET_SERVICE_TEST;
const SERVICE = 'Axway AMPLIFY Auth';
const { LOAD_SERVICE_ACCOUNTS: LOAD, USERS } = seed;
const KINDS = [ 'file', 'secure' ];
const skipFor = kind => (kind === 'secure' && !SS ? 'the secure store needs a Secret Service: run under scripts/with-secret-service.sh' : false);

let keytar = null;
if (SS && ensureKeytar({ quiet: true }).ok) {
	keytar = require('keytar');
}

let platform;
const homes = [];
before(async () => {
	platform = await startPlatform({ quiet: true, accessTtl: 1800, refreshTtl: 86400 });
});
after(async () => {
	for (const h of homes) {
		h.cleanup();
	}
	await platform?.close();
});

function home(p, auth) {
	const h = makeHome(p, auth);
	homes.push(h);
	return h;
}

const loginArgs = sa => [ 'auth', 'login', '--client-id', sa.clientId, '--client-secret', sa.clientSecret, '--json' ];

/** A small seeded PRNG (mulberry32), so a failing run can be replayed with STRESS_SEED. */
function prng(seedValue) {
	let a = seedValue >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The records in the store, decoded straight from the file (throws if it does not decode). */
async function storedNames(h, kind) {
	const file = join(h.homeDir, 'axway-cli', kind === 'secure' ? '.tokenstore.secure.v2' : '.tokenstore.v2');
	if (!existsSync(file)) {
		return [];
	}
	if (kind === 'file') {
		return decodeStoreFile(file).map(r => r.name);
	}
	if (keytar) {
		return decodeStoreFile(file, await keytar.getPassword(SERVICE, SERVICE)).map(r => r.name);
	}
	return (await api().list(apiOptions(h, { validate: false }))).map(a => a.name);
}

/**
 * Runs the command and SIGKILLs it after `kill.afterMs`, or `kill.delayMs` after it logs that
 * it starts writing the store (`kill.onWrite`, using the crate's trace log). Resolves
 * `{ killed, code, json, stdout, stderr, ms }`.
 */
function runKillable(args, h, kill = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(process.execPath, [ BIN, ...args ], {
			env: { ...process.env, HOME: h.home, NO_COLOR: '1', DISPLAY: '', ...(kill.onWrite ? { AXWAY_AUTH_LOG: 'trace' } : {}) },
			stdio: [ 'ignore', 'pipe', 'pipe' ]
		});
		let stdout = '';
		let stderr = '';
		let killed = false;
		let killer = null;
		const killNow = () => { killed = true; child.kill('SIGKILL'); };
		child.stdout.on('data', d => { stdout += d; });
		child.stderr.on('data', d => {
			stderr += d;
			if (kill.onWrite && !killer && stderr.includes('writing the token store')) {
				killer = kill.delayMs ? setTimeout(killNow, kill.delayMs) : (killNow(), null);
			}
		});
		if (kill.afterMs !== undefined) {
			killer = setTimeout(killNow, kill.afterMs);
		}
		const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(killer ?? undefined);
			clearTimeout(guard);
			let json;
			try { json = JSON.parse(stdout); } catch { /* not JSON */ }
			resolve({ killed: killed && signal === 'SIGKILL', code, json, stdout, stderr, ms: Date.now() - started });
		});
	});
}

// ---- 20 processes at once ---------------------------------------------------------------------

describe('20 processes log 20 different accounts into one store at the same time', () => {
	for (const kind of KINDS) {
		it(`${kind} store: all 20 are listed afterwards`, { skip: skipFor(kind) }, async t => {
			const h = home(platform, { tokenStoreType: kind });
			const accounts = LOAD.slice(0, 20);
			const started = Date.now();
			const results = await Promise.all(accounts.map(sa => runCli(loginArgs(sa), { home: h, timeout: 120_000 })));
			const ms = Date.now() - started;
			const failed = results.filter(r => r.code !== 0);
			assert.deepEqual(failed.map(r => r.stdout + r.stderr), [], 'every login succeeded');
			const loggedIn = results.map(r => r.json.name).sort();
			assert.equal(new Set(loggedIn).size, 20);

			const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h, timeout: 120_000 });
			assert.equal(ls.code, 0, ls.stderr);
			const listed = ls.json.map(a => a.name).sort();
			const lost = loggedIn.filter(n => !listed.includes(n));
			assert.deepEqual((await storedNames(h, kind)).sort(), loggedIn, 'the store file holds all 20');
			assert.doesNotThrow(() => h.config(), 'config.json still parses');
			const leftovers = readdirSync(join(h.homeDir, 'axway-cli')).filter(f => f.endsWith('.tmp'));
			t.diagnostic(`stress: ${kind} store: 20 concurrent logins in ${ms} ms → ${listed.length} listed, ${lost.length} lost, ${leftovers.length} temp files left`);
			assert.deepEqual(lost, [], 'no account lost');
			assert.equal(listed.length, 20);
		});
	}
});

// ---- SIGKILL at random moments ----------------------------------------------------------------

describe('login/logout cycles with the process SIGKILLed at random moments', () => {
	for (const kind of KINDS) {
		it(`${kind} store: always decodes and holds every account whose call completed`, { skip: skipFor(kind), timeout: 600_000 }, async t => {
			const seedValue = Number(process.env.STRESS_SEED) || (Date.now() % 1_000_000);
			const random = prng(seedValue);
			const h = home(platform, { tokenStoreType: kind });

			// accounts that must survive everything: logged in first, never logged out
			const anchors = [];
			for (const sa of LOAD.slice(20, 23)) {
				const r = await runKillable(loginArgs(sa), h);
				assert.equal(r.code, 0, r.stdout + r.stderr);
				anchors.push(r.json.name);
			}
			// the cycling accounts; learn each name (and how long a call takes) once
			const pool = LOAD.slice(23, 30);
			const names = new Map();
			const durations = [];
			for (const sa of pool) {
				const login = await runKillable(loginArgs(sa), h);
				assert.equal(login.code, 0, login.stdout + login.stderr);
				names.set(sa.clientId, login.json.name);
				const logout = await runKillable([ 'auth', 'logout', login.json.name, '--json' ], h);
				assert.equal(logout.code, 0, logout.stdout + logout.stderr);
				durations.push(login.ms, logout.ms);
			}
			durations.sort((a, b) => a - b);
			const typical = durations[Math.floor(durations.length / 2)];

			const present = new Set(anchors); // completed logins not logged out since
			const absent = new Set(names.values()); // completed logouts not logged in since
			const tally = { calls: 0, killed: 0, duringWrite: 0, completed: 0, checks: 0 };
			const check = async step => {
				let stored;
				try {
					stored = await storedNames(h, kind);
				} catch (err) {
					assert.fail(`after ${step}: the store does not decode (${err.message}); seed ${seedValue}`);
				}
				tally.checks++;
				for (const name of present) {
					assert.ok(stored.includes(name), `after ${step}: ${name} completed its login but is missing (seed ${seedValue})`);
				}
				for (const name of absent) {
					assert.ok(!stored.includes(name), `after ${step}: ${name} completed its logout but is still stored (seed ${seedValue})`);
				}
				assert.doesNotThrow(() => h.config(), `after ${step}: config.json parses`);
			};

			for (let cycle = 1; cycle <= 30; cycle++) {
				const sa = pool[Math.floor(random() * pool.length)];
				const name = names.get(sa.clientId);
				for (const op of [ 'login', 'logout' ]) {
					// kills land anywhere, near the end, or right as the store is being written
					const roll = random();
					const kill = roll < 0.15 ? { afterMs: random() * typical }
						: roll < 0.3 ? { afterMs: typical * (0.6 + random() * 0.45) }
							: roll < 0.6 ? { onWrite: true, delayMs: Math.floor(random() * 4) }
								: {};
					const args = op === 'login' ? [ ...loginArgs(sa), '--force' ] : [ 'auth', 'logout', name, '--json' ];
					const r = await runKillable(args, h, kill);
					tally.calls++;
					if (r.killed) {
						tally.killed++;
						if (kill.onWrite) {
							tally.duringWrite++;
						}
						present.delete(name);
						absent.delete(name);
					} else if (op === 'login') {
						assert.equal(r.code, 0, `cycle ${cycle} login: ${r.stdout}${r.stderr}`);
						tally.completed++;
						present.add(name);
						absent.delete(name);
					} else {
						const notThere = r.code === 1 && r.json?.errorCode === 'ERR_NOT_FOUND';
						assert.ok(r.code === 0 || notThere, `cycle ${cycle} logout: ${r.stdout}${r.stderr}`);
						tally.completed++;
						absent.add(name);
						present.delete(name);
					}
					await check(`cycle ${cycle} ${op}${r.killed ? ` (killed: ${JSON.stringify(kill)})` : ''}`);
				}
			}

			const ls = await runKillable([ 'auth', 'ls', '--json' ], h);
			assert.equal(ls.code, 0, ls.stdout + ls.stderr);
			const listed = ls.json.map(a => a.name);
			const lost = [ ...present ].filter(n => !listed.includes(n));
			t.diagnostic(`stress: ${kind} store: 30 cycles, ${tally.calls} calls (typical ${typical} ms), ${tally.killed} SIGKILLed (${tally.duringWrite} as the store was being written), ${tally.completed} completed, ${tally.checks} store checks, ${present.size} accounts expected, ${lost.length} lost (seed ${seedValue})`);
			assert.deepEqual(lost, []);
			for (const anchor of anchors) {
				assert.ok(listed.includes(anchor), `${anchor} survived`);
			}
		});
	}
});

// ---- single-flight refresh ----------------------------------------------------------------------

describe('a refresh is single-flight across processes', () => {
	it('10 processes refreshing one rotating refresh token at once never spend it twice', { timeout: 300_000 }, async t => {
		const rotating = await startPlatform({ quiet: true, accessTtl: 1800, refreshTtl: 86400, rotateRefreshTokens: true });
		try {
			// every list wants a refresh: the threshold is longer than any token lives
			const h = home(rotating, { tokenStoreType: 'file', tokenRefreshThreshold: 10_000_000 });
			const account = await api().login(apiOptions(h, {
				launchBrowser: false,
				onOpenBrowser: ({ url }) => { setTimeout(() => loginInBrowser(url, USERS.alice, { orgId: 100 }).catch(() => {}), 10); }
			}));
			assert.ok(account.isPlatform);
			const before = rotating.state().tokenRequests.length;

			const results = await Promise.all(Array.from({ length: 10 }, () => runCli([ 'auth', 'ls', '--json' ], { home: h, timeout: 120_000 })));
			for (const r of results) {
				assert.equal(r.code, 0, r.stdout + r.stderr);
				assert.deepEqual(r.json.map(a => a.name), [ account.name ], r.stderr);
			}
			const refreshes = rotating.state().tokenRequests.slice(before).filter(r => r.grantType === 'refresh_token');
			const rejected = refreshes.filter(r => r.status !== 200 || r.error);
			t.diagnostic(`stress: single-flight: 10 concurrent lists → ${refreshes.length} refresh requests, ${rejected.length} rejected`);
			assert.deepEqual(rejected, [], 'no refresh token was spent twice');
			assert.ok(refreshes.length >= 1 && refreshes.length <= 10);

			const after = await runCli([ 'auth', 'ls', '--json' ], { home: h });
			assert.equal(after.code, 0, after.stderr);
			assert.deepEqual(after.json.map(a => a.name), [ account.name ], 'the grant is still alive');
		} finally {
			await rotating.close();
		}
	});
});
