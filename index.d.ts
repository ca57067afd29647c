/**
 * Every `err.code` this package produces. The core's codes are defined in `src/error.rs`
 * (`Error::code`), the doctor's `ERR_CLOCK_SKEW` in `src/net/doctor.rs`; a few belong to the
 * JS side:
 * - `ERR_ADDON_NOT_FOUND`: no prebuilt addon loads on this platform (binding.js);
 * - `ERR_HEADLESS`: `axway auth switch` to another org of a platform account needs a browser;
 * - `ERR_PROMPT_CANCELLED`: a prompt of the command was cancelled or ran out of input;
 * - `ERR_INVALID_ACCOUNT`, `ERR_INVALID_RANGE`: the SDK's codes for two argument errors of the
 *   SDK-compatible `Auth`.
 * The SDK-compatible API puts the SDK's own code (`ECONNREFUSED`, a platform code), or none, on
 * `code` where the SDK's callers rely on it, and this code on `axwayCode`. Tests keep this list
 * and the sources in step.
 */
export type ErrorCode =
  | 'EAUTHENTICATED'
  | 'ECONNREFUSED'
  | 'EINVALIDGRANT'
  | 'ERR_ADDON_NOT_FOUND'
  | 'ERR_AUTH_DENIED'
  | 'ERR_AUTH_FAILED'
  | 'ERR_AUTH_TIMEOUT'
  | 'ERR_BAD_RESPONSE'
  | 'ERR_BAD_SECRET_FILE'
  | 'ERR_BROWSER_FAILED'
  | 'ERR_CANCELLED'
  | 'ERR_CLOCK_SKEW'
  | 'ERR_CONFIG_INVALID'
  | 'ERR_DEVICE_CODE_EXPIRED'
  | 'ERR_DEVICE_FLOW_UNSUPPORTED'
  | 'ERR_HEADLESS'
  | 'ERR_INTERNAL'
  | 'ERR_INVALID_ACCOUNT'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_ENVIRONMENT'
  | 'ERR_INVALID_FILE'
  | 'ERR_INVALID_PARAMETER'
  | 'ERR_INVALID_PEM'
  | 'ERR_INVALID_RANGE'
  | 'ERR_IO'
  | 'ERR_LOGIN_CANCELLED'
  | 'ERR_LOGIN_REQUIRED'
  | 'ERR_MISSING_AUTH_CODE'
  | 'ERR_MISSING_REQUIRED_PARAMETER'
  | 'ERR_NOT_FOUND'
  | 'ERR_PROMPT_CANCELLED'
  | 'ERR_PROXY_AUTH'
  | 'ERR_PROXY_UNREACHABLE'
  | 'ERR_REQUEST_FAILED'
  | 'ERR_SECRET_FILE_NOT_FOUND'
  | 'ERR_SECURE_STORE_UNAVAILABLE'
  | 'ERR_SESSION_INVALIDATED'
  | 'ERR_STATE_MISMATCH'
  | 'ERR_STORE_CORRUPT'
  | 'ERR_TIMEOUT'
  | 'ERR_TLS_EXPIRED'
  | 'ERR_TLS_FAILED'
  | 'ERR_TLS_HOSTNAME'
  | 'ERR_TLS_UNTRUSTED'
  | 'ERR_TOKEN_STORE'
  | 'ERR_UNREACHABLE'
  | 'ERR_UNSUPPORTED'

/* eslint-disable */
/** Options every call accepts. Explicit options win over `AXWAY_AUTH_*` environment variables,
 * which win over `~/.axway/axway-cli/config.json`, which wins over the environment's defaults. */
export interface AuthOptions {
  /** `prod` (default), `staging`, `preprod`, or an alias such as `dev`. */
  env?: string
  /** Identity server base URL, e.g. `https://login.axway.com`. */
  baseUrl?: string
  /** Platform web and API URL, e.g. `https://platform.axway.com`. */
  platformUrl?: string
  /** Keycloak realm. Default `Broker`. */
  realm?: string
  /** OAuth client id. Default `amplify-cli`. */
  clientId?: string
  /** Default `~/.axway`. */
  homeDir?: string
  /** `auto`, `secure`, `file`, `memory` or `null`. When none is given (no option, variable or
   * config key): the store that already holds accounts, else the keychain-backed `secure` store
   * when the OS keychain answers, else the `file` store (with a notice). The SDK-compatible
   * `Auth` keeps the SDK's default, `secure`. */
  tokenStoreType?: 'auto' | 'secure' | 'file' | 'memory' | 'null' | null
  /** Keychain service name. Default `Axway AMPLIFY Auth`. */
  secureServiceName?: string
  /** Refresh tokens expiring within this many seconds. Default 900. */
  tokenRefreshThreshold?: number
  /** Milliseconds per browser login stage. Default 120000. */
  interactiveLoginTimeout?: number
  /** Store client secrets and keys with the account (default: only with the secure store). */
  persistSecrets?: boolean
  /** Milliseconds one HTTP request may take. Default 30000. */
  requestTimeout?: number
  /** Corporate networks: extra CAs, client certificate, proxy, `strictSSL`. Each wins over
   * config.json's `network.*` keys, which win over `HTTPS_PROXY`/`NO_PROXY` and friends. */
  requestOptions?: RequestOptions
}

/** What `describeOptions(options)` resolves (nothing is read or written but `config.json`). */
export interface ResolvedOptions {
  env: 'prod' | 'staging' | 'preprod'
  /** The environment's table entry. */
  environment: { name: string; baseUrl: string; platformUrl: string; realm: string }
  persistSecrets: boolean | null
  tokenStoreType: 'auto' | 'secure' | 'file' | 'memory' | 'null'
  homeDir: string
  baseUrl: string
  platformUrl: string
  realm: string
  clientId: string
  /** The realm's OpenID endpoints. */
  endpoints: { auth: string; certs: string; logout: string; token: string; userinfo: string; wellKnown: string }
  /** The account hash these options log in as; `null` without a client id or readable
   * credentials. */
  hash: string | null
}

/** How requests travel (the JS SDK's `requestOptions` names). The OS trust store, Mozilla's
 * roots, `NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE`/`SSL_CERT_DIR` and `network.caFile` are always
 * trusted; `ca` adds to them. */
export interface RequestOptions {
  /** Extra CA certificates (PEM), as a string, a Buffer, or an array of them. */
  ca?: string | Buffer | Array<string | Buffer>
  /** Client certificate (PEM) for mutual TLS; needs `key`. */
  cert?: string | Buffer
  /** The client certificate's private key (PEM). */
  key?: string | Buffer
  /** Proxy URL, `http://[user:password@]host:port` (credentials percent-encoded), or `false`
   * for none (ignoring `network.proxy` and `HTTPS_PROXY`). `NO_PROXY` still applies. */
  proxy?: string | false
  /** `false` turns certificate verification off (a warning is printed on stderr). Default true. */
  strictSSL?: boolean
}

