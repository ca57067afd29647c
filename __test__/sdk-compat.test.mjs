// The SDK-compatible API (`Auth`, `createSdkAuth`) against the real JS SDK
// (@axway/amplify-sdk 3.2.16, a devDependency): the same calls on both, each tool in its own
// home against the same local platform, results compared field by field. Token values, expiry
// instants and session ids differ per login and are compared by type only. Spec 2.1–2.5.
//
//   node --test __test__/sdk-compat.test.mjs
//
// The SDK's `got` is wrapped so it never leaves loopback (its logout of a service account sends a
// best-effort sign-out to the *environment's* platform URL, which we refuse here).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import { makeHome, seed, usePlatform } from './helpers/env.mjs';
import { HttpBrowser, loginInBrowser } from './helpers/browser.mjs';
import { loopbackGot as sdkLoopbackGot } from './helpers/js-sdk.mjs';
import { assertExpiredGetter, assertSame, assertSameError } from './helpers/compare.mjs';

const require = createRequire(import.meta.url);

// The SDK's `open` (it launches the desktop browser for platform accounts' logout and org
// switch) is replaced before the SDK loads: it records the URL and hands it to the test.
const launched = [];
let onLaunch = () => {};
const openPath = require.resolve('open', { paths: [ dirname(require.resolve('@axway/amplify-sdk')) ] });
require.cache[openPath] = {
	id: openPath,
	filename: openPath,
	loaded: true,
	exports: async url => {
		launched.push(url);
		onLaunch(url);
		return { unref() {}, on() {} };
	}
};
const { default: AmplifySDK, Auth: SdkAuth } = require('@axway/amplify-sdk');
const { Auth, createSdkAuth } = require('..');

const { SERVICE_ACCOUNTS, LOAD_SERVICE_ACCOUNTS, JWT_CLIENT_KEY, USERS, TEAMS, ORGS } = seed;
const SECRET = { clientId: SERVICE_ACCOUNTS.secret.clientId, clientSecret: SERVICE_ACCOUNTS.secret.clientSecret };
const JWT = { clientId: SERVICE_ACCOUNTS.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 };
const LOAD = { clientId: LOAD_SERVICE_ACCOUNTS[0].clientId, clientSecret: LOAD_SERVICE_ACCOUNTS[0].clientSecret };
const TOOLING = { username: USERS.alice.email, password: USERS.alice.toolingPassword };
const PLATFORM_TEAM = TEAMS.find(t => t.name === 'Platform Team');

const platform = usePlatform();

const blocked = [];
const loopbackGot = sdkLoopbackGot(blocked);

/** Constructor options as the Axway CLI passes them (file store: keytar is not built here). */
const options = (h, creds = {}, more = {}) => ({
	baseUrl: platform.baseUrl,
	platformUrl: platform.platformUrl,
	realm: 'Broker',
	homeDir: h.homeDir,
	tokenStoreType: 'file',
	serviceAccount: !!creds.clientSecret,
	...creds,
	...more
});

/** Both implementations of one API, each on its own home. */
function pair(make) {
	const hSdk = makeHome(platform);
	const hOurs = makeHome(platform);
	return {
		hSdk,
		hOurs,
		sdk: make(hSdk, 'sdk'),
		ours: make(hOurs, 'ours'),
		cleanup() {
			hSdk.cleanup();
			hOurs.cleanup();
		}
	};
}
const authPair = (creds, more) => pair((h, who) => (who === 'sdk'
	? new SdkAuth(options(h, creds, { got: loopbackGot, ...more }))
	: new Auth(options(h, creds, more))));
const sdkAuthPair = (creds, more) => pair((h, who) => (who === 'sdk'
	? new AmplifySDK(options(h, creds, { got: loopbackGot, ...more })).auth
	: createSdkAuth(options(h, creds, more))));

// ---- Auth: constructor ------------------------------------------------------------------------

