// The SDK's authenticator classes (`Authenticator`, `ClientSecret`, `SignedJWT`, `PKCE`,
// `OwnerPassword`) and `Auth.createAuthenticator` / `Auth.applyDefaults`, run against both this
// package and the real JS SDK (@axway/amplify-sdk 3.2.16): constructor validation (class, code,
// message), the properties callers read (hash, endpoints, env, platformUrl), and logging in with
// an authenticator instance against the local platform.
//
//   node --test __test__/sdk-authenticators.test.mjs
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { makeHome, seed, usePlatform } from './helpers/env.mjs';
import { loopbackGot } from './helpers/js-sdk.mjs';
import { assertExpiredGetter, assertSame, assertSameError } from './helpers/compare.mjs';

const require = createRequire(import.meta.url);
const sdk = require('@axway/amplify-sdk');
const ours = require('..');
const both = { sdk, ours };

const { SERVICE_ACCOUNTS, JWT_CLIENT_KEY } = seed;
const CLASSES = [ 'Authenticator', 'ClientSecret', 'SignedJWT', 'PKCE', 'OwnerPassword' ];
const FUNCTIONS = [ 'environments', 'getEndpoints' ];
const SITE = { baseUrl: 'http://127.0.0.1:1', clientId: 'c', realm: 'R' };

describe('authenticator exports', () => {
	it('are classes, exported from the package root for require and import, with the SDK grant types', async () => {
		const esm = await import('axway-auth');
		for (const name of CLASSES) {
			assert.equal(typeof ours[name], 'function', `${name} is exported`);
			assert.equal(esm[name], ours[name], `${name} is the same for import`);
			if (name !== 'Authenticator') {
				assert.ok(ours[name].prototype instanceof ours.Authenticator, `${name} extends Authenticator`);
			}
		}
		for (const name of FUNCTIONS) {
			assert.ok(ours[name], `${name} is exported`);
			assert.equal(esm[name], ours[name], `${name} is the same for import`);
		}
		assert.deepEqual({ ...ours.Authenticator.GrantTypes }, { ...sdk.Authenticator.GrantTypes });
	});
});

describe('environments and getEndpoints', () => {
	it('resolve environments and aliases as the SDK does (preprod is its own environment here)', () => {
		for (const name of [ undefined, '', 'prod', 'production', 'PROD', 'staging', 'test', 'dev', 'development' ]) {
			assert.deepEqual(ours.environments.resolve(name), sdk.environments.resolve(name), String(name));
		}
		assert.equal(ours.environments.resolve('preprod').name, 'preprod');
		const { preprod, ...shared } = ours.environments.environments;
		assert.deepEqual(shared, sdk.environments.environments);
		assert.ok(preprod.baseUrl.startsWith('https://'));
	});

	it('reject what the SDK rejects', async () => {
		for (const bad of [ 42, 'mars' ]) {
			await assertSameError(null, null, (_, who) => both[who].environments.resolve(bad), { code: false });
		}
		for (const bad of [ undefined, {}, { baseUrl: 'http://x' }, { baseUrl: 3, realm: 'R' }, { baseUrl: 'http://x', realm: '' } ]) {
			await assertSameError(null, null, (_, who) => both[who].getEndpoints(bad));
		}
	});

	it('getEndpoints builds the same URLs', () => {
		for (const params of [ { baseUrl: 'http://127.0.0.1:1', realm: 'R' }, { baseUrl: 'https://login.example.com/', realm: 'Broker' } ]) {
			assert.deepEqual(ours.getEndpoints(params), sdk.getEndpoints(params));
		}
	});
});

