'use strict';

// Drop-ins for the JS SDK's (@axway/amplify-sdk 3.2.16) authenticators: `Authenticator` and its
// `ClientSecret`, `SignedJWT`, `PKCE` and `OwnerPassword`. Each checks its options as the SDK's
// constructor does and carries them; what they mean (environments, endpoints, the account hash,
// the grant, the token request, the record) is the core's: `hash` and `endpoints` come from
// `describeOptions`, `login()` is the addon's `login` with these credentials, over this
// authenticator's token store (none unless one is given, as in the SDK).

const { existsSync, readFileSync, statSync } = require('fs');

const native = require('../index.js');
const { E, checkObject } = require('./errors.js');
const { getEndpoints, resolve: resolveEnvironment } = require('./environments.js');
const { login, ownerPasswordGiven } = require('./login.js');

const CREDENTIALS = Symbol('axway-auth.credentials');

/** The addon options of a token store instance (`null`: no store). */
function storeOptionsOf(tokenStore) {
	return tokenStore ? require('./stores.js').storeOptions(tokenStore) : { tokenStoreType: null };
}

/**
 * Drop-in for the SDK's `Authenticator`: validates the options every authenticator shares and
 * logs in with the credentials a subclass adds. Not meant to be used directly (as in the SDK,
 * the base class logs in as a public client).
 */
class Authenticator {
	/** The OAuth grant types, as the SDK names them. */
	static GrantTypes = {
		AuthorizationCode: 'authorization_code',
		ClientCredentials: 'client_credentials',
		Password: 'password',
		RefreshToken: 'refresh_token',
		JWTAssertion: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
	};

	accessType = 'offline';
	interactive = false;
	persistSecrets = false;
	responseType = 'code';
	scope = 'openid';
	tokenStore = null;

	constructor(opts) {
		checkObject(opts);
		this.env = resolveEnvironment(opts.env);
		if (opts.baseUrl) {
			this.baseUrl = opts.baseUrl;
		}
		if (!this.baseUrl || typeof this.baseUrl !== 'string') {
			throw E.MISSING_REQUIRED_PARAMETER('Invalid base URL: env or baseUrl required');
		}
		this.platformUrl = opts.platformUrl || this.env.platformUrl;
		this.persistSecrets = opts.persistSecrets;
		for (const prop of [ 'clientId', 'realm' ]) {
			if (!opts[prop] || typeof opts[prop] !== 'string') {
				throw E.MISSING_REQUIRED_PARAMETER(`Expected required parameter "${prop}" to be a non-empty string`);
			}
			this[prop] = opts[prop];
		}
		for (const prop of [ 'accessType', 'responseType', 'scope' ]) {
			if (opts[prop] !== undefined) {
				if (typeof opts[prop] !== 'string') {
					throw E.INVALID_PARAMETER(`Expected parameter "${prop}" to be a string`);
				}
				this[prop] = opts[prop];
			}
		}
		this.endpoints = getEndpoints(this);
		if (opts.endpoints) {
			if (typeof opts.endpoints !== 'object') {
				throw E.INVALID_PARAMETER('Expected endpoints to be an object of names to URLs');
			}
			for (const [ name, url ] of Object.entries(opts.endpoints)) {
				if (!url || typeof url !== 'string') {
					throw E.INVALID_PARAMETER(`Expected "${name}" endpoint URL to be a non-empty string`);
				}
				if (!this.endpoints[name]) {
					throw E.INVALID_VALUE(`Invalid endpoint "${name}"`);
				}
				this.endpoints[name] = url;
			}
		}
		if (opts.tokenStore) {
			if (!(opts.tokenStore instanceof require('./stores.js').TokenStore)) {
				throw E.INVALID_PARAMETER('Expected the token store to be a "TokenStore" instance');
			}
			this.tokenStore = opts.tokenStore;
		}
	}

	/** The credentials a subclass adds (addon options). */
	get [CREDENTIALS]() {
		return {};
	}

	/** The addon options that say who logs in where (no store): identity server, client,
	 * environment and credentials. */
	credentialOptions() {
		const options = {
			baseUrl: this.baseUrl,
			clientId: this.clientId,
			env: this.env.name,
			platformUrl: this.platformUrl,
			realm: this.realm,
			...this[CREDENTIALS]
		};
		if (this.persistSecrets !== undefined) {
			options.persistSecrets = this.persistSecrets;
		}
		return options;
	}

	/** The addon options this authenticator logs in with: its own token store (none unless
	 * given, as in the SDK) and `credentialOptions()`. */
	coreOptions() {
		return { profile: 'sdk', ...storeOptionsOf(this.tokenStore), ...this.credentialOptions() };
	}

	/** The hash that identifies the account these credentials log in as (the core's rule,
	 * spec 3.6): `<clientId>:<md5 of base URL, env, realm and the credential>`. */
	get hash() {
		return native.describeOptions({ ...this.coreOptions(), tokenStoreType: null }).hash;
	}

	/** The parameters the account hash covers (the SDK's `hashParams`). */
	get hashParams() {
		return null;
	}

	/** The parameters kept with the account when `persistSecrets` (the SDK's
	 * `authenticatorParams`). */
	get authenticatorParams() {
		return null;
	}

	/**
	 * Logs in (the SDK's `Authenticator.login`): non-interactive authenticators get tokens
	 * right away (a valid stored token is reused); interactive ones (`PKCE`) open the browser,
	 * exchange `code` when given, or return `{ url, cancel, promise }` with `manual: true`.
	 */
	async login(opts = {}) {
		checkObject(opts);
		return login(this.coreOptions(), opts);
	}

