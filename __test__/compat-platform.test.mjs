// Cross-compatibility with the real JS SDK (@axway/amplify-sdk 3.2.16, a devDependency) on
// platform (browser, PKCE) accounts: both tools share one `~/.axway` (file token store), and
// each lists, refreshes and logs out the platform account the other logged in; the org/team
// defaults one writes to config.json are honoured by the other. Issue 3.
//
//   node --test __test__/compat-platform.test.mjs
//
// The SDK runs in this process against the local platform:
// - its `got` refuses anything off loopback (as in compat.test.mjs);
// - its `open` (the npm module that launches the desktop browser; the SDK's logout of a
//   platform account opens the *environment's* sign-out page, https://platform.axway.com for
//   prod) is replaced by a stub that records the URL: no browser is ever launched;
// - its manual PKCE login (`sdk.auth.login({ manual: true })`) is driven by a plain-HTTP user.
//   SDK 3.2.16 sends the browser to `{platformUrl}/#/auth/org.select?redirect=…`: the user
//   follows the path inside the fragment, as the platform page's script does.
// The platform's access tokens live 3 s, so "refreshed" is real; note that the SDK waits a fixed
// 3 s after the org selection before its own refresh.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import { api, apiOptions, makeHome, runCli, seed, usePlatform } from './helpers/env.mjs';
import { HttpBrowser, loginInBrowser } from './helpers/browser.mjs';
import { loopbackGot as sdkLoopbackGot } from './helpers/js-sdk.mjs';

const require = createRequire(import.meta.url);

// the stub for `open`, in place before the SDK is loaded
const launched = [];
const openPath = require.resolve('open', { paths: [ dirname(require.resolve('@axway/amplify-sdk')) ] });
require.cache[openPath] = {
	id: openPath,
	filename: openPath,
	loaded: true,
	exports: async url => {
		launched.push(url);
		return { unref() {}, on() {} };
	}
};
const { default: AmplifySDK } = require('@axway/amplify-sdk');

const { USERS, ORGS, TEAMS } = seed;
const { alice } = USERS;
const team = name => TEAMS.find(t => t.name === name);

const platform = usePlatform({ accessTtl: 3 });

// ---- helpers ---------------------------------------------------------------------------------

/** Every URL the SDK tried to reach off loopback (refused). */
const blocked = [];
const loopbackGot = sdkLoopbackGot(blocked);

/** The JS SDK, configured as the Axway CLI configures it (file token store). */
function jsSdk(h) {
	return new AmplifySDK({
		baseUrl: platform.baseUrl,
		platformUrl: platform.platformUrl,
		realm: 'Broker',
		clientId: 'amplify-cli',
		homeDir: h.homeDir,
		tokenStoreType: 'file',
		tokenRefreshThreshold: 900,
		env: 'prod',
		got: loopbackGot
	});
}

const sleep = ms => new Promise(r => setTimeout(r, ms));
const claims = jwt => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const names = accounts => accounts.map(a => a.name).sort();
const tokenRequestsSince = n => platform.state().tokenRequests.slice(n);

/** Waits until the access token of `account` has expired (plus a margin). */
async function untilExpired(account) {
	const wait = account.auth.expires.access - Date.now() + 300;
	assert.ok(wait < 5000, `the access token expires soon (in ${wait} ms)`);
	await sleep(Math.max(wait, 0));
}

/**
 * The user's side of SDK 3.2.16's PKCE login: the login form, then the SDK's redirect to
 * `{platformUrl}/#/auth/org.select?redirect=<its callback>`, then the org link.
 */