/** One check of `doctor()`. */
export interface DoctorCheck {
  /** `config`, `settings`, `store`, `proxy`, `dns`, `tcp`, `tls`, `openid`, `http` or `clock`. */
  id: string
  /** The host (and port) a network check is about. */
  target?: string
  title: string
  /** `warn`: works, but should be fixed (verification off, certificate expiring). `skip`: not
   * run because an earlier check of the same host failed. */
  status: 'pass' | 'warn' | 'fail' | 'skip'
  /** What was found, one line. */
  detail: string
  /** What to do, one line (failures and warnings). */
  advice?: string
  /** The error code of a failure (`ERR_TLS_UNTRUSTED`, `ERR_PROXY_AUTH`, `ERR_CLOCK_SKEW`, …). */
  code?: string
  /** Structured details: `addresses`, `issuer`, `expires`, `daysLeft`, `trustSource`,
   * `proxy` (password redacted), `skewSeconds`, … */
  data?: Record<string, unknown>
}

/** What `doctor()` (and `axway auth doctor --json`) reports. `ok`: no check failed. */
export interface DoctorReport {
  ok: boolean
  checks: DoctorCheck[]
}

/* Environment variables read besides those of `AuthOptions`: `AXWAY_AUTH_CLIENT_SECRET`,
 * `AXWAY_AUTH_SECRET_FILE` (service-account credentials below `clientSecret`/`secretFile`, above
 * config.json), `AXWAY_AUTH_PASSWORD` (tooling password below `password`) and
 * `AXWAY_AUTH_ACCOUNT` (the account `token` and `whoami` act on, below `account`). */

/** Options of `login`. */
export interface LoginOptions extends AuthOptions {
  /** Service account client secret. */
  clientSecret?: string
  /** Path to a PEM private key (PKCS#8 or PKCS#1) that signs a client assertion. */
  secretFile?: string
  /** Platform tooling username (email); needs `clientSecret` or `secretFile`. With
   * `platformSession: false` (the SDK's `Auth`): the owner password grant's username. */
  username?: string
  /** Platform tooling password (with `platformSession: false`: the owner password). */
  password?: string
  /** An authorization code the caller obtained: exchanged (`grant_type=authorization_code`)
   * instead of a browser login, never returning a stored token. `''` or not a string (SDK
   * profile): TypeError `ERR_MISSING_AUTH_CODE` `Expected code for interactive authentication to
   * be a non-empty string`. In `Auth.login` only the browser authenticator uses it (with
   * credentials the SDK ignores it, but skips the stored token). */
  code?: string
  /** The redirect URI the code was issued for (sent as `redirect_uri`); also `redirectUri`. */
  redirect?: string
  redirectUri?: string
  /** The PKCE verifier of the authorization that gave `code` (sent as `code_verifier`). */
  codeVerifier?: string
  /** The caller shows the URL itself (with `onOpenBrowser`) and may cancel the browser login
   * with `cancelLogin(loginId)`; with a client secret, secret file or owner password: Error
   * `Manual mode is only supported with PKCE interactive authentication`. */
  manual?: boolean
  /** An id of the caller's choosing under which `cancelLogin(loginId)` cancels this browser
   * login while it waits (it rejects with `ERR_LOGIN_CANCELLED`). */
  loginId?: string
  /** Log in again even when the account is already logged in. */
  force?: boolean
  /** `false`: do not open a browser, hand the URL to `onOpenBrowser`. */
  launchBrowser?: boolean
  /** Called with the login URL before a browser is opened (`expiresIn`: seconds the login waits).
   * When opening the browser fails, the login keeps waiting for this URL to be opened by hand. */
  onOpenBrowser?: (info: { url: string; expiresIn?: number }) => void
  /** The device login (RFC 8628) for platform users: `true` always (rejects with
   * `ERR_DEVICE_FLOW_UNSUPPORTED` when the server does not offer it); `'auto'` when no browser
   * can reach the user from this machine (`headlessReason()`) and the server offers it, else the
   * browser login (whose URL, headless, goes to `onOpenBrowser` and no browser is launched);
   * `false` (default) the browser login. Needs `onDeviceCode`. */
  device?: boolean | 'auto'
  /** Called once, before polling, with what the user needs: the page, the code, the page with
   * the code in it, seconds until it expires, seconds between polls. A throw cancels the login. */
  onDeviceCode?: (info: DeviceCodeInfo) => void
  /** After a device login, the org to select (guid, id or name) through the platform API. */
  org?: string | number
  /** After a device login of a user with several orgs and no `org`: resolve the chosen org's
   * guid, id or name (nothing keeps the platform's default). A throw or rejection cancels. */
  onSelectOrg?: (choice: { orgs: OrgSummary[]; current: OrgSummary | null }) => string | null | undefined | Promise<string | null | undefined>
}

/** What `onDeviceCode` gets. */
export interface DeviceCodeInfo {
  verificationUri: string
  verificationUriComplete: string | null
  userCode: string
  expiresIn: number
  interval: number
}

/** An org the user can pick after a device login. */
export interface OrgSummary {
  guid?: string
  id?: number | string
  name?: string
}

/** Options of `find`. */
export interface FindOptions extends AuthOptions {
  /** The account's name or hash; without it, `accountName` or the account of the credentials
   * given. */
  account?: string
  accountName?: string
  /** Also load the platform session. */
  session?: boolean
  /** Account hashes to the team guid to select (with `session`). */
  defaultTeams?: Record<string, string>
}
/** Options of `list`. */
export interface ListOptions extends AuthOptions {
  /** Refresh tokens and re-read platform sessions (default `true`). */
  validate?: boolean
}

/** Options of `logout`. */
export interface LogoutOptions extends AuthOptions {
  /** Account names (or hashes) to log out. */
  accounts?: string[] | string
  /** Log out every account of the environment (the default when `accounts` is absent). */
  all?: boolean
}

/** `switch(options)`: the same function as `switchAccount` (a reserved word cannot be declared). */
export { switchAccount as switch }

/** Options of `switch`. */
export interface SwitchOptions extends AuthOptions {
  /** Account name or hash. Needed when several accounts are logged in. */
  account?: string
  /** Org guid, id or name. */
  org?: string | number
  /** Team guid or name. */
  team?: string
}