describe('authenticator constructors', () => {
	const cases = [
		[ 'ClientSecret', 'options not an object', 'foo' ],
		[ 'ClientSecret', 'no client secret', {} ],
		[ 'ClientSecret', 'a non-string client secret', { clientSecret: 42 } ],
		[ 'ClientSecret', 'no base URL', { clientSecret: 's' } ],
		[ 'ClientSecret', 'no client id', { clientSecret: 's', baseUrl: 'http://x' } ],
		[ 'ClientSecret', 'no realm', { clientSecret: 's', baseUrl: 'http://x', clientId: 'c' } ],
		[ 'ClientSecret', 'a non-string scope', { clientSecret: 's', ...SITE, scope: 3 } ],
		[ 'ClientSecret', 'endpoints not an object', { clientSecret: 's', ...SITE, endpoints: 'x' } ],
		[ 'ClientSecret', 'an empty endpoint URL', { clientSecret: 's', ...SITE, endpoints: { token: '' } } ],
		[ 'ClientSecret', 'an unknown endpoint', { clientSecret: 's', ...SITE, endpoints: { foo: 'http://x' } } ],
		[ 'ClientSecret', 'a token store that is not one', { clientSecret: 's', ...SITE, tokenStore: {} } ],
		[ 'PKCE', 'a non-string environment', { ...SITE, env: 42 } ],
		[ 'OwnerPassword', 'no username', { password: 'p', ...SITE } ],
		[ 'OwnerPassword', 'a non-string password', { username: 'u', password: 1, ...SITE } ],
		[ 'SignedJWT', 'neither secret nor file', { ...SITE } ],
		[ 'SignedJWT', 'a non-string secret', { secret: 42, ...SITE } ],
		[ 'SignedJWT', 'a non-string file', { secretFile: 42, ...SITE } ],
		[ 'SignedJWT', 'a missing file', { secretFile: '/nonexistent/key.pem', ...SITE } ],
		[ 'SignedJWT', 'a directory', { secretFile: '/tmp', ...SITE } ],
		[ 'SignedJWT', 'a file that is not PEM', { secretFile: '/etc/hostname', ...SITE } ],
		[ 'SignedJWT', 'a secret that is not PEM', { secret: 'not a key', ...SITE } ]
	];
	for (const [ name, label, opts ] of cases) {
		it(`${name}: ${label} is rejected as the SDK rejects it`, async () => {
			await assertSameError(null, null, (_, who) => new both[who][name](opts));
		});
	}

	it('an unknown environment is rejected with the SDK\'s message (and our code)', async () => {
		const { mine } = await assertSameError(null, null, (_, who) => new both[who].PKCE({ ...SITE, env: 'mars' }), { code: false });
		assert.equal(mine.code, 'ERR_INVALID_ENVIRONMENT');
	});

	it('expose the same settings, endpoints and account hash', () => {
		const pem = JWT_CLIENT_KEY.pkcs8;
		const cases = [
			[ 'ClientSecret', { clientSecret: 's', ...SITE } ],
			[ 'ClientSecret', { clientSecret: 's', ...SITE, env: 'staging', serviceAccount: true, platformUrl: 'http://p' } ],
			[ 'ClientSecret', { clientSecret: 's', ...SITE, endpoints: { token: 'http://t/token' }, scope: 'openid email' } ],
			[ 'PKCE', { ...SITE, env: 'dev' } ],
			[ 'PKCE', { ...SITE, baseUrl: 'http://127.0.0.1:1/' } ],
			[ 'SignedJWT', { secretFile: pem, ...SITE } ],
			[ 'OwnerPassword', { username: 'u@example.com', password: 'p', ...SITE } ]
		];
		const props = [ 'accessType', 'baseUrl', 'clientId', 'endpoints', 'env', 'hash', 'interactive', 'platformUrl', 'realm', 'responseType', 'scope', 'shouldFetchOrgs', 'persistSecrets' ];
		for (const [ name, opts ] of cases) {
			const theirs = new sdk[name](opts);
			const mine = new ours[name](opts);
			for (const prop of props) {
				assert.deepEqual(mine[prop], theirs[prop], `${name} ${JSON.stringify(opts)}: ${prop}`);
			}
			assert.deepEqual(mine.hashParams, theirs.hashParams, `${name}: hashParams`);
		}
	});

	it('PKCE has a fresh code verifier that is valid for RFC 7636', () => {
		const a = new ours.PKCE(SITE);
		const b = new ours.PKCE(SITE);
		assert.notEqual(a.codeVerifier, b.codeVerifier);
		for (const v of [ a.codeVerifier, b.codeVerifier ]) {
			assert.match(v, /^[A-Za-z0-9\-._~]{43,128}$/);
		}
	});

	it('keep secrets off enumerable properties (JSON and console output do not show them)', () => {
		const secret = new ours.ClientSecret({ clientSecret: 'hush-1234', ...SITE });
		const owner = new ours.OwnerPassword({ username: 'u', password: 'hush-5678', ...SITE });
		for (const a of [ secret, owner ]) {
			const text = JSON.stringify(a) + require('node:util').inspect(a);
			assert.doesNotMatch(text, /hush-/);
		}
		assert.equal(secret.clientSecret, 'hush-1234');
		assert.equal(owner.password, 'hush-5678');
	});
});