describe('Auth constructor', () => {
	it('rejects what the SDK rejects, with the same error class, code and message', async () => {
		const cases = [
			[ 'a string', 'options' ],
			[ 'null', null ],
			[ 'a non-numeric threshold', { tokenRefreshThreshold: 'soon', tokenStoreType: 'memory' } ],
			[ 'a negative threshold', { tokenRefreshThreshold: -1, tokenStoreType: 'memory' } ],
			[ 'the secure store without homeDir', { tokenStoreType: 'secure' } ],
			[ 'the default (secure) store without homeDir', {} ],
			[ 'the file store without homeDir', { tokenStoreType: 'file' } ]
		];
		for (const [ label, opts ] of cases) {
			await assertSameError(null, null, (_, who) => (who === 'sdk' ? new SdkAuth(opts) : new Auth(opts)))
				.catch(err => assert.fail(`${label}: ${err.message}`));
		}
		// The SDK's error has no code; ours adds ERR_INVALID_ENVIRONMENT.
		const { mine } = await assertSameError(null, null, (_, who) => {
			const opts = { env: 'mars', tokenStoreType: 'memory' };
			return who === 'sdk' ? new SdkAuth(opts) : new Auth(opts);
		}, { code: false });
		assert.equal(mine.code, 'ERR_INVALID_ENVIRONMENT');
	});

	it('exposes the same settings', () => {
		const cases = [
			{ baseUrl: 'http://127.0.0.1:1', clientId: 'c', realm: 'R', env: 'staging', tokenRefreshThreshold: '60', tokenStoreType: 'memory' },
			{ tokenStoreType: 'file', tokenStoreDir: '/tmp/axway-auth-nowhere', env: 'production', persistSecrets: true },
			{ tokenStoreType: null, env: 'dev', platformUrl: 'http://p/', interactiveLoginTimeout: 5 }
		];
		const props = [ 'baseUrl', 'clientId', 'env', 'interactiveLoginTimeout', 'persistSecrets', 'platformUrl', 'realm', 'tokenRefreshThreshold' ];
		for (const opts of cases) {
			const theirs = new SdkAuth(opts);
			const mine = new Auth(opts);
			for (const prop of props) {
				assert.deepEqual(mine[prop], theirs[prop], `${prop} for ${JSON.stringify(opts)}`);
			}
			assert.equal(mine.tokenRefreshThreshold, opts.tokenRefreshThreshold ? 60 : 0, 'the SDK default threshold is 0');
		}
	});
});

// ---- Auth: methods ----------------------------------------------------------------------------

for (const [ kind, creds ] of [ [ 'client secret', SECRET ], [ 'signed JWT', JWT ] ]) {
	describe(`Auth methods (${kind})`, () => {
		it('login, login again, find (name, hash, options), list, updateAccount, serverInfo, logout give the SDK\'s results', async () => {
			const { sdk, ours, hSdk, hOurs, cleanup } = authPair(creds);
			try {
				const theirs = await sdk.login();
				const mine = await ours.login();
				assertSame(mine, theirs, 'login');
				assertExpiredGetter(mine);
				assert.equal(mine.isPlatform, undefined, 'Auth.login loads no platform session');
				assert.ok(existsSync(hSdk.storeFile) && existsSync(hOurs.storeFile));

				// without force, the stored (still valid) account is returned as it is
				const again = await ours.login();
				const theirsAgain = await sdk.login();
				assert.equal(again.auth.tokens.access_token, mine.auth.tokens.access_token, 'ours: no new token');
				assert.equal(theirsAgain.auth.tokens.access_token, theirs.auth.tokens.access_token, 'SDK: no new token');
				assertSame(again, theirsAgain, 'login again');

				assertSame(await ours.find(mine.name), await sdk.find(theirs.name), 'find(name)');
				assertSame(await ours.find(mine.hash), await sdk.find(theirs.hash), 'find(hash)');
				const byOptions = await ours.find({});
				assertSame(byOptions, await sdk.find({}), 'find(options): by the authenticator hash');
				assertExpiredGetter(byOptions);
				assert.equal(await ours.find('nobody'), await sdk.find('nobody'), 'find(unknown)');

				const listed = await ours.list();
				assertSame(listed, await sdk.list(), 'list');
				assert.equal(listed.length, 1);
				assertExpiredGetter(listed[0]);

				await ours.updateAccount({ ...listed[0], custom: { kept: true } });
				await sdk.updateAccount({ ...(await sdk.list())[0], custom: { kept: true } });
				const updated = await ours.list();
				assert.deepEqual(updated[0].custom, { kept: true });
				assertSame(updated, await sdk.list(), 'list after updateAccount');

				assert.deepEqual(await ours.serverInfo(), await sdk.serverInfo(), 'serverInfo');

				const removed = await ours.logout({ accounts: mine.name });
				const theirsRemoved = await sdk.logout({ accounts: theirs.name });
				assertSame(removed, theirsRemoved, 'logout');
				assert.equal(removed[0].auth.expired, true, 'removed records are marked expired');
				assert.equal(existsSync(hOurs.storeFile), false);
				assert.equal(existsSync(hSdk.storeFile), false);
				assert.deepEqual(await ours.list(), await sdk.list());
				assert.deepEqual(await ours.logout({ all: true }), await sdk.logout({ all: true }));
				assert.deepEqual(await ours.logout({ accounts: [] }), await sdk.logout({ accounts: [] }));
			} finally {
				cleanup();
			}
		});
	});
}

