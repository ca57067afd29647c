// Scripts and CI (issue 12): `axway auth token`, secrets that never touch argv, and a
// per-command account. Every command runs as a child process with a throwaway HOME against the
// local platform, which records every request it gets.
//
//   node --test __test__/token.test.mjs
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough, Writable } from 'node:stream';

import { BIN, api, apiOptions, makeHome, runCli, seed, startPlatform } from './helpers/env.mjs';
import { HttpBrowser, loginInBrowser } from './helpers/browser.mjs';

const require = createRequire(import.meta.url);
const { run } = require('../cli/main.js');
const { FileStore } = require('@axway/amplify-sdk');

const { USERS, SERVICE_ACCOUNTS, JWT_CLIENT_KEY } = seed;
const SECRET = SERVICE_ACCOUNTS.secret;
const JWT = SERVICE_ACCOUNTS.jwt;
const LOG_ENV = { DEBUG: '*', AXWAY_AUTH_LOG: 'trace' };

let platform; // tokens live 30 min
let twoMinutes; // access tokens live 2 min (less than the default --min-validity of 5 min)
let shortLived; // access tokens live 2 s
before(async () => {
	[ platform, twoMinutes, shortLived ] = await Promise.all([
		startPlatform({ quiet: true, accessTtl: 1800, refreshTtl: 86400 }),
		startPlatform({ quiet: true, accessTtl: 120, refreshTtl: 86400 }),
		startPlatform({ quiet: true, accessTtl: 2, refreshTtl: 86400 })
	]);
});
after(() => Promise.all([ platform?.close(), twoMinutes?.close(), shortLived?.close() ]));
beforeEach(() => { platform.reset(); twoMinutes.reset(); shortLived.reset(); });

// ---- helpers ---------------------------------------------------------------------------------

const claims = jwt => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const sleep = ms => new Promise(r => setTimeout(r, ms));
const tokenRequests = p => p.state().tokenRequests.length;
const grants = p => p.state().tokenCounts;

/** Logs a service account in through the API (nothing of it on any command line). */
const serviceLogin = (h, account = SECRET) => api().login(apiOptions(h, account.clientSecret
	? { clientId: account.clientId, clientSecret: account.clientSecret }
	: { clientId: account.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 }));

/** A browser (PKCE) login of `user` through the API, acting in a plain-HTTP browser. */
async function browserLogin(h, user) {
	let acting;
	const account = await api().login(apiOptions(h, {
		launchBrowser: false,
		onOpenBrowser: ({ url }) => { acting = loginInBrowser(url, user, { browser: new HttpBrowser() }); }
	}));
	assert.match((await acting).text, /Authorization Successful!/);
	return account;
}

/** The stored records, read with the JS SDK's own file store. */
const records = h => new FileStore({ homeDir: h.homeDir }).list();

/** Changes stored records with the JS SDK's own file store (both tools read the same files). */
async function editRecords(h, change) {
	const store = new FileStore({ homeDir: h.homeDir });
	const all = await store.list();
	all.forEach(change);
	await store.save(all);
}

/** Waits until the stored access token of `account` has expired (plus a margin). */
async function untilExpired(account) {
	const wait = account.auth.expires.access - Date.now() + 300;
	assert.ok(wait < 5000, `the access token expires soon (in ${wait} ms)`);
	await sleep(Math.max(wait, 0));
}

/**
 * Spawns `axway …args` with stdin left open; `cmdline()` reads what `ps` shows for it;
 * `finish(input)` writes stdin, closes it and resolves { code, stdout, stderr }.
 */
function spawnAxway(args, { home, env = {} }) {
	const child = spawn(process.execPath, [ BIN, ...args ], {
		env: { ...process.env, HOME: home.home, USERPROFILE: home.home, NO_COLOR: '1', DISPLAY: '', ...env },
		stdio: [ 'pipe', 'pipe', 'pipe' ]
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', d => { stdout += d; });
	child.stderr.on('data', d => { stderr += d; });
	const done = new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', code => resolve({ code, stdout, stderr }));
	});
	return {
		pid: child.pid,
		cmdline: () => readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').join(' '),
		finish: input => {
			child.stdin.end(input);
			return done;
		}
	};
}

