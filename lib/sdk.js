'use strict';

// Drop-ins for @axway/amplify-sdk 3.2.16: the `Auth` class (spec 2.1–2.2) and an object shaped
// like `sdk.auth` (`createSdkAuth`, spec 2.3). This file is only an adapter: it maps the SDK's
// names and shapes onto the addon's operations (the same ones the `axway` command uses, with
// `profile: 'sdk'`: the caller's options only, the SDK's defaults), checks the shapes of
// arguments as the SDK does, and adds the SDK's non-enumerable `auth.expired` getter. Every
// rule (environments, token stores, credentials, purging, matching, secrets) is the core's.

const native = require('../index.js');
const { E, checkObject } = require('./errors.js');
const { resolve: resolveEnvironment } = require('./environments.js');
const { interactiveOptions, login, manualLogin, ownerPasswordOnly, withCode } = require('./login.js');
const { allWithExpired, asRemoved, updateInPlace, withExpired } = require('./records.js');
const stores = require('./stores.js');

const SDK = Symbol('axway-auth.sdk');

/** The authenticator classes, loaded when an authenticator is first asked for. */
const authenticators = () => require('./authenticators.js');


/** The `requestOptions` the addon uses (CA, client certificate, proxy, strictSSL); Buffers as
 * text. The rest of got's request options does not apply. */
function networkOptions(ro) {
	if (!ro || typeof ro !== 'object') {
		return undefined;
	}
	const text = v => (Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v);
	const out = {};
	for (const key of [ 'ca', 'cert', 'key', 'proxy', 'strictSSL' ]) {
		if (ro[key] !== undefined) {
			out[key] = key === 'ca' && Array.isArray(ro.ca) ? ro.ca.map(text) : text(ro[key]);
		}
	}
	return out;
}

function checkTeams(defaultTeams) {
	if (defaultTeams && typeof defaultTeams !== 'object') {
		throw E.INVALID_ARGUMENT('Expected default teams to be an object');
	}
}

function checkAccount(account) {
	if (!account || typeof account !== 'object') {
		throw new TypeError('Account required');
	}
}

function checkAccountList(accounts) {
	if (!Array.isArray(accounts)) {
		throw E.INVALID_ARGUMENT('Expected accounts to be a list of accounts');
	}
}

// Options kept by the constructor; per-call values win when truthy (`persistSecrets` and
// `launchBrowser` when defined), except the token store's, which are the constructor's (the
// SDK's applyDefaults).
const STORE_KEYS = [ 'homeDir', 'tokenStoreDir', 'tokenStoreType', 'secureServiceName', 'tokenRefreshThreshold', 'requestOptions' ];

/** The addon options for one call: the constructor's merged with the call's. */
function merge(base, call = {}) {
	const out = { ...base };
	for (const [ key, value ] of Object.entries(call)) {
		if (STORE_KEYS.includes(key) || key === 'authenticator' || typeof value === 'function' || value === undefined) {
			continue;
		}
		if (value || key === 'persistSecrets') {
			out[key] = value;
		}
	}
	return Object.assign(out, interactiveOptions(call));
}

/** The store instance the SDK's `Auth` constructor makes for the store type the core resolved. */
function sdkStore(type, opts) {
	switch (type) {
		case 'secure':
		case 'auto':
			return new stores.SecureStore(opts);
		case 'file':
			return new stores.FileStore(opts);
		case 'memory':
			return new stores.MemoryStore(opts);
		default:
			return null;
	}
}

/**
 * Drop-in for `@axway/amplify-sdk`'s `Auth` (3.2.16): the same constructor options, methods,
 * results and error codes. See index.d.ts.
 */
class Auth {
	tokenRefreshThreshold = 0;

	/** The token store (`null`: nothing is kept), as the SDK's `auth.tokenStore`. */
	tokenStore = null;