/** Options of `whoami`. */
export interface WhoamiOptions extends AuthOptions {
  /** Account name or hash; default: `account`, else `AXWAY_AUTH_ACCOUNT`, else the default account. */
  accountName?: string
  /** Account name or hash for this call (as `accountName`). */
  account?: string
}

/** Options of `token`. */
export interface TokenOptions extends AuthOptions {
  /** Account name or hash. Default: `AXWAY_AUTH_ACCOUNT`, else the default account, else the
   * only account. Never written to `config.json`. */
  account?: string
  /** Renew the token when it expires within this time: seconds, or a duration such as `'90s'`,
   * `'10m'`, `'1h'`. Default 5 minutes. */
  minValidity?: number | string
}

/** What `token` resolves: the access token and whose it is. */
export interface AccessToken {
  accessToken: string
  /** When the access token expires, in epoch milliseconds. */
  expiresAt: number
  /** The account's name. */
  account: string
  org: { id?: number | string; guid?: string; name?: string } | null
  team: { guid?: string; name?: string } | null
}

/** What a login would use (for the `axway` command's prompts). */
export interface LoginPlan {
  authenticator: 'ClientSecret' | 'SignedJWT' | 'PKCE'
  /** A tooling password is at hand (`password` or `AXWAY_AUTH_PASSWORD`). */
  password: boolean
}

/** An organization as listed in `Account.orgs`. */
export interface OrgRef {
  default?: boolean
  guid?: string
  id?: number | string
  name?: string
}

/** An authenticated account: the reference SDK's account record, without persisted secrets. */
export interface Account {
  name: string
  hash: string
  auth: {
    authenticator: 'PKCE' | 'ClientSecret' | 'SignedJWT' | 'OwnerPassword'
    baseUrl: string
    clientId: string
    env?: string
    /** Epoch milliseconds. */
    expires: { access: number; refresh: number | null }
    idp?: string
    realm: string
    /** The token endpoint's response (`access_token`, `expires_in`, …). */
    tokens: Record<string, unknown> & { access_token?: string; id_token?: string; refresh_token?: string }
    [key: string]: unknown
  }
  org?: {
    guid?: string
    id?: number | string
    name?: string
    region?: string
    teams?: Array<Record<string, unknown>>
    [key: string]: unknown
  }
  orgs?: OrgRef[]
  user?: { email?: string; guid?: string; firstName?: string; lastName?: string; [key: string]: unknown }
  isPlatform?: boolean
  isPlatformTooling?: boolean
  role?: string
  roles?: string[]
  team?: { default?: boolean; guid: string; name: string; roles: string[]; tags?: string[] }
  sid?: string
  /** `logout` only: whether the tokens were revoked at the identity server or only removed locally. */
  revoked?: 'server' | 'local'
  /** Whether this is the configured default account. */
  default?: boolean
  [key: string]: unknown
}

// ---- The JS SDK's API: `Auth` and `createSdkAuth` (lib/sdk.js) ------------------------------
//
// Drop-ins for `@axway/amplify-sdk` 3.2.16: `new Auth(options)` for the SDK's `Auth` class, and
// `createSdkAuth(options)` for the `auth` object of `new AmplifySDK(options)`. Same options,
// methods, results and error codes (`err.code`), checked against the SDK itself in
// __test__/sdk-compat.test.mjs. Unlike the functions above, they read their options only: no
// `config.json`, no `AXWAY_AUTH_*` variables, and the SDK's defaults (refresh threshold 0,
// `secure` store). Deliberate differences, all fixes of spec 10.4 / 12.3:
// - `login({ force: true })` always gets new tokens (the SDK reuses valid stored ones);
// - logout also revokes the tokens at the identity server (RFC 7009), signs service accounts
//   out at the configured platform URL (not the environment's built-in one), calls
//   `onOpenBrowser` for platform accounts, and never returns persisted secrets;
// - a failed `sdk.auth.login` puts back the record it replaced instead of deleting it;
// - `sdk.auth.list({ validate: true })` validates every account at once and writes the store once;
// - `preprod` is its own environment (as in SDK 4.x), not an alias of `staging`;
// - `login({ manual: true })`'s URL carries `state`, its redirect URI is that of our loopback
//   callback server, and `cancel()` rejects `promise` with `ERR_LOGIN_CANCELLED` (the SDK's
//   never settles);
// - a failed token request keeps our own code on `axwayCode` (`code` is the SDK's).
// The owner-password authenticator (`username` and `password` at the `Auth` level),
// `login({ code })` and `login({ manual: true })` are supported; `sdk.auth.login({ username,
// password })` with a client secret or secret file is the platform tooling login.