async function sdkUserLogin(url, user, { orgId, browser = new HttpBrowser() } = {}) {
	let page = await browser.follow(url);
	const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(page.text)?.[1];
	assert.ok(action, `a login form at ${page.url}`);
	page = await browser.follow(new URL(action.replaceAll('&amp;', '&'), page.url).href, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ login: user.email, password: user.password })
	});
	const landed = new URL(page.url);
	assert.match(landed.hash, /^#\/auth\/org\.select\?redirect=/, `the SDK sends the browser to the org select route: ${page.url}`);
	// what the page's script does: location.replace(location.hash.slice(1))
	page = await browser.follow(new URL(landed.hash.slice(1), landed.origin).href);
	const link = [ ...page.text.matchAll(/<a[^>]*class="[^"]*\borg\b[^"]*"[^>]*>/g) ].map(m => m[0]).find(l => l.includes(`data-org-id="${orgId}"`));
	assert.ok(link, `a link for org ${orgId} on ${page.url}`);
	const href = /href="([^"]+)"/.exec(link)[1].replaceAll('&amp;', '&');
	return browser.follow(new URL(href, page.url).href);
}

/** A platform login by the JS SDK, as `axway auth login --no-launch-browser` of the JS CLI does it. */
async function sdkLogin(h, user, orgId) {
	const sdk = jsSdk(h);
	const { url, loginAccount, cancel } = await sdk.auth.login({ manual: true });
	try {
		assert.equal(new URL(url).origin, platform.baseUrl);
		const [ account ] = await Promise.all([ loginAccount, sdkUserLogin(url, user, { orgId }) ]);
		assert.ok(account?.auth, 'the SDK resolved the account');
		return { sdk, account: await sdk.auth.loadSession(account) };
	} catch (err) {
		await cancel().catch(() => {});
		throw err;
	}
}

/** A platform login by axway-auth through its API. */
async function ourLogin(h, user, orgId) {
	let acting;
	const account = await api().login(apiOptions(h, {
		launchBrowser: false,
		onOpenBrowser: ({ url }) => { acting = loginInBrowser(url, user, { orgId }); }
	}));
	assert.match((await acting).text, /Authorization Successful!/);
	return account;
}

function assertStoreGone(h) {
	assert.equal(existsSync(h.storeFile), false, '~/.axway/axway-cli/.tokenstore.v2 is deleted');
	assert.equal(existsSync(h.v1StoreFile), false, '~/.axway/.tokenstore is deleted');
}

/** The fields both tools must agree on for one platform account. */
const essentials = a => ({
	name: a.name,
	hash: a.hash,
	authenticator: a.auth?.authenticator,
	clientId: a.auth?.clientId,
	baseUrl: a.auth?.baseUrl,
	realm: a.auth?.realm,
	env: a.auth?.env,
	orgGuid: a.org?.guid,
	orgId: a.org?.id,
	orgName: a.org?.name,
	orgs: a.orgs?.map(o => o.id).sort(),
	teamGuid: a.team?.guid,
	email: a.user?.email,
	isPlatform: a.isPlatform
});

// ---- the SDK logs in, axway-auth lists, refreshes and logs out -------------------------------

