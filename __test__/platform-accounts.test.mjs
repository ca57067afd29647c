// Platform accounts after the login: the username/password "tooling" login of a service
// account, refresh (and a refresh token the server rejects), `list --validate` running its
// validations concurrently, logout with RFC 7009 revocation, and `whoami`'s account-info block.
// Issue 3, spec 1.4, 1.8, 3.5, 4, 6 and 12.2.
//
//   node --test __test__/platform-accounts.test.mjs
//
// Logging out a platform (browser) account opens the platform's sign-out page: the commands run
// with BROWSER=true (the `webbrowser` crate runs `true`) and the API with `launchBrowser: false`.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

import { api, apiOptions, makeHome, runCli, seed, startPlatform } from './helpers/env.mjs';
import { HttpBrowser, loginInBrowser } from './helpers/browser.mjs';
import { spawnCli } from './helpers/chromium.mjs';

const { USERS, ORGS, TEAMS, SERVICE_ACCOUNTS, JWT_CLIENT_KEY } = seed;
const { alice, bob } = USERS;
const SECRET = SERVICE_ACCOUNTS.secret;
const ACME_DEFAULT_TEAM = TEAMS.find(t => t.org_id === 100 && t.default);
const NO_BROWSER = { BROWSER: 'true' };

let platform; // tokens live 30 min
let shortLived; // access tokens live 3 s
before(async () => {
	[ platform, shortLived ] = await Promise.all([
		startPlatform({ quiet: true, accessTtl: 1800, refreshTtl: 86400 }),
		startPlatform({ quiet: true, accessTtl: 3, refreshTtl: 86400 })
	]);
});
after(() => Promise.all([ platform?.close(), shortLived?.close() ]));
beforeEach(() => { platform.reset(); shortLived.reset(); });

// ---- helpers ---------------------------------------------------------------------------------

const claims = jwt => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** A browser (PKCE) login through the API, the user acting in a plain-HTTP browser. */
async function browserLogin(h, user, { orgId, ...more } = {}) {
	let acting;
	const account = await api().login(apiOptions(h, {
		launchBrowser: false,
		onOpenBrowser: ({ url }) => { acting = loginInBrowser(url, user, { orgId, browser: new HttpBrowser() }); },
		...more
	}));
	const page = await acting;
	assert.match(page.text, /Authorization Successful!/);
	return account;
}

const tooling = (more = {}) => ({ clientId: SECRET.clientId, clientSecret: SECRET.clientSecret, username: alice.email, password: alice.toolingPassword, ...more });
const toolingArgs = [ 'auth', 'login', '--client-id', SECRET.clientId, '--client-secret', SECRET.clientSecret, '--username', alice.email ];

/** Waits until the access token of `account` has expired (plus a margin). */
async function untilExpired(account) {
	const wait = account.auth.expires.access - Date.now() + 300;
	assert.ok(wait < 5000, `the access token expires soon (in ${wait} ms)`);
	await sleep(Math.max(wait, 0));
}