describe('Auth.find and the refresh threshold', () => {
	it('refreshes a token that expires within tokenRefreshThreshold, and stores it, as the SDK does', async () => {
		// 3600 s > the platform's 1800 s access token lifetime: every find refreshes.
		const { sdk, ours, cleanup } = authPair(SECRET, { tokenRefreshThreshold: 3600 });
		try {
			const theirs = await sdk.login();
			const mine = await ours.login();
			const theirsFound = await sdk.find(theirs.name);
			const mineFound = await ours.find(mine.name);
			assert.notEqual(theirsFound.auth.tokens.access_token, theirs.auth.tokens.access_token, 'SDK: a new token');
			assert.notEqual(mineFound.auth.tokens.access_token, mine.auth.tokens.access_token, 'ours: a new token');
			assertSame(mineFound, theirsFound, 'the refreshed account');
			assert.equal((await ours.list())[0].auth.tokens.access_token, mineFound.auth.tokens.access_token, 'ours: stored');
			assert.equal((await sdk.list())[0].auth.tokens.access_token, theirsFound.auth.tokens.access_token, 'SDK: stored');
		} finally {
			cleanup();
		}
	});
});

describe('Auth.list and the purge', () => {
	it('drops records whose tokens have all expired and rewrites the store, as the SDK does', async () => {
		const { sdk, ours, hSdk, hOurs, cleanup } = authPair(SECRET);
		try {
			for (const [ auth, h ] of [ [ sdk, hSdk ], [ ours, hOurs ] ]) {
				const account = await auth.login();
				const dead = JSON.parse(JSON.stringify(account));
				dead.name = dead.hash = 'expired-account';
				dead.auth.expires = { access: Date.now() - 1000, refresh: null };
				await auth.updateAccount(dead);
				assert.ok(existsSync(h.storeFile));
			}
			const mine = await ours.list();
			assertSame(mine, await sdk.list(), 'list after the purge');
			assert.deepEqual(mine.map(a => a.name), [ (await ours.find({})).name ]);
			assert.equal(await ours.find('expired-account'), undefined);
			const { FileStore } = require('@axway/amplify-sdk');
			assert.deepEqual((await new FileStore({ homeDir: hOurs.homeDir }).list()).map(a => a.name), mine.map(a => a.name), 'the store was rewritten');
		} finally {
			cleanup();
		}
	});

	it('a memory store works as the SDK\'s (login, list, find, logout)', async () => {
		const { sdk, ours, cleanup } = authPair(SECRET, { tokenStoreType: 'memory' });
		try {
			assertSame(await ours.login(), await sdk.login(), 'login');
			assertSame(await ours.list(), await sdk.list(), 'list');
			const [ { name } ] = await ours.list();
			assertSame(await ours.find(name), await sdk.find(name), 'find');
			assertSame(await ours.logout({ all: true }), await sdk.logout({ all: true }), 'logout');
			assert.deepEqual(await ours.list(), []);
		} finally {
			cleanup();
		}
	});
});

