// Cross-compatibility with the real JS SDK (@axway/amplify-sdk 3.2.16, a devDependency): both
// tools share one `~/.axway` (file token store), and each must read, list and log out what the
// other wrote. Spec sections 2 (SDK API), 3.6 (hash), 5 (token stores) and 12 (contract).
//
//   node --test __test__/compat.test.mjs
//
// The SDK runs in this process against the local platform. Its `got` is wrapped so it can never
// leave loopback: on logout of a service account the SDK sends a best-effort sign-out to the
// *environment's* platform URL (https://platform.axway.com for prod), which we refuse here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { api, apiOptions, decodeStoreFile, makeHome, runCli, seed, usePlatform } from './helpers/env.mjs';
import { loopbackGot as sdkLoopbackGot } from './helpers/js-sdk.mjs';

const require = createRequire(import.meta.url);
const { default: AmplifySDK, FileStore } = require('@axway/amplify-sdk');

const { SERVICE_ACCOUNTS, JWT_CLIENT_KEY, ORGS, TEAMS } = seed;
const SECRET = { clientId: SERVICE_ACCOUNTS.secret.clientId, clientSecret: SERVICE_ACCOUNTS.secret.clientSecret };
const JWT = { clientId: SERVICE_ACCOUNTS.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 };
const DEFAULT_TEAM = Object.fromEntries(TEAMS.filter(t => t.default).map(t => [ t.org_id, t ]));

const platform = usePlatform();

// ---- helpers ---------------------------------------------------------------------------------

/** Every URL the SDK tried to reach off loopback (refused). */
const blocked = [];
const loopbackGot = sdkLoopbackGot(blocked);

/** The JS SDK, configured as the Axway CLI configures it (tokenStoreType file: keytar is not built). */
function jsSdk(h, creds = {}, more = {}) {
	return new AmplifySDK({
		baseUrl: platform.baseUrl,
		platformUrl: platform.platformUrl,
		realm: 'Broker',
		homeDir: h.homeDir,
		tokenStoreType: 'file',
		tokenRefreshThreshold: 900,
		env: 'prod',
		serviceAccount: !!creds.clientSecret,
		got: loopbackGot,
		...creds,
		...more
	});
}

const decodeStore = file => decodeStoreFile(file);

/** As stored and printed: JSON drops the SDK's in-memory `undefined` properties. */
const json = value => JSON.parse(JSON.stringify(value));
const names = accounts => accounts.map(a => a.name).sort();
const byName = (accounts, name) => accounts.find(a => a.name === name);

/** The fields both tools must agree on for one account. */
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
	teamGuid: a.team?.guid,
	isPlatform: a.isPlatform
});

/** What the seed says a service account's session looks like. */
function expectedFor(sa) {
	const org = Object.values(ORGS).find(o => o.org_id === sa.org_id);
	return { org, team: DEFAULT_TEAM[sa.org_id] };
}

function assertStoreGone(h) {
	assert.equal(existsSync(h.storeFile), false, '~/.axway/axway-cli/.tokenstore.v2 is deleted');
	assert.equal(existsSync(h.v1StoreFile), false, '~/.axway/.tokenstore is deleted');
}

/** Spec 3.6, computed independently: `<clientId>:md5(JSON {baseUrl, [env], realm, ...params})`. */
function specHash(clientId, { baseUrl, env = 'prod', realm = 'Broker' }, params) {
	const json = JSON.stringify({ baseUrl, ...(env === 'prod' ? {} : { env }), realm, ...params });
	return `${clientId.replace(/\s/g, '_').replace(/_+/g, '_')}:${createHash('md5').update(json).digest('hex')}`;
}

/** A copy of a stored record with the per-login values (token, expiry instant) blanked. */
function stable(record) {
	const r = structuredClone(record);
	assert.equal(typeof r.auth.tokens.access_token, 'string');
	assert.equal(typeof r.auth.expires.access, 'number');
	r.auth.tokens.access_token = '<access token>';
	r.auth.expires.access = '<ms>';
	return r;
}

