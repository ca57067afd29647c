// The SDK-compatible `SecureStore` class (lib/stores.js) against a real Secret Service
// (gnome-keyring on a private D-Bus session): its methods are the core's secure store, whose
// key lives in the OS keychain under keytar's names. Run it inside the wrapper, as `npm test`
// does:
//
//   sh scripts/with-secret-service.sh node --test __test__/sdk-secure-store.test.mjs
//
// Outside the wrapper it fails (it does not skip): there is nothing to test without a keychain.
// Each test uses its own `secureServiceName`, so the default keychain entry is never touched.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { api, decodeStoreFile, makeHome, seed, usePlatform } from './helpers/env.mjs';

const { Auth, SecureStore } = api();
const SECRET = { clientId: seed.SERVICE_ACCOUNTS.secret.clientId, clientSecret: seed.SERVICE_ACCOUNTS.secret.clientSecret };

const platform = usePlatform();

/** A keychain entry name of this test only. */
const serviceName = () => `axway-auth sdk-secure-store ${randomBytes(4).toString('hex')}`;

function record(name) {
	return {
		auth: {
			authenticator: 'ClientSecret',
			baseUrl: 'http://127.0.0.1:9/',
			clientId: 'c',
			env: 'prod',
			expires: { access: Date.now() + 3_600_000, refresh: null },
			realm: 'Broker',
			tokens: { access_token: `at-${name}` }
		},
		hash: `c:${name}`,
		name
	};
}

describe('SecureStore (a real Secret Service)', () => {
	it('runs inside scripts/with-secret-service.sh', () => {
		assert.equal(process.env.SECRET_SERVICE_TEST, '1', 'run this suite with: sh scripts/with-secret-service.sh node --test __test__/sdk-secure-store.test.mjs');
	});

	it('set, list, get, delete and clear over the keychain-keyed file the core uses', async () => {
		const h = makeHome(platform);
		try {
			const secureServiceName = serviceName();
			const store = new SecureStore({ homeDir: h.homeDir, secureServiceName });
			assert.deepEqual(await store.list(), []);
			await store.set(record('a'));
			await store.set(record('b'));
			assert.ok(existsSync(store.tokenStoreFile), store.tokenStoreFile);
			assert.equal(store.tokenStoreFile, join(h.homeDir, 'axway-cli', '.tokenstore.secure.v2'));
			assert.throws(() => decodeStoreFile(store.tokenStoreFile), 'not encrypted with the file store\'s fixed key');
			assert.deepEqual((await store.list()).map(r => r.name), [ 'a', 'b' ]);
			const core = await api().list({ homeDir: h.homeDir, tokenStoreType: 'secure', secureServiceName, validate: false, exposure: 'stored' });
			assert.deepEqual(core.map(a => a.name).sort(), [ 'a', 'b' ], 'the core reads what the class wrote');
			assert.equal((await store.get({ accountName: 'b' })).auth.tokens.access_token, 'at-b');
			const removed = await store.delete('c:a');
			assert.deepEqual(removed.map(r => [ r.name, r.auth.expired ]), [ [ 'a', true ] ]);
			const cleared = await store.clear();
			assert.deepEqual(cleared.map(r => r.name), [ 'b' ]);
			assert.deepEqual(await store.list(), []);
		} finally {
			h.cleanup();
		}
	});

	it('is auth.tokenStore of the default (secure) Auth, and holds what it logs in', async () => {
		const h = makeHome(platform);
		try {
			const secureServiceName = serviceName();
			const auth = new Auth({ baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, realm: 'Broker', homeDir: h.homeDir, secureServiceName, ...SECRET });
			assert.ok(auth.tokenStore instanceof SecureStore);
			const account = await auth.login();
			const listed = await auth.tokenStore.list();
			assert.deepEqual(listed.map(a => a.name), [ account.name ]);
			assert.equal(listed[0].auth.clientSecret, SECRET.clientSecret, 'the secure store keeps the secret (persistSecrets)');
			const removed = await auth.logout({ accounts: [ account.name ] });
			assert.deepEqual(removed.map(a => a.name), [ account.name ]);
			assert.deepEqual(await auth.tokenStore.list(), []);
		} finally {
			h.cleanup();
		}
	});

	it('given as tokenStore, keeps secrets only when persistSecrets says so (as the SDK)', async () => {
		const h = makeHome(platform);
		try {
			const store = new SecureStore({ homeDir: h.homeDir, secureServiceName: serviceName() });
			const auth = new Auth({ baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, realm: 'Broker', tokenStore: store, ...SECRET });
			assert.equal(auth.tokenStore, store);
			assert.equal(auth.persistSecrets, undefined);
			await auth.login();
			const [ stored ] = await store.list();
			assert.equal(stored.auth.clientSecret, undefined, 'no secret without persistSecrets');
			const keeping = new Auth({ baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, realm: 'Broker', tokenStore: store, persistSecrets: true, ...SECRET });
			await keeping.login({ force: true });
			assert.equal((await store.list())[0].auth.clientSecret, SECRET.clientSecret, 'persistSecrets: true keeps it');
		} finally {
			h.cleanup();
		}
	});
});