/** Runs the command in-process against a fake API (prompts, TTY checks). */
async function runInProcess(argv, { api: fake, stdin }) {
	const sink = () => Object.assign(new Writable({ write(chunk, _e, cb) { this.data += chunk; cb(); } }), { data: '', isTTY: false });
	const stdout = sink();
	const stderr = sink();
	const calls = [];
	const wrapped = { ...fake, login: async opts => { calls.push(opts); return fake.login(opts); } };
	const code = await run(argv, { stdout, stderr, stdin, env: {}, api: wrapped, isHeadless: () => true, version: '9.9.9', year: 2030 });
	return { code, stdout: stdout.data, stderr: stderr.data, calls };
}

function fakeStdin({ input = '', isTTY = false } = {}) {
	const stream = new PassThrough();
	stream.isTTY = isTTY;
	stream.setRawMode = () => stream;
	stream.end(input);
	return stream;
}

const fakeAccount = () => ({ auth: { authenticator: 'ClientSecret', env: 'prod', expires: {}, tokens: {} }, hash: 'c:h', name: 'c:svc', org: {}, orgs: [], user: {}, default: true });

// ---- axway auth token --------------------------------------------------------------------------

describe('axway auth token', () => {
	it('prints the stored token with no request at all while it is valid long enough', async () => {
		const h = makeHome(platform);
		try {
			const account = await serviceLogin(h);
			platform.reset();

			const r = await runCli([ 'auth', 'token' ], { home: h });
			assert.equal(r.code, 0, r.stderr);
			assert.equal(r.stdout, `${account.auth.tokens.access_token}\n`, 'the token and a newline, nothing else (no banner)');
			assert.equal(r.stderr, '');

			const j = await runCli([ 'auth', 'token', '--json', '--min-validity', '29m' ], { home: h });
			assert.equal(j.code, 0, j.stderr);
			assert.deepEqual(Object.keys(j.json), [ 'accessToken', 'expiresAt', 'account', 'org', 'team' ]);
			assert.equal(j.json.accessToken, account.auth.tokens.access_token);
			assert.equal(j.json.expiresAt, account.auth.expires.access);
			assert.equal(j.json.account, account.name);
			assert.deepEqual(j.json.org, { id: 100, guid: account.org.guid, name: account.org.name });
			assert.equal(j.json.team.guid, account.team.guid);

			// the JS API: the same token, no request either
			const t = await api().token(apiOptions(h, { minValidity: '10m' }));
			assert.equal(t.accessToken, account.auth.tokens.access_token);
			assert.deepEqual(platform.state().requests, [], 'no request reached the platform');
		} finally {
			h.cleanup();
		}
	});

	it('refreshes once when the token expires within --min-validity, then needs nothing', async () => {
		const h = makeHome(twoMinutes);
		try {
			const account = await browserLogin(h, USERS.bob);
			twoMinutes.reset();

			// 2 minutes left, the default --min-validity is 5 minutes: one refresh
			const r = await runCli([ 'auth', 'token' ], { home: h, env: LOG_ENV });
			assert.equal(r.code, 0, r.stderr);
			const token = r.stdout.trim();
			assert.notEqual(token, account.auth.tokens.access_token, 'a new token');
			assert.equal(claims(token).email, USERS.bob.email);
			assert.deepEqual(grants(twoMinutes), { refresh_token: { 'amplify-cli': 1 } });
			const [ stored ] = await records(h);
			assert.equal(stored.auth.tokens.access_token, token, 'the refreshed record was stored');

			twoMinutes.reset();
			const again = await runCli([ 'auth', 'token', '--min-validity', '90s' ], { home: h });
			assert.equal(again.code, 0, again.stderr);
			assert.equal(again.stdout, `${token}\n`);
			assert.deepEqual(twoMinutes.state().requests, [], 'valid for 90 s more: no request');
		} finally {
			h.cleanup();
		}
	});

	it('logs an expired service account in again with the secret from the environment, else exits 3', async () => {
		const h = makeHome(shortLived);
		try {
			const [ secret, jwt ] = [ await serviceLogin(h, SECRET), await serviceLogin(h, JWT) ];
			await untilExpired(jwt);
			shortLived.reset();

			// the file store keeps no secret: without one in the environment, exit 3 and say why
			const none = await runCli([ 'auth', 'token', '--account', secret.name ], { home: h });
			assert.equal(none.code, 3, none.stderr);
			assert.equal(none.stdout, '');
			assert.match(none.stderr, /^✖ .*no client secret is at hand: set AXWAY_AUTH_CLIENT_SECRET.*\n$/);
			assert.equal(none.stderr.split('\n').length, 2, 'one line');
			assert.equal(tokenRequests(shortLived), 0);

			const r = await runCli([ 'auth', 'token', '--account', secret.name ], { home: h, env: { AXWAY_AUTH_CLIENT_SECRET: SECRET.clientSecret, ...LOG_ENV } });
			assert.equal(r.code, 0, r.stderr);
			assert.equal(claims(r.stdout.trim()).clientId, SECRET.clientId);
			assert.ok(!r.stderr.includes(SECRET.clientSecret), 'the secret is not in the debug log');
			assert.deepEqual(grants(shortLived), { client_credentials: { [SECRET.clientId]: 1 } });

			// a signed-JWT account, with the key file from the environment
			shortLived.reset();
			const k = await runCli([ 'auth', 'token', '--account', jwt.name, '--min-validity', '0s' ], { home: h, env: { AXWAY_AUTH_SECRET_FILE: JWT_CLIENT_KEY.pkcs8 } });
			assert.equal(k.code, 0, k.stderr);
			assert.equal(claims(k.stdout.trim()).clientId, JWT.clientId);
			assert.deepEqual(grants(shortLived), { client_credentials: { [JWT.clientId]: 1 } });
		} finally {
			h.cleanup();
		}
	});

	it('logs an expired service account in again with the secret kept with it (persistSecrets)', async () => {
		const h = makeHome(shortLived, { persistSecrets: true });
		try {
			const account = await serviceLogin(h);
			assert.equal((await records(h))[0].auth.clientSecret, SECRET.clientSecret, 'kept with the account');
			await untilExpired(account);
			shortLived.reset();

			const r = await runCli([ 'auth', 'token', '--min-validity', '0s' ], { home: h });
			assert.equal(r.code, 0, r.stderr);
			assert.equal(claims(r.stdout.trim()).clientId, SECRET.clientId);
			assert.deepEqual(grants(shortLived), { client_credentials: { [SECRET.clientId]: 1 } });
		} finally {
			h.cleanup();
		}
	});

	it('20 concurrent calls on an about-to-expire token refresh it once', async () => {
		const h = makeHome(platform);
		try {
			await browserLogin(h, USERS.alice);
			// one minute left (the server's tokens live 30): every caller wants a new one
			await editRecords(h, a => { a.auth.expires.access = Date.now() + 60_000; });
			platform.reset();

			const results = await Promise.all(Array.from({ length: 20 }, () => runCli([ 'auth', 'token' ], { home: h })));
			for (const r of results) {
				assert.equal(r.code, 0, r.stderr);
			}
			assert.deepEqual(grants(platform), { refresh_token: { 'amplify-cli': 1 } }, 'one refresh for 20 callers');
			assert.equal(new Set(results.map(r => r.stdout)).size, 1, 'everyone printed the refreshed token');
		} finally {
			h.cleanup();
		}
	});

	it('20 concurrent calls on an expired service account log it in again once', async () => {
		const h = makeHome(shortLived);
		try {
			const account = await serviceLogin(h);
			await untilExpired(account);
			shortLived.reset();

			const env = { AXWAY_AUTH_CLIENT_SECRET: SECRET.clientSecret };
			const results = await Promise.all(Array.from({ length: 20 }, () => runCli([ 'auth', 'token', '--min-validity', '0s' ], { home: h, env })));
			for (const r of results) {
				assert.equal(r.code, 0, r.stderr);
			}
			assert.deepEqual(grants(shortLived), { client_credentials: { [SECRET.clientId]: 1 } }, 'one re-login for 20 callers');
		} finally {
			h.cleanup();
		}
	});

	it('exits 3 for an expired platform account whose refresh token was revoked, and when not logged in', async () => {
		const h = makeHome(shortLived);
		try {
			const empty = await runCli([ 'auth', 'token' ], { home: h });
			assert.equal(empty.code, 3);
			assert.equal(empty.stdout, '');
			assert.equal(empty.stderr, '✖ Error: Not logged in. To log in, run: axway auth login\n');

			const account = await browserLogin(h, USERS.bob);
			const revoked = await fetch(`${shortLived.issuer}/protocol/openid-connect/revoke`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ client_id: 'amplify-cli', token: account.auth.tokens.refresh_token, token_type_hint: 'refresh_token' })
			});
			assert.equal(revoked.status, 200);
			await untilExpired(account);
			shortLived.reset();

			const r = await runCli([ 'auth', 'token' ], { home: h });
			assert.equal(r.code, 3, r.stderr);
			assert.equal(r.stdout, '');
			assert.match(r.stderr, /^✖ Error: The server rejected the refresh token of account "[^"]+"; it was removed\. To log in again, run: axway auth login\n$/);
			assert.equal(tokenRequests(shortLived), 1, 'one refresh attempt');

			const j = await runCli([ 'auth', 'token', '--json' ], { home: h });
			assert.equal(j.code, 3);
			assert.equal(j.json.code, 3);
			assert.equal(j.json.errorCode, 'ERR_LOGIN_REQUIRED');
		} finally {
			h.cleanup();
		}
	});

	it('the start-up fast path takes only arguments it fully understands', () => {
		const { fastArgs } = require('../cli/commands/token.js');
		assert.deepEqual(fastArgs([ '--account', 'a', '--min-validity=10m', '--json', '--no-banner' ]), { account: 'a', 'min-validity': '10m', json: true });
		for (const args of [ [ '--help' ], [ '-h' ], [ '--account' ], [ '--account', '--json' ], [ '--json=1' ], [ 'extra' ], [ '--account', 'a', '--account', 'b' ], [ '--unknown' ] ]) {
			assert.equal(fastArgs(args), null, JSON.stringify(args));
		}
	});

	it('rejects a bad --min-validity naming the flag; --help documents the exit codes', async () => {
		const h = makeHome(platform);
		try {
			await serviceLogin(h);
			const r = await runCli([ 'auth', 'token', '--min-validity', '10' ], { home: h });
			assert.equal(r.code, 1);
			assert.match(r.stderr, /Invalid minValidity \(--min-validity\) "10": expected a duration such as 90s, 10m or 1h/);
			await assert.rejects(api().token(apiOptions(h, { minValidity: 'soon' })), { code: 'ERR_INVALID_ARGUMENT' });

			const usage = await runCli([ 'auth', 'token', '--account' ], { home: h });
			assert.equal(usage.code, 1);
			assert.equal(usage.stdout, '', 'no banner on stdout, even for a usage error');
			assert.match(usage.stderr, /Missing value for option "--account"/);

			const help = await runCli([ 'auth', 'token', '--help' ], { home: h });
			assert.equal(help.code, 2);
			assert.match(help.stdout, /--min-validity <duration>/);
			assert.match(help.stdout, /3 {2}not logged in, or the account needs an interactive login/);
		} finally {
			h.cleanup();
		}
	});
});

