'use strict';

// The token store classes of @axway/amplify-sdk 3.2.16: `TokenStore` (the base class a custom
// store extends), `FileStore`, `SecureStore` and `MemoryStore`. The last three are the core's
// stores: their methods only pass their arguments to the addon (`tokenStore(op, options,
// args)`), so the store format, the purge of expired accounts and the matching are the core's,
// and they read and write the same files as the `axway` command and the SDK. `SecureStore`'s key
// is in the OS keychain under keytar's names, read by the core (no keytar).
//
// `TokenStore`'s own methods (`get`, `purge`, `_set`, `_delete`, `_clear`) are the SDK's helpers
// for subclasses, over whatever the subclass's `list()` returns; an `Auth` given a subclass calls
// its `list`, `set` and `delete` from the core through `dispatcher()`.

const path = require('path');
const { E } = require('./errors.js');
const { asRemoved, withExpired } = require('./records.js');

let native;
const addon = () => native || (native = require('../index.js'));

/** The SDK's regex for a URL's scheme. */
const protoRegExp = /^.*\/\//;

/** The options that select a core store, on instances of the core-backed classes. */
const CORE = Symbol('axway-auth.coreStore');

// Each MemoryStore is one in-process store of the core; the core forgets it when the instance
// is garbage-collected.
const memoryStores = new FinalizationRegistry(id => addon().dropMemoryStore(id));
let memoryStoreCount = 0;

/**
 * Base class for token storage backends (the SDK's `TokenStore`). Subclasses override `list`,
 * `set`, `delete` and `clear`; the helpers below work on what `list()` returns.
 */
class TokenStore {
	/** @param {Object} [opts] - Various options. */
	constructor(opts = {}) {
		if (!opts || typeof opts !== 'object') {
			throw E.INVALID_ARGUMENT('Expected options to be an object');
		}
	}

	/** Removes all tokens (or those of `baseUrl`). Intended to be overridden. */
	async clear(baseUrl) { // eslint-disable-line no-unused-vars
		return { entries: [], removed: [] };
	}

	/** `list()` split into the entries kept and those removed (all, or those of `baseUrl`). */
	async _clear(baseUrl) {
		const entries = await this.list();
		if (!baseUrl) {
			for (const entry of entries) {
				Object.defineProperty(entry.auth, 'expired', { value: true });
			}
			return { entries: [], removed: entries };
		}
		const removed = [];
		baseUrl = baseUrl.replace(protoRegExp, '');
		for (let i = 0; i < entries.length; i++) {
			if (entries[i].auth.baseUrl.replace(protoRegExp, '') === baseUrl) {
				const entry = entries.splice(i--, 1)[0];
				Object.defineProperty(entry.auth, 'expired', { value: true });
				removed.push(entry);
			}
		}
		return { entries, removed };
	}

	/** Deletes the named accounts (names or hashes). Intended to be overridden. */
	async delete(accounts, baseUrl) { // eslint-disable-line no-unused-vars
		return [];
	}

	/** `list()` split into the entries kept and those named by `accounts` (of `baseUrl`). */
	async _delete(accounts, baseUrl) {
		const entries = await this.list();
		const removed = [];
		if (baseUrl) {
			baseUrl = baseUrl.replace(protoRegExp, '');
		}
		if (!Array.isArray(accounts)) {
			accounts = [ accounts ];
		}
		for (let i = 0; i < entries.length; i++) {
			if ((accounts.includes(entries[i].hash) || accounts.includes(entries[i].name))
				&& (!baseUrl || entries[i].auth.baseUrl.replace(protoRegExp, '') === baseUrl)) {
				const entry = entries.splice(i--, 1)[0];
				Object.defineProperty(entry.auth, 'expired', { value: true });
				removed.push(entry);
			}
		}
		return { entries, removed };
	}