describe('Auth failures', () => {
	it('fail with the SDK\'s error class and code', async () => {
		const { sdk, ours, cleanup } = authPair(SECRET);
		try {
			await assertSameError(sdk, ours, a => a.login({ clientSecret: 'wrong-secret' }), { message: false });
			await assertSameError(sdk, ours, a => a.logout());
			await assertSameError(sdk, ours, a => a.logout({ accounts: 42 }));
			await assertSameError(sdk, ours, a => a.serverInfo({ url: 42 }));
			await assertSameError(sdk, ours, a => a.login('options'));
			const { mine } = await assertSameError(sdk, ours, a => a.serverInfo({ url: platform.url('/nowhere') }), { message: false, code: false });
			assert.match(mine.message, /Failed to get server info \(status 404\)/);
		} finally {
			cleanup();
		}
		const noClient = authPair({});
		try {
			await assertSameError(noClient.sdk, noClient.ours, a => a.login({ clientSecret: 'x' }));
		} finally {
			noClient.cleanup();
		}
	});
});

// ---- sdk.auth ---------------------------------------------------------------------------------

describe('sdk.auth (createSdkAuth)', () => {
	it('login, list, find, findSession, loadSession and logout give the SDK\'s results for three accounts', async () => {
		const { sdk, ours, cleanup } = sdkAuthPair();
		try {
			// a client-secret account, a signed-JWT account, and a platform tooling session
			for (const creds of [ SECRET, JWT, { ...LOAD, ...TOOLING } ]) {
				// (the SDK deletes username and password from the options it is given)
				const theirs = await sdk.login({ ...creds });
				const mine = await ours.login({ ...creds });
				assertSame(mine, theirs, `login ${creds.clientId}`);
				assertExpiredGetter(mine);
			}
			const tooling = (await ours.list()).find(a => a.isPlatformTooling);
			assert.ok(tooling, 'the tooling session is listed');
			assert.equal(tooling.isPlatform, true);
			assert.equal(typeof tooling.sid, 'string');
			assert.equal(tooling.user.email, USERS.alice.email);

			const listed = await ours.list();
			assert.equal(listed.length, 3);
			assertSame(listed, await sdk.list(), 'list()');
			const validated = await ours.list({ validate: true });
			assertSame(validated, await sdk.list({ validate: true }), 'list({ validate: true })');
			assert.deepEqual(validated.map(a => a.name), listed.map(a => a.name), 'sorted by name');
			validated.forEach(a => assertExpiredGetter(a));
			assertSame(await ours.list({ validate: true, skip: [ listed[0].name ] }), await sdk.list({ validate: true, skip: [ listed[0].name ] }), 'list({ skip })');

			for (const account of listed) {
				assertSame(await ours.find(account.name), await sdk.find(account.name), `find(${account.name})`);
				assertSame(await ours.find(account.hash), await sdk.find(account.hash), `find(hash of ${account.name})`);
			}
			assert.equal(await ours.find('nobody'), null);
			assert.equal(await sdk.find('nobody'), null);

			// the default team of an account's org, and a chosen one (spec 6.2)
			const defaultTeams = { [tooling.hash]: PLATFORM_TEAM.guid };
			await assertSameError(sdk, ours, a => a.find(tooling.name, 'teams'));
			const chosen = await ours.find(tooling.name, defaultTeams);
			assert.equal(chosen.team.guid, PLATFORM_TEAM.guid);
			assertSame(chosen, await sdk.find(tooling.name, defaultTeams), 'find(name, defaultTeams)');
			assertSame(await ours.list({ validate: true, defaultTeams }), await sdk.list({ validate: true, defaultTeams }), 'list({ defaultTeams })');

			// findSession and loadSession update the account object they are given
			const [ raw ] = (await ours.list()).filter(a => a.name === tooling.name);
			const [ rawTheirs ] = (await sdk.list()).filter(a => a.name === tooling.name);
			for (const method of [ 'findSession', 'loadSession' ]) {
				const input = structuredClone(JSON.parse(JSON.stringify(raw)));
				const inputTheirs = JSON.parse(JSON.stringify(rawTheirs));
				const result = await ours[method](input, defaultTeams);
				assert.equal(result, input, `${method} returns the object it was given`);
				assertSame(result, await sdk[method](inputTheirs, defaultTeams), method);
			}

			const removed = await ours.logout({ accounts: [ listed[0].name ] });
			assertSame(removed, await sdk.logout({ accounts: [ listed[0].name ] }), 'logout({ accounts })');
			assert.equal(removed[0].auth.expired, true);
			const rest = await ours.logout({ all: true });
			assertSame(rest, await sdk.logout({ all: true }), 'logout({ all })');
			assert.equal(rest.length, 2);
			assert.deepEqual(await ours.list(), []);
		} finally {
			cleanup();
		}
	});

	it('rejects a second login with EAUTHENTICATED and the account, and logs in again with force', async () => {
		const { sdk, ours, cleanup } = sdkAuthPair(SECRET);
		try {
			const theirs = await sdk.login();
			const mine = await ours.login();
			const { mine: err, theirs: theirsErr } = await assertSameError(sdk, ours, a => a.login());
			assert.equal(err.code, 'EAUTHENTICATED');
			assertSame(err.account, theirsErr.account, 'err.account');
			assert.equal(err.account.hash, mine.hash);
			assertExpiredGetter(err.account);

			const forced = await ours.login({ force: true });
			assertSame(forced, await sdk.login({ force: true }), 'login({ force: true })');
			assert.notEqual(forced.auth.tokens.access_token, mine.auth.tokens.access_token, 'ours: force gets new tokens');
			assert.equal(theirs.hash, forced.hash);
		} finally {
			cleanup();
		}
	});

	it('fails with the SDK\'s error class, code and message', async () => {
		const { sdk, ours, cleanup } = sdkAuthPair();
		try {
			await assertSameError(sdk, ours, a => a.login({ ...TOOLING }));
			await assertSameError(sdk, ours, a => a.login({ ...SECRET, username: '', password: 'x' }));
			await assertSameError(sdk, ours, a => a.login({ ...SECRET, username: USERS.alice.email, password: '' }));
			// a wrong tooling password: the platform's own code (401) and message
			const { mine } = await assertSameError(sdk, ours, a => a.login({ ...LOAD, username: USERS.alice.email, password: 'wrong' }));
			assert.equal(mine.code, 401);
			assert.equal(mine.message, 'Failed to authenticate: Invalid username or password. (401)');
			await assertSameError(sdk, ours, a => a.login({ clientId: SECRET.clientId, clientSecret: 'wrong-secret' }), { message: false });
			await assertSameError(sdk, ours, a => a.list('validate'));
			assert.equal(await ours.find('nobody', 'teams'), await sdk.find('nobody', 'teams'));
			await assertSameError(sdk, ours, a => a.logout({}));
			await assertSameError(sdk, ours, a => a.logout({ accounts: 'one' }));
			assert.deepEqual(await ours.logout({ accounts: [] }), await sdk.logout({ accounts: [] }));
			// nothing was stored by the failed logins
			assert.deepEqual(await ours.list(), await sdk.list());
			assert.deepEqual(await ours.list(), []);
		} finally {
			cleanup();
		}
	});

	it('serverInfo is the SDK\'s', async () => {
		const { sdk, ours, cleanup } = sdkAuthPair();
		try {
			assert.deepEqual(await ours.serverInfo(), await sdk.serverInfo());
		} finally {
			cleanup();
		}
	});
});