/** Options of `new Auth(options)` and `createSdkAuth(options)` (the SDK's `Auth` options). */
export interface SdkAuthOptions {
  /** Identity server base URL. Default: the environment's, e.g. `https://login.axway.com`. */
  baseUrl?: string
  /** OAuth client id (the Axway CLI uses `amplify-cli`). Required to log in: without it,
   * TypeError `ERR_MISSING_REQUIRED_PARAMETER`. */
  clientId?: string
  /** A service account's client secret: selects the `ClientSecret` authenticator. */
  clientSecret?: string
  /** `prod` (default), `staging`, `preprod`, or an alias (`production`, `test`, `dev`, …).
   * Unknown: Error `Invalid environment "<name>"` (`ERR_INVALID_ENVIRONMENT`). */
  env?: string
  /** The Axway home directory (`~/.axway`). Required by the `secure` store (else TypeError
   * `ERR_INVALID_PARAMETER`) and the `file` store (else TypeError
   * `ERR_MISSING_REQUIRED_PARAMETER`). */
  homeDir?: string
  /** Deprecated fallback for `homeDir`, for the file store only (as in the SDK). */
  tokenStoreDir?: string
  /** Milliseconds per browser login stage. Default 120000. */
  interactiveLoginTimeout?: number
  /** The owner-password authenticator (`OwnerPassword`): a non-empty `username` with a
   * `password` string select it for `Auth.login` and `Auth.find` (before a client secret or
   * secret file, as in the SDK): `grant_type=password`, the record's hash covers the username,
   * `persistSecrets` keeps both in `auth`. `createSdkAuth` drops them, as `AmplifySDK` does. */
  username?: string
  password?: string
  /** Store the client secret or private key with the account (so it can be refreshed by name).
   * Default: `true` with the `secure` and `auto` stores, else `false`. */
  persistSecrets?: boolean
  /** Platform web and API URL. Default: the environment's, e.g. `https://platform.axway.com`. */
  platformUrl?: string
  /** Keycloak realm. Default `Broker`. */
  realm?: string
  /** Path to a PEM private key (PKCS#8 or PKCS#1): selects the `SignedJWT` authenticator. */
  secretFile?: string
  /** Keychain service (and account) name of the secure store. Default `Axway AMPLIFY Auth`. */
  secureServiceName?: string
  /** Accepted for compatibility (the Axway CLI passes `!!clientSecret`); not used. */
  serviceAccount?: boolean
  /** Seconds: `find` refreshes tokens that expire sooner than this (measured against the refresh
   * token's expiry when there is one, spec 4.3). An integer ≥ 0 (strings are parsed as the SDK
   * parses them). Default **0** (the Axway CLI passes 900). Not a number: TypeError
   * `ERR_INVALID_PARAMETER`; negative: RangeError `ERR_INVALID_RANGE`. */
  tokenRefreshThreshold?: number | string
  /** `secure` (the default: key in the OS keychain), `auto` (secure, else file, else memory),
   * `file`, `memory` (this process only, one per `Auth` instance, as in the SDK), or `null` (no persistence).
   * Any other string: `ERR_INVALID_ARGUMENT`. */
  tokenStoreType?: 'auto' | 'secure' | 'file' | 'memory' | null
  /** Milliseconds one HTTP request may take. Default 30000. (Not an SDK option.) */
  requestTimeout?: number
  /** Accepted and ignored: the addon has its own HTTP client and one connection pool. */
  got?: unknown
  /** The SDK's HTTP settings: `ca`, `cert`, `key`, `proxy`, `strictSSL` are used (see
   * `RequestOptions`); other got options are ignored. */
  requestOptions?: RequestOptions & Record<string, unknown>
  /** Accepted and ignored. */
  messages?: unknown
  /** The token store to use instead of the one `tokenStoreType` selects: a `TokenStore`
   * instance (else TypeError `ERR_INVALID_PARAMETER` `Expected the token store to be a
   * "TokenStore" instance`). A `FileStore`, `SecureStore` or `MemoryStore` of this package is
   * opened by the core directly; any other (a subclass) is called from the core: its `list`,
   * `set` and `delete` (see `TokenStore`). */
  tokenStore?: TokenStore
}

/** Per-call options of `Auth.find`, `Auth.login`, `Auth.serverInfo`, `sdk.auth.login` and
 * `sdk.auth.serverInfo`: merged over the constructor's (a per-call value wins when truthy). */
export interface SdkCallOptions extends Pick<LoginOptions, 'code' | 'redirect' | 'redirectUri' | 'codeVerifier'> {
  baseUrl?: string
  clientId?: string
  clientSecret?: string
  env?: string
  platformUrl?: string
  realm?: string
  secretFile?: string
  persistSecrets?: boolean
  interactiveLoginTimeout?: number
  requestTimeout?: number
  /** Milliseconds per browser login stage, for this call. */
  timeout?: number
  /** `Auth.login` / `Auth.find`: log in (or look up) with this authenticator instance's
   * credentials; `login` then stores into the authenticator's own `tokenStore`, as the SDK. */
  authenticator?: Authenticator
  /** `find` and `sdk.auth.login`: also match this account name, besides the hash of the
   * authenticator the options select. */
  accountName?: string
  /** `login`: log in even when the account is logged in; always gets new tokens. */
  force?: boolean
  /** `Auth.login` and `Auth.find`: with `password`, the owner password grant's username (see
   * `SdkAuthOptions.username`; a wrong password: Error `Invalid Grant: <description>`, code
   * `EINVALIDGRANT`). `sdk.auth.login`: a platform tooling session for this user (an email), on
   * top of the service account that `clientSecret` or `secretFile` selects. Without one of them:
   * Error `Username/password can only be specified when using client secret or secret file`. */
  username?: string
  /** `Auth`: the owner password. `sdk.auth.login`: the tooling password. A wrong one: Error
   * `Failed to authenticate: <platform message> (<status>)` whose `code` is the platform's (e.g.
   * `401`). */
  password?: string
  /** Browser login (no client secret or secret file): `false` does not launch a browser, the URL
   * goes to `onOpenBrowser` only. (Not an SDK option.) */
  launchBrowser?: boolean
  /** Called with the URL before a browser opens (browser login, `switchOrg`, the platform
   * sign-out of `sdk.auth.logout`). A throw cancels. */
  onOpenBrowser?: (info: { url: string }) => void | Promise<void>
  /** `serverInfo` only: fetch this URL instead of the realm's well-known document. Not a string:
   * TypeError `ERR_INVALID_ARGUMENT`. */
  url?: string
  /** `login`: return the browser login's URL instead of opening a browser; resolves a
   * `ManualLogin`. Not the browser authenticator: Error `Manual mode is only supported with
   * PKCE interactive authentication`. */
  manual?: boolean
}

/** What `login({ manual: true })` resolves: the URL to open, and the login waiting for it. */
export interface ManualLogin {
  /** The authorization URL (with PKCE and `state`; its redirect is our loopback server). */
  url: string
  /** Resolves the account once the browser came back (`Authentication failed: Timed out`,
   * `ERR_AUTH_TIMEOUT`, after `timeout` / `interactiveLoginTimeout`). */
  promise: Promise<SdkAccount>
  /** The same Promise as `promise` (SDK 3.2.16's name). */
  loginAccount: Promise<SdkAccount>
  /** Stops the callback server; `promise` rejects with `ERR_LOGIN_CANCELLED`. Resolves once the
   * login has settled. */
  cancel(): Promise<void>
}

/** An account as the SDK's methods return it: the record of `Account` (without `default` and
 * `revoked`), with the SDK's non-enumerable `auth.expired` getter (access token expired; `true`
 * on records `logout` removed). `Auth.find`, `Auth.list` and `Auth.login` return records as
 * stored, persisted secrets (`auth.clientSecret`, `auth.secret`, `auth.username`,
 * `auth.password`) included, as the SDK does; the
 * `sdk.auth` methods and `logout` never return secrets. */
export type SdkAccount = Account & { auth: Account['auth'] & { readonly expired: boolean } }

/** Options of `Auth.logout` and `sdk.auth.logout`. */
export interface SdkLogoutOptions {
  /** Account names or hashes (`sdk.auth.logout`: exact names, an array). Required unless `all`:
   * TypeError `ERR_INVALID_ARGUMENT` `Expected accounts to be a list of accounts`. An empty
   * list logs out nothing. */
  accounts?: string | string[]
  /** Every account (`Auth.logout`: of every environment; `sdk.auth.logout`: of this one). */
  all?: boolean
  /** Only accounts of this identity server (scheme and trailing slash ignored).
   * `sdk.auth.logout` defaults to the configured base URL. */
  baseUrl?: string
  /** `sdk.auth.logout`: called with the platform sign-out page's URL (platform accounts). */
  onOpenBrowser?: (info: { url: string }) => void | Promise<void>
  /** `sdk.auth.logout`: `false` does not launch a browser for the sign-out page. */
  launchBrowser?: boolean
}