	/** Gets tokens: with `code` (interactive), or new ones when `force`, else the stored valid
	 * ones (the SDK's `getToken`). */
	async getToken(code, redirectUri, force) {
		return login(this.coreOptions(), { code: code ?? undefined, redirectUri: redirectUri ?? undefined, force: !!force });
	}
}

/** Drop-in for the SDK's `ClientSecret`: a service account's client secret
 * (`client_credentials`). */
class ClientSecret extends Authenticator {
	constructor(opts) {
		checkObject(opts);
		if (!opts.clientSecret || typeof opts.clientSecret !== 'string') {
			throw E.INVALID_ARGUMENT('Expected client secret to be a non-empty string');
		}
		super(opts);
		this.shouldFetchOrgs = !opts.serviceAccount;
		Object.defineProperty(this, 'clientSecret', { value: opts.clientSecret });
	}

	get [CREDENTIALS]() {
		return { clientSecret: this.clientSecret };
	}

	get hashParams() {
		return { clientSecret: this.clientSecret };
	}

	get authenticatorParams() {
		return { clientSecret: this.clientSecret };
	}
}

/** Drop-in for the SDK's `SignedJWT`: a service account's PEM private key, given as text
 * (`secret`) or a file (`secretFile`), signing an RS256 client assertion. */
class SignedJWT extends Authenticator {
	constructor(opts) {
		checkObject(opts);
		let { secret } = opts;
		const { secretFile } = opts;
		if (!secret && !secretFile) {
			throw E.INVALID_ARGUMENT('Expected either a private key or private key file to be an object');
		} else if (secret !== undefined && typeof secret !== 'string') {
			throw E.INVALID_ARGUMENT('Expected private key to be a string');
		} else if (secretFile !== undefined) {
			if (typeof secretFile !== 'string') {
				throw E.INVALID_ARGUMENT('Expected private key file path to be a string');
			}
			if (!existsSync(secretFile)) {
				throw new Error(`Specified private key file does not exist: ${secretFile}`);
			}
			if (!statSync(secretFile).isFile()) {
				throw new Error(`Specified private key is not a file: ${secretFile}`);
			}
			secret = readFileSync(secretFile, 'utf8');
		}
		super(opts);
		this.shouldFetchOrgs = false;
		if (!/^-----BEGIN (RSA )?PRIVATE KEY-----/.test(secret)) {
			throw new Error(`Private key file ${opts.secretFile} is not a PEM formatted file`);
		}
		Object.defineProperty(this, 'secret', { value: secret });
		Object.defineProperty(this, 'secretFile', { value: secretFile });
	}

	get [CREDENTIALS]() {
		return { secret: this.secret, secretFile: this.secretFile };
	}

	get hashParams() {
		return { secret: this.secret };
	}

	get authenticatorParams() {
		return { secret: this.secret };
	}
}

/** Drop-in for the SDK's `PKCE`: a platform user in the browser (authorization code + PKCE).
 * `codeVerifier` is this instance's: a code obtained with its challenge can be exchanged with
 * `login({ code, redirectUri })`. */
class PKCE extends Authenticator {
	constructor(opts) {
		super(opts);
		// crypto is loaded on first use: `require('axway-auth')` stays fast
		this.codeVerifier = require('crypto').randomBytes(32).toString('base64').replace(/\+/g, '.').replace(/[=/]/g, '_');
		this.interactive = true;
	}

	get [CREDENTIALS]() {
		return { codeVerifier: this.codeVerifier };
	}
}

/** Drop-in for the SDK's `OwnerPassword`: the resource owner password grant with a username
 * and password. */
class OwnerPassword extends Authenticator {
	constructor(opts) {
		checkObject(opts);
		if (!opts.username || typeof opts.username !== 'string') {
			throw E.INVALID_ARGUMENT('Expected username to be a non-empty string');
		}
		if (typeof opts.password !== 'string') {
			throw E.INVALID_ARGUMENT('Expected password to be a string');
		}
		super(opts);
		Object.defineProperty(this, 'username', { value: opts.username });
		Object.defineProperty(this, 'password', { value: opts.password });
	}

	get [CREDENTIALS]() {
		return { username: this.username, password: this.password };
	}

	get hashParams() {
		return { username: this.username };
	}

	get authenticatorParams() {
		return { username: this.username, password: this.password };
	}
}

/**
 * The authenticator the SDK's `Auth.createAuthenticator` picks for these (defaulted) options:
 * `authenticator` as given, else `OwnerPassword` (username and password), `ClientSecret`,
 * `SignedJWT` (secret file), else `PKCE`.
 */
function createAuthenticator(opts) {
	if (opts.authenticator) {
		if (!(opts.authenticator instanceof Authenticator)) {
			throw E.INVALID_ARGUMENT('Expected authenticator to be an Authenticator instance.');
		}
		return opts.authenticator;
	}
	if (ownerPasswordGiven(opts)) {
		return new OwnerPassword(opts);
	}
	if (typeof opts.clientSecret === 'string' && opts.clientSecret) {
		return new ClientSecret(opts);
	}
	if (typeof opts.secretFile === 'string' && opts.secretFile) {
		return new SignedJWT(opts);
	}
	return new PKCE(opts);
}

module.exports = { Authenticator, ClientSecret, OwnerPassword, PKCE, SignedJWT, createAuthenticator };
