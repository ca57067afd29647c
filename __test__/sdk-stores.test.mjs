// The SDK's token store classes (`TokenStore`, `FileStore`, `SecureStore`, `MemoryStore`) and
// `auth.tokenStore`, against the real JS SDK (@axway/amplify-sdk 3.2.16, a devDependency): the
// same checks run on both implementations. Custom stores (a `TokenStore` subclass given as
// `tokenStore`) are called by the core for login, list, find and logout, and must see the same
// writes the SDK makes. The SecureStore's methods need a keychain: see
// sdk-secure-store.test.mjs.
//
//   node --test __test__/sdk-stores.test.mjs
//
// The SDK's SecureStore loads keytar in its constructor; keytar is not built here, so a stub that
// refuses every call stands in for it (no test below reaches the keychain).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { api, decodeStoreFile, makeHome, seed, usePlatform } from './helpers/env.mjs';
import { loopbackGot as sdkLoopbackGot } from './helpers/js-sdk.mjs';

const require = createRequire(import.meta.url);

const keytarPath = require.resolve('keytar', { paths: [ dirname(require.resolve('@axway/amplify-sdk')) ] });
const refuse = async () => {
	throw new Error('keytar stub: this suite has no keychain');
};
require.cache[keytarPath] = {
	id: keytarPath,
	filename: keytarPath,
	loaded: true,
	exports: { getPassword: refuse, setPassword: refuse, deletePassword: refuse }
};

const IMPLS = [ [ 'ours', require('..') ], [ 'sdk', require('@axway/amplify-sdk') ] ];
const ours = IMPLS[0][1];
const sdk = IMPLS[1][1];
const SECRET = { clientId: seed.SERVICE_ACCOUNTS.secret.clientId, clientSecret: seed.SERVICE_ACCOUNTS.secret.clientSecret };

const platform = usePlatform();
const got = sdkLoopbackGot();