// ---- secrets without argv ----------------------------------------------------------------------

describe('login secrets from standard input and the environment', () => {
	it('--client-secret-stdin: never in argv, output or debug logs', async () => {
		const h = makeHome(platform);
		try {
			const child = spawnAxway([ 'auth', 'login', '--client-id', SECRET.clientId, '--client-secret-stdin', '--json' ], { home: h, env: LOG_ENV });
			await sleep(300); // running, waiting for stdin
			const argv = child.cmdline();
			assert.match(argv, /--client-secret-stdin/);
			assert.ok(!argv.includes(SECRET.clientSecret));
			const r = await child.finish(`${SECRET.clientSecret}\n`);
			assert.equal(r.code, 0, r.stderr);
			assert.equal(JSON.parse(r.stdout).auth.clientId, SECRET.clientId);
			assert.ok(!r.stdout.includes(SECRET.clientSecret) && !r.stderr.includes(SECRET.clientSecret));
			assert.match(r.stderr, /axway_auth/, 'the debug log was on');
			assert.deepEqual(grants(platform), { client_credentials: { [SECRET.clientId]: 1 } });
		} finally {
			h.cleanup();
		}
	});

	it('AXWAY_AUTH_CLIENT_SECRET with --password-stdin: a tooling login, neither secret in argv, output or logs', async () => {
		const h = makeHome(platform);
		try {
			const env = { AXWAY_AUTH_CLIENT_SECRET: SECRET.clientSecret, ...LOG_ENV };
			const child = spawnAxway([ 'auth', 'login', '--client-id', SECRET.clientId, '--username', USERS.alice.email, '--password-stdin' ], { home: h, env });
			await sleep(300);
			const argv = child.cmdline();
			for (const secret of [ SECRET.clientSecret, USERS.alice.toolingPassword ]) {
				assert.ok(!argv.includes(secret));
			}
			const r = await child.finish(`${USERS.alice.toolingPassword}\r\n`);
			assert.equal(r.code, 0, r.stderr);
			for (const secret of [ SECRET.clientSecret, USERS.alice.toolingPassword ]) {
				assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'not printed');
			}
			assert.deepEqual(platform.state().toolingLogins.map(l => [ l.username, l.ok ]), [ [ USERS.alice.email, true ] ]);
		} finally {
			h.cleanup();
		}
	});

	it('AXWAY_AUTH_SECRET_FILE and AXWAY_AUTH_PASSWORD log in; a secret on argv still works', async () => {
		const h = makeHome(platform);
		try {
			const env = { AXWAY_AUTH_SECRET_FILE: JWT_CLIENT_KEY.pkcs8, AXWAY_AUTH_PASSWORD: USERS.alice.toolingPassword, ...LOG_ENV };
			const r = await runCli([ 'auth', 'login', '--client-id', JWT.clientId, '--username', USERS.alice.email, '--json' ], { home: h, env });
			assert.equal(r.code, 0, r.stderr);
			assert.equal(r.json.auth.authenticator, 'SignedJWT');
			assert.equal(r.json.isPlatformTooling, true);
			assert.ok(!r.stdout.includes(USERS.alice.toolingPassword) && !r.stderr.includes(USERS.alice.toolingPassword));

			const argv = await runCli([ 'auth', 'login', '--client-id', SECRET.clientId, '--client-secret', SECRET.clientSecret, '--json', '--force' ], { home: h, env: { AXWAY_AUTH_CLIENT_SECRET: 'wrong' } });
			assert.equal(argv.code, 0, `the flag wins over the environment: ${argv.stderr}`);
			assert.equal(argv.json.auth.authenticator, 'ClientSecret');
		} finally {
			h.cleanup();
		}
	});

	it('the environment ranks above config.json', async () => {
		const h = makeHome(platform, { clientSecret: 'wrong-from-config' });
		try {
			const r = await runCli([ 'auth', 'login', '--client-id', SECRET.clientId, '--json' ], { home: h, env: { AXWAY_AUTH_CLIENT_SECRET: SECRET.clientSecret } });
			assert.equal(r.code, 0, r.stderr);
			const bad = await runCli([ 'auth', 'login', '--client-id', SECRET.clientId, '--json', '--force' ], { home: h });
			assert.equal(bad.code, 1, 'config.json\'s (wrong) secret is used without the variable');
			assert.equal(bad.json.errorCode, 'ERR_AUTH_FAILED');
		} finally {
			h.cleanup();
		}
	});

	it('refuses a terminal, both stdin flags at once, several lines and empty input', async () => {
		const login = async () => fakeAccount();
		const tty = await runInProcess([ 'auth', 'login', '--client-id', 'DOSA_x', '--client-secret-stdin' ], { api: { login }, stdin: fakeStdin({ isTTY: true }) });
		assert.equal(tty.code, 1);
		assert.match(tty.stderr, /--client-secret-stdin reads the secret from standard input, which is a terminal/);
		const both = await runInProcess([ 'auth', 'login', '--client-id', 'DOSA_x', '--client-secret-stdin', '--password-stdin', '-u', 'me' ], { api: { login }, stdin: fakeStdin({ input: 's\n' }) });
		assert.equal(both.code, 1);
		assert.match(both.stderr, /cannot be used together/);
		const lines = await runInProcess([ 'auth', 'login', '--client-id', 'DOSA_x', '--client-secret-stdin' ], { api: { login }, stdin: fakeStdin({ input: 'a\nb\n' }) });
		assert.match(lines.stderr, /expected one line on standard input/);
		const empty = await runInProcess([ 'auth', 'login', '--client-id', 'DOSA_x', '--client-secret-stdin' ], { api: { login }, stdin: fakeStdin({ input: '\n' }) });
		assert.match(empty.stderr, /standard input is empty/);
		for (const r of [ lines, empty ]) {
			assert.equal(r.code, 1);
		}
		assert.equal(tty.calls.length + both.calls.length + lines.calls.length + empty.calls.length, 0, 'no login was attempted');
	});

	it('prompts (hidden) for the client secret of a DOSA_ client id on a terminal; other client ids keep the browser login', async () => {
		const login = async () => fakeAccount();
		const plan = opts => ({ authenticator: opts.clientSecret ? 'ClientSecret' : 'PKCE', password: false });
		const r = await runInProcess([ '--no-banner', 'auth', 'login', '--client-id', 'DOSA_abc', '--no-launch-browser' ], { api: { login, loginPlan: plan }, stdin: fakeStdin({ input: 'typed-secret\n', isTTY: true }) });
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.calls[0].clientSecret, 'typed-secret');
		assert.match(r.stdout, /Client secret: /);
		assert.ok(!r.stdout.includes('typed-secret'), 'not echoed');

		const pkce = await runInProcess([ '--no-banner', 'auth', 'login', '--client-id', 'my-public-client', '--no-launch-browser' ], { api: { login, loginPlan: plan }, stdin: fakeStdin({ isTTY: true }) });
		assert.equal(pkce.code, 0, pkce.stderr);
		assert.equal(pkce.calls[0].clientSecret, undefined);
		assert.doesNotMatch(pkce.stdout, /Client secret/);
	});
});