/** Sorted key paths of a JSON value (array items merged), for shape comparisons. */
function keyPaths(value, prefix = '') {
	if (Array.isArray(value)) {
		return [ ...new Set(value.flatMap(v => keyPaths(v, `${prefix}[]`))) ].sort();
	}
	if (value && typeof value === 'object') {
		return Object.keys(value).flatMap(k => [ `${prefix}${k}`, ...keyPaths(value[k], `${prefix}${k}.`) ]).sort();
	}
	return [];
}

// ---- 1 & 2: the SDK logs in, axway-auth lists, shows and logs out ----------------------------

const KINDS = [
	{ kind: 'client secret', creds: SECRET, sa: SERVICE_ACCOUNTS.secret, authenticator: 'ClientSecret' },
	{ kind: 'signed JWT', creds: JWT, sa: SERVICE_ACCOUNTS.jwt, authenticator: 'SignedJWT' }
];

for (const { kind, creds, sa, authenticator } of KINDS) {
	describe(`${kind} account logged in by the JS SDK`, () => {
		for (const via of [ 'api', 'cli' ]) {
			it(`is listed and shown by axway-auth, then logged out by axway-auth (${via})`, async () => {
				const h = makeHome(platform);
				try {
					const sdk = jsSdk(h, creds);
					const sdkAccount = await sdk.auth.login();
					const { org, team } = expectedFor(sa);
					assert.equal(sdkAccount.auth.authenticator, authenticator);
					assert.equal(sdkAccount.org.guid, org.guid);
					assert.equal(sdkAccount.team.guid, team.guid);
					assert.ok(existsSync(h.storeFile) && existsSync(h.v1StoreFile), 'the SDK wrote both store files');
					const [ sdkListed ] = await sdk.auth.list({ validate: true });

					// axway-auth's API
					const listed = await api().list(apiOptions(h));
					assert.deepEqual(names(listed), [ sdkAccount.name ]);
					const ours = listed[0];
					assert.deepEqual(essentials(ours), essentials(sdkAccount));
					assert.deepEqual(essentials(ours), essentials(sdkListed));
					assert.equal(ours.auth.tokens.access_token, sdkAccount.auth.tokens.access_token, 'the stored token is reused, not a new login');
					assert.deepEqual(ours.auth.expires, sdkAccount.auth.expires);
					assert.deepEqual(ours.orgs, json(sdkAccount.orgs));
					assert.deepEqual(ours.team, json(sdkAccount.team));
					assert.deepEqual(ours.user, json(sdkAccount.user));
					assert.equal(ours.default, false, 'no auth.defaultAccount in config.json');
					assert.equal(ours.auth.clientSecret, undefined);
					assert.equal(ours.auth.secret, undefined);

					// axway-auth's CLI
					const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
					assert.equal(ls.code, 0, ls.stderr);
					assert.ok(Array.isArray(ls.json), ls.stdout);
					assert.deepEqual(names(ls.json), [ sdkAccount.name ]);
					assert.deepEqual(essentials(ls.json[0]), essentials(sdkAccount));

					// whoami, through the API and the CLI
					const me = await api().whoami(apiOptions(h));
					assert.ok(me, 'whoami finds the SDK account');
					assert.deepEqual(essentials(me), essentials(sdkAccount));
					const named = await api().whoami(apiOptions(h, { accountName: sdkAccount.name }));
					assert.equal(named?.hash, sdkAccount.hash);
					const who = await runCli([ 'auth', 'whoami', '--json' ], { home: h });
					assert.equal(who.code, 0, who.stderr);
					assert.deepEqual(names(who.json), [ sdkAccount.name ]);

					// axway-auth rewrote the store during its validating list: the SDK still reads it
					const found = await sdk.auth.find(sdkAccount.name);
					assert.equal(found?.hash, sdkAccount.hash, 'the SDK still finds the account after axway-auth rewrote the store');
					assert.equal(found.org.guid, org.guid);

					// logout by axway-auth
					if (via === 'api') {
						const removed = await api().logout(apiOptions(h, { accounts: [ sdkAccount.name ] }));
						assert.deepEqual(names(removed), [ sdkAccount.name ]);
						assert.equal(removed[0].hash, sdkAccount.hash);
					} else {
						const out = await runCli([ 'auth', 'logout', sdkAccount.name, '--json' ], { home: h });
						assert.equal(out.code, 0, out.stderr);
						assert.ok(Array.isArray(out.json), out.stdout);
						assert.deepEqual(names(out.json), [ sdkAccount.name ]);
						assert.equal(out.json[0].hash, sdkAccount.hash);
					}
					assertStoreGone(h);
					const fresh = jsSdk(h);
					assert.deepEqual(await fresh.auth.list(), []);
					assert.deepEqual(await fresh.auth.list({ validate: true }), []);
					assert.equal(await fresh.auth.find(sdkAccount.name), null);
					assert.deepEqual(await api().list(apiOptions(h)), []);
				} finally {
					h.cleanup();
				}
			});
		}
	});
}