	/**
	 * The first entry named `accountName` or with `hash` (of `baseUrl`, when given), else `null`.
	 */
	async get({ accountName, baseUrl, hash } = {}) {
		const entries = await this.list();
		if (baseUrl) {
			baseUrl = baseUrl.replace(protoRegExp, '').replace(/\/$/, '');
		}
		if (!accountName && !hash) {
			throw E.MISSING_REQUIRED_PARAMETER('Must specify either the account name or authenticator hash');
		}
		for (const entry of entries) {
			if (((accountName && entry.name === accountName) || (hash && entry.hash === hash))
				&& (!baseUrl || entry.auth.baseUrl.replace(protoRegExp, '').replace(/\/$/, '') === baseUrl)) {
				return entry;
			}
		}
		return null;
	}

	/** All entries. Intended to be overridden. */
	async list() {
		return [];
	}

	/**
	 * Removes, in place, the entries whose access and refresh tokens have both expired, and adds
	 * the `auth.expired` getter to the others. Returns `entries`.
	 */
	purge(entries) {
		if (!entries) {
			return [];
		}
		for (let i = 0; i < entries.length; i++) {
			const expires = entries[i].auth?.expires;
			const now = Date.now();
			if (expires && (expires.access > now || (expires.refresh && expires.refresh > now))) {
				withExpired(entries[i]);
				continue;
			}
			entries.splice(i--, 1);
		}
		return entries;
	}

	/** Saves an entry. Intended to be overridden. */
	async set(data) { // eslint-disable-line no-unused-vars
	}

	/** `list()` with `data` in place of the entry of the same base URL and name (appended). */
	async _set(data) {
		const entries = await this.list();
		for (let i = 0, len = entries.length; i < len; i++) {
			if (entries[i].auth.baseUrl === data.auth.baseUrl && entries[i].name === data.name) {
				entries.splice(i, 1);
				break;
			}
		}
		entries.push(data);
		return entries;
	}
}

/** Calls one method of the core store `store` selects. */
async function core(store, op, ...args) {
	return addon().tokenStore(op, store[CORE](), JSON.stringify(args));
}

/** The core-backed methods, shared by the three classes. */
const coreMethods = {
	/** The live entries (expired ones are purged from the store). */
	async list() {
		return (await core(this, 'list')).map(withExpired);
	},
	/** The entry named `accountName` or with `hash` (of `baseUrl`), else `null`. */
	async get(params = {}) {
		return withExpired(await core(this, 'get', params));
	},
	/** Stores `data`, replacing the entry of the same base URL and name. */
	async set(data) {
		await core(this, 'set', data);
	},
	/** Deletes the accounts named (names or hashes) and returns them (`auth.expired` true). */
	async delete(accounts, baseUrl) {
		return asRemoved(await core(this, 'delete', accounts, baseUrl || null));
	},
	/** Deletes every account (or those of `baseUrl`) and returns them (`auth.expired` true). */
	async clear(baseUrl) {
		return asRemoved(await core(this, 'clear', baseUrl || null));
	}
};

/** Defines the core-backed methods on a class's prototype (non-enumerable, as class methods). */
function coreBacked(cls) {
	for (const [ name, fn ] of Object.entries(coreMethods)) {
		Object.defineProperty(cls.prototype, name, { configurable: true, writable: true, value: fn });
	}
	return cls;
}

/**
 * The file token store: `<homeDir>/axway-cli/.tokenstore.v2` (and its v1 mirror), encrypted
 * with the SDK's fixed key.
 */
class FileStore extends TokenStore {
	/** The name of the token store file. */
	filename = '.tokenstore.v2';

	/**
	 * @param {Object} opts - Various options.
	 * @param {String} opts.homeDir - The home directory (`~/.axway`).
	 * @param {String} [opts.tokenStoreDir] - Deprecated: used when `homeDir` is not given.
	 */
	constructor(opts = {}) {
		super(opts);
		let { homeDir, tokenStoreDir } = opts;
		if (!homeDir || typeof homeDir !== 'string') {
			if (tokenStoreDir && typeof tokenStoreDir === 'string') {
				homeDir = tokenStoreDir;
			} else {
				throw E.MISSING_REQUIRED_PARAMETER('Token store requires a home directory');
			}
		}
		this.homeDir = path.resolve(homeDir);
		this.tokenStoreDir = path.join(this.homeDir, 'axway-cli');
		this.tokenStoreFile = path.join(this.tokenStoreDir, this.filename);
	}

