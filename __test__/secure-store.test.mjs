// The secure token store (`tokenStoreType: 'secure'`, the JS SDK's default) against a real
// Secret Service (gnome-keyring on a private D-Bus session), and its interchangeability with
// keytar 7.9.0 and @axway/amplify-sdk 3.2.16. Spec section 5.3.
//
//   scripts/with-secret-service.sh node --test __test__/secure-store.test.mjs
//
// Outside that wrapper (no SECRET_SERVICE_TEST) the keychain tests skip; the "no Secret
// Service" tests run everywhere. keytar is built from source (scripts/build-keytar.mjs).
//
// Keychain entries: tests that delete or replace an entry use their own `secureServiceName`;
// the default entry (`Axway AMPLIFY Auth`, the only one the CLI uses) is shared with the other
// suites of the same session and is never deleted here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BIN, ROOT, api, apiOptions, decodeStoreFile, makeHome, runCli, seed, startPlatform } from './helpers/env.mjs';
import { ensureKeytar } from '../scripts/build-keytar.mjs';

const require = createRequire(import.meta.url);
const SS = !!process.env.SECRET_SERVICE_TEST;
const DEFAULT_SERVICE = 'Axway AMPLIFY Auth';
const { LOAD_SERVICE_ACCOUNTS: LOAD, SERVICE_ACCOUNTS } = seed;

let keytar = null;
let keytarSkip = 'needs a Secret Service: run under scripts/with-secret-service.sh';
if (SS) {
	const built = ensureKeytar({ quiet: true });
	if (built.ok) {
		keytar = require('keytar');
		keytarSkip = false;
	} else {
		keytarSkip = `keytar could not be built: ${built.reason}`;
	}
}
const ssSkip = SS ? false : 'needs a Secret Service: run under scripts/with-secret-service.sh';

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

// ---- helpers ---------------------------------------------------------------------------------

function home(auth = {}) {
	const h = makeHome(platform, { tokenStoreType: 'secure', ...auth });
	h.secureStore = join(h.homeDir, 'axway-cli', '.tokenstore.secure.v2');
	h.secureV1 = join(h.homeDir, '.tokenstore.secure');
	homes.push(h);
	return h;
}

const uniqueService = () => `axway-auth-test ${randomBytes(4).toString('hex')}`;
const names = accounts => accounts.map(a => a.name).sort();
const loginArgs = (sa, more = []) => [ 'auth', 'login', '--client-id', sa.clientId, '--client-secret', sa.clientSecret, ...more ];

/** Decodes a store file with a hex key string (spec 5.2/5.3). */
const decode = (file, hexKey) => decodeStoreFile(file, hexKey);

/**
 * Runs `node bin/axway.js ...args` like runCli, but with variables *removed* from the
 * environment (`unset`), to run with no D-Bus session at all. Resolves { code, stdout, stderr,
 * json, ms }.
 */
function runWith(args, { home: h, env = {}, unset = [] }) {
	return new Promise((resolve, reject) => {
		const childEnv = { ...process.env, HOME: h.home, USERPROFILE: h.home, NO_COLOR: '1', DISPLAY: '', ...env };
		for (const name of unset) {
			delete childEnv[name];
		}
		const started = Date.now();
		const child = spawn(process.execPath, [ BIN, ...args ], { env: childEnv, stdio: [ 'ignore', 'pipe', 'pipe' ] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => { stdout += d; });
		child.stderr.on('data', d => { stderr += d; });
		const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			let json;
			try { json = JSON.parse(stdout); } catch { /* not JSON */ }
			resolve({ code, stdout, stderr, json, ms: Date.now() - started });
		});
	});
}

/** An environment with no Secret Service: no session bus address, no fallback socket. */
function noBus() {
	const runtime = mkdtempSync(join(tmpdir(), 'axway-auth-nobus-'));
	return { env: { XDG_RUNTIME_DIR: runtime }, unset: [ 'DBUS_SESSION_BUS_ADDRESS' ], cleanup: () => rmSync(runtime, { recursive: true, force: true }) };
}