// ---- 3: axway-auth logs in, the SDK lists, finds and logs out --------------------------------

for (const { kind, creds, sa, authenticator } of KINDS) {
	describe(`${kind} account logged in by axway-auth`, () => {
		for (const how of [ 'accounts', 'all' ]) {
			it(`is listed and found by the JS SDK, then logged out by the JS SDK (${how})`, async () => {
				const h = makeHome(platform);
				try {
					const ours = await api().login(apiOptions(h, creds));
					const { org, team } = expectedFor(sa);
					assert.equal(ours.auth.authenticator, authenticator);
					assert.equal(ours.org.guid, org.guid);
					assert.equal(ours.team.guid, team.guid);
					assert.ok(existsSync(h.storeFile), 'axway-auth wrote ~/.axway/axway-cli/.tokenstore.v2');
					assert.ok(existsSync(h.v1StoreFile), 'axway-auth wrote ~/.axway/.tokenstore');

					const sdk = jsSdk(h); // no credentials: it only reads the store
					const raw = await sdk.authClient.list();
					assert.deepEqual(names(raw), [ ours.name ], 'the SDK decodes the store axway-auth wrote');
					const listed = await sdk.auth.list({ validate: true });
					assert.deepEqual(names(listed), [ ours.name ]);
					const { default: _default, ...oursNoDefault } = ours;
					assert.equal(_default, true, 'the only account is the default');
					assert.deepEqual(essentials(listed[0]), essentials(oursNoDefault));
					assert.equal(listed[0].auth.tokens.access_token, ours.auth.tokens.access_token, 'the SDK reuses the stored token');

					const found = await sdk.auth.find(ours.name);
					assert.ok(found, 'sdk.auth.find(name) finds the axway-auth account');
					assert.deepEqual(essentials(found), essentials(oursNoDefault));
					assert.deepEqual(json(found.orgs), ours.orgs);
					assert.deepEqual(json(found.team), ours.team);
					const byHash = await sdk.auth.find(ours.hash);
					assert.equal(byHash?.name, ours.name, 'sdk.auth.find(hash) works too');

					const revoked = how === 'all'
						? await sdk.auth.logout({ all: true })
						: await sdk.auth.logout({ accounts: [ ours.name ] });
					assert.deepEqual(names(revoked), [ ours.name ]);
					assertStoreGone(h);
					assert.deepEqual(await api().list(apiOptions(h)), []);
					assert.equal(await api().whoami(apiOptions(h)), null);
					const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
					assert.equal(ls.code, 0, ls.stderr);
					assert.deepEqual(ls.json, []);
				} finally {
					h.cleanup();
				}
			});
		}
	});
}

// ---- 4: both tools in one home; the v1 mirror ------------------------------------------------