describe('platform account logged in by the JS SDK', () => {
	it('is listed, refreshed and logged out by axway-auth', { timeout: 30_000 }, async () => {
		const h = makeHome(platform);
		try {
			const { sdk, account: theirs } = await sdkLogin(h, alice, ORGS.beta.org_id);
			assert.equal(theirs.isPlatform, true);
			assert.equal(theirs.org.id, ORGS.beta.org_id);
			assert.equal(theirs.auth.authenticator, 'PKCE');

			// listed by axway-auth (the API and the command), the SDK's tokens reused
			const [ listed ] = await api().list(apiOptions(h, { validate: false }));
			assert.deepEqual(essentials(listed), essentials(theirs));
			assert.equal(listed.auth.tokens.access_token, theirs.auth.tokens.access_token);
			const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
			assert.equal(ls.code, 0, ls.stderr);
			assert.deepEqual(names(ls.json), [ theirs.name ]);
			assert.equal(ls.json[0].isPlatform, true);
			assert.equal(ls.json[0].org.id, ORGS.beta.org_id);

			// refreshed by axway-auth once the access token expired
			await untilExpired(theirs);
			const before = platform.state().tokenRequests.length;
			const [ refreshed ] = await api().list(apiOptions(h));
			assert.deepEqual(tokenRequestsSince(before).map(r => [ r.grantType, r.status ]), [ [ 'refresh_token', 200 ] ], 'axway-auth refreshed the SDK\'s account');
			assert.notEqual(refreshed.auth.tokens.access_token, theirs.auth.tokens.access_token);
			assert.ok(refreshed.auth.expires.access > Date.now());
			assert.equal(claims(refreshed.auth.tokens.access_token).orgId, ORGS.beta.org_id);
			assert.deepEqual(essentials(refreshed), essentials(theirs));

			// the SDK reads what axway-auth wrote
			const found = await sdk.auth.find(theirs.name);
			assert.equal(found?.auth.tokens.access_token, refreshed.auth.tokens.access_token, 'the SDK uses the refreshed token axway-auth stored');

			// logged out by axway-auth: revoked at the server, gone for both tools
			const opened = [];
			const removed = await api().logout(apiOptions(h, { accounts: [ theirs.name ], launchBrowser: false, onOpenBrowser: ({ url }) => { opened.push(url); } }));
			assert.deepEqual(removed.map(a => [ a.name, a.revoked ]), [ [ theirs.name, 'server' ] ]);
			assert.equal(opened.length, 1, 'the platform sign-out page');
			assertStoreGone(h);
			assert.deepEqual(await jsSdk(h).auth.list(), []);
			assert.equal(await jsSdk(h).auth.find(theirs.name), null);
			assert.deepEqual(blocked, [], 'the SDK never left loopback');
		} finally {
			h.cleanup();
		}
	});
});

// ---- axway-auth logs in, the SDK lists, refreshes and logs out -------------------------------

describe('platform account logged in by axway-auth', () => {
	it('is listed, refreshed and logged out by the JS SDK', { timeout: 30_000 }, async () => {
		const h = makeHome(platform);
		try {
			const ours = await ourLogin(h, alice, ORGS.beta.org_id);
			const sdk = jsSdk(h);

			// listed by the SDK, our token reused
			const listed = await sdk.auth.list({ validate: true });
			assert.deepEqual(names(listed), [ ours.name ]);
			assert.deepEqual(essentials(listed[0]), essentials(ours));
			assert.equal(listed[0].auth.tokens.access_token, ours.auth.tokens.access_token, 'the SDK reuses the stored token');

			// refreshed by the SDK once the access token expired
			await untilExpired(ours);
			const before = platform.state().tokenRequests.length;
			const found = await sdk.auth.find(ours.name);
			assert.deepEqual(tokenRequestsSince(before).map(r => [ r.grantType, r.status ]), [ [ 'refresh_token', 200 ] ], 'the SDK refreshed axway-auth\'s account');
			assert.notEqual(found.auth.tokens.access_token, ours.auth.tokens.access_token);
			assert.deepEqual(essentials(found), essentials(ours));

			// axway-auth reads what the SDK wrote
			const [ again ] = await api().list(apiOptions(h, { validate: false }));
			assert.equal(again.auth.tokens.access_token, found.auth.tokens.access_token, 'axway-auth uses the token the SDK refreshed');
			assert.equal(again.org.id, ORGS.beta.org_id);

			// logged out by the SDK (it "opens" the sign-out page: the stub records it)
			launched.length = 0;
			const revoked = await sdk.auth.logout({ accounts: [ ours.name ] });
			assert.deepEqual(names(revoked), [ ours.name ]);
			assert.equal(launched.length, 1, 'the SDK opened its sign-out page (stubbed)');
			assertStoreGone(h);
			assert.deepEqual(await api().list(apiOptions(h)), []);
			const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
			assert.deepEqual(ls.json, []);
			assert.deepEqual(blocked, [], 'the SDK never left loopback');
		} finally {
			h.cleanup();
		}
	});
});