/** POST to one of the platform's OIDC endpoints, as any OAuth client would. */
async function oidcPost(p, route, params) {
	const res = await fetch(`${p.issuer}/protocol/openid-connect/${route}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(params)
	});
	const text = await res.text();
	let json;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: res.status, json, text };
}

const refreshWith = (p, refreshToken) => oidcPost(p, 'token', { grant_type: 'refresh_token', client_id: 'amplify-cli', refresh_token: refreshToken });

// ---- tooling login ---------------------------------------------------------------------------

describe('platform tooling login (service account + username/password)', () => {
	it('makes a platform tooling account restricted to the service account\'s org', async () => {
		const h = makeHome(platform);
		try {
			const account = await api().login(apiOptions(h, tooling()));
			assert.equal(account.isPlatform, true);
			assert.equal(account.isPlatformTooling, true);
			assert.equal(account.auth.authenticator, 'ClientSecret');
			assert.equal(account.user.email, alice.email, 'the session is the user\'s');
			assert.equal(account.org.id, ORGS.acme.org_id);
			assert.equal(account.org.name, ORGS.acme.name);
			assert.deepEqual(account.orgs.map(o => o.id), [ ORGS.acme.org_id ], 'alice is in Acme and Beta, but the session only sees the service account\'s org');
			assert.equal(account.team?.guid, ACME_DEFAULT_TEAM.guid);
			assert.deepEqual(platform.state().toolingLogins.map(l => [ l.username, l.clientId, l.ok ]), [ [ alice.email, SECRET.clientId, true ] ]);
			assert.equal(account.auth.password, undefined, 'the password is never returned');
			assert.equal(account.auth.clientSecret, undefined);

			// the command's --json output never shows the session cookie
			const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
			assert.equal(ls.code, 0, ls.stderr);
			assert.equal(ls.json.length, 1);
			assert.equal(ls.json[0].isPlatformTooling, true);
			assert.equal(ls.json[0].isPlatform, true);
			assert.equal('sid' in ls.json[0], false, '`sid` is not in --json output');
			assert.doesNotMatch(ls.stdout, /connect\.sid|"sid"/);
			assert.doesNotMatch(ls.stdout, new RegExp(alice.toolingPassword));
		} finally {
			h.cleanup();
		}
	});

	it('axway auth login --client-secret --username --password --json: the account, no sid, no password', async () => {
		const h = makeHome(platform);
		try {
			const r = await runCli([ ...toolingArgs, '--password', alice.toolingPassword, '--json' ], { home: h });
			assert.equal(r.code, 0, r.stderr);
			assert.ok(r.json, r.stdout);
			assert.equal(r.json.isPlatformTooling, true);
			assert.deepEqual(r.json.orgs.map(o => o.id), [ ORGS.acme.org_id ]);
			assert.equal('sid' in r.json, false, '`sid` is not in --json output');
			assert.doesNotMatch(r.stdout, new RegExp(`${alice.toolingPassword}|${SECRET.clientSecret}`));
		} finally {
			h.cleanup();
		}
	});

	it('a wrong tooling password: ERR_REQUEST_FAILED, and nothing stored', async () => {
		const h = makeHome(platform);
		try {
			await assert.rejects(api().login(apiOptions(h, tooling({ password: 'not-the-password' }))), err => {
				assert.equal(err.code, 'ERR_REQUEST_FAILED', err.message);
				assert.match(err.message, /Invalid username or password/);
				return true;
			});
			assert.deepEqual(platform.state().toolingLogins.map(l => l.ok), [ false ]);
			assert.equal(existsSync(h.storeFile), false, 'no token store was written');
			assert.deepEqual(await api().list(apiOptions(h, { validate: false })), []);
			assert.equal(h.config().auth.defaultAccount, undefined);

			// the command: exit 1 and the platform's message
			const r = await runCli([ ...toolingArgs, '--password', 'not-the-password' ], { home: h });
			assert.equal(r.code, 1, r.stdout);
			assert.match(r.stderr, /Invalid username or password/);
			assert.equal(existsSync(h.storeFile), false, 'no token store was written');
		} finally {
			h.cleanup();
		}
	});

	it('--username without --password in --json mode: the JSON error on stderr, exit 1, nothing on stdout', async () => {
		const h = makeHome(platform);
		try {
			const r = await runCli([ ...toolingArgs, '--json' ], { home: h, timeout: 20_000 });
			assert.equal(r.code, 1);
			assert.equal(r.stdout, '');
			assert.deepEqual(JSON.parse(r.stderr), { error: '--username and --password are required when --json is set' });
			assert.deepEqual(platform.state().tokenRequests, [], 'nothing was tried');
			assert.equal(existsSync(h.storeFile), false);
		} finally {
			h.cleanup();
		}
	});

	it('--username without --password asks for the password (hidden) and logs in', async () => {
		const h = makeHome(platform);
		try {
			const cli = spawnCli(toolingArgs, { home: h, input: null, timeout: 30_000 });
			await cli.waitFor(/Password:/, { stream: 'stdout', timeout: 20_000 });
			cli.child.stdin.end(`${alice.toolingPassword}\n`);
			const r = await cli.done;
			assert.equal(r.code, 0, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
			assert.doesNotMatch(r.stdout + r.stderr, new RegExp(alice.toolingPassword), 'the password is not echoed');
			assert.match(r.stdout, new RegExp(`You are logged into a platform account in organization Acme Corp \\(${ORGS.acme.guid}\\) as ${alice.email.replace('.', '\\.')}`));
			assert.deepEqual(platform.state().toolingLogins.map(l => [ l.username, l.ok ]), [ [ alice.email, true ] ]);
			const [ account ] = await api().list(apiOptions(h, { validate: false }));
			assert.equal(account.isPlatformTooling, true);
		} finally {
			h.cleanup();
		}
	});
});

// ---- refresh ---------------------------------------------------------------------------------

describe('refresh', () => {
	it('list() after the access token expired refreshes it with the refresh token', async () => {
		const h = makeHome(shortLived);
		try {
			const account = await browserLogin(h, bob);
			assert.ok(account.auth.expires.access - Date.now() <= 3000, 'a 3-second access token');
			await untilExpired(account);
			shortLived.reset();

			const listed = await api().list(apiOptions(h));
			assert.deepEqual(listed.map(a => a.name), [ account.name ], 'the account is still listed');
			const refreshes = shortLived.state().tokenRequests.filter(r => r.grantType === 'refresh_token');
			assert.equal(refreshes.length, 1, 'one refresh_token grant');
			assert.equal(refreshes[0].status, 200);
			const [ fresh ] = listed;
			assert.notEqual(fresh.auth.tokens.access_token, account.auth.tokens.access_token, 'a new access token');
			assert.ok(fresh.auth.expires.access > Date.now(), 'the new access token is valid');
			assert.equal(claims(fresh.auth.tokens.access_token).email, bob.email);
			assert.equal(fresh.org.id, ORGS.acme.org_id);
			assert.equal(fresh.isPlatform, true);

			// and the refreshed record was stored
			const [ stored ] = await api().list(apiOptions(h, { validate: false }));
			assert.equal(stored.auth.tokens.access_token, fresh.auth.tokens.access_token);
		} finally {
			h.cleanup();
		}
	});

	it('a refresh token the server rejects: the expired account is removed, and the command says so', async () => {
		const h = makeHome(shortLived);
		try {
			const account = await browserLogin(h, bob);
			// the grant is revoked at the identity server (as an admin, or another device's logout, would)
			const revoked = await oidcPost(shortLived, 'revoke', { client_id: 'amplify-cli', token: account.auth.tokens.refresh_token, token_type_hint: 'refresh_token' });
			assert.equal(revoked.status, 200, revoked.text);
			await untilExpired(account);
			shortLived.reset();

			const r = await runCli([ 'auth', 'ls' ], { home: h });
			assert.equal(r.code, 0, r.stderr);
			assert.match(r.stdout, /No authenticated accounts\./);
			const refreshes = shortLived.state().tokenRequests.filter(t => t.grantType === 'refresh_token');
			assert.equal(refreshes.length, 1, 'the refresh was tried');
			assert.equal(refreshes[0].status, 400, 'and rejected');
			assert.match(r.stderr, new RegExp(`${account.name}.*(expired|removed)`), `the command tells which account expired and was removed; stderr: ${JSON.stringify(r.stderr)}`);
			assert.match(r.stderr, /axway auth login/, 'and how to log in again');
			assert.deepEqual(await api().list(apiOptions(h, { validate: false })), [], 'the account is gone from the store');
		} finally {
			h.cleanup();
		}
	});
});

// ---- list --validate -------------------------------------------------------------------------

describe('list --validate', () => {
	it('validates several accounts concurrently (3 accounts whose userinfo hangs take ~1x the request timeout)', async () => {
		const h = makeHome(platform);
		try {
			await browserLogin(h, bob); // a platform account (PKCE)
			await api().login(apiOptions(h, tooling())); // a platform tooling account
			await api().login(apiOptions(h, { clientId: SERVICE_ACCOUNTS.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 })); // a service account
			assert.equal((await api().list(apiOptions(h, { validate: false }))).length, 3);

			platform.reset();
			platform.fault('userinfo', 'hang', 'all');
			const started = performance.now();
			const listed = await api().list(apiOptions(h, { requestTimeout: 1000 }));
			const elapsed = performance.now() - started;
			platform.fault('userinfo', 'none');

			const userinfo = platform.state().requests.filter(r => r.route === 'userinfo').length;
			assert.equal(userinfo, 3, 'each account\'s userinfo was asked (and hung)');
			assert.equal(listed.length, 3, 'a slow userinfo does not lose accounts');
			assert.ok(elapsed >= 950, `the hanging requests were waited for (${Math.round(elapsed)} ms)`);
			assert.ok(elapsed < 2000, `3 validations took ${Math.round(elapsed)} ms: concurrent would be ~1000 ms, one after another ~3000 ms`);
		} finally {
			platform.fault('userinfo', 'none');
			h.cleanup();
		}
	});
});

// ---- logout ----------------------------------------------------------------------------------

describe('logout of a platform account', () => {
	it('revokes the refresh and access tokens at the server and opens the platform sign-out page', async () => {
		const h = makeHome(platform);
		try {
			const account = await browserLogin(h, alice, { orgId: ORGS.acme.org_id });
			const { refresh_token: refreshToken, access_token: accessToken } = account.auth.tokens;
			platform.reset();

			const opened = [];
			const removed = await api().logout(apiOptions(h, { accounts: [ account.name ], launchBrowser: false, onOpenBrowser: ({ url }) => { opened.push(url); } }));
			assert.deepEqual(removed.map(a => [ a.name, a.revoked ]), [ [ account.name, 'server' ] ]);
			assert.equal(removed[0].auth?.clientSecret, undefined);

			const revocations = platform.state().revocations;
			assert.deepEqual(revocations.map(r => [ r.tokenType, r.clientId, r.status ]).sort(), [ [ 'access_token', 'amplify-cli', 200 ], [ 'refresh_token', 'amplify-cli', 200 ] ]);
			assert.equal(opened.length, 1, 'the platform sign-out page is opened');
			const signout = new URL(opened[0]);
			assert.equal(`${signout.origin}${signout.pathname}`, `${platform.platformUrl}/auth/signout`);
			assert.match(signout.searchParams.get('redirect'), new RegExp(`^${platform.platformUrl}/signed\\.out`));

			// the account is gone, and the old tokens are dead at the server
			assert.deepEqual(await api().list(apiOptions(h, { validate: false })), []);
			const refresh = await refreshWith(platform, refreshToken);
			assert.equal(refresh.status, 400, `a refresh with the old refresh token fails: ${refresh.text}`);
			assert.equal(refresh.json?.error, 'invalid_grant');
			const userinfo = await fetch(`${platform.issuer}/protocol/openid-connect/userinfo`, { headers: { Authorization: `Bearer ${accessToken}` } });
			assert.equal(userinfo.status, 401, 'the old access token is refused');
		} finally {
			h.cleanup();
		}
	});

	it('axway auth logout says the tokens were revoked at the server', async () => {
		const h = makeHome(platform);
		try {
			const account = await browserLogin(h, bob);
			platform.reset();
			const r = await runCli([ 'auth', 'logout' ], { home: h, env: NO_BROWSER });
			assert.equal(r.code, 0, r.stderr);
			assert.match(r.stdout, /Revoked authenticated accounts:/);
			assert.match(r.stdout, new RegExp(`${account.name} \\(revoked at the server\\)`));
			assert.equal(platform.state().revocations.length, 2);
			assert.equal((await refreshWith(platform, account.auth.tokens.refresh_token)).status, 400);
			assert.deepEqual(await api().list(apiOptions(h, { validate: false })), []);
		} finally {
			h.cleanup();
		}
	});
});

// ---- whoami ----------------------------------------------------------------------------------

describe('whoami', () => {
	it('shows the account-info block: region line, orgs table with ✔, roles and teams tables', async () => {
		const h = makeHome(platform);
		try {
			await browserLogin(h, alice, { orgId: ORGS.beta.org_id });
			const r = await runCli([ 'auth', 'whoami' ], { home: h });
			assert.equal(r.code, 0, r.stderr);
			const lines = r.stdout.split('\n').map(l => l.trimEnd());
			const has = re => assert.ok(lines.some(l => re.test(l)), `a line matching ${re} in:\n${r.stdout}`);
			has(new RegExp(`^You are logged into a platform account in organization Beta Inc \\(${ORGS.beta.guid}\\) as ${alice.email.replace('.', '\\.')}\\.$`));
			has(/^The current region is set to EU\.$/);
			has(/^ORGANIZATION\s+GUID\s+ORG ID$/);
			has(new RegExp(`^✔ Beta Inc\\s+${ORGS.beta.guid}\\s+200$`));
			has(new RegExp(`^  Acme Corp\\s+${ORGS.acme.guid}\\s+100$`));
			has(/^"BETA INC" ROLES\s+DESCRIPTION\s+TYPE$/);
			has(/^"BETA INC" TEAMS\s+GUID\s+ROLE$/);
			has(new RegExp(`^✔ Beta Team\\s+${TEAMS.find(t => t.name === 'Beta Team').guid}\\s+administrator$`));
			assert.equal(lines.filter(l => l.startsWith('✔')).length, 2, 'one ✔ for the org, one for the team');
		} finally {
			h.cleanup();
		}
	});
});