describe('one account per tool in the same home', () => {
	it('both tools list both accounts, and the v1 mirror matches what the SDK writes', async () => {
		const h = makeHome(platform);
		const scratch = mkdtempSync(join(tmpdir(), 'axway-auth-compat-v1-'));
		try {
			const sdk = jsSdk(h, SECRET);
			const sdkAccount = await sdk.auth.login();
			const sdkV1Before = decodeStore(h.v1StoreFile);
			assert.equal(sdkV1Before.length, 1);

			const ours = await api().login(apiOptions(h, JWT));
			assert.notEqual(ours.name, sdkAccount.name);
			const both = [ sdkAccount.name, ours.name ].sort();

			// both tools list both
			assert.deepEqual(names(await api().list(apiOptions(h))), both);
			const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
			assert.equal(ls.code, 0, ls.stderr);
			assert.deepEqual(names(ls.json), both);
			const sdkListed = await jsSdk(h).auth.list({ validate: true });
			assert.deepEqual(names(sdkListed), both);
			assert.deepEqual(essentials(byName(sdkListed, ours.name)), essentials(ours));

			// the store files as axway-auth last wrote them (its validating list rewrites them)
			await api().list(apiOptions(h));
			const v2 = decodeStore(h.storeFile);
			const v1 = decodeStore(h.v1StoreFile);
			assert.deepEqual(names(v2), both);
			assert.deepEqual(names(v1), both);
			if (process.platform !== 'win32') {
				assert.equal(statSync(h.storeFile).mode & 0o777, 0o600);
				assert.equal(statSync(h.v1StoreFile).mode & 0o777, 0o600);
			}

			// the SDK's own FileStore, fed the same v2 records, writes exactly this v1 file
			await new FileStore({ homeDir: scratch }).save(v2);
			const sdkV1 = decodeStore(join(scratch, '.tokenstore'));
			assert.deepEqual(decodeStore(join(scratch, 'axway-cli', '.tokenstore.v2')), v2);
			for (const name of both) {
				const mine = byName(v1, name);
				const theirs = byName(sdkV1, name);
				assert.deepEqual(Object.keys(mine).sort(), Object.keys(theirs).sort(), `v1 keys of ${name}`);
				assert.deepEqual(keyPaths(mine), keyPaths(theirs), `v1 key paths of ${name}`);
				assert.deepEqual(mine, theirs, `v1 record of ${name}`);
			}

			// the flattened v1 shape, spelled out for axway-auth's own account
			const mine = byName(v1, ours.name);
			assert.equal(mine.auth, undefined, 'v1 has no auth object');
			assert.equal(mine.authenticator, 'SignedJWT');
			assert.equal(mine.clientId, JWT.clientId);
			assert.equal(mine.baseUrl, platform.baseUrl);
			assert.equal(mine.realm, 'Broker');
			assert.equal(mine.env, 'prod');
			assert.equal(typeof mine.expires.access, 'number');
			assert.equal(typeof mine.tokens.access_token, 'string');
			assert.equal(mine.org.org_id, ORGS.beta.org_id);
			assert.equal('id' in mine.org, false, 'v1 org has org_id, not id');
			assert.deepEqual(mine.orgs.map(o => [ o.org_id, 'id' in o ]), [ [ ORGS.beta.org_id, false ] ]);

			// the SDK's record kept its v1 shape through axway-auth's rewrite
			const before = sdkV1Before[0];
			const afterRewrite = byName(v1, sdkAccount.name);
			assert.deepEqual(keyPaths(afterRewrite), keyPaths(before), 'the SDK account\'s v1 key paths are unchanged');
			assert.equal(afterRewrite.hash, before.hash);
			assert.equal(afterRewrite.tokens.access_token, before.tokens.access_token);
			assert.equal(afterRewrite.org.org_id, ORGS.acme.org_id);

			// each tool logs out the other's account
			assert.deepEqual(names(await jsSdk(h).auth.logout({ accounts: [ ours.name ] })), [ ours.name ]);
			assert.deepEqual(names(await api().list(apiOptions(h))), [ sdkAccount.name ]);
			assert.deepEqual(names(decodeStore(h.v1StoreFile)), [ sdkAccount.name ]);
			assert.deepEqual(names(await api().logout(apiOptions(h, { accounts: [ sdkAccount.name ] }))), [ sdkAccount.name ]);
			assertStoreGone(h);
			assert.deepEqual(await jsSdk(h).auth.list(), []);
		} finally {
			h.cleanup();
			rmSync(scratch, { recursive: true, force: true });
		}
	});
});

