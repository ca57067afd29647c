'use strict';

// Drop-ins for @axway/amplify-sdk 3.2.16: the `Auth` class (spec 2.1–2.2) and an object shaped
// like `sdk.auth` (`createSdkAuth`, spec 2.3). The work is native (`SdkClient`,
// src/node/sdk.rs → src/auth/sdk.rs); this file gives it the SDK's shapes: argument checks with
// the SDK's error types and codes, the non-enumerable `auth.expired` getter on every account,
// and `findSession`/`loadSession`/`switchOrg` updating the account object they are given.
// Options and results cross to the addon as JSON text, parsed here once.

const { SdkClient } = require('../index.js');

const NATIVE = Symbol('axway-auth.sdk');
const HAS_STORE = Symbol('axway-auth.sdk.hasStore');

/** An SDK-style error: `new Type(message)` with an enumerable `code` of `ERR_<name>`. */
function sdkError(Type, name, message) {
	const err = new Type(message);
	Object.defineProperty(err, 'code', { configurable: true, enumerable: true, writable: true, value: `ERR_${name}` });
	return err;
}

/** The options the addon understands; everything else (`got`, `requestOptions`, `messages`,
 * callbacks) is not passed on. */
const OPTION_KEYS = [
	'accountName', 'baseUrl', 'clientId', 'clientSecret', 'env', 'force', 'homeDir', 'interactiveLoginTimeout',
	'launchBrowser', 'password', 'persistSecrets', 'platformUrl', 'realm', 'requestTimeout', 'secretFile',
	'secureServiceName', 'serviceAccount', 'timeout', 'tokenRefreshThreshold', 'tokenStoreDir', 'tokenStoreType',
	'username'
];

function pick(opts, extra) {
	const out = {};
	for (const key of OPTION_KEYS) {
		const value = extra && key in extra ? extra[key] : opts[key];
		if (value !== undefined && typeof value !== 'function') {
			out[key] = value;
		}
	}
	return JSON.stringify(out);
}

function hooks(opts) {
	if (!opts || (typeof opts.onOpenBrowser !== 'function' && typeof opts.launchBrowser !== 'boolean' && opts.device === undefined)) {
		return undefined;
	}
	const out = {};
	if (typeof opts.onOpenBrowser === 'function') {
		out.onOpenBrowser = opts.onOpenBrowser;
	}
	if (typeof opts.launchBrowser === 'boolean') {
		out.launchBrowser = opts.launchBrowser;
	}
	// the device login (issue 11): `device: true | 'auto'` with `onDeviceCode(info)` (Auth.login only)
	if (opts.device !== undefined) {
		out.device = opts.device;
	}
	if (typeof opts.onDeviceCode === 'function') {
		out.onDeviceCode = opts.onDeviceCode;
	}
	return out;
}

function expired() {
	return !this.expires || this.expires.access < Date.now();
}

/** Adds the SDK's non-enumerable `auth.expired` getter (never serialized). */
function withExpired(account) {
	if (account && account.auth && typeof account.auth === 'object' && !Object.getOwnPropertyDescriptor(account.auth, 'expired')) {
		Object.defineProperty(account.auth, 'expired', { configurable: true, get: expired });
	}
	return account;
}

/** Removed records: `auth.expired` is `true`, as the SDK marks them. */
function asRemoved(accounts) {
	for (const account of accounts) {
		if (account && account.auth) {
			Object.defineProperty(account.auth, 'expired', { configurable: true, value: true });
		}
	}
	return accounts;
}

const parseAccount = text => withExpired(JSON.parse(text));
const parseAccounts = text => {
	const accounts = JSON.parse(text);
	for (const account of accounts) {
		withExpired(account);
	}
	return accounts;
};

/** The SDK updates the account object it is given; so do we. */
function updateInPlace(target, source) {
	if (!target || typeof target !== 'object' || !source) {
		return withExpired(source);
	}
	for (const key of Object.keys(target)) {
		if (!(key in source)) {
			delete target[key];
		}
	}
	return withExpired(Object.assign(target, source));
}

/**
 * The SDK's store-level list (`TokenStore.list()` then the environment filter) done here on a
 * file store's records, which the addon reads and decrypts in place: no trip through the
 * addon's async runtime for what takes a millisecond. `null` when the regular (async) path must
 * run: another store type, an unreadable store (the regular path reports why), or a record to
 * purge (the regular path removes it from the store, as the SDK's list does).
 */