	constructor(opts = {}) {
		checkObject(opts);
		const base = { profile: 'sdk' };
		for (const [ key, value ] of Object.entries(opts)) {
			if (typeof value !== 'function' && value !== undefined && key !== 'tokenStore' && key !== 'got' && key !== 'messages') {
				base[key] = key === 'requestOptions' ? networkOptions(value) : value;
			}
		}
		if (opts.tokenRefreshThreshold !== undefined) {
			const threshold = parseInt(opts.tokenRefreshThreshold, 10);
			if (isNaN(threshold)) {
				throw E.INVALID_PARAMETER('Expected token refresh threshold to be a number of seconds');
			}
			if (threshold < 0) {
				throw E.INVALID_RANGE('Token refresh threshold must be greater than or equal to zero');
			}
			this.tokenRefreshThreshold = base.tokenRefreshThreshold = threshold;
		}
		if (opts.tokenStore) {
			if (!(opts.tokenStore instanceof stores.TokenStore)) {
				throw E.INVALID_PARAMETER('Expected the token store to be a "TokenStore" instance');
			}
			// one of our own stores: the core opens the same store itself; any other (a subclass)
			// is called from the core through one dispatcher
			delete base.tokenStoreDir;
			Object.assign(base, stores.storeOptions(opts.tokenStore));
			// the SDK keeps secrets with a given store only when asked, even a SecureStore
			base.persistSecrets = opts.persistSecrets ?? false;
		}
		const resolved = native.describeOptions(base);
		this.tokenStore = opts.tokenStore || sdkStore(resolved.tokenStoreType, opts);
		if (this.tokenStore instanceof stores.MemoryStore && !opts.tokenStore) {
			Object.assign(base, stores.coreOptions(this.tokenStore));
		}
		Object.defineProperties(this, {
			baseUrl: { value: opts.baseUrl },
			clientId: { value: opts.clientId },
			clientSecret: { value: opts.clientSecret },
			interactiveLoginTimeout: { value: opts.interactiveLoginTimeout },
			messages: { value: opts.messages },
			password: { value: opts.password },
			realm: { value: opts.realm },
			persistSecrets: { writable: true, value: opts.tokenStore ? opts.persistSecrets : resolved.persistSecrets ?? undefined },
			platformUrl: { value: opts.platformUrl },
			secretFile: { value: opts.secretFile },
			serviceAccount: { value: opts.serviceAccount },
			username: { value: opts.username },
			[SDK]: { value: { base, hasStore: resolved.tokenStoreType !== 'null' } }
		});
		this.env = resolved.env;
	}

	async find(opts = {}) {
		const { base, hasStore } = this[SDK];
		let call;
		if (typeof opts === 'string') {
			call = { ...base, account: opts };
		} else {
			checkObject(opts);
			call = merge(base, opts);
			if (opts.authenticator) {
				Object.assign(call, authenticators().createAuthenticator(opts).credentialOptions());
			}
		}
		const found = withExpired(await native.find({ ...ownerPasswordOnly(call), exposure: 'stored' }));
		return found ?? (hasStore ? undefined : null);
	}

	async list() {
		return allWithExpired(await native.list({ ...this[SDK].base, validate: false, exposure: 'stored' }));
	}

	/** Logs in with the authenticator the options select, as the SDK's `createAuthenticator`:
	 * `authenticator`, else an owner password (`username` + `password`), a client secret, a
	 * secret file, else the browser (PKCE); `code` exchanges an authorization code instead,
	 * `manual` resolves the URL (see lib/login.js). */
	async login(opts = {}) {
		checkObject(opts);
		if (opts.authenticator) {
			return authenticators().createAuthenticator(opts).login(opts);
		}
		return login(ownerPasswordOnly(merge(this[SDK].base, opts)), opts);
	}

	/** The SDK's `applyDefaults`: the call's options over the constructor's, the environment
	 * resolved (its base and platform URL as defaults). */
	applyDefaults(opts = {}) {
		checkObject(opts);
		const env = resolveEnvironment(opts.env || this.env);
		return {
			...opts,
			baseUrl: opts.baseUrl || this.baseUrl || env.baseUrl,
			clientId: opts.clientId || this.clientId,
			clientSecret: opts.clientSecret || this.clientSecret,
			env: env.name,
			messages: opts.messages || this.messages,
			password: opts.password || this.password,
			persistSecrets: opts.persistSecrets !== undefined ? opts.persistSecrets : this.persistSecrets,
			platformUrl: opts.platformUrl || this.platformUrl,
			realm: opts.realm || this.realm || env.realm,
			secretFile: opts.secretFile || this.secretFile,
			serviceAccount: opts.serviceAccount || this.serviceAccount,
			timeout: opts.timeout || opts.interactiveLoginTimeout || this.interactiveLoginTimeout,
			tokenStore: this.tokenStore ?? null,
			username: opts.username || this.username
		};
	}

	/** The SDK's `createAuthenticator`: `opts.authenticator`, else the authenticator the
	 * options select (`OwnerPassword`, `ClientSecret`, `SignedJWT`, else `PKCE`). */
	createAuthenticator(opts = {}) {
		if (!opts.authenticator && opts.persistSecrets === undefined) {
			opts.persistSecrets = this.persistSecrets;
		}
		return authenticators().createAuthenticator(opts);
	}

	async logout({ accounts, all, baseUrl } = {}) {
		if (!this[SDK].hasStore) {
			return []; // as the SDK: no token store, nothing to log out (before any argument check)
		}
		if (!all) {
			checkAccountList(typeof accounts === 'string' ? [ accounts ] : accounts);
			if (!accounts.length) {
				return [];
			}
		}
		const call = { ...this[SDK].base, all: !!all, accounts, onlyBaseUrl: baseUrl || undefined, allEnvs: true, launchBrowser: false };
		return asRemoved(await native.logout(call));
	}