// ---- 5: the account hash ---------------------------------------------------------------------

describe('account hash', () => {
	const CASES = [
		{ label: 'client secret', creds: SECRET, params: () => ({ clientSecret: SECRET.clientSecret }) },
		{ label: 'signed JWT, PKCS#8 key', creds: JWT, params: () => ({ secret: readFileSync(JWT_CLIENT_KEY.pkcs8, 'utf8') }) },
		{ label: 'signed JWT, PKCS#1 key', creds: { ...JWT, secretFile: JWT_CLIENT_KEY.pkcs1 }, params: () => ({ secret: readFileSync(JWT_CLIENT_KEY.pkcs1, 'utf8') }) },
		{ label: 'client secret, staging env', creds: SECRET, env: 'staging', params: () => ({ clientSecret: SECRET.clientSecret }) },
		{ label: 'client secret, base URL with a trailing slash', creds: SECRET, slash: true, params: () => ({ clientSecret: SECRET.clientSecret }) }
	];
	for (const { label, creds, env = 'prod', slash, params } of CASES) {
		it(`axway-auth computes the JS SDK's hash (${label})`, async () => {
			const hSdk = makeHome(platform);
			const hOurs = makeHome(platform);
			try {
				const baseUrl = slash ? `${platform.baseUrl}/` : platform.baseUrl;
				const sdkAccount = await jsSdk(hSdk, creds, { baseUrl, env }).auth.login();
				const ours = await api().login(apiOptions(hOurs, { ...creds, baseUrl, env }));
				const expected = specHash(creds.clientId, { baseUrl, env }, params());
				assert.equal(sdkAccount.hash, expected, 'the SDK follows spec 3.6 (sanity check of this test)');
				assert.equal(ours.hash, sdkAccount.hash);
				assert.equal(ours.name, sdkAccount.name);
				assert.equal(ours.auth.baseUrl, sdkAccount.auth.baseUrl, 'auth.baseUrl is stored exactly as configured (spec 2.4)');
				assert.equal(ours.auth.env, sdkAccount.auth.env);
			} finally {
				hSdk.cleanup();
				hOurs.cleanup();
			}
		});
	}

	it('the SDK treats an axway-auth login as the same account (EAUTHENTICATED), and vice versa', async () => {
		const h = makeHome(platform);
		try {
			const ours = await api().login(apiOptions(h, SECRET));
			await assert.rejects(jsSdk(h, SECRET).auth.login(), err => {
				assert.equal(err.code, 'EAUTHENTICATED');
				assert.equal(err.account?.hash, ours.hash);
				return true;
			});
			const sdkAccount = await jsSdk(h, JWT).auth.login();
			await assert.rejects(api().login(apiOptions(h, JWT)), err => {
				assert.equal(err.code, 'EAUTHENTICATED');
				assert.equal(err.account?.hash, sdkAccount.hash);
				return true;
			});
			assert.equal(decodeStore(h.storeFile).length, 2, 'no duplicate records');
		} finally {
			h.cleanup();
		}
	});
});

// ---- the stored record ------------------------------------------------------------------------

describe('stored account record', () => {
	for (const { kind, creds } of KINDS) {
		it(`axway-auth stores the record the JS SDK stores for the same login (${kind})`, async () => {
			const hSdk = makeHome(platform);
			const hOurs = makeHome(platform);
			try {
				await jsSdk(hSdk, creds).auth.login();
				await api().login(apiOptions(hOurs, creds));
				const [ theirs ] = decodeStore(hSdk.storeFile);
				const [ mine ] = decodeStore(hOurs.storeFile);
				assert.deepEqual(keyPaths(mine), keyPaths(theirs), 'same key paths');
				// auth.tokens is the raw token endpoint response (spec 2.4)
				assert.deepEqual(stable(mine).auth.tokens, stable(theirs).auth.tokens, 'auth.tokens');
				assert.deepEqual(stable(mine), stable(theirs));
			} finally {
				hSdk.cleanup();
				hOurs.cleanup();
			}
		});
	}
});