function liveRecords(native, env) {
	const text = native.readFileStore();
	if (text == null) {
		return null;
	}
	let records;
	try {
		records = JSON.parse(text);
	} catch {
		return null;
	}
	if (!Array.isArray(records)) {
		return null;
	}
	const now = Date.now();
	const out = [];
	for (const record of records) {
		const expires = record && record.auth && record.auth.expires;
		if (!expires || !(expires.access > now || (expires.refresh && expires.refresh > now))) {
			return null;
		}
		if ((record.auth.env || 'prod') === env) {
			out.push(withExpired(record));
		}
	}
	return out;
}

/** Sorted by name as the addon sorts (case-insensitive, then exact). Not `localeCompare`,
 * whose first use in a process initialises ICU collation: about 20 ms. */
function sortByName(accounts) {
	const keyed = accounts.map(a => [ String(a.name).toLowerCase(), String(a.name), a ]);
	keyed.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
	return keyed.map(k => k[2]);
}

const SECRETS = [ 'clientSecret', 'password', 'secret', 'username' ];

function teamsJson(defaultTeams) {
	return defaultTeams && typeof defaultTeams === 'object' ? JSON.stringify(defaultTeams) : null;
}

function checkObject(opts) {
	if (!opts || typeof opts !== 'object') {
		throw sdkError(TypeError, 'INVALID_ARGUMENT', 'Expected options to be an object');
	}
}

/** The client id check of the SDK's authenticators (per-call value, else the constructor's). */
function checkClientId(auth, opts) {
	const clientId = opts.clientId || auth.clientId;
	if (!clientId || typeof clientId !== 'string') {
		throw sdkError(TypeError, 'MISSING_REQUIRED_PARAMETER', 'Expected required parameter "clientId" to be a non-empty string');
	}
}

function checkUnsupported(opts) {
	if (opts.manual) {
		throw sdkError(Error, 'UNSUPPORTED', 'Manual login (`manual: true`) is not supported: pass `launchBrowser: false` and `onOpenBrowser` to get the login URL');
	}
	if (opts.code !== undefined) {
		throw sdkError(Error, 'UNSUPPORTED', 'Logging in with an authorization code (`code`) is not supported');
	}
	if (opts.authenticator !== undefined) {
		throw sdkError(Error, 'UNSUPPORTED', 'Custom authenticators (`authenticator`) are not supported');
	}
}

// Environment names and aliases, as the addon resolves them (spec 7.1; `preprod` is its own env).
const ENVIRONMENTS = {
	prod: 'prod', production: 'prod',
	staging: 'staging', test: 'staging', dev: 'staging', development: 'staging',
	preprod: 'preprod', preproduction: 'preprod', 'pre-production': 'preprod'
};
const ENV_URLS = {
	prod: 'https://login.axway.com',
	staging: 'https://login.axwaytest.net',
	preprod: 'https://login.na-us.axwaypreprod.net'
};

function envName(env) {
	if (!env) {
		return 'prod';
	}
	if (typeof env !== 'string') {
		throw new TypeError('Expected environment to be a string');
	}
	const name = ENVIRONMENTS[env.toLowerCase()];
	if (!name) {
		throw sdkError(Error, 'INVALID_ENVIRONMENT', `Invalid environment "${env}"`);
	}
	return name;
}

/**
 * Drop-in for `@axway/amplify-sdk`'s `Auth` (3.2.16): the same constructor options, methods,
 * results and error codes. See index.d.ts.
 */
class Auth {
	tokenRefreshThreshold = 0;

	constructor(opts = {}) {
		checkObject(opts);
		let threshold;
		if (opts.tokenRefreshThreshold !== undefined) {
			threshold = parseInt(opts.tokenRefreshThreshold, 10);
			if (isNaN(threshold)) {
				throw sdkError(TypeError, 'INVALID_PARAMETER', 'Expected token refresh threshold to be a number of seconds');
			}
			if (threshold < 0) {
				throw sdkError(RangeError, 'INVALID_RANGE', 'Token refresh threshold must be greater than or equal to zero');
			}
			this.tokenRefreshThreshold = threshold;
		}
		const env = envName(opts.env);
		if (opts.tokenStore) {
			throw sdkError(TypeError, 'INVALID_PARAMETER', 'Custom token stores (`tokenStore`) are not supported: use `tokenStoreType`');
		}
		const type = opts.tokenStoreType === undefined ? 'secure' : opts.tokenStoreType;
		const homeDir = typeof opts.homeDir === 'string' && opts.homeDir;
		const tokenStoreDir = typeof opts.tokenStoreDir === 'string' && opts.tokenStoreDir;
		if (type === 'secure' && !homeDir) {
			throw sdkError(TypeError, 'INVALID_PARAMETER', 'Secure store requires the home directory to be specified');
		}
		if (type === 'file' && !homeDir && !tokenStoreDir) {
			throw sdkError(TypeError, 'MISSING_REQUIRED_PARAMETER', 'Token store requires a home directory');
		}
		const secure = (type === 'secure' || type === 'auto') && !!homeDir;
		Object.defineProperties(this, {
			baseUrl: { value: opts.baseUrl },
			clientId: { value: opts.clientId },
			clientSecret: { value: opts.clientSecret },
			interactiveLoginTimeout: { value: opts.interactiveLoginTimeout },
			messages: { value: opts.messages },
			password: { value: opts.password },
			realm: { value: opts.realm },
			persistSecrets: { writable: true, value: opts.persistSecrets === undefined && secure ? true : opts.persistSecrets },
			platformUrl: { value: opts.platformUrl },
			secretFile: { value: opts.secretFile },
			serviceAccount: { value: opts.serviceAccount },
			username: { value: opts.username },
			[NATIVE]: { value: new SdkClient(pick(opts, { tokenRefreshThreshold: threshold })) }
		});
		this.env = env;
		Object.defineProperty(this, HAS_STORE, { value: [ 'auto', 'secure', 'file', 'memory' ].includes(type) });
	}