/**
 * Drop-in for `@axway/amplify-sdk` 3.2.16's `Auth`: `const { Auth } = require('axway-auth')`.
 * The constructor checks its options as the SDK's does (TypeError `ERR_INVALID_ARGUMENT`
 * `Expected options to be an object`, and the errors listed in `SdkAuthOptions`).
 */
export declare class Auth {
  constructor(options?: SdkAuthOptions)
  /** The resolved environment name: `prod`, `staging` or `preprod`. */
  env: 'prod' | 'staging' | 'preprod'
  /** Seconds (see `SdkAuthOptions.tokenRefreshThreshold`). */
  tokenRefreshThreshold: number
  readonly baseUrl?: string
  readonly clientId?: string
  readonly clientSecret?: string
  readonly interactiveLoginTimeout?: number
  readonly messages?: unknown
  readonly password?: string
  readonly platformUrl?: string
  readonly realm?: string
  readonly secretFile?: string
  readonly serviceAccount?: boolean
  readonly username?: string
  /** Whether `login` stores the authenticator's secrets with the account. */
  persistSecrets?: boolean
  /** The token store, as the SDK's: the `tokenStore` option, else a `SecureStore` (`secure`,
   * `auto` with `homeDir`), `FileStore` (`file`, `auto` with `tokenStoreDir` only) or
   * `MemoryStore` (`memory`, `auto` without a directory) of this package; `null` for
   * `tokenStoreType: null`. */
  tokenStore: TokenStore | null
  /**
   * The stored account with this name or hash (among those of the configured base URL), or the
   * one of the authenticator the options select. Its tokens are refreshed when they have expired
   * or expire within `tokenRefreshThreshold` (and the refreshed record is stored), else its
   * userinfo is re-read. `undefined` when there is none, or it can no longer be refreshed (an
   * `invalid_grant` removes it); `null` without a store. A rejected refresh of an unexpired
   * token keeps the account; other refresh errors reject (`ERR_AUTH_FAILED`, …).
   */
  find(nameOrHash: string): Promise<SdkAccount | undefined | null>
  find(options?: SdkCallOptions): Promise<SdkAccount | undefined | null>
  /** Every live account of the environment, as stored (no network). Records whose tokens have
   * all expired are removed from the store first, as the SDK does. */
  list(): Promise<SdkAccount[]>
  /**
   * Logs in with the authenticator the options select: a client secret or secret file (a token
   * request and userinfo; the record is stored; no platform session), else the browser (PKCE,
   * with the platform's org selection; the session is loaded). Without `force`, a stored account
   * of the same authenticator with a valid access token is returned as it is. Errors:
   * `ERR_AUTH_FAILED` (credentials refused), `ERR_MISSING_REQUIRED_PARAMETER` (no `clientId`),
   * `ERR_AUTH_TIMEOUT`, `ERR_UNREACHABLE`, `ERR_TIMEOUT`, … A non-2xx token response other than
   * `invalid_grant`: Error `Authentication failed: [<error_description>: ]Response code <status>
   * (<reason>)`, code `ERR_AUTH_FAILED`, `statusCode`; an unusable one: `Authentication failed:
   * Invalid server response`. A `username` and `password` select the owner password grant,
   * `code` exchanges a code, `manual` resolves a `ManualLogin`.
   */
  login(options: SdkCallOptions & { manual: true }): Promise<ManualLogin>
  login(options?: SdkCallOptions): Promise<SdkAccount>
  /** Removes the accounts from the store (`accounts` by name or hash, or `all`), revokes their
   * tokens and signs service accounts out of the platform; resolves the removed records. */
  logout(options: SdkLogoutOptions): Promise<SdkAccount[]>
  /** The identity server's OpenID configuration. Errors name the status, e.g.
   * `… Failed to get server info (status 404) …`. */
  serverInfo(options?: SdkCallOptions): Promise<Record<string, unknown>>
  /** Stores the account record (replacing the one with the same base URL and name). */
  updateAccount(account: Account): Promise<void>
  /** The SDK's `applyDefaults`: the call's options over the constructor's, the environment
   * resolved (its base URL and realm as defaults) and `tokenStore`. */
  applyDefaults(options?: SdkCallOptions): SdkCallOptions & { env: string; baseUrl: string; tokenStore: TokenStore | null }
  /** The SDK's `createAuthenticator`: `options.authenticator`, else `OwnerPassword` (username and
   * password), `ClientSecret`, `SignedJWT` (secret file), else `PKCE`. */
  createAuthenticator(options?: SdkCallOptions & { authenticator?: Authenticator }): Authenticator
}

/** The object `createSdkAuth` returns: `new AmplifySDK(options).auth` of SDK 3.2.16. Its
 * methods are arrow functions, as the SDK's are: they may be destructured. */