// ---- platform accounts (browser login, PKCE) -----------------------------------------------

/** Follows a link to an org on an org.select page (SDK 3.2.16's `/#/auth/org.select?…` route is
 * followed as the platform page's script does: to the path in the fragment). */
async function pickOrg(url, browser, orgId) {
	let page = await browser.follow(url);
	const landed = new URL(page.url);
	if (landed.hash.startsWith('#/auth/org.select')) {
		page = await browser.follow(new URL(landed.hash.slice(1), landed.origin).href);
	}
	const link = [ ...page.text.matchAll(/<a[^>]*class="[^"]*\borg\b[^"]*"[^>]*>/g) ].map(m => m[0]).find(l => l.includes(`data-org-id="${orgId}"`));
	assert.ok(link, `a link for org ${orgId} on ${page.url}`);
	return browser.follow(new URL(/href="([^"]+)"/.exec(link)[1].replaceAll('&amp;', '&'), page.url).href);
}

/** The user's side of SDK 3.2.16's PKCE login: the login form, then its org select route. */
async function sdkUserLogin(url, user, orgId, browser) {
	const page = await browser.follow(url);
	const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(page.text)?.[1];
	assert.ok(action, `a login form at ${page.url}`);
	const landed = await browser.follow(new URL(action.replaceAll('&amp;', '&'), page.url).href, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ login: user.email, password: user.password })
	});
	return pickOrg(landed.url, browser, orgId);
}