// ---- a per-command account ---------------------------------------------------------------------

describe('--account and AXWAY_AUTH_ACCOUNT', () => {
	it('pick the account by name or hash and never change config.json, also in two concurrent processes', async () => {
		const h = makeHome(platform);
		try {
			const first = await serviceLogin(h, SECRET); // the default (the only account at the time)
			const second = await serviceLogin(h, JWT);
			const config = readFileSync(h.configFile);
			assert.equal(h.config().auth.defaultAccount, first.name);
			platform.reset();

			const clientOf = r => {
				assert.equal(r.code, 0, r.stderr);
				return claims(r.stdout.trim()).clientId;
			};
			assert.equal(clientOf(await runCli([ 'auth', 'token' ], { home: h })), SECRET.clientId, 'the default account');
			assert.equal(clientOf(await runCli([ 'auth', 'token', '--account', second.name ], { home: h })), JWT.clientId);
			assert.equal(clientOf(await runCli([ 'auth', 'token' ], { home: h, env: { AXWAY_AUTH_ACCOUNT: second.hash } })), JWT.clientId);
			assert.equal(clientOf(await runCli([ 'auth', 'token', '--account', first.name ], { home: h, env: { AXWAY_AUTH_ACCOUNT: second.name } })), SECRET.clientId, '--account wins');

			const [ a, b ] = await Promise.all([
				runCli([ 'auth', 'token', '--account', first.hash ], { home: h }),
				runCli([ 'auth', 'token' ], { home: h, env: { AXWAY_AUTH_ACCOUNT: second.name } })
			]);
			assert.deepEqual([ clientOf(a), clientOf(b) ], [ SECRET.clientId, JWT.clientId ]);
			assert.deepEqual(platform.state().requests, [], 'no request');

			const unknown = await runCli([ 'auth', 'token', '--account', 'nobody' ], { home: h });
			assert.equal(unknown.code, 3);
			assert.match(unknown.stderr, /No account "nobody" is logged in/);

			// whoami shows the chosen account
			const who = await runCli([ 'auth', 'whoami', '--json' ], { home: h, env: { AXWAY_AUTH_ACCOUNT: second.name } });
			assert.equal(who.code, 0, who.stderr);
			assert.deepEqual(who.json.map(x => [ x.name, x.default ]), [ [ second.name, true ] ]);
			const whoText = await runCli([ '--no-banner', 'auth', 'whoami', '--account', second.hash ], { home: h });
			assert.equal(whoText.code, 0, whoText.stderr);
			assert.match(whoText.stdout, new RegExp(`as ${second.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
			const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h, env: { AXWAY_AUTH_ACCOUNT: second.name } });
			assert.deepEqual(ls.json.filter(x => x.default).map(x => x.name), [ second.name ], 'ls marks the account in use');
			const whoNobody = await runCli([ '--no-banner', 'auth', 'whoami', '--account', 'nobody' ], { home: h });
			assert.equal(whoNobody.stdout, 'The account nobody is not logged in.\n');

			// the JS API
			const t = await api().token(apiOptions(h, { account: second.name }));
			assert.equal(t.account, second.name);

			assert.ok(readFileSync(h.configFile).equals(config), 'config.json is byte-identical');
		} finally {
			h.cleanup();
		}
	});
});