// ---- 6: the default account in config.json ---------------------------------------------------

describe('default account', () => {
	it('a first login by axway-auth writes the config keys the JS CLI writes', async () => {
		const h = makeHome(platform, {}, { network: { strictSSL: true }, custom: { keep: [ 1, 2 ] } });
		try {
			const ours = await api().login(apiOptions(h, JWT));
			assert.equal(ours.default, true);

			// what the JS CLI would write, from the SDK's view of the account (spec 1.4 step 6)
			const seen = await jsSdk(h).auth.find(ours.name);
			assert.ok(seen, 'the SDK finds the account');
			const config = h.config();
			assert.equal(config.auth.defaultAccount, seen.name);
			assert.deepEqual(config.auth.defaultOrg, { [seen.hash]: seen.org.guid });
			assert.deepEqual(config.auth.defaultTeam, { [seen.hash]: seen.team.guid });
			assert.equal(config.auth.defaultOrg[seen.hash], ORGS.beta.guid);
			assert.equal(config.auth.defaultTeam[seen.hash], DEFAULT_TEAM[ORGS.beta.org_id].guid);
			// unknown keys and the settings makeHome wrote survive, in 2-space JSON
			assert.deepEqual(config.network, { strictSSL: true });
			assert.deepEqual(config.custom, { keep: [ 1, 2 ] });
			assert.equal(config.auth.tokenStoreType, 'file');
			assert.equal(config.auth.baseUrl, platform.baseUrl);
			assert.equal(readFileSync(h.configFile, 'utf8').trimEnd(), JSON.stringify(config, null, 2));

			const listed = await api().list(apiOptions(h));
			assert.deepEqual(listed.map(a => [ a.name, a.default ]), [ [ ours.name, true ] ]);
			const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
			assert.equal(ls.code, 0, ls.stderr);
			assert.deepEqual(ls.json.map(a => [ a.name, a.default ]), [ [ ours.name, true ] ]);

			// a second account (logged in by the SDK) does not take the default
			const sdkAccount = await jsSdk(h, SECRET).auth.login();
			const again = await api().list(apiOptions(h));
			assert.deepEqual(again.map(a => [ a.name, a.default ]).sort(), [ [ ours.name, true ], [ sdkAccount.name, false ] ].sort());
			assert.equal(h.config().auth.defaultAccount, ours.name);
		} finally {
			h.cleanup();
		}
	});

	it('axway-auth honours the default account the JS CLI configured', async () => {
		const h = makeHome(platform);
		try {
			const a = await jsSdk(h, SECRET).auth.login();
			const b = await jsSdk(h, JWT).auth.login();
			// as `axway auth switch` / the JS CLI's login would leave config.json
			const config = h.config();
			config.auth.defaultAccount = b.name;
			config.auth.defaultOrg = { [b.hash]: b.org.guid };
			config.auth.defaultTeam = { [b.hash]: b.team.guid };
			writeFileSync(h.configFile, JSON.stringify(config, null, 2));

			const listed = await api().list(apiOptions(h));
			assert.deepEqual(listed.map(x => [ x.name, x.default ]).sort(), [ [ a.name, false ], [ b.name, true ] ].sort());
			const me = await api().whoami(apiOptions(h));
			assert.equal(me?.name, b.name, 'whoami shows the configured default account');
			assert.equal(me.default, true);
		} finally {
			h.cleanup();
		}
	});
});

after(() => {
	// The SDK only ever tried to reach the environment's own sign-out page (its best-effort
	// logout of service accounts); anything else would mean a misconfigured SDK in this file.
	for (const url of blocked) {
		assert.match(url, /^https:\/\/platform\.axway\.com\/auth\/signout\?/);
	}
});