describe('platform account through sdk.auth (browser login, PKCE)', () => {
	it('login, list, find, switchOrg and logout give the SDK\'s results', { timeout: 90_000 }, async () => {
		const { sdk, ours, cleanup } = sdkAuthPair({ clientId: 'amplify-cli' });
		const sdkBrowser = new HttpBrowser();
		const ourBrowser = new HttpBrowser();
		const { alice } = USERS;
		try {
			// the SDK in its manual mode (the CLI's --no-launch-browser), the user in a browser
			const { url, loginAccount, cancel } = await sdk.login({ manual: true });
			let theirs;
			try {
				const [ raw ] = await Promise.all([ loginAccount, sdkUserLogin(url, alice, ORGS.acme.org_id, sdkBrowser) ]);
				theirs = await sdk.loadSession(raw);
			} catch (err) {
				await cancel().catch(() => {});
				throw err;
			}
			// ours: the URL through onOpenBrowser, no desktop browser
			let acting;
			const mine = await ours.login({
				launchBrowser: false,
				onOpenBrowser: ({ url: u }) => {
					acting = loginInBrowser(u, alice, { orgId: ORGS.acme.org_id, browser: ourBrowser });
				}
			});
			await acting;
			assertSame(mine, theirs, 'login');
			assert.equal(mine.isPlatform, true);
			assert.equal(mine.auth.authenticator, 'PKCE');
			assert.equal(mine.org.id, ORGS.acme.org_id);
			assert.equal(mine.orgs.length, 2);
			assertSame(await ours.list({ validate: true }), await sdk.list({ validate: true }), 'list({ validate: true })');
			assertSame(await ours.find(mine.name), await sdk.find(theirs.name), 'find');
			const { mine: again } = await assertSameError(sdk, ours, a => a.login());
			assert.equal(again.code, 'EAUTHENTICATED');

			// switchOrg: the org.select page in the browser, then the account's tokens refreshed
			let switching;
			const switched = await ours.switchOrg(mine, ORGS.beta.name, {
				launchBrowser: false,
				onOpenBrowser: ({ url: u }) => {
					switching = pickOrg(u, ourBrowser, ORGS.beta.org_id);
				}
			});
			await switching;
			assert.equal(switched, mine, 'switchOrg updates the account object it is given');
			onLaunch = u => {
				switching = pickOrg(u, sdkBrowser, ORGS.beta.org_id);
			};
			const theirsSwitched = await sdk.switchOrg(theirs, ORGS.beta.name);
			await switching;
			onLaunch = () => {};
			assertSame(switched, theirsSwitched, 'switchOrg');
			assert.equal(switched.org.id, ORGS.beta.org_id);
			assert.equal(switched.team.name, 'Beta Team');

			// logout: both open the platform's sign-out page (ours at the configured platform URL)
			let signOut;
			const removed = await ours.logout({ accounts: [ mine.name ], launchBrowser: false, onOpenBrowser: ({ url: u }) => { signOut = u; } });
			const theirsRemoved = await sdk.logout({ accounts: [ theirs.name ] });
			assertSame(removed, theirsRemoved, 'logout');
			const path = u => `${new URL(u).pathname}?${new URL(u).searchParams.get('redirect')?.replace(/^.*\/signed/, '/signed')}`;
			assert.equal(path(signOut), path(launched.at(-1)), 'the same sign-out page');
			assert.ok(signOut.startsWith(platform.platformUrl), signOut);
			assert.deepEqual(await ours.list(), []);
		} finally {
			onLaunch = () => {};
			cleanup();
		}
	});
});