/** A throw-away directory. */
function tempDir() {
	const dir = mkdtempSync(join(tmpdir(), 'axway-auth-stores-'));
	return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Service-account `Auth` options against the local platform (the SDK gets a loopback `got`). */
const authOptions = (who, more = {}) => ({
	baseUrl: platform.baseUrl,
	platformUrl: platform.platformUrl,
	realm: 'Broker',
	serviceAccount: true,
	...SECRET,
	...(who === 'sdk' ? { got } : {}),
	...more
});

/**
 * An account record as the stores keep it (`expires.refresh` is null when there is no refresh
 * token, as the SDK writes service accounts; the core writes an absent one as null).
 */
const LATER = Date.now() + 3_600_000;
function record(name, { baseUrl = 'http://127.0.0.1:9/', access = LATER, refresh = null } = {}) {
	return {
		auth: {
			authenticator: 'ClientSecret',
			baseUrl,
			clientId: 'c',
			env: 'prod',
			expires: { access, refresh },
			realm: 'Broker',
			tokens: { access_token: `at-${name}` }
		},
		hash: `c:${name}`,
		name
	};
}

/** Runs `fn`, which must throw (or reject); returns the error. */
async function thrown(fn) {
	try {
		await fn();
	} catch (err) {
		return err;
	}
	assert.fail(`expected ${fn} to throw`);
}

/** The error's class, code and message. */
const shape = err => ({ class: err.constructor.name, code: err.code, message: err.message });

/** A store's own enumerable fields (without the SDK's `keytar` module and `store` array). */
const fields = store => Object.fromEntries(Object.entries(store).filter(([ k ]) => k !== 'keytar' && k !== 'store'));

/** The JSON of records with their per-login values (tokens, expiry instants) by type only. */
function comparable(records) {
	return JSON.parse(JSON.stringify(records)).map(r => {
		for (const key of Object.keys(r.auth.tokens || {})) {
			r.auth.tokens[key] = typeof r.auth.tokens[key];
		}
		for (const key of Object.keys(r.auth.expires || {})) {
			r.auth.expires[key] = typeof r.auth.expires[key];
		}
		return r;
	});
}

/**
 * A custom store as users write them (the SDK's MemoryStore pattern over the base class's
 * helpers), recording every call.
 */
function recordingStore(impl) {
	class RecordingStore extends impl.TokenStore {
		entries = [];
		calls = [];
		failList = null;

		async list() {
			this.calls.push([ 'list' ]);
			if (this.failList) {
				throw new Error(this.failList);
			}
			return this.purge(this.entries);
		}

		async set(data) {
			this.calls.push([ 'set', data.name ]);
			this.entries = await this._set(data);
		}

		async delete(accounts, baseUrl) {
			this.calls.push([ 'delete', [ accounts ].flat() ]);
			const { entries, removed } = await this._delete(accounts, baseUrl);
			this.entries = entries;
			return removed;
		}

		async clear(baseUrl) {
			this.calls.push([ 'clear' ]);
			const { entries, removed } = await this._clear(baseUrl);
			this.entries = entries;
			return removed;
		}
	}
	return new RecordingStore();
}

// ---- the classes ------------------------------------------------------------------------------

for (const [ who, impl ] of IMPLS) {
	describe(`store classes (${who})`, () => {
		it('are exported, with the SDK\'s hierarchy', () => {
			const { TokenStore, FileStore, SecureStore, MemoryStore } = impl;
			for (const cls of [ TokenStore, FileStore, SecureStore, MemoryStore ]) {
				assert.equal(typeof cls, 'function');
			}
			assert.ok(FileStore.prototype instanceof TokenStore);
			assert.ok(SecureStore.prototype instanceof FileStore);
			assert.ok(MemoryStore.prototype instanceof TokenStore);
			for (const method of [ 'list', 'get', 'set', 'delete', 'clear', 'purge', '_set', '_delete', '_clear' ]) {
				assert.equal(typeof TokenStore.prototype[method], 'function', `TokenStore.prototype.${method}`);
			}
		});

		it('validate their options with the SDK\'s errors', async () => {
			const { TokenStore, FileStore, SecureStore, MemoryStore } = impl;
			const invalidOptions = { class: 'TypeError', code: 'ERR_INVALID_ARGUMENT', message: 'Expected options to be an object' };
			for (const cls of [ TokenStore, FileStore, MemoryStore ]) {
				assert.deepEqual(shape(await thrown(() => new cls('foo'))), invalidOptions, `${cls.name}('foo')`);
				assert.deepEqual(shape(await thrown(() => new cls(null))), invalidOptions, `${cls.name}(null)`);
			}
			const noHome = { class: 'TypeError', code: 'ERR_MISSING_REQUIRED_PARAMETER', message: 'Token store requires a home directory' };
			assert.deepEqual(shape(await thrown(() => new FileStore())), noHome);
			assert.deepEqual(shape(await thrown(() => new FileStore({ homeDir: 42 }))), noHome);
			assert.deepEqual(shape(await thrown(() => new SecureStore('foo'))),
				{ class: 'TypeError', code: 'ERR_INVALID_ARGUMENT', message: 'Expected opts to be an object' });
			const secureNoHome = { class: 'TypeError', code: 'ERR_INVALID_PARAMETER', message: 'Secure store requires the home directory to be specified' };
			assert.deepEqual(shape(await thrown(() => new SecureStore())), secureNoHome);
			assert.deepEqual(shape(await thrown(() => new SecureStore({ tokenStoreDir: '/tmp' }))), secureNoHome);
		});

		it('have the SDK\'s fields', () => {
			const { FileStore, SecureStore } = impl;
			const file = new FileStore({ homeDir: '/tmp/h' });
			assert.deepEqual(fields(file), {
				filename: '.tokenstore.v2',
				homeDir: '/tmp/h',
				tokenStoreDir: '/tmp/h/axway-cli',
				tokenStoreFile: '/tmp/h/axway-cli/.tokenstore.v2'
			});
			const legacy = new FileStore({ tokenStoreDir: 'rel/dir' });
			assert.equal(legacy.homeDir, resolve('rel/dir'), 'tokenStoreDir stands in for homeDir, resolved');
			const secure = new SecureStore({ homeDir: '/tmp/h', secureServiceName: 'My Service' });
			assert.deepEqual(fields(secure), {
				filename: '.tokenstore.secure.v2',
				homeDir: '/tmp/h',
				tokenStoreDir: '/tmp/h/axway-cli',
				tokenStoreFile: '/tmp/h/axway-cli/.tokenstore.secure.v2',
				serviceName: 'My Service'
			});
			assert.equal(new SecureStore({ homeDir: '/tmp/h' }).serviceName, 'Axway AMPLIFY Auth');
		});

		it('TokenStore\'s helpers work on what list() returns', async () => {
			const store = new impl.TokenStore();
			const entries = [ record('a'), record('b', { baseUrl: 'https://other/' }), record('gone', { access: 1 }) ];
			store.list = async () => store.purge(entries);
			assert.deepEqual(await store.list(), [ record('a'), record('b', { baseUrl: 'https://other/' }) ], 'purge drops expired entries');
			assert.equal(entries[0].auth.expired, false, 'purge adds auth.expired');
			assert.equal((await store.get({ accountName: 'b', baseUrl: 'http://other' })).name, 'b', 'get ignores the scheme and a trailing slash');
			assert.equal(await store.get({ hash: 'c:zzz' }), null);
			assert.deepEqual(shape(await thrown(() => store.get({}))),
				{ class: 'TypeError', code: 'ERR_MISSING_REQUIRED_PARAMETER', message: 'Must specify either the account name or authenticator hash' });
			const { removed } = await store._delete('c:a');
			assert.deepEqual(removed.map(r => [ r.name, r.auth.expired ]), [ [ 'a', true ] ]);
			assert.deepEqual((await store._set(record('b', { baseUrl: 'https://other/' }))).map(r => r.name), [ 'b' ], '_set replaces same name and base URL');
			assert.deepEqual(await store.delete('b'), [], 'the base class keeps nothing');
		});
	});
}

// ---- auth.tokenStore --------------------------------------------------------------------------

describe('auth.tokenStore', () => {
	for (const [ who, impl ] of IMPLS) {
		it(`is the store the SDK makes for each tokenStoreType (${who})`, () => {
			const { Auth, FileStore, SecureStore, MemoryStore } = impl;
			const h = '/tmp/axway-auth-home';
			const secure = new Auth({ homeDir: h }).tokenStore;
			assert.equal(secure.constructor, SecureStore, 'default: secure');
			assert.equal(secure.tokenStoreFile, join(h, 'axway-cli', '.tokenstore.secure.v2'));
			assert.equal(secure.tokenStoreDir, join(h, 'axway-cli'));
			assert.equal(secure.serviceName, 'Axway AMPLIFY Auth');
			assert.equal(new Auth({ homeDir: h, secureServiceName: 'S' }).tokenStore.serviceName, 'S');
			assert.equal(new Auth({ homeDir: h, tokenStoreType: 'auto' }).tokenStore.constructor, SecureStore);
			const file = new Auth({ homeDir: h, tokenStoreType: 'file' }).tokenStore;
			assert.equal(file.constructor, FileStore);
			assert.equal(file.tokenStoreFile, join(h, 'axway-cli', '.tokenstore.v2'));
			assert.equal(file.tokenStoreDir, join(h, 'axway-cli'));
			const autoDir = new Auth({ tokenStoreType: 'auto', tokenStoreDir: h }).tokenStore;
			assert.equal(autoDir.constructor, FileStore, 'auto without homeDir: the file store in tokenStoreDir');
			assert.equal(autoDir.homeDir, h);
			assert.equal(new Auth({ tokenStoreType: 'auto' }).tokenStore.constructor, MemoryStore, 'auto without any directory: memory');
			assert.equal(new Auth({ tokenStoreType: 'memory' }).tokenStore.constructor, MemoryStore);
			assert.equal(new Auth({ tokenStoreType: null }).tokenStore, null);
			const given = new MemoryStore();
			assert.equal(new Auth({ tokenStore: given }).tokenStore, given, 'a given store is kept as is');
			assert.equal(new Auth({ tokenStore: new SecureStore({ homeDir: h }) }).persistSecrets, undefined, 'a given SecureStore does not imply persistSecrets');
			assert.equal(new Auth({ homeDir: h }).persistSecrets, true, 'the SecureStore it makes does');
		});

		it(`rejects a token store that is not a TokenStore (${who})`, async () => {
			const expected = { class: 'TypeError', code: 'ERR_INVALID_PARAMETER', message: 'Expected the token store to be a "TokenStore" instance' };
			assert.deepEqual(shape(await thrown(() => new impl.Auth({ tokenStore: 'foo' }))), expected);
			assert.deepEqual(shape(await thrown(() => new impl.Auth({ tokenStore: { list() {} } }))), expected);
		});
	}

	it('accepts only its own TokenStore classes (a store of one implementation is not one of the other)', async () => {
		assert.equal((await thrown(() => new ours.Auth({ tokenStore: new sdk.MemoryStore() }))).code, 'ERR_INVALID_PARAMETER');
	});
});

// ---- custom stores ----------------------------------------------------------------------------

describe('a custom TokenStore subclass', () => {
	it('is used for login, list, find and logout, with the same writes as the SDK\'s', async () => {
		const seen = {};
		for (const [ who, impl ] of IMPLS) {
			const store = recordingStore(impl);
			const auth = new impl.Auth(authOptions(who, { tokenStore: store }));
			assert.equal(auth.tokenStore, store);

			const account = await auth.login();
			assert.ok(account.name.startsWith(SECRET.clientId), `${who}: login (${account.name})`);
			assert.equal(store.entries.length, 1, `${who}: the store holds the account`);
			assert.equal(typeof store.entries[0].auth.tokens.access_token, 'string', `${who}: with its tokens`);
			const stored = comparable(store.entries);

			const listed = await auth.list();
			assert.deepEqual(listed.map(a => a.name), [ account.name ], `${who}: list`);
			assert.equal(listed[0].auth.expired, false);

			const found = await auth.find(account.name);
			assert.equal(found?.name, account.name, `${who}: find by name`);

			const removed = await auth.logout({ accounts: [ account.name ] });
			assert.deepEqual(removed.map(a => [ a.name, a.auth.expired ]), [ [ account.name, true ] ], `${who}: logout`);
			assert.deepEqual(store.entries, [], `${who}: the store is empty`);
			assert.deepEqual(await auth.list(), []);

			assert.ok(store.calls.some(([ op ]) => op === 'list'), `${who}: list() was called`);
			seen[who] = { writes: store.calls.filter(([ op ]) => op !== 'list'), stored };
		}
		assert.deepEqual(seen.ours.writes, seen.sdk.writes, 'the same set and delete calls');
		assert.deepEqual(seen.ours.writes.map(([ op ]) => op), [ 'set', 'delete' ]);
		assert.deepEqual(seen.ours.stored, seen.sdk.stored, 'the same record was stored');
	});

	it('sees a refresh and updateAccount as set() calls, as the SDK\'s does', async () => {
		const seen = {};
		for (const [ who, impl ] of IMPLS) {
			const store = recordingStore(impl);
			// a threshold longer than the token's life: find refreshes (a service account logs in again)
			const auth = new impl.Auth(authOptions(who, { tokenStore: store, tokenRefreshThreshold: 31536000 }));
			const account = await auth.login();
			const before = store.entries[0].auth.tokens.access_token;
			const found = await auth.find(account.name);
			assert.equal(found?.name, account.name, `${who}: find`);
			assert.notEqual(store.entries[0].auth.tokens.access_token, before, `${who}: the refreshed token was stored`);
			const changed = JSON.parse(JSON.stringify(store.entries[0]));
			changed.team = { guid: 'team-guid', name: 'A Team' };
			await auth.updateAccount(changed);
			assert.deepEqual(store.entries[0].team, changed.team, `${who}: updateAccount stored the record`);
			seen[who] = store.calls.filter(([ op ]) => op !== 'list');
		}
		assert.deepEqual(seen.ours, seen.sdk);
		assert.deepEqual(seen.ours.map(([ op ]) => op), [ 'set', 'set', 'set' ]);
	});

	it('given to an authenticator (ClientSecret), gets the account it logs in, as the SDK\'s', async () => {
		const seen = {};
		for (const [ who, impl ] of IMPLS) {
			const store = recordingStore(impl);
			const authenticator = new impl.ClientSecret({ baseUrl: platform.baseUrl, realm: 'Broker', ...SECRET, tokenStore: store, ...(who === 'sdk' ? { got } : {}) });
			assert.equal(authenticator.tokenStore, store);
			const account = await authenticator.login();
			assert.deepEqual(store.entries.map(r => r.name), [ account.name ], `${who}: stored`);
			seen[who] = store.calls.filter(([ op ]) => op !== 'list');
		}
		assert.deepEqual(seen.ours, seen.sdk);
		assert.deepEqual(seen.ours.map(([ op ]) => op), [ 'set' ]);
	});

	it('works through createSdkAuth (sdk.auth) too', async () => {
		const store = recordingStore(ours);
		const sdkAuth = ours.createSdkAuth(authOptions('ours', { tokenStore: store }));
		const account = await sdkAuth.login();
		assert.deepEqual(store.entries.map(r => r.name), [ account.name ]);
		assert.deepEqual((await sdkAuth.list()).map(a => a.name), [ account.name ]);
		assert.equal((await sdkAuth.find(account.name))?.name, account.name);
		await sdkAuth.logout({ accounts: [ account.name ] });
		assert.deepEqual(store.entries, []);
	});

	it('a subclass of FileStore keeps its accounts in the file the core reads', async () => {
		const h = makeHome(platform);
		try {
			const calls = [];
			class Spy extends ours.FileStore {
				async list() {
					calls.push('list');
					return super.list();
				}
				async set(data) {
					calls.push('set');
					return super.set(data);
				}
			}
			const auth = new ours.Auth(authOptions('ours', { tokenStore: new Spy({ homeDir: h.homeDir }) }));
			const account = await auth.login();
			assert.ok(calls.includes('set'), 'the subclass\'s set() was called');
			assert.deepEqual(decodeStoreFile(h.storeFile).map(r => r.name), [ account.name ]);
			const listed = await api().list({ homeDir: h.homeDir, tokenStoreType: 'file', validate: false });
			assert.deepEqual(listed.map(a => a.name), [ account.name ], 'the command\'s API reads it');
		} finally {
			h.cleanup();
		}
	});

	it('whose list() rejects: a clear error, and nothing is lost', async () => {
		const store = recordingStore(ours);
		store.entries = [ record('keep') ];
		const auth = new ours.Auth(authOptions('ours', { tokenStore: store }));
		store.failList = 'disk on fire';
		for (const call of [ () => auth.login(), () => auth.list(), () => auth.find('keep'), () => auth.logout({ accounts: [ 'keep' ] }) ]) {
			const err = await thrown(call);
			assert.equal(err.code, 'ERR_TOKEN_STORE', `${call}: ${err.message}`);
			assert.equal(err.message, 'The custom token store\'s list() failed: disk on fire');
		}
		assert.deepEqual(store.calls.filter(([ op ]) => op !== 'list'), [], 'nothing was written');
		store.failList = null;
		assert.deepEqual(store.entries.map(r => r.name), [ 'keep' ]);
		assert.deepEqual((await auth.list()).map(a => a.name), [ 'keep' ], 'it works again once list() does');

		// the SDK lets the store's own error through
		const theirs = recordingStore(sdk);
		theirs.failList = 'disk on fire';
		const sdkAuth = new sdk.Auth(authOptions('sdk', { tokenStore: theirs }));
		assert.equal((await thrown(() => sdkAuth.list())).message, 'disk on fire');
	});

	it('that answers something other than account records, or too late, gives ERR_TOKEN_STORE', async () => {
		class Garbage extends ours.TokenStore {
			async list() {
				return [ { not: 'an account' } ];
			}
		}
		const bad = new ours.Auth(authOptions('ours', { tokenStore: new Garbage() }));
		const err = await thrown(() => bad.list());
		assert.equal(err.code, 'ERR_TOKEN_STORE');
		assert.match(err.message, /^The custom token store's list\(\) failed: it resolved something that is not a list of account records/);

		class Never extends ours.TokenStore {
			list() {
				return new Promise(() => {});
			}
		}
		process.env.AXWAY_AUTH_JS_STORE_TIMEOUT = '300';
		try {
			const slow = new ours.Auth(authOptions('ours', { tokenStore: new Never() }));
			const late = await thrown(() => slow.list());
			assert.equal(late.code, 'ERR_TOKEN_STORE');
			assert.equal(late.message, 'The custom token store\'s list() failed: no answer within 300 ms (AXWAY_AUTH_JS_STORE_TIMEOUT)');
		} finally {
			delete process.env.AXWAY_AUTH_JS_STORE_TIMEOUT;
		}
	});
});

describe('a JavaScript store on a synchronous path', () => {
	it('is refused with ERR_TOKEN_STORE instead of waiting for itself', async () => {
		const t = tempDir();
		try {
			let called = false;
			const dispatch = async () => {
				called = true;
				return '{"ok":[]}';
			};
			const err = await thrown(() => api().storedToken({ homeDir: t.dir, tokenStoreType: 'file', customTokenStore: dispatch }));
			assert.equal(err.code, 'ERR_TOKEN_STORE');
			assert.equal(err.message, 'The custom token store\'s list() failed: it cannot be called synchronously from JavaScript (use the async API)');
			assert.equal(called, false);
		} finally {
			t.cleanup();
		}
	});
});

// ---- memory stores ----------------------------------------------------------------------------

describe('memory stores', () => {
	for (const [ who, impl ] of IMPLS) {
		it(`a MemoryStore given explicitly holds the accounts, shared by the Auths given it (${who})`, async () => {
			const store = new impl.MemoryStore();
			const auth = new impl.Auth(authOptions(who, { tokenStore: store }));
			const account = await auth.login();
			assert.deepEqual((await store.list()).map(a => a.name), [ account.name ]);
			const other = new impl.Auth(authOptions(who, { tokenStore: store }));
			assert.deepEqual((await other.list()).map(a => a.name), [ account.name ], 'another Auth on the same store');
			const removed = await store.delete(account.name);
			assert.deepEqual(removed.map(a => [ a.name, a.auth.expired ]), [ [ account.name, true ] ]);
			assert.deepEqual(await auth.list(), []);
		});

		it(`each Auth with tokenStoreType memory has its own (${who})`, async () => {
			const a = new impl.Auth(authOptions(who, { tokenStoreType: 'memory' }));
			const b = new impl.Auth(authOptions(who, { tokenStoreType: 'memory' }));
			const account = await a.login();
			assert.deepEqual((await a.list()).map(x => x.name), [ account.name ]);
			assert.deepEqual(await b.list(), [], 'the other Auth sees nothing');
			assert.deepEqual((await a.tokenStore.list()).map(x => x.name), [ account.name ], 'auth.tokenStore is that store');
			assert.deepEqual(await b.tokenStore.list(), []);
			assert.deepEqual(await new impl.MemoryStore().list(), [], 'a new MemoryStore is empty');
		});
	}
});

// ---- file stores ------------------------------------------------------------------------------

describe('FileStore', () => {
	it('reads and writes the same file as the SDK\'s FileStore, with the same results', async () => {
		const t = tempDir();
		try {
			const mine = new ours.FileStore({ homeDir: t.dir });
			const theirs = new sdk.FileStore({ homeDir: t.dir });
			assert.deepEqual(await mine.list(), [], 'no file: nothing');

			await theirs.set(record('a'));
			await mine.set(record('b', { baseUrl: 'https://elsewhere/' }));
			await theirs.set(record('a', { access: Date.now() + 7_200_000 }));
			assert.ok(existsSync(join(t.dir, '.tokenstore')), 'the v1 mirror is written too');
			const fromFile = decodeStoreFile(mine.tokenStoreFile);
			assert.deepEqual(fromFile.map(r => r.name), [ 'b', 'a' ], '_set moves a replaced record last');
			assert.deepEqual(await mine.list(), await theirs.list(), 'list');
			assert.deepEqual(await mine.get({ accountName: 'b', baseUrl: 'http://elsewhere' }), await theirs.get({ accountName: 'b', baseUrl: 'http://elsewhere' }), 'get');
			assert.deepEqual(await mine.get({ hash: 'c:nope' }), await theirs.get({ hash: 'c:nope' }));
			assert.equal((await mine.get({ hash: 'c:a' })).auth.expired, false);

			// an expired record is purged by either; ours also removes it from the file (the SDK's
			// list never rewrites it: its purge splices the array it then compares lengths with)
			await mine.set(record('old', { access: Date.now() - 1000, refresh: Date.now() - 1000 }));
			assert.deepEqual(decodeStoreFile(mine.tokenStoreFile).map(r => r.name), [ 'b', 'a', 'old' ]);
			assert.deepEqual((await theirs.list()).map(r => r.name), [ 'b', 'a' ]);
			assert.deepEqual((await mine.list()).map(r => r.name), [ 'b', 'a' ]);
			assert.deepEqual(decodeStoreFile(mine.tokenStoreFile).map(r => r.name), [ 'b', 'a' ], 'purged from the file');

			const removed = await mine.delete([ 'a' ], 'https://127.0.0.1:9');
			assert.deepEqual(removed.map(r => [ r.name, r.auth.expired ]), [ [ 'a', true ] ], 'delete matches the base URL without its scheme');
			assert.deepEqual((await theirs.list()).map(r => r.name), [ 'b' ]);
			assert.deepEqual(await theirs.delete('c:b', 'http://nowhere'), [], 'another base URL: nothing');
			const cleared = await mine.clear();
			assert.deepEqual(cleared.map(r => [ r.name, r.auth.expired ]), [ [ 'b', true ] ]);
			assert.deepEqual(await theirs.list(), []);
			assert.ok(!existsSync(mine.tokenStoreFile), 'an empty store has no file, as the SDK\'s');
		} finally {
			t.cleanup();
		}
	});

	it('clear(baseUrl) removes only that base URL\'s accounts, as the SDK\'s', async () => {
		const results = {};
		for (const [ who, impl ] of IMPLS) {
			const t = tempDir();
			try {
				const store = new impl.FileStore({ homeDir: t.dir });
				await store.set(record('a'));
				await store.set(record('b', { baseUrl: 'https://elsewhere/' }));
				const removed = await store.clear('https://elsewhere/');
				results[who] = { removed: removed.map(r => r.name), left: (await store.list()).map(r => r.name) };
			} finally {
				t.cleanup();
			}
		}
		assert.deepEqual(results.ours, results.sdk);
		assert.deepEqual(results.ours, { removed: [ 'b' ], left: [ 'a' ] });
	});

	it('an Auth with tokenStoreType file and the SDK\'s FileStore share the accounts', async () => {
		const h = makeHome(platform);
		try {
			const auth = new ours.Auth(authOptions('ours', { homeDir: h.homeDir, tokenStoreType: 'file' }));
			const account = await auth.login();
			assert.equal(auth.tokenStore.tokenStoreFile, h.storeFile);
			const theirs = new sdk.FileStore({ homeDir: h.homeDir });
			assert.deepEqual((await theirs.list()).map(a => a.name), [ account.name ], 'the SDK reads what the core wrote');
			assert.deepEqual((await auth.tokenStore.list()).map(a => a.name), [ account.name ], 'and so does auth.tokenStore');
			await theirs.delete(account.name);
			assert.deepEqual(await auth.list(), [], 'the core reads what the SDK wrote');

			// our FileStore instance given as `tokenStore`: the core opens the same file
			const given = new ours.FileStore({ homeDir: h.homeDir });
			const again = await new ours.Auth(authOptions('ours', { tokenStore: given })).login();
			assert.deepEqual((await theirs.list()).map(a => a.name), [ again.name ]);
		} finally {
			h.cleanup();
		}
	});
});