	async find(opts = {}) {
		if (typeof opts === 'string') {
			const found = parseAccount(await this[NATIVE].find(opts, null));
			return found ?? (this[HAS_STORE] ? undefined : null);
		}
		checkObject(opts);
		checkClientId(this, opts);
		const found = parseAccount(await this[NATIVE].find(null, pick(opts)));
		return found ?? (this[HAS_STORE] ? undefined : null);
	}

	async list() {
		return liveRecords(this[NATIVE], this.env) ?? parseAccounts(await this[NATIVE].list());
	}

	async login(opts = {}) {
		checkObject(opts);
		checkUnsupported(opts);
		checkClientId(this, opts);
		return parseAccount(await this[NATIVE].login(pick(opts), hooks(opts)));
	}

	async logout({ accounts, all, baseUrl } = {}) {
		if (!all) {
			if (!accounts) {
				throw sdkError(TypeError, 'INVALID_ARGUMENT', 'Expected accounts to be a list of accounts');
			}
			if (typeof accounts === 'string') {
				accounts = [ accounts ];
			}
			if (!Array.isArray(accounts)) {
				throw sdkError(TypeError, 'INVALID_ARGUMENT', 'Expected accounts to be a list of accounts');
			}
			if (!accounts.length) {
				return [];
			}
		}
		const names = all ? null : accounts.map(String);
		return asRemoved(JSON.parse(await this[NATIVE].logout(names, !!all, baseUrl || null)));
	}

	async serverInfo(opts = {}) {
		checkObject(opts);
		const { url } = opts;
		if (url && typeof url !== 'string') {
			throw sdkError(TypeError, 'INVALID_ARGUMENT', 'Expected URL to be a non-empty string');
		}
		return JSON.parse(await this[NATIVE].serverInfo(pick(opts), url || null));
	}

	async updateAccount(account) {
		if (!account || typeof account !== 'object') {
			throw sdkError(TypeError, 'INVALID_ACCOUNT', 'Account object is required');
		}
		await this[NATIVE].updateAccount(JSON.stringify(account));
	}
}

/**
 * Drop-in for `new AmplifySDK(opts).auth` (3.2.16): an object with `find`, `findSession`,
 * `list`, `loadSession`, `login`, `logout`, `serverInfo` and `switchOrg`. The options are the
 * `AmplifySDK` constructor's (username and password are not kept, as the SDK drops them).
 * The underlying `Auth` is created on first use, as the SDK's `authClient` is.
 */