/** A "session bus" that accepts connections and never answers: a keychain that hangs. */
async function hangingBus() {
	const dir = mkdtempSync(join(tmpdir(), 'axway-auth-hang-'));
	const path = join(dir, 'bus');
	const sockets = new Set();
	const server = createServer(s => { sockets.add(s); s.on('error', () => {}); });
	await new Promise(r => server.listen(path, r));
	return {
		env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` },
		unset: [],
		cleanup: () => {
			for (const s of sockets) {
				s.destroy();
			}
			server.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

// ---- the store, through the command ----------------------------------------------------------

describe('secure store through `axway auth`', { skip: ssSkip }, () => {
	it('logs in, lists and logs out; keytar-named key; files, names and modes as the JS SDK', async () => {
		const h = home();
		const login = await runCli(loginArgs(LOAD[0], [ '--json' ]), { home: h });
		assert.equal(login.code, 0, login.stdout + login.stderr);
		assert.ok(existsSync(h.secureStore), '.tokenstore.secure.v2 written');
		assert.ok(existsSync(h.secureV1), 'v1 mirror ~/.axway/.tokenstore.secure written');
		assert.equal(existsSync(h.storeFile), false, 'the file store is not used');
		assert.equal(statSync(h.secureStore).mode & 0o777, 0o600);
		assert.equal(statSync(h.secureV1).mode & 0o777, 0o600);

		const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
		assert.equal(ls.code, 0, ls.stderr);
		assert.deepEqual(names(ls.json), [ login.json.name ]);

		if (keytar) {
			const key = await keytar.getPassword(DEFAULT_SERVICE, DEFAULT_SERVICE);
			assert.match(key, /^[0-9a-f]{32}$/, 'keytar reads a 32-char lowercase hex key');
			const records = decode(h.secureStore, key);
			assert.deepEqual(records.map(r => r.name), [ login.json.name ]);
			assert.equal(records[0].auth.clientSecret, LOAD[0].clientSecret, 'secrets persist in the secure store');
			const v1 = decode(h.secureV1, key);
			assert.equal(v1[0].authenticator, 'ClientSecret', 'v1 mirror has auth spread in');
		}

		const out = await runCli([ 'auth', 'logout', '--json' ], { home: h });
		assert.equal(out.code, 0, out.stderr);
		assert.equal(existsSync(h.secureStore), false);
		assert.equal(existsSync(h.secureV1), false);
		if (keytar) {
			assert.ok(await keytar.getPassword(DEFAULT_SERVICE, DEFAULT_SERVICE), 'logout never deletes the key');
		}
	});

	it('reports a corrupt store with its path, leaves it, and `logout --reset` moves it aside', async () => {
		const h = home();
		assert.equal((await runCli(loginArgs(LOAD[1]), { home: h })).code, 0);
		writeFileSync(h.secureStore, 'deadbeef'.repeat(8));
		const before = readFileSync(h.secureStore);

		const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
		assert.equal(ls.code, 1);
		assert.equal(ls.json?.errorCode ?? ls.json?.code, 'ERR_STORE_CORRUPT', ls.stdout);
		assert.match(ls.stdout, /\.tokenstore\.secure\.v2/);
		assert.match(ls.stdout, /logout --reset/);
		const text = await runCli([ 'auth', 'ls' ], { home: h });
		assert.equal(text.code, 1);
		assert.match(text.stderr + text.stdout, /cannot be read/);
		assert.deepEqual(readFileSync(h.secureStore), before, 'left in place');

		const reset = await runCli([ 'auth', 'logout', '--reset' ], { home: h });
		assert.equal(reset.code, 0, reset.stdout + reset.stderr);
		assert.match(reset.stdout, /moved .*aside/i);
		assert.equal(existsSync(h.secureStore), false);
		const moved = readdirSync(join(h.homeDir, 'axway-cli')).filter(f => /^\.tokenstore\.secure\.v2\.\d{8}T\d{6}Z\.corrupt$/.test(f));
		assert.equal(moved.length, 1, 'moved to <file>.<UTC timestamp>.corrupt');
		assert.deepEqual(readFileSync(join(h.homeDir, 'axway-cli', moved[0])), before, 'content kept');
		assert.ok(readdirSync(h.homeDir).some(f => /^\.tokenstore\.secure\.\d{8}T\d{6}Z\.corrupt$/.test(f)), 'v1 mirror moved too');

		const again = await runCli([ 'auth', 'logout', '--reset', '--json' ], { home: h });
		assert.equal(again.code, 0, again.stderr);
		assert.deepEqual(again.json, { movedTo: null }, 'nothing to move the second time');
		const relogin = await runCli(loginArgs(LOAD[1]), { home: h });
		assert.equal(relogin.code, 0, relogin.stderr);
	});
});

describe('a locked keyring', { skip: ssSkip }, () => {
	it('is a clear ERR_SECURE_STORE_UNAVAILABLE at once (no unlock prompt), and nothing is touched', async t => {
		// its own Secret Service session, so locking the keyring cannot disturb other tests
		const h = home();
		const sa = LOAD[14];
		const script = [
			`node "${BIN}" auth login --client-id ${sa.clientId} --client-secret ${sa.clientSecret} >/dev/null`,
			'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null',
			'cp "$STORE" "$STORE.before"',
			`start=$(date +%s%N); node "${BIN}" auth ls --json; echo "exit=$? ms=$(( ($(date +%s%N) - start) / 1000000 ))"`,
			`node "${BIN}" auth login --client-id ${LOAD[15].clientId} --client-secret ${LOAD[15].clientSecret} --json; echo "exit=$?"`,
			'cmp "$STORE" "$STORE.before" && echo unchanged'
		].join('\n');
		const env = { ...process.env, HOME: h.home, NO_COLOR: '1', STORE: h.secureStore };
		delete env.__AXWAY_IN_SS_SESSION;
		const out = await new Promise((resolve, reject) => {
			const child = spawn('sh', [ join(ROOT, 'scripts', 'with-secret-service.sh'), 'sh', '-c', script ], { env, stdio: [ 'ignore', 'pipe', 'pipe' ] });
			let text = '';
			child.stdout.on('data', d => { text += d; });
			child.stderr.on('data', d => { text += d; });
			child.on('error', reject);
			child.on('close', () => resolve(text));
		});
		const [ , ms ] = /exit=1 ms=(\d+)/.exec(out) ?? [];
		assert.ok(ms, out);
		assert.ok(Number(ms) < 3000, `failed after ${ms} ms`);
		assert.match(out, /"errorCode": "ERR_SECURE_STORE_UNAVAILABLE"/);
		assert.match(out, /The OS keychain is locked/);
		assert.match(out, /it was left in place/);
		assert.equal((out.match(/exit=1/g) ?? []).length, 2, 'login fails too');
		assert.match(out, /^unchanged$/m, 'the store file is untouched');
		t.diagnostic(`locked keyring: ls failed after ${ms} ms`);
	});
});

// ---- no key, no deletion (API, own keychain entry) -------------------------------------------

describe('a keychain entry that vanished', { skip: keytarSkip }, () => {
	it('is a clear ERR_SECURE_STORE_UNAVAILABLE; nothing is deleted or invented; resetStore recovers', async () => {
		const h = home();
		const service = uniqueService();
		const opts = apiOptions(h, { tokenStoreType: 'secure', secureServiceName: service });
		const account = await api().login({ ...opts, clientId: LOAD[2].clientId, clientSecret: LOAD[2].clientSecret });
		const key = await keytar.getPassword(service, service);
		assert.match(key, /^[0-9a-f]{32}$/);
		assert.deepEqual(decode(h.secureStore, key).map(r => r.name), [ account.name ]);

		await keytar.deletePassword(service, service);
		const before = readFileSync(h.secureStore);
		for (const call of [ () => api().list(opts), () => api().login({ ...opts, clientId: LOAD[3].clientId, clientSecret: LOAD[3].clientSecret }), () => api().logout(opts) ]) {
			await assert.rejects(call(), err => {
				assert.equal(err.code, 'ERR_SECURE_STORE_UNAVAILABLE');
				assert.match(err.message, /missing from the OS keychain/);
				assert.match(err.message, /logout --reset/);
				assert.ok(err.message.includes(h.secureStore), err.message);
				assert.doesNotMatch(err.message, /\n/, 'one line');
				return true;
			});
		}
		assert.deepEqual(readFileSync(h.secureStore), before, 'the store is left in place');
		assert.equal(await keytar.getPassword(service, service), null, 'no new key was made for an existing store');

		const { movedTo } = await api().resetStore(opts);
		assert.ok(movedTo && movedTo.endsWith('.corrupt') && existsSync(movedTo), movedTo);
		assert.deepEqual(readFileSync(movedTo), before);
		assert.deepEqual(await api().list(opts), []);
		await api().login({ ...opts, clientId: LOAD[2].clientId, clientSecret: LOAD[2].clientSecret });
		const fresh = await keytar.getPassword(service, service);
		assert.match(fresh, /^[0-9a-f]{32}$/);
		assert.notEqual(fresh, key, 'a new key for the new store');
		await keytar.deletePassword(service, service);
	});

	it('a keychain value that is not a key is reported, never used or overwritten while a store exists', async () => {
		const h = home();
		const service = uniqueService();
		const opts = apiOptions(h, { tokenStoreType: 'secure', secureServiceName: service });
		await api().login({ ...opts, clientId: LOAD[4].clientId, clientSecret: LOAD[4].clientSecret });
		await keytar.setPassword(service, service, 'not a key');
		await assert.rejects(api().list(opts), err => err.code === 'ERR_SECURE_STORE_UNAVAILABLE' && /valid key/.test(err.message));
		assert.equal(await keytar.getPassword(service, service), 'not a key');
		await keytar.deletePassword(service, service);
	});
});

// ---- keytar and the JS SDK, both ways --------------------------------------------------------

describe('interchangeable with keytar 7.9.0 and @axway/amplify-sdk 3.2.16 (secure store)', { skip: keytarSkip }, () => {
	const { default: AmplifySDK } = require('@axway/amplify-sdk');
	const { got } = require('@axway/amplify-request');
	const loopbackGot = got.extend({
		hooks: {
			beforeRequest: [ options => {
				if (![ '127.0.0.1', 'localhost', '[::1]' ].includes(options.url.hostname)) {
					throw new Error(`refusing non-loopback request to ${options.url.origin}`);
				}
			} ]
		}
	});
	const jsSdk = (h, service, creds) => new AmplifySDK({
		baseUrl: platform.baseUrl,
		platformUrl: platform.platformUrl,
		realm: 'Broker',
		homeDir: h.homeDir,
		tokenStoreType: 'secure',
		secureServiceName: service,
		env: 'prod',
		serviceAccount: true,
		got: loopbackGot,
		...creds
	});

	it('a key keytar wrote is read by axway-auth, and a key axway-auth wrote is read by keytar', async () => {
		const h = home();
		const service = uniqueService();
		const opts = apiOptions(h, { tokenStoreType: 'secure', secureServiceName: service });
		const keytarKey = randomBytes(16).toString('hex');
		await keytar.setPassword(service, service, keytarKey);
		const account = await api().login({ ...opts, clientId: LOAD[5].clientId, clientSecret: LOAD[5].clientSecret });
		assert.equal(await keytar.getPassword(service, service), keytarKey, 'axway-auth used keytar\'s key, not a new one');
		assert.deepEqual(decode(h.secureStore, keytarKey).map(r => r.name), [ account.name ]);
		assert.deepEqual((await keytar.findCredentials(service)).length, 1, 'still exactly one item');
		await keytar.deletePassword(service, service);

		const h2 = home();
		const service2 = uniqueService();
		const opts2 = apiOptions(h2, { tokenStoreType: 'secure', secureServiceName: service2 });
		await api().login({ ...opts2, clientId: LOAD[6].clientId, clientSecret: LOAD[6].clientSecret });
		const ourKey = await keytar.getPassword(service2, service2);
		assert.match(ourKey, /^[0-9a-f]{32}$/, 'keytar finds the item axway-auth created');
		assert.deepEqual(await keytar.findCredentials(service2), [ { account: service2, password: ourKey } ]);
		assert.equal(decode(h2.secureStore, ourKey).length, 1);
		await keytar.deletePassword(service2, service2);
	});

	it('the JS SDK logs in with the secure store → axway-auth lists, validates and logs out', async () => {
		const h = home();
		const service = uniqueService();
		const sa = SERVICE_ACCOUNTS.secret;
		const sdk = jsSdk(h, service, { clientId: sa.clientId, clientSecret: sa.clientSecret });
		const sdkAccount = await sdk.auth.login();
		assert.ok(existsSync(h.secureStore), 'the SDK wrote .tokenstore.secure.v2');
		const opts = apiOptions(h, { tokenStoreType: 'secure', secureServiceName: service });

		const listed = await api().list(opts);
		assert.deepEqual(names(listed), [ sdkAccount.name ]);
		assert.equal(listed[0].hash, sdkAccount.hash);
		assert.equal(listed[0].auth.tokens.access_token, sdkAccount.auth.tokens.access_token, 'the stored token is reused');
		assert.equal(listed[0].auth.clientSecret, undefined, 'secrets are not returned');

		// axway-auth rewrote the store while validating: the SDK still reads it
		assert.equal((await sdk.auth.find(sdkAccount.name))?.hash, sdkAccount.hash);
		const removed = await api().logout({ ...opts, accounts: [ sdkAccount.name ] });
		assert.deepEqual(names(removed), [ sdkAccount.name ]);
		assert.deepEqual(await sdk.auth.list(), []);
		assert.ok(await keytar.getPassword(service, service), 'the SDK\'s key is kept');
		await keytar.deletePassword(service, service);
	});

	it('axway-auth logs in with the secure store → the JS SDK lists, finds and logs out', async () => {
		const h = home();
		const service = uniqueService();
		const opts = apiOptions(h, { tokenStoreType: 'secure', secureServiceName: service });
		const ours = await api().login({ ...opts, clientId: LOAD[7].clientId, clientSecret: LOAD[7].clientSecret });
		const sdk = jsSdk(h, service, { clientId: LOAD[7].clientId, clientSecret: LOAD[7].clientSecret });
		const sdkListed = await sdk.auth.list();
		assert.deepEqual(names(sdkListed), [ ours.name ]);
		const found = await sdk.auth.find(ours.name);
		assert.equal(found?.hash, ours.hash);
		const [ stored ] = decode(h.secureStore, await keytar.getPassword(service, service));
		assert.equal(stored.auth.clientSecret, LOAD[7].clientSecret, 'the secret persists, encrypted, as the SDK stores it');
		const revoked = await sdk.auth.logout({ accounts: [ ours.name ] });
		assert.deepEqual(revoked.map(a => a.name), [ ours.name ]);
		assert.deepEqual(await api().list(opts), []);
		await keytar.deletePassword(service, service);
	});
});

// ---- no Secret Service ------------------------------------------------------------------------

describe('no Secret Service', () => {
	for (const [ what, make ] of [ [ 'no D-Bus session', noBus ], [ 'a bus that never answers', hangingBus ] ]) {
		it(`${what}: secure fails clearly in under 3 s, nothing written`, async t => {
			const h = home();
			const bus = await make();
			try {
				const login = await runWith(loginArgs(LOAD[8], [ '--json' ]), { home: h, ...bus });
				assert.equal(login.code, 1, login.stdout + login.stderr);
				assert.equal(login.json?.errorCode ?? login.json?.code, 'ERR_SECURE_STORE_UNAVAILABLE', login.stdout);
				assert.match(login.stdout, /OS keychain is not available/);
				assert.match(login.stdout, /axway config set auth\.tokenStoreType file/);
				assert.ok(login.ms < 3000, `failed after ${login.ms} ms`);
				assert.equal(existsSync(h.secureStore), false);

				const text = await runWith(loginArgs(LOAD[8]), { home: h, ...bus });
				assert.equal(text.code, 1);
				assert.ok(text.ms < 3000, `failed after ${text.ms} ms`);

				const ls = await runWith([ 'auth', 'ls', '--json' ], { home: h, ...bus });
				assert.equal(ls.code, 0, 'no store file: nothing to read, nothing to fail');
				assert.deepEqual(ls.json, []);

				// with a store file, reading it fails clearly (and the file stays)
				writeFileSync(h.secureStore, 'abcd'.repeat(8));
				const ls2 = await runWith([ 'auth', 'ls', '--json' ], { home: h, ...bus });
				assert.equal(ls2.code, 1);
				assert.equal(ls2.json?.errorCode ?? ls2.json?.code, 'ERR_SECURE_STORE_UNAVAILABLE', ls2.stdout);
				assert.ok(ls2.ms < 3000, `failed after ${ls2.ms} ms`);
				assert.ok(existsSync(h.secureStore));
				t.diagnostic(`no secret service (${what}): secure login failed after ${login.ms} / ${text.ms} ms, ls of an existing store after ${ls2.ms} ms`);
			} finally {
				bus.cleanup();
			}
		});

		it(`${what}: auto falls back to the file store, says so once, never touches config.json`, async t => {
			const h = home({ tokenStoreType: 'auto' });
			const bus = await make();
			try {
				const login = await runWith(loginArgs(LOAD[9], [ '--json' ]), { home: h, ...bus });
				assert.equal(login.code, 0, login.stdout + login.stderr);
				assert.ok(login.ms < 5000, `took ${login.ms} ms`);
				t.diagnostic(`no secret service (${what}): auto login fell back and succeeded in ${login.ms} ms`);
				const notices = login.stderr.split('\n').filter(l => /keychain/i.test(l));
				assert.equal(notices.length, 1, login.stderr);
				assert.match(notices[0], /^The OS keychain is not available \(.+\); using the file token store .*\.tokenstore\.v2\.$/);
				assert.ok(existsSync(h.storeFile), 'the file store was written');
				assert.equal(existsSync(h.secureStore), false);
				const ls = await runWith([ 'auth', 'ls', '--json' ], { home: h, ...bus });
				assert.equal(ls.code, 0, ls.stderr);
				assert.deepEqual(names(ls.json), [ login.json.name ]);
				const { auth } = h.config();
				assert.equal(auth.tokenStoreType, 'auto', 'config.json is not switched to the file store (the reference does that)');
				assert.deepEqual(Object.keys(auth).sort(), [ 'baseUrl', 'defaultAccount', 'defaultOrg', 'defaultTeam', 'platformUrl', 'tokenStoreType' ], 'only the login\'s own default-account keys are added');
			} finally {
				bus.cleanup();
			}
		});
	}

	it('auto uses the secure store when the keychain answers', { skip: ssSkip }, async () => {
		const h = home({ tokenStoreType: 'auto' });
		const login = await runCli(loginArgs(LOAD[10]), { home: h });
		assert.equal(login.code, 0, login.stderr);
		assert.doesNotMatch(login.stderr, /keychain/i);
		assert.ok(existsSync(h.secureStore));
		assert.equal(existsSync(h.storeFile), false);
	});
});