describe('one home, both tools', () => {
	it('createSdkAuth lists and finds exactly what the SDK lists and finds, tokens included', async () => {
		const h = makeHome(platform);
		try {
			const sdk = new AmplifySDK(options(h, {}, { got: loopbackGot })).auth;
			for (const creds of [ SECRET, JWT ]) {
				await sdk.login(creds);
			}
			const ours = createSdkAuth(options(h));
			const theirsList = await sdk.list();
			assert.deepEqual(JSON.parse(JSON.stringify(await ours.list())), JSON.parse(JSON.stringify(theirsList)));
			for (const account of theirsList) {
				const mine = await ours.find(account.name);
				assert.equal(mine.auth.tokens.access_token, account.auth.tokens.access_token, 'the stored token is reused');
				assert.deepEqual(JSON.parse(JSON.stringify(mine)), JSON.parse(JSON.stringify(await sdk.find(account.name))));
			}
			const authList = await new Auth(options(h)).list();
			assert.deepEqual(JSON.parse(JSON.stringify(authList)), JSON.parse(JSON.stringify(await new SdkAuth(options(h, {}, { got: loopbackGot })).list())));
		} finally {
			h.cleanup();
		}
	});
});

after(() => {
	for (const url of blocked) {
		assert.match(url, /^https:\/\/platform\.axway\.com\/auth\/signout\?/);
	}
});

describe('per-instance memory stores', () => {
	it('each Auth has its own memory store, as in the SDK', async () => {
		for (const [ who, Impl ] of [ [ 'sdk', SdkAuth ], [ 'ours', Auth ] ]) {
			const opts = { tokenStoreType: 'memory', baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, realm: 'Broker', ...SECRET };
			const one = new Impl(who === 'sdk' ? { ...opts, got: loopbackGot } : opts);
			const two = new Impl(who === 'sdk' ? { ...opts, got: loopbackGot } : opts);
			const account = await one.login();
			assert.equal(typeof account.auth.tokens.access_token, 'string', who);
			assert.deepEqual((await one.list()).map(a => a.name), [ account.name ], `${who}: the first instance has it`);
			assert.deepEqual(await two.list(), [], `${who}: the second one does not`);
		}
	});
});

describe('argument checks in the SDK\'s order', () => {
	it('no token store: find() is null and logout() is [] before any other check; an unknown env comes first', async () => {
		for (const [ who, Impl ] of [ [ 'sdk', SdkAuth ], [ 'ours', Auth ] ]) {
			const none = new Impl({ tokenStoreType: null });
			assert.equal(await none.find({}), null, who);
			assert.deepEqual(await none.logout(), [], who);
		}
		await assertSameError(null, null, (_, who) => new (who === 'sdk' ? SdkAuth : Auth)({ tokenStoreType: 'memory', clientId: 'x' }).login({ env: 'foo' }), { code: false });
	});
});

describe('transport errors as the SDK reports them', () => {
	it('an unreachable server: Node\'s ECONNREFUSED code and message', async () => {
		const { createServer } = await import('node:net');
		const server = createServer();
		await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address();
		await new Promise(resolve => server.close(resolve));
		const opts = { tokenStoreType: 'memory', baseUrl: `http://127.0.0.1:${port}`, realm: 'Broker', ...SECRET };
		const failure = promise => promise.then(() => assert.fail('expected a rejection'), err => err);
		const theirs = await failure(new SdkAuth({ ...opts, got: loopbackGot }).login());
		const mine = await failure(new Auth(opts).login());
		// (the SDK's class is got's RequestError, an Error)
		assert.ok(mine instanceof Error);
		assert.equal(mine.code, theirs.code);
		assert.equal(mine.code, 'ECONNREFUSED');
		assert.equal(mine.axwayCode, 'ERR_UNREACHABLE');
		assert.equal(mine.message, theirs.message);
		assert.match(mine.message, new RegExp(`^connect ECONNREFUSED 127.0.0.1:${port}$`));
	});
});