export interface SdkAuth {
  /** The account with this name or hash (or, without one, the options' authenticator's), its
   * tokens refreshed when needed (see `Auth.find`) and its platform session loaded
   * (`loadSession`); `null` when there is none. `defaultTeams` maps account hashes to the team
   * guid to select (not an object: TypeError `ERR_INVALID_ARGUMENT`, when there is an account). */
  find(nameOrHash?: string, defaultTeams?: Record<string, string>): Promise<SdkAccount | null>
  /** Fills in the platform session: `isPlatform`, `org` (entitlements, subscriptions, teams),
   * `orgs`, `role`, `roles`, `user` and `team` (spec 6.2). Updates and returns the object it is
   * given; nothing is stored. */
  findSession<T extends Account>(account: T, defaultTeams?: Record<string, string>): Promise<T & SdkAccount>
  /** The accounts of the environment sorted by name, without secrets. `validate` refreshes each
   * account's tokens when needed and re-reads its session (all accounts at once), except those
   * named in `skip`; an account that fails to validate is listed as stored, one that is gone
   * (revoked grant, invalidated session) is dropped. Not an object: TypeError
   * `ERR_INVALID_ARGUMENT`. */
  list(options?: { validate?: boolean; skip?: string[]; defaultTeams?: Record<string, string> }): Promise<SdkAccount[]>
  /** `findSession`, then stores the account and returns it without secrets (updating the object
   * it is given). A tooling session's orgs are restricted to the service account's org (else
   * Error `The service account's organization does not match the specified platform account's
   * organizations`). An invalidated platform session removes the account: `null`. */
  loadSession<T extends Account>(account: T, defaultTeams?: Record<string, string>): Promise<(T & SdkAccount) | null>
  /** Logs in (client secret, secret file, or the browser), upgrades to a platform tooling
   * session with `username`/`password`, and loads the session. Already logged in (and not
   * `force`): Error `Account already authenticated` with `code: 'EAUTHENTICATED'` and
   * `account` (its session loaded). A failure after the token request puts back the record the
   * login replaced. `manual: true` resolves a `ManualLogin` (browser logins only). */
  login(options: SdkCallOptions & { manual: true }): Promise<ManualLogin>
  login(options?: SdkCallOptions): Promise<SdkAccount>
  /** Logs out the named accounts (exact names) or `all` of the environment, platform user
   * accounts through the platform's sign-out page in the browser too; resolves the removed
   * records (no secrets). */
  logout(options: SdkLogoutOptions): Promise<SdkAccount[]>
  /** `Auth.serverInfo`. */
  serverInfo(options?: SdkCallOptions): Promise<Record<string, unknown>>
  /** Moves a platform account to another of its orgs (an org object, guid, id or name; its
   * current org when omitted) through the platform's org-selection page, then refreshes its
   * tokens and session; updates and returns the object it is given. A missing or expired
   * account logs in through the browser instead. Not a platform account, or an unknown org:
   * `ERR_INVALID_ARGUMENT` / `ERR_NOT_FOUND`. */
  switchOrg<T extends Account>(account: T | null | undefined, org?: string | number | { guid?: string; id?: number | string; name?: string }, options?: { onOpenBrowser?: (info: { url: string }) => void | Promise<void>; launchBrowser?: boolean }): Promise<T & SdkAccount>
}

/**
 * Drop-in for `new AmplifySDK(options).auth` (SDK 3.2.16): `const sdk = { auth:
 * createSdkAuth(options) }`. `options` are `AmplifySDK`'s (`username` and `password` are
 * dropped, as the SDK drops them); the underlying `Auth` is created on first use.
 */
export declare function createSdkAuth(options?: SdkAuthOptions): SdkAuth

// ---- The SDK's token stores (lib/stores.js) -----------------------------------------------------

/**
 * The SDK's base class of token stores. Extend it to keep accounts elsewhere and pass an instance
 * as `new Auth({ tokenStore })`: the core then calls `list()` to read, and `set(record)` /
 * `delete(name, baseUrl)` for each record a login, refresh, purge or logout adds, changes or
 * removes (the calls the SDK makes), with records as stored (tokens included). A method that
 * throws or rejects, a `list()` that does not resolve account records, or no answer within 60 s
 * (`AXWAY_AUTH_JS_STORE_TIMEOUT`, ms) fails the operation with `ERR_TOKEN_STORE` and writes
 * nothing. There is no cross-process lock: refreshes are serialised within this process only.
 * The protected helpers (`purge`, `_set`, `_delete`, `_clear`) work on what `list()` returns,
 * as the SDK's do.
 */
export declare class TokenStore {
  /** Not an object: TypeError `ERR_INVALID_ARGUMENT` `Expected options to be an object`. */
  constructor(options?: Record<string, unknown>)
  /** Every account record. The base class has none. */
  list(): Promise<Account[]>
  /** The first record named `accountName` or with `hash` (of `baseUrl`, ignoring its scheme and
   * a trailing slash), else `null`. Neither given: TypeError `ERR_MISSING_REQUIRED_PARAMETER`. */
  get(params?: { accountName?: string; baseUrl?: string; hash?: string }): Promise<Account | null>
  /** Stores `data`, replacing the record of the same base URL and name. The base class keeps
   * nothing. */
  set(data: Account): Promise<void>
  /** Removes the records named (names or hashes; of `baseUrl`, ignoring its scheme) and resolves
   * them, each with `auth.expired === true`. */
  delete(accounts: string | string[], baseUrl?: string): Promise<Account[]>
  /** Removes every record (or those of `baseUrl`) and resolves them, `auth.expired === true`. */
  clear(baseUrl?: string): Promise<Account[] | { entries: Account[]; removed: Account[] }>
  /** Drops, in place, the records whose access and refresh tokens have both expired, and gives
   * the others the non-enumerable `auth.expired` getter. */
  purge(entries: Account[]): Account[]
  /** `list()` with `data` in place of the record of the same base URL and name (appended). */
  protected _set(data: Account): Promise<Account[]>
  /** `list()` split into the records kept and those `delete` would remove. */
  protected _delete(accounts: string | string[], baseUrl?: string): Promise<{ entries: Account[]; removed: Account[] }>
  /** `list()` split into the records kept and those `clear` would remove. */
  protected _clear(baseUrl?: string): Promise<{ entries: Account[]; removed: Account[] }>
}

/** The file store: `<homeDir>/axway-cli/.tokenstore.v2` (plus the v1 mirror `<homeDir>/.tokenstore`),
 * encrypted with the SDK's fixed key; the same file the `axway` command and the SDK use. Its
 * methods are the core's (purge of expired records, matching, atomic locked writes). */
export declare class FileStore extends TokenStore {
  /** Without a `homeDir` (or the deprecated `tokenStoreDir`) string: TypeError
   * `ERR_MISSING_REQUIRED_PARAMETER` `Token store requires a home directory`. */
  constructor(options: { homeDir?: string; tokenStoreDir?: string } & Record<string, unknown>)
  /** `.tokenstore.v2` (`.tokenstore.secure.v2` for the secure store). */
  filename: string
  /** `homeDir`, resolved to an absolute path. */
  homeDir: string
  /** `<homeDir>/axway-cli`. */
  tokenStoreDir: string
  /** `<tokenStoreDir>/<filename>`. */
  tokenStoreFile: string
  delete(accounts: string | string[], baseUrl?: string): Promise<Account[]>
  clear(baseUrl?: string): Promise<Account[]>
}

/** The secure store: `<homeDir>/axway-cli/.tokenstore.secure.v2`, encrypted with a key kept in
 * the OS keychain under keytar's service and account `serviceName`, read by the core (keytar is
 * not used). A keychain that does not answer: `ERR_SECURE_STORE_UNAVAILABLE`. */
export declare class SecureStore extends FileStore {
  /** Not an object: TypeError `ERR_INVALID_ARGUMENT` `Expected opts to be an object`; without a
   * `homeDir` string: TypeError `ERR_INVALID_PARAMETER` `Secure store requires the home directory
   * to be specified`. */
  constructor(options: { homeDir: string; secureServiceName?: string } & Record<string, unknown>)
  /** The keychain entry's service (and account) name. Default `Axway AMPLIFY Auth`. */
  serviceName: string
}