	[CORE]() {
		return { profile: 'sdk', tokenStoreType: 'file', homeDir: this.homeDir };
	}
}
coreBacked(FileStore);

/**
 * The secure token store: `<homeDir>/axway-cli/.tokenstore.secure.v2`, encrypted with a key kept
 * in the OS keychain (service and account `secureServiceName`, keytar's entry).
 */
class SecureStore extends FileStore {
	/** The name of the token store file. */
	filename = '.tokenstore.secure.v2';

	/**
	 * @param {Object} opts - Various options.
	 * @param {String} opts.homeDir - The home directory (`~/.axway`).
	 * @param {String} [opts.secureServiceName="Axway AMPLIFY Auth"] - The keychain entry's name.
	 */
	constructor(opts = {}) {
		if (!opts || typeof opts !== 'object') {
			throw E.INVALID_ARGUMENT('Expected opts to be an object');
		}
		const { homeDir } = opts;
		if (!homeDir || typeof homeDir !== 'string') {
			throw E.INVALID_PARAMETER('Secure store requires the home directory to be specified');
		}
		super(opts);
		this.serviceName = opts.secureServiceName || 'Axway AMPLIFY Auth';
		this.tokenStoreFile = path.join(this.tokenStoreDir, this.filename);
	}

	[CORE]() {
		return { profile: 'sdk', tokenStoreType: 'secure', homeDir: this.homeDir, secureServiceName: this.serviceName };
	}
}

/** The in-process token store: one of the core's, private to this instance. */
class MemoryStore extends TokenStore {
	constructor(opts = {}) {
		super(opts);
		const id = `store-${process.pid}-${++memoryStoreCount}`;
		Object.defineProperty(this, CORE, { value: () => ({ profile: 'sdk', tokenStoreType: 'memory', memoryStore: id }) });
		memoryStores.register(this, id);
	}
}
coreBacked(MemoryStore);

/**
 * The core options equivalent to `store` when it is an instance of one of the three core-backed
 * classes itself (not of a subclass, whose methods may differ); otherwise `null`.
 */
function coreOptions(store) {
	const proto = store && Object.getPrototypeOf(store);
	return [ FileStore.prototype, SecureStore.prototype, MemoryStore.prototype ].includes(proto) ? store[CORE]() : null;
}

/**
 * The addon options that make the core use `store` (a `TokenStore`): the same store opened by
 * the core for an instance of our own classes, else the store itself, called through
 * `dispatcher()` (`tokenStoreType` is then only a placeholder the custom store replaces).
 */
function storeOptions(store) {
	return coreOptions(store) || { tokenStoreType: 'memory', customTokenStore: dispatcher(store) };
}

/**
 * The one function the core calls a JavaScript store through: `(op, argsJson)` → JSON text of
 * `{ ok: result }` or `{ error: message }`. Records cross as stored (tokens included).
 */
function dispatcher(store) {
	return async (op, argsJson) => {
		try {
			const args = JSON.parse(argsJson);
			let result = null;
			switch (op) {
				case 'list':
					result = await store.list();
					break;
				case 'get':
					result = await store.get(args[0]);
					break;
				case 'set':
					await store.set(args[0]);
					break;
				case 'delete':
					await store.delete(args[0], args[1]);
					break;
				case 'clear':
					await store.clear(args[0]);
					break;
				default:
					throw new Error(`unknown operation "${op}"`);
			}
			return JSON.stringify({ ok: result ?? null });
		} catch (err) {
			return JSON.stringify({ error: String((err && err.message) || err) });
		}
	};
}

module.exports = { TokenStore, FileStore, SecureStore, MemoryStore, coreOptions, dispatcher, storeOptions };
