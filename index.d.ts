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
  /** `auto`, `secure` (default), `file`, `memory` or `null`. */
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
}

/** Options of `login`. */
export interface LoginOptions extends AuthOptions {
  /** Service account client secret. */
  clientSecret?: string
  /** Path to a PEM private key (PKCS#8 or PKCS#1) that signs a client assertion. */
  secretFile?: string
  /** Platform tooling username (email); needs `clientSecret` or `secretFile`. */
  username?: string
  /** Platform tooling password. */
  password?: string
  /** Log in again even when the account is already logged in. */
  force?: boolean
  /** `false`: do not open a browser, hand the URL to `onOpenBrowser`. */
  launchBrowser?: boolean
  /** Called with the login URL before a browser is opened. */
  onOpenBrowser?: (info: { url: string }) => void
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
  /** Account name or hash; default: the default account. */
  accountName?: string
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

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/**
 * The native `Auth`: internal, used by `lib/sdk.js` (use `Auth` and `createSdkAuth`). Every
 * method takes and resolves JSON text.
 */
export declare class SdkClient {
  /** Checks the constructor options (environment, token store) as the SDK's constructor does. */
  constructor(options?: string | undefined | null)
  /** `Auth.list()`. */
  list(): Text
  /** `Auth.find(nameOrHash)` when `name` is given, else `Auth.find(options)`. */
  find(name?: string | undefined | null, options?: string | undefined | null): Text
  /** `Auth.login(options)`. */
  login(options?: string | undefined | null, hooks?: object | undefined | null): Text
  /** `Auth.logout({ accounts, all, baseUrl })` (arguments already checked by the JS side). */
  logout(accounts: Array<string> | undefined | null, all: boolean, baseUrl?: string | undefined | null): Text
  /** `Auth.serverInfo(options)`; `url` overrides the well-known URL. */
  serverInfo(options?: string | undefined | null, url?: string | undefined | null): Text
  /** `Auth.updateAccount(account)`. */
  updateAccount(accountJson: string): Text
  /** `sdk.auth.findSession(account, defaultTeams)`. */
  findSession(accountJson: string, defaultTeams?: string | undefined | null): Text
  /** `sdk.auth.loadSession(account, defaultTeams)`. */
  loadSession(accountJson: string, defaultTeams?: string | undefined | null): Text
  /** `sdk.auth.find(nameOrHash, defaultTeams)`. */
  findAccount(name: string, defaultTeams?: string | undefined | null): Text
  /** `sdk.auth.list({ validate, skip, defaultTeams })`. */
  listAccounts(validate: boolean, skip?: Array<string> | undefined | null, defaultTeams?: string | undefined | null): Text
  /** `sdk.auth.login(options)`. */
  sdkLogin(options?: string | undefined | null, hooks?: object | undefined | null): Text
  /** `sdk.auth.logout({ accounts, all, baseUrl })` (arguments already checked by the JS side). */
  sdkLogout(accounts: Array<string> | undefined | null, all: boolean, baseUrl?: string | undefined | null, hooks?: object | undefined | null): Text
  /** `sdk.auth.switchOrg(account, org, { onOpenBrowser })`. */
  switchOrg(accountJson?: string | undefined | null, org?: string | undefined | null, hooks?: object | undefined | null): Text
}

/**
 * Lists the authenticated accounts of the current environment, sorted by name, each with
 * `default`. Validates (refreshes and re-reads the platform session of) every account
 * concurrently unless `validate: false`.
 */
export declare function list(options?: ListOptions): Promise<Account[]>

/**
 * Logs in a service account (client secret or private key), optionally upgraded to a platform
 * tooling session with `username` and `password`. Rejects with `code: 'EAUTHENTICATED'` and the
 * existing `account` when already logged in (unless `force`).
 */
export declare function login(options?: LoginOptions): Promise<Account>

/**
 * Logs out the named accounts, or all of them (`all: true`, or no `accounts`). Resolves the
 * removed accounts (persisted secrets stripped), each with `revoked: "server" | "local"`.
 */
export declare function logout(options?: LogoutOptions): Promise<Account[]>

/**
 * Moves an unreadable token store (corrupt, foreign, or whose keychain key is gone) aside to
 * `<file>.<UTC timestamp>.corrupt`, so the next login starts afresh (`axway auth logout
 * --reset`). Resolves `{ movedTo }`: the new path, or `null` when the store is readable or
 * absent and nothing was moved. Never deletes anything.
 */
export declare function resetStore(options?: AuthOptions): Promise<{ movedTo: string | null }>

/** The identity server's OpenID configuration (the hidden `axway auth server-info`). */
export declare function serverInfo(options?: AuthOptions): Promise<Record<string, unknown>>

/** Makes an account the default, with its org and team, in `config.json`. */
export declare function switch(options?: SwitchOptions): Promise<Account>

/**
 * Takes the notices queued by earlier calls (for example "the keychain did not answer; using
 * the file token store"). The `axway` command prints them on stderr.
 */
export declare function takeNotices(): Array<string>

/**
 * The named account (`accountName`), else the default account, else the first; `null` when
 * not logged in.
 */
export declare function whoami(options?: WhoamiOptions): Promise<Account | null>