function createSdkAuth(opts = {}) {
	if (typeof opts !== 'object' || opts === null) {
		throw sdkError(TypeError, 'INVALID_ARGUMENT', 'Expected options to be an object');
	}
	const authOpts = { ...opts };
	delete authOpts.username;
	delete authOpts.password;
	const env = envName(opts.env);
	const sdkBaseUrl = (opts.baseUrl || ENV_URLS[env]).replace(/\/$/, '');
	let client;
	const authClient = () => client || (client = new Auth(authOpts));
	const native = () => authClient()[NATIVE];

	const checkTeams = defaultTeams => {
		if (defaultTeams && typeof defaultTeams !== 'object') {
			throw sdkError(TypeError, 'INVALID_ARGUMENT', 'Expected default teams to be an object');
		}
	};

	const auth = {
		/** The account by name or hash (or, without one, the default authenticator's), its
		 * tokens refreshed when needed and its platform session loaded; `null` if none. */
		find: async (accountName, defaultTeams) => {
			if (typeof accountName === 'string') {
				if (defaultTeams && typeof defaultTeams !== 'object') {
					// the SDK checks them in findSession, when there is an account
					const found = await authClient().find(accountName);
					return found ? auth.loadSession(found, defaultTeams) : null;
				}
				return parseAccount(await native().findAccount(accountName, teamsJson(defaultTeams)));
			}
			const account = await authClient().find(accountName || {});
			return account ? await auth.loadSession(account, defaultTeams) : null;
		},

		/** Fills in the platform session, org, orgs, roles, user and team (not stored). */
		findSession: async (account, defaultTeams) => {
			checkTeams(defaultTeams);
			if (!account || typeof account !== 'object') {
				throw new TypeError('Account required');
			}
			return updateInPlace(account, JSON.parse(await native().findSession(JSON.stringify(account), teamsJson(defaultTeams))));
		},

		/** The accounts of the environment, sorted by name, without secrets; `validate` refreshes
		 * and re-reads every account's session (all at once). */
		list: async (opts = {}) => {
			checkObject(opts);
			if (!opts.validate) {
				const client = authClient();
				const live = liveRecords(client[NATIVE], client.env);
				if (live) {
					for (const account of live) {
						for (const key of SECRETS) {
							delete account.auth[key];
						}
					}
					return sortByName(live);
				}
			}
			const skip = Array.isArray(opts.skip) ? opts.skip.map(String) : null;
			return parseAccounts(await native().listAccounts(!!opts.validate, skip, teamsJson(opts.defaultTeams)));
		},

		/** `findSession`, then the account is stored and returned without secrets; `null` when
		 * the platform session was invalidated (the account is then removed). */
		loadSession: async (account, defaultTeams) => {
			checkTeams(defaultTeams);
			if (!account || typeof account !== 'object') {
				throw new TypeError('Account required');
			}
			const loaded = JSON.parse(await native().loadSession(JSON.stringify(account), teamsJson(defaultTeams)));
			return loaded ? updateInPlace(account, loaded) : null;
		},

		/** Logs in (client secret, secret file, or the browser), upgrades to a platform tooling
		 * session with `username`/`password`, and loads the session. Rejects with
		 * `code: 'EAUTHENTICATED'` and `account` when already logged in, unless `force`. */
		login: async (opts = {}) => {
			checkObject(opts);
			const { username, password } = opts;
			if (username || password) {
				const clientSecret = opts.clientSecret || authOpts.clientSecret;
				const secretFile = opts.secretFile || authOpts.secretFile;
				if (!clientSecret && !secretFile) {
					throw new Error('Username/password can only be specified when using client secret or secret file');
				}
				if (!username || typeof username !== 'string') {
					throw new TypeError('Expected username to be an email address');
				}
				if (!password || typeof password !== 'string') {
					throw new TypeError('Expected password to be a non-empty string');
				}
			}
			checkUnsupported(opts);
			const client = authClient();
			checkClientId(client, opts);
			try {
				return parseAccount(await client[NATIVE].sdkLogin(pick(opts), hooks(opts)));
			} catch (err) {
				if (err && err.code === 'EAUTHENTICATED') {
					withExpired(err.account);
				}
				throw err;
			}
		},

		/** Logs out the named accounts (exact names) or `all`, and returns the removed records
		 * (no secrets). Platform user accounts also get the platform's sign-out page. */
		logout: async ({ accounts, all, baseUrl = sdkBaseUrl, onOpenBrowser, launchBrowser } = {}) => {
			if (!all) {
				if (!Array.isArray(accounts)) {
					throw sdkError(TypeError, 'INVALID_ARGUMENT', 'Expected accounts to be a list of accounts');
				}
				if (!accounts.length) {
					return [];
				}
			}
			const names = all ? null : accounts.map(String);
			const text = await native().sdkLogout(names, !!all, baseUrl || null, hooks({ onOpenBrowser, launchBrowser }));
			return asRemoved(JSON.parse(text));
		},

		/** The identity server's OpenID configuration. */
		serverInfo: opts => authClient().serverInfo(opts),

		/** Moves a platform account to another of its orgs (object, guid, id or name) through the
		 * platform's org-selection page, then refreshes its tokens and session; a missing or
		 * expired account logs in through the browser. Updates `account` in place. */
		switchOrg: async (account, org, opts = {}) => {
			const wanted = org === undefined || org === null
				? null
				: typeof org === 'object' ? String(org.guid || org.id || org.name || '') : String(org);
			const text = await native().switchOrg(account ? JSON.stringify(account) : null, wanted || null, hooks(opts));
			return account && typeof account === 'object' ? updateInPlace(account, JSON.parse(text)) : parseAccount(text);
		}
	};
	return auth;
}

module.exports = { Auth, createSdkAuth };