	async serverInfo(opts = {}) {
		checkObject(opts);
		if (opts.url && typeof opts.url !== 'string') {
			throw E.INVALID_ARGUMENT('Expected URL to be a non-empty string');
		}
		return native.serverInfo(merge(this[SDK].base, opts));
	}

	async updateAccount(account) {
		if (!account || typeof account !== 'object') {
			throw E.INVALID_ACCOUNT('Account object is required');
		}
		await native.updateAccount({ ...this[SDK].base, record: account });
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
		throw E.INVALID_ARGUMENT('Expected options to be an object');
	}
	const authOpts = { ...opts };
	delete authOpts.username;
	delete authOpts.password;
	let client;
	const authClient = () => client || (client = new Auth(authOpts));
	const base = () => authClient()[SDK].base;

	const auth = {
		/** The account by name or hash (or, without one, the default authenticator's), its
		 * tokens refreshed when needed and its platform session loaded; `null` if none. */
		find: async (accountName, defaultTeams) => {
			if (typeof accountName === 'string' && !(defaultTeams && typeof defaultTeams !== 'object')) {
				return withExpired(await native.find({ ...base(), account: accountName, session: true, defaultTeams }));
			}
			const account = await authClient().find(accountName || {});
			return account ? await auth.loadSession(account, defaultTeams) : null;
		},

		/** Fills in the platform session, org, orgs, roles, user and team (not stored). */
		findSession: async (account, defaultTeams) => {
			checkTeams(defaultTeams);
			checkAccount(account);
			return updateInPlace(account, await native.findSession({ ...base(), record: account, defaultTeams }));
		},

		/** The accounts of the environment, sorted by name, without secrets; `validate` refreshes
		 * and re-reads every account's session (all at once). */
		list: async (opts = {}) => {
			checkObject(opts);
			const skip = Array.isArray(opts.skip) ? opts.skip.map(String) : undefined;
			return allWithExpired(await native.list({ ...base(), validate: !!opts.validate, skip, defaultTeams: opts.defaultTeams || undefined }));
		},

		/** `findSession`, then the account is stored and returned without secrets; `null` when
		 * the platform session was invalidated (the account is then removed). */
		loadSession: async (account, defaultTeams) => {
			checkTeams(defaultTeams);
			checkAccount(account);
			const loaded = await native.findSession({ ...base(), record: account, defaultTeams, session: true });
			return loaded ? updateInPlace(account, loaded) : null;
		},

		/** Logs in (client secret, secret file, or the browser), upgrades to a platform tooling
		 * session with `username`/`password`, and loads the session. Rejects with
		 * `code: 'EAUTHENTICATED'` and `account` when already logged in, unless `force`. */
		login: async (opts = {}) => {
			checkObject(opts);
			try {
				const call = withCode(merge(base(), opts), opts);
				return opts.manual ? await manualLogin(call) : withExpired(await native.login(call));
			} catch (err) {
				if (err && err.code === 'EAUTHENTICATED') {
					withExpired(err.account);
				}
				throw err;
			}
		},

		/** Logs out the named accounts (exact names) or `all`, and returns the removed records
		 * (no secrets). Platform user accounts also get the platform's sign-out page. */
		logout: async ({ accounts, all, baseUrl, onOpenBrowser, launchBrowser } = {}) => {
			if (!all) {
				checkAccountList(accounts);
				if (!accounts.length) {
					return [];
				}
			}
			const call = { ...base(), all: !!all, accounts, onlyBaseUrl: baseUrl || undefined, sameBaseUrl: !baseUrl, onOpenBrowser, launchBrowser };
			return asRemoved(await native.logout(call));
		},

		/** The identity server's OpenID configuration. */
		serverInfo: opts => authClient().serverInfo(opts),

		/** Moves a platform account to another of its orgs (object, guid, id or name) through the
		 * platform's org-selection page, then refreshes its tokens and session; a missing or
		 * expired account logs in through the browser. Updates `account` in place. */
		switchOrg: async (account, org, opts = {}) => {
			const wanted = org === undefined || org === null
				? undefined
				: typeof org === 'object' ? String(org.guid || org.id || org.name || '') || undefined : String(org);
			const result = await native.switchOrg({ ...merge(base(), opts), record: account || undefined, org: wanted });
			return account && typeof account === 'object' ? updateInPlace(account, result) : withExpired(result);
		}
	};
	return auth;
}

module.exports = { Auth, createSdkAuth };