/** An in-process store of the core, private to this instance (forgotten when it is
 * garbage-collected); `new Auth({ tokenStoreType: 'memory' })` makes one per `Auth`. */
export declare class MemoryStore extends TokenStore {
  delete(accounts: string | string[], baseUrl?: string): Promise<Account[]>
  clear(baseUrl?: string): Promise<Account[]>
}

// ---- The JS SDK's authenticators (lib/authenticators.js) ---------------------------------------
//
// Same constructor checks, errors and fields as SDK 3.2.16 (checked against it in
// __test__/sdk-authenticators.test.mjs). They carry options; the core does the work: `hash` and
// `endpoints` come from the core's rules, `login()` is the addon's login over the authenticator's
// own `tokenStore` (none unless given, as in the SDK). `auth.login({ authenticator })` and
// `auth.find({ authenticator })` use one.

/** Options every authenticator takes. */
export interface AuthenticatorOptions {
  /** Required (unlike `Auth`, an authenticator does not take it from `env`): else TypeError
   * `ERR_MISSING_REQUIRED_PARAMETER` `Invalid base URL: env or baseUrl required`. */
  baseUrl: string
  /** Required non-empty string (TypeError `ERR_MISSING_REQUIRED_PARAMETER`). */
  clientId: string
  /** Required non-empty string (TypeError `ERR_MISSING_REQUIRED_PARAMETER`). */
  realm: string
  env?: string
  platformUrl?: string
  persistSecrets?: boolean
  /** Strings (else TypeError `ERR_INVALID_PARAMETER`); kept as fields. */
  accessType?: string
  responseType?: string
  scope?: string
  /** Overrides of `auth`, `certs`, `token`, `userinfo`, `wellKnown` (validated and kept on
   * `endpoints`; the core derives the endpoints it calls from `baseUrl` and `realm`). */
  endpoints?: Partial<SdkEndpoints>
  /** A `TokenStore` instance (else TypeError `ERR_INVALID_PARAMETER`). */
  tokenStore?: TokenStore
  [key: string]: unknown
}

/** A realm's OpenID endpoints, as the SDK's `getEndpoints` returns them. */
export interface SdkEndpoints {
  auth: string
  certs: string
  token: string
  userinfo: string
  wellKnown: string
}

/** An environment's table entry. */
export interface SdkEnvironment {
  name: 'prod' | 'staging' | 'preprod'
  baseUrl: string
  platformUrl: string
  realm: string
}

/** The SDK's base authenticator. */
export declare class Authenticator {
  static GrantTypes: {
    AuthorizationCode: 'authorization_code'
    ClientCredentials: 'client_credentials'
    Password: 'password'
    RefreshToken: 'refresh_token'
    JWTAssertion: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
  }
  constructor(options: AuthenticatorOptions)
  accessType: string
  baseUrl: string
  clientId: string
  endpoints: SdkEndpoints
  env: SdkEnvironment
  interactive: boolean
  persistSecrets?: boolean
  platformUrl: string
  realm: string
  responseType: string
  scope: string
  tokenStore: TokenStore | null
  /** `<clientId>:<md5>` of the base URL, env, realm and the credential (the stored `hash`). */
  readonly hash: string
  readonly hashParams: Record<string, string> | null
  readonly authenticatorParams: Record<string, string> | null
  /** The addon options this authenticator logs in with (its store included). */
  coreOptions(): AuthOptions & Record<string, unknown>
  /** The addon options naming the identity server, client and credentials (no store). */
  credentialOptions(): AuthOptions & Record<string, unknown>
  /** Logs in: see `Auth.login` (`code`, `manual`, `timeout`, `onOpenBrowser`, `force`). */
  login(options?: SdkCallOptions): Promise<SdkAccount | ManualLogin>
  /** With a `code` (browser authenticator), else new tokens when `force`, else the stored valid
   * ones. */
  getToken(code?: string | null, redirectUri?: string | null, force?: boolean): Promise<SdkAccount>
}

/** A service account's client secret (`client_credentials`). TypeError `ERR_INVALID_ARGUMENT`
 * `Expected client secret to be a non-empty string`. */
export declare class ClientSecret extends Authenticator {
  constructor(options: AuthenticatorOptions & { clientSecret: string; serviceAccount?: boolean })
  readonly clientSecret: string
  shouldFetchOrgs: boolean
}

/** A service account's PEM private key (`secret` text or `secretFile` path) signing an RS256
 * client assertion. The SDK's checks: missing file, not a file, not PEM (Error). */
export declare class SignedJWT extends Authenticator {
  constructor(options: AuthenticatorOptions & ({ secret: string } | { secretFile: string }))
  readonly secret: string
  readonly secretFile?: string
  shouldFetchOrgs: boolean
}

/** A platform user in the browser (authorization code + PKCE). `codeVerifier` is this
 * instance's, for `login({ code, redirectUri })` with a code obtained with its challenge. */
export declare class PKCE extends Authenticator {
  constructor(options: AuthenticatorOptions)
  codeVerifier: string
}

/** The resource owner password grant. TypeError `ERR_INVALID_ARGUMENT` `Expected username to be
 * a non-empty string` / `Expected password to be a string`. */
export declare class OwnerPassword extends Authenticator {
  constructor(options: AuthenticatorOptions & { username: string; password: string })
  readonly username: string
  readonly password: string
}

/** The SDK's `environments` export: the environment table (`preprod` is its own environment
 * here) and `resolve(name)` (aliases such as `production`, `test`, `dev`; `prod` by default;
 * unknown: Error `Invalid environment "<name>"`). */
export declare const environments: {
  environments: Record<'staging' | 'prod' | 'preprod', Omit<SdkEnvironment, 'name'>>
  resolve(env?: string): SdkEnvironment
}

/** The SDK's `getEndpoints({ baseUrl, realm })` (TypeError `ERR_INVALID_ARGUMENT` without them). */
export declare function getEndpoints(params: { baseUrl: string; realm: string }): SdkEndpoints

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/**
 * Cancels the running login started with this `loginId` (the SDK-compatible manual login's
 * `cancel()`): its wait for the browser ends, its callback server stops, and the login rejects
 * with `code: 'ERR_LOGIN_CANCELLED'`. `false` when no such login is waiting (it settled
 * already).
 */
export declare function cancelLogin(loginId: string): boolean