describe('Auth.createAuthenticator and Auth.applyDefaults', () => {
	const auth = who => new both[who].Auth({ ...SITE, tokenStoreType: null, ...(who === 'sdk' ? { got: loopbackGot() } : {}) });

	it('pick the same authenticator for the same options', () => {
		const cases = [
			{},
			{ clientSecret: 's' },
			{ secretFile: JWT_CLIENT_KEY.pkcs8 },
			{ username: 'u', password: 'p' },
			{ username: 'u', password: 'p', clientSecret: 's' },
			{ username: 'u', password: 'p', secretFile: JWT_CLIENT_KEY.pkcs8 },
			{ username: '', password: 'p', clientSecret: 's' }
		];
		for (const opts of cases) {
			const picked = Object.fromEntries([ 'sdk', 'ours' ].map(who => {
				const a = auth(who);
				const authenticator = a.createAuthenticator(a.applyDefaults(opts));
				return [ who, { name: authenticator.constructor.name, hash: authenticator.hash } ];
			}));
			assert.deepEqual(picked.ours, picked.sdk, JSON.stringify(opts));
		}
	});

	it('createAuthenticator returns an authenticator instance as given, and rejects anything else', () => {
		const a = auth('ours');
		const given = new ours.PKCE(SITE);
		assert.equal(a.createAuthenticator({ authenticator: given }), given);
		assert.throws(() => a.createAuthenticator({ authenticator: {} }), { name: 'TypeError', code: 'ERR_INVALID_ARGUMENT' });
	});

	it('applyDefaults fills in the same values', () => {
		for (const opts of [ {}, { env: 'staging' }, { clientId: 'other', timeout: 5 } ]) {
			const [ theirs, mine ] = [ 'sdk', 'ours' ].map(who => {
				const { got, tokenStore, messages, ...rest } = auth(who).applyDefaults(opts);
				return rest;
			});
			assert.deepEqual(mine, theirs, JSON.stringify(opts));
		}
	});
});

describe('logging in with an authenticator instance', () => {
	const platform = usePlatform();
	const site = () => ({ baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, realm: 'Broker' });
	const authenticators = {
		ClientSecret: () => ({ clientId: SERVICE_ACCOUNTS.secret.clientId, clientSecret: SERVICE_ACCOUNTS.secret.clientSecret }),
		SignedJWT: () => ({ clientId: SERVICE_ACCOUNTS.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 })
	};

	for (const [ name, creds ] of Object.entries(authenticators)) {
		it(`Auth.login({ authenticator: new ${name}() }) stores nothing (the authenticator has no store) and returns the same record`, async () => {
			const results = {};
			for (const who of [ 'sdk', 'ours' ]) {
				const h = makeHome(platform);
				try {
					const auth = new both[who].Auth({ ...site(), homeDir: h.homeDir, tokenStoreType: 'file', ...(who === 'sdk' ? { got: loopbackGot() } : {}) });
					const authenticator = new both[who][name]({ ...site(), ...creds(), ...(who === 'sdk' ? { got: loopbackGot() } : {}) });
					const account = await auth.login({ authenticator });
					assert.equal(account.hash, authenticator.hash, `${who}: the record's hash is the authenticator's`);
					assert.equal(account.auth.authenticator, name);
					assertExpiredGetter(account);
					assert.deepEqual(await auth.list(), [], `${who}: the Auth's store is untouched`);
					results[who] = account;
				} finally {
					h.cleanup();
				}
			}
			assertSame(results.ours, results.sdk, `${name} record`);
		});
	}

	it('authenticator.login() with a token store stores the account there, and Auth.find({ authenticator }) finds it', async () => {
		const h = makeHome(platform);
		try {
			const auth = new ours.Auth({ ...site(), homeDir: h.homeDir, tokenStoreType: 'file' });
			const authenticator = new ours.ClientSecret({ ...site(), ...authenticators.ClientSecret(), tokenStore: auth.tokenStore });
			const account = await authenticator.login();
			assert.equal(account.hash, authenticator.hash);
			const found = await auth.find({ authenticator });
			assert.equal(found.name, account.name);
			assert.equal(found.auth.tokens.access_token, account.auth.tokens.access_token, 'the valid token is reused');
			const again = await authenticator.getToken(null, null, true);
			assert.notEqual(again.auth.tokens.access_token, account.auth.tokens.access_token, 'getToken(…, force) gets new tokens');
		} finally {
			h.cleanup();
		}
	});

	it('a wrong client secret fails the same way on both', async () => {
		await assertSameError(null, null, async (_, who) => {
			const authenticator = new both[who].ClientSecret({ ...site(), clientId: SERVICE_ACCOUNTS.secret.clientId, clientSecret: 'wrong', ...(who === 'sdk' ? { got: loopbackGot() } : {}) });
			await authenticator.login();
		}, { message: false });
	});
});
