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