// ---- org/team defaults in config.json --------------------------------------------------------

describe('org and team defaults', () => {
	it('set by `axway auth switch --team` are honoured by the JS SDK\'s list and find', async () => {
		const h = makeHome(platform);
		try {
			const ours = await ourLogin(h, alice, ORGS.acme.org_id);
			assert.equal(ours.team.guid, team('Default Team').guid, 'the default team first');

			// (a desktop session: the command refuses to switch platform accounts when headless;
			// a team switch opens no browser, and BROWSER=true would swallow one if it did)
			const r = await runCli([ 'auth', 'switch', '--team', 'Platform Team' ], { home: h, env: { DISPLAY: ':0', BROWSER: 'true' } });
			assert.equal(r.code, 0, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
			const { auth } = h.config();
			assert.equal(auth.defaultAccount, ours.name);
			assert.equal(auth.defaultOrg?.[ours.hash], ORGS.acme.guid, 'auth.defaultOrg.<hash>: the org guid, as the JS CLI writes it');
			assert.equal(auth.defaultTeam?.[ours.hash], team('Platform Team').guid, 'auth.defaultTeam.<hash>: the team guid, as the JS CLI writes it');

			const sdk = jsSdk(h);
			const listed = await sdk.auth.list({ validate: true, defaultTeams: auth.defaultTeam });
			assert.deepEqual(names(listed), [ ours.name ]);
			assert.equal(listed[0].team?.guid, team('Platform Team').guid, 'the SDK\'s list picks the team axway-auth chose');
			assert.equal(listed[0].org.guid, ORGS.acme.guid);
			const found = await sdk.auth.find(ours.name, auth.defaultTeam);
			assert.equal(found.team?.guid, team('Platform Team').guid, 'the SDK\'s find too');
			assert.equal(found.team.name, 'Platform Team');
		} finally {
			h.cleanup();
		}
	});

	it('set the JS CLI\'s way (config.json) for an SDK login are honoured by axway-auth\'s list, whoami and ls', { timeout: 30_000 }, async () => {
		const h = makeHome(platform);
		try {
			const { account: theirs } = await sdkLogin(h, alice, ORGS.acme.org_id);
			assert.equal(theirs.org.id, ORGS.acme.org_id);
			assert.equal(theirs.team.guid, team('Default Team').guid);

			// what the JS CLI's `axway auth switch --team "Platform Team"` writes
			const config = h.config();
			config.auth.defaultAccount = theirs.name;
			config.auth.defaultOrg = { [theirs.hash]: ORGS.acme.guid };
			config.auth.defaultTeam = { [theirs.hash]: team('Platform Team').guid };
			writeFileSync(h.configFile, JSON.stringify(config, null, 2));

			const [ listed ] = await api().list(apiOptions(h));
			assert.equal(listed.name, theirs.name);
			assert.equal(listed.default, true, 'auth.defaultAccount is honoured');
			assert.equal(listed.team?.guid, team('Platform Team').guid, 'auth.defaultTeam.<hash> is honoured by list');
			assert.equal(listed.org.guid, ORGS.acme.guid);
			const me = await api().whoami(apiOptions(h));
			assert.equal(me?.team?.guid, team('Platform Team').guid, 'and by whoami');

			const ls = await runCli([ 'auth', 'ls' ], { home: h });
			assert.equal(ls.code, 0, ls.stderr);
			assert.match(ls.stdout, new RegExp(`✔ ${theirs.name.replace(/[.]/g, '\\.')}\\s+Acme Corp \\(100\\)\\s+Platform Team \\(${team('Platform Team').guid}\\)`));
			const who = await runCli([ 'auth', 'whoami' ], { home: h });
			assert.equal(who.code, 0, who.stderr);
			assert.match(who.stdout, new RegExp(`✔ Platform Team\\s+${team('Platform Team').guid}`));
		} finally {
			h.cleanup();
		}
	});
});