/**
 * What options resolve to, without doing anything: `env` (and its table entry as
 * `environment`), `persistSecrets`, `tokenStoreType`, `homeDir`, `baseUrl`, `platformUrl`,
 * `realm`, `clientId`, the OpenID `endpoints`, and the account `hash` these options log in
 * as (`null` without a client id or when the credentials cannot be read). The SDK-compatible
 * constructors call it. Throws what an operation would reject with (unknown environment,
 * token store without a directory, …).
 */
export declare function describeOptions(options?: AuthOptions): ResolvedOptions

/**
 * Checks the set-up (`axway auth doctor`): config file, token store, and for the base and
 * platform URLs the proxy, DNS, TCP, TLS (issuer, expiry, trust source) and HTTP, then the
 * clock. Every check is bounded in time. Resolves the report (`ok` is false when a check
 * failed); never rejects for what it checks.
 */
export declare function doctor(options?: AuthOptions): Promise<DoctorReport>

/**
 * One stored account (`account`: name or hash; else `accountName` and the account of the
 * credentials given), refreshed when needed; with `session: true` its platform session is
 * loaded too (`defaultTeams`). `null` when there is none.
 */
export declare function find(options?: FindOptions): Promise<Account | null>

/**
 * The platform session, org, orgs, roles, user and team of `record` (nothing stored); with
 * `store: true` (loadSession) the record is stored too, and `null` means its platform session
 * has ended (the account was removed).
 */
export declare function findSession(options: AuthOptions & { record: Account; defaultTeams?: Record<string, string>; store?: boolean }): Promise<Account | null>

/**
 * Why no browser can reach the user from this machine (an SSH session, a container, no
 * display), or `null`. A platform login with `device: 'auto'` then uses the device login when
 * the identity server offers it, else shows the browser login's link.
 */
export declare function headlessReason(): string | null

/**
 * Lists the authenticated accounts of the current environment, sorted by name, each with
 * `default`. Validates (refreshes and re-reads the platform session of) every account
 * concurrently unless `validate: false`.
 */
export declare function list(options?: ListOptions): Promise<Account[]>

/**
 * Logs in: a service account (client secret or private key), optionally upgraded to a
 * platform tooling session with `username` and `password`, or a platform user in the browser.
 * Rejects with `code: 'EAUTHENTICATED'` and the existing `account` when already logged in
 * (unless `force`).
 */
export declare function login(options?: LoginOptions): Promise<Account>

/**
 * What a login with these options would use: the authenticator its credentials select and
 * whether a tooling password is at hand (the `axway` command prompts only for what is
 * missing). Synchronous; reads the secret file when one is given.
 */
export declare function loginPlan(options?: LoginOptions): LoginPlan

/**
 * Logs out the named accounts (`accounts`, names or hashes), or all of them (`all: true`, or
 * no `accounts`). Resolves the removed accounts (persisted secrets stripped), each with
 * `revoked: "server" | "local"`.
 */
export declare function logout(options?: LogoutOptions): Promise<Account[]>

/**
 * The text of a QR code for `text` (the complete verification link), drawn with Unicode half
 * blocks (two rows per line) and a quiet zone, dark on light, for printing in a terminal.
 */
export declare function qrCode(text: string): string

/**
 * Moves an unreadable token store (corrupt, foreign, or whose keychain key is gone) aside to
 * `<file>.<UTC timestamp>.corrupt`, so the next login starts afresh (`axway auth logout
 * --reset`). Resolves `{ movedTo }`: the new path, or `null` when the store is readable or
 * absent and nothing was moved. Never deletes anything.
 */
export declare function resetStore(options?: AuthOptions): Promise<{ movedTo: string | null }>

/**
 * Makes text from outside (a server, a store written by something else) safe for one line of
 * a terminal: control and bidi characters replaced by U+FFFD, line breaks collapsed to a
 * space, at most `maxLength` characters (default 200). The `axway` command renders names
 * through it; JSON output keeps exact values.
 */
export declare function sanitize(text: string, maxLength?: number | undefined | null): string

/** The identity server's OpenID configuration (`url` overrides its address). */
export declare function serverInfo(options?: AuthOptions & { url?: string }): Promise<Record<string, unknown>>

/**
 * `token()`'s answer when the stored token lives long enough, else `null` (then call
 * `token()`, which renews it). Synchronous, no network: the `axway auth token` command's fast
 * path. It blocks while it reads the store (and, for the secure store, asks the OS keychain
 * for its key, at most `AXWAY_AUTH_KEYCHAIN_TIMEOUT`); prefer `token()` in a server. Throws
 * what `token()` rejects with.
 */
export declare function storedToken(options?: TokenOptions): AccessToken | null

/**
 * Where tokens are kept: `{ type: 'secure' | 'file' | 'memory' | 'null', path }` (`secure`:
 * the file is encrypted with a key in the OS keychain).
 */
export declare function storeLocation(options?: AuthOptions): Promise<{ type: 'secure' | 'file' | 'memory' | 'null'; path: string | null }>

/** Makes an account the default, with its org and team, in `config.json`. */
export declare function switchAccount(options?: SwitchOptions): Promise<Account>

/**
 * Moves a platform account (`record`) to another of its orgs (`org`) through the platform's
 * org-selection page; a missing or expired account logs in through the browser.
 */
export declare function switchOrg(options: AuthOptions & { record?: Account | null; org?: string | null }): Promise<Account>

/**
 * Takes the notices queued by earlier calls (for example "the keychain did not answer; using
 * the file token store"). The `axway` command prints them on stderr.
 */
export declare function takeNotices(): Array<string>

/**
 * A valid access token for an account (`account`, else `AXWAY_AUTH_ACCOUNT`, else the default
 * account, else the only one) with at least `minValidity` left (default 5 minutes): the
 * stored token without any network request when it lives long enough, else renewed once
 * (refresh token; a service account logs in again with its persisted secret, else
 * `AXWAY_AUTH_CLIENT_SECRET` / `AXWAY_AUTH_SECRET_FILE`), single-flight across processes.
 * Rejects with `code: 'ERR_LOGIN_REQUIRED'` when not logged in or when the account needs an
 * interactive login.
 */
export declare function token(options?: TokenOptions): Promise<AccessToken>

/** Stores `record` as it is (replacing the one with the same base URL and name). */
export declare function updateAccount(options: AuthOptions & { record: Account }): Promise<null>

/**
 * The account `accountName` names (its name or hash, or a case-insensitive regular
 * expression over its name, email and org name), else the account in use (`account`,
 * `AXWAY_AUTH_ACCOUNT`, else the default), else the first; `null` when none. With `all: true`,
 * every match (`axway auth whoami` prints them all with `--json`).
 */
export declare function whoami(options?: WhoamiOptions): Promise<Account | Account[] | null>
