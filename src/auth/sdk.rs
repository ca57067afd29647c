//! The JS SDK's API (`@axway/amplify-sdk` 3.2.16) on top of the core operations: the `Auth`
//! class (spec 2.1–2.2: `find`, `list`, `login`, `logout`, `serverInfo`, `updateAccount`) and
//! the `sdk.auth` object (spec 2.3: `find`, `findSession`, `list`, `loadSession`, `login`,
//! `logout`, `serverInfo`, `switchOrg`).
//!
//! Settings come from the caller's options only, as the SDK's do: no `config.json`, no
//! environment variables, a token refresh threshold of 0 unless given, and `secure` as the
//! default store. Nothing here writes `config.json` (the default account is the CLI's business).
//!
//! Deliberate differences from the SDK (each a fix listed in spec 10.4 / 12.3):
//! - `login({ force: true })` always gets new tokens (the SDK returns the stored ones while
//!   they are valid, 10.4.6);
//! - a failed `sdk.auth.login` puts back the record it replaced instead of deleting it;
//! - logout revokes the tokens at the identity server (RFC 7009), signs service accounts out at
//!   the configured platform URL (not the environment's built-in one), and never returns
//!   persisted secrets;
//! - validation in `sdk.auth.list({ validate: true })` runs for all accounts at once.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::login::{
    apply_userinfo, build_account, credentials, keep_secrets, previous_record,
    store_and_load_session, undo_login,
};
use super::logout::sign_out;
use super::validate::renew;
use super::{compare_names, now_ms, open_store, BrowserOptions, LoginRequest};
use crate::account::{same_base_url, Account, Redacted};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::files;
use crate::hash::account_hash;
use crate::oauth::{self, Credentials, Endpoints, Grant};
use crate::platform::Platform;
use crate::session;
use crate::settings::{environment, Settings, StoreKind, DEFAULT_SECURE_SERVICE_NAME};
use crate::store::{self, codec, FileStore, TokenStore};

const DEFAULT_INTERACTIVE_TIMEOUT_MS: u64 = 120_000;
const DEFAULT_REQUEST_TIMEOUT_MS: u64 = 30_000;

/// The options of the SDK's `Auth` constructor and of its per-call options (camelCase, as JS
/// passes them). Per-call options are merged over the constructor's with [`SdkOptions::merged`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SdkOptions {
    pub base_url: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<Redacted>,
    pub env: Option<String>,
    pub home_dir: Option<String>,
    /// Deprecated fallback for `home_dir` (file store only, as in the SDK).
    pub token_store_dir: Option<String>,
    /// Milliseconds per browser stage.
    pub interactive_login_timeout: Option<f64>,
    /// Per call: milliseconds per browser stage (wins over `interactive_login_timeout`).
    pub timeout: Option<f64>,
    pub username: Option<String>,
    pub password: Option<Redacted>,
    pub persist_secrets: Option<bool>,
    pub platform_url: Option<String>,
    pub realm: Option<String>,
    pub secret_file: Option<String>,
    pub secure_service_name: Option<String>,
    pub service_account: Option<bool>,
    /// Seconds (already checked by the caller: an integer ≥ 0).
    pub token_refresh_threshold: Option<f64>,
    /// Absent: `secure`. `null`: no persistence.
    #[serde(default, deserialize_with = "present")]
    pub token_store_type: Option<Option<String>>,
    /// Milliseconds for one HTTP request (ours; the SDK has no such option).
    pub request_timeout: Option<f64>,
    /// Per call (`login`).
    pub force: Option<bool>,
    /// Per call (`login`, `switchOrg`): `false` shows the URL through `onOpenBrowser` only.
    pub launch_browser: Option<bool>,
    /// Per call (`find`): the account name to look up besides the authenticator hash.
    pub account_name: Option<String>,
}

/// Keeps an explicit `null` apart from an absent key.
fn present<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

fn or_str(call: &Option<String>, base: &Option<String>) -> Option<String> {
    non_empty(call).or(non_empty(base)).map(str::to_string)
}

fn or_secret(call: &Option<Redacted>, base: &Option<Redacted>) -> Option<Redacted> {
    let set = |v: &&Redacted| !v.expose().is_empty();
    call.as_ref()
        .filter(set)
        .or(base.as_ref().filter(set))
        .cloned()
}

impl SdkOptions {
    /// The SDK's `applyDefaults`: per-call values win when truthy (`persistSecrets` when
    /// defined); the store options are the constructor's.
    pub fn merged(&self, call: &SdkOptions) -> SdkOptions {
        SdkOptions {
            base_url: or_str(&call.base_url, &self.base_url),
            client_id: or_str(&call.client_id, &self.client_id),
            client_secret: or_secret(&call.client_secret, &self.client_secret),
            env: or_str(&call.env, &self.env),
            home_dir: self.home_dir.clone(),
            token_store_dir: self.token_store_dir.clone(),
            interactive_login_timeout: call
                .timeout
                .or(call.interactive_login_timeout)
                .filter(|t| *t > 0.0)
                .or(self.interactive_login_timeout),
            timeout: None,
            username: or_str(&call.username, &self.username),
            password: or_secret(&call.password, &self.password),
            persist_secrets: call.persist_secrets.or(self.persist_secrets),
            platform_url: or_str(&call.platform_url, &self.platform_url),
            realm: or_str(&call.realm, &self.realm),
            secret_file: or_str(&call.secret_file, &self.secret_file),
            secure_service_name: self.secure_service_name.clone(),
            service_account: call.service_account.or(self.service_account),
            token_refresh_threshold: self.token_refresh_threshold,
            token_store_type: self.token_store_type.clone(),
            request_timeout: call.request_timeout.or(self.request_timeout),
            force: call.force,
            launch_browser: call.launch_browser,
            account_name: call.account_name.clone(),
        }
    }

    /// The store the SDK's constructor would pick, and the directory it lives in. Mirrors the
    /// SDK's fall-through: `auto` without `homeDir` tries the file store (`tokenStoreDir`), then
    /// memory. Missing directories for `secure` and `file` are errors, as in the SDK.
    fn store(&self) -> Result<(StoreKind, PathBuf)> {
        let home = non_empty(&self.home_dir).map(PathBuf::from);
        let file_home = home
            .clone()
            .or_else(|| non_empty(&self.token_store_dir).map(PathBuf::from));
        let kind = match &self.token_store_type {
            None => "secure",
            Some(None) => "null",
            Some(Some(kind)) => kind.as_str(),
        };
        let none = PathBuf::new;
        Ok(match kind {
            "secure" => match home {
                Some(home) => (StoreKind::Secure, home),
                None => {
                    return Err(Error::InvalidArgument(
                        "Secure store requires the home directory to be specified".into(),
                    ))
                }
            },
            "auto" => match (home, file_home) {
                (Some(home), _) => (StoreKind::Auto, home),
                (None, Some(dir)) => (StoreKind::File, dir),
                (None, None) => (StoreKind::Memory, none()),
            },
            "file" => match file_home {
                Some(dir) => (StoreKind::File, dir),
                None => {
                    return Err(Error::InvalidArgument(
                        "Token store requires a home directory".into(),
                    ))
                }
            },
            "memory" => (StoreKind::Memory, none()),
            "null" => (StoreKind::Null, none()),
            other => {
                return Err(Error::InvalidArgument(format!(
                    "Unknown token store type \"{other}\": use auto, secure, file, memory or null"
                )))
            }
        })
    }

    /// Resolves these options into core settings (the SDK's defaults, no config file).
    pub fn settings(&self, runtime: Option<&str>) -> Result<Settings> {
        let env = environment(non_empty(&self.env).unwrap_or("prod"))?;
        let (store_kind, home_dir) = self.store()?;
        let base_url = non_empty(&self.base_url)
            .unwrap_or(&env.base_url)
            .to_string();
        let platform_url = non_empty(&self.platform_url).unwrap_or(&env.platform_url);
        let platform_url = platform_url
            .strip_suffix('/')
            .unwrap_or(platform_url)
            .to_string();
        let threshold = self.token_refresh_threshold.unwrap_or(0.0);
        if !threshold.is_finite() || threshold < 0.0 {
            return Err(Error::InvalidArgument(
                "Token refresh threshold must be greater than or equal to zero".into(),
            ));
        }
        let millis = |v: Option<f64>, default: u64| {
            v.filter(|v| v.is_finite() && *v > 0.0)
                .map_or(default, |v| v as u64)
        };
        Ok(Settings {
            base_url,
            platform_url,
            realm: non_empty(&self.realm).unwrap_or("Broker").to_string(),
            client_id: non_empty(&self.client_id).unwrap_or_default().to_string(),
            home_dir,
            store_kind,
            secure_service_name: non_empty(&self.secure_service_name)
                .unwrap_or(DEFAULT_SECURE_SERVICE_NAME)
                .to_string(),
            token_refresh_threshold: Duration::from_secs_f64(threshold),
            interactive_login_timeout: Duration::from_millis(millis(
                self.interactive_login_timeout,
                DEFAULT_INTERACTIVE_TIMEOUT_MS,
            )),
            persist_secrets: self
                .persist_secrets
                .unwrap_or(matches!(store_kind, StoreKind::Secure | StoreKind::Auto)),
            persist_secrets_explicit: self.persist_secrets,
            request_timeout: Duration::from_millis(millis(
                self.request_timeout,
                DEFAULT_REQUEST_TIMEOUT_MS,
            )),
            runtime: runtime.unwrap_or("node:unknown").to_string(),
            // The constructor's credentials are the fallback when a stored account has none
            // (the SDK's `find` merges them into the refresh), as config.json's are for the CLI.
            config_client_secret: self
                .client_secret
                .as_ref()
                .map(|s| s.expose().to_string())
                .filter(|s| !s.is_empty()),
            config_secret_file: non_empty(&self.secret_file).map(str::to_string),
            config: Config::default(),
            env,
        })
    }

    /// The login request these options describe (username and password are the SDK's
    /// owner-password authenticator at the `Auth` level, the tooling upgrade in `sdk.auth`).
    fn login_request(&self, browser: BrowserOptions) -> LoginRequest {
        LoginRequest {
            client_secret: self.client_secret.clone(),
            secret_file: self.secret_file.clone(),
            username: None,
            password: None,
            force: self.force.unwrap_or(false),
            browser: BrowserOptions {
                launch_browser: self.launch_browser.or(browser.launch_browser),
                on_open_browser: browser.on_open_browser,
            },
            device: Default::default(),
        }
    }

    fn owner_password(&self) -> bool {
        non_empty(&self.username).is_some() && self.password.is_some()
    }
}

/// How `Auth.find` looks an account up: by name and/or hash, optionally only among accounts of
/// one base URL (scheme and trailing slash ignored).
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    pub name: Option<String>,
    pub hash: Option<String>,
    pub base_url: Option<String>,
}

impl Lookup {
    fn matches(&self, account: &Account) -> bool {
        (self.name.as_deref() == Some(account.name.as_str())
            || self.hash.as_deref() == Some(account.hash.as_str()))
            && self
                .base_url
                .as_deref()
                .is_none_or(|b| same_base_url(&account.auth.base_url, b))
    }
}

/// Which accounts `logout` removes.
#[derive(Debug, Clone)]
pub enum Accounts {
    /// Every account (`all: true`).
    All,
    /// These names or hashes.
    Named(Vec<String>),
}

/// The credentials the options select, SDK priority: client secret, then secret file, else
/// none (browser login). Username and password without them are not supported.
fn selected_credentials(settings: &Settings, options: &SdkOptions) -> Result<Option<Credentials>> {
    if options.owner_password() {
        return Err(owner_password_unsupported());
    }
    credentials(settings, &options.login_request(BrowserOptions::default()))
}

fn owner_password_unsupported() -> Error {
    Error::Unsupported(
        "The username/password (resource owner password) authenticator is not supported; log in \
         with a client secret or a secret file, and pass username and password to sdk.auth.login \
         for a platform tooling session"
            .into(),
    )
}

fn require_client_id(settings: &Settings) -> Result<()> {
    if settings.client_id.is_empty() {
        return Err(Error::InvalidArgument(
            "Expected required parameter \"clientId\" to be a non-empty string".into(),
        ));
    }
    Ok(())
}

/// The authenticator hash (spec 3.6) for the credentials the options select.
pub fn authenticator_hash(settings: &Settings, options: &SdkOptions) -> Result<String> {
    require_client_id(settings)?;
    let credentials = selected_credentials(settings, options)?;
    Ok(account_hash(
        &settings.client_id,
        &settings.base_url,
        &settings.env.name,
        &settings.realm,
        credentials.as_ref().map(Credentials::hash_param),
    ))
}

/// Live records (expired ones purged), all environments.
fn live_records(store: &dyn TokenStore) -> Result<Vec<Account>> {
    Ok(store::list(store, now_ms())?.accounts)
}

/// The decrypted content of a file store's v2 file (the JSON array of every record, as
/// stored), read in place: the caller applies the SDK's list logic (purge check, environment
/// filter, secrets, order) to what it parses anyway. `None` when this is not a file store or the
/// file cannot be read or decrypted: use `list` / `list_accounts`, which report why. About a
/// millisecond for a handful of accounts, so callers may run it where they are rather than hand
/// it to another thread and wait for the answer.
pub fn read_file_store(settings: &Settings) -> Option<String> {
    if settings.store_kind != StoreKind::File {
        return None;
    }
    let store = FileStore::file(&settings.home_dir);
    match files::read_optional(store.path()) {
        Ok(Some(stored)) => {
            let plain = codec::decrypt_owned(&codec::FILE_STORE_KEY, stored).ok()?;
            String::from_utf8(plain).ok()
        }
        Ok(None) => Some("[]".into()),
        Err(_) => None,
    }
}

/// `Auth.list()`: the live records of the settings' environment, as stored (persisted secrets
/// included, as the SDK returns them), as JSON text.
pub async fn list(settings: &Settings) -> Result<String> {
    let Some(store) = open_store(settings)? else {
        return Ok("[]".into());
    };
    let records: Vec<Account> = live_records(store.as_ref())?
        .into_iter()
        .filter(|a| a.in_env(&settings.env.name))
        .collect();
    to_json(&records)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::InvalidArgument(format!("unserializable result: {e}")))
}

/// `Auth.find(nameOrHash | options)` (spec 4): the stored account, its tokens refreshed when
/// they expire within the threshold (or have expired), else its userinfo re-read. `None` when
/// there is no such account or it can no longer be refreshed (then it is removed).
pub async fn find(settings: &Settings, lookup: &Lookup) -> Result<Option<Account>> {
    let Some(store) = open_store(settings)? else {
        return Ok(None);
    };
    let Some(account) = live_records(store.as_ref())?
        .into_iter()
        .find(|a| lookup.matches(a))
    else {
        return Ok(None);
    };
    renew(settings, store.as_ref(), account).await
}

/// `Auth.login(options)`: a token request with the selected credentials, userinfo, and the
/// record stored (secrets kept when `persistSecrets`); no platform session. Without `force`, a
/// stored account with the same hash and a valid access token is returned as it is, as the SDK
/// does. Without credentials this is the browser login (which loads the platform session too).
pub async fn login(
    settings: &Settings,
    options: &SdkOptions,
    browser: BrowserOptions,
    device: super::DeviceOptions,
) -> Result<Account> {
    require_client_id(settings)?;
    let Some(credentials) = selected_credentials(settings, options)? else {
        let mut request = options.login_request(browser);
        request.force = true;
        request.device = device;
        return super::device::platform_login(settings, &request).await;
    };
    let hash = account_hash(
        &settings.client_id,
        &settings.base_url,
        &settings.env.name,
        &settings.realm,
        Some(credentials.hash_param()),
    );
    let store = open_store(settings)?;
    if !options.force.unwrap_or(false) {
        if let Some(store) = &store {
            let now = now_ms();
            let valid = live_records(store.as_ref())?.into_iter().find(|a| {
                a.hash == hash && a.auth.tokens.access_token().is_some() && !a.access_expired(now)
            });
            if let Some(account) = valid {
                return Ok(account);
            }
        }
    }
    let account = token_login(settings, store.as_deref(), &credentials, &hash).await?;
    if let Some(store) = &store {
        store::set(store.as_ref(), &account)?;
    }
    Ok(account)
}

/// The client-credentials token request and the account built from it (not stored).
async fn token_login(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    credentials: &Credentials,
    hash: &str,
) -> Result<Account> {
    let endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    let tokens = oauth::request_token(
        &endpoints,
        &settings.client_id,
        Grant::ClientCredentials(credentials),
        settings.request_timeout,
    )
    .await?;
    let mut account = build_account(settings, credentials.authenticator(), hash, None, tokens)?;
    apply_userinfo(&endpoints, settings, &mut account).await;
    // Secrets go only into a keychain-backed store, unless `persistSecrets` says otherwise.
    if settings.persist_secrets_in(store) {
        keep_secrets(&mut account, credentials);
    }
    Ok(account)
}

/// Removes the matching live records; `base_url` filters by base URL (scheme and trailing
/// slash ignored). Returns the removed records.
fn remove(
    store: &dyn TokenStore,
    accounts: &Accounts,
    base_url: Option<&str>,
) -> Result<Vec<Account>> {
    let now = now_ms();
    let mut removed = vec![];
    store.update(&mut |records| {
        let before = records.len();
        records.retain(|a| a.is_alive(now));
        let purged = records.len() != before;
        let (gone, kept): (Vec<_>, Vec<_>) = records.drain(..).partition(|a| {
            let named = match accounts {
                Accounts::All => true,
                Accounts::Named(names) => names.contains(&a.name) || names.contains(&a.hash),
            };
            named && base_url.is_none_or(|b| same_base_url(&a.auth.base_url, b))
        });
        *records = kept;
        removed = gone;
        Ok(purged || !removed.is_empty())
    })?;
    Ok(removed)
}

/// Signs the removed accounts out (token revocation, platform sign-out; the browser sign-out
/// page for platform user accounts only when `browser` allows it), all at once. Secrets and our
/// `revoked` marker are not returned: the records are as the SDK returns them.
async fn sign_out_all(
    settings: &Settings,
    browser: &BrowserOptions,
    removed: Vec<Account>,
) -> Vec<Account> {
    let platform = Platform::new(settings);
    let outs = removed
        .into_iter()
        .map(|account| sign_out(settings, &platform, browser, account));
    futures::future::join_all(outs)
        .await
        .into_iter()
        .map(|mut a| {
            a.extra.shift_remove("revoked");
            a
        })
        .collect()
}

/// `Auth.logout({ accounts, all, baseUrl })`: removes the accounts (by name or hash, or all),
/// optionally only those of one base URL, and signs them out. No browser is opened.
pub async fn logout(
    settings: &Settings,
    accounts: &Accounts,
    base_url: Option<&str>,
) -> Result<Vec<Account>> {
    let Some(store) = open_store(settings)? else {
        return Ok(vec![]);
    };
    if matches!(accounts, Accounts::Named(names) if names.is_empty()) {
        return Ok(vec![]);
    }
    let removed = remove(store.as_ref(), accounts, base_url)?;
    let quiet = BrowserOptions {
        launch_browser: Some(false),
        on_open_browser: None,
    };
    Ok(sign_out_all(settings, &quiet, removed).await)
}

/// `Auth.serverInfo({ url })`: the identity server's OpenID configuration (or `url`'s JSON).
pub async fn server_info(settings: &Settings, url: Option<&str>) -> Result<Value> {
    let mut endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    if let Some(url) = url.filter(|u| !u.is_empty()) {
        endpoints.well_known = url.to_string();
    }
    oauth::server_info(&endpoints, settings.request_timeout).await
}

/// `Auth.updateAccount(account)`: stores the record (replacing the one with the same base URL
/// and name).
pub fn update_account(settings: &Settings, account: &Account) -> Result<()> {
    if let Some(store) = open_store(settings)? {
        store::set(store.as_ref(), account)?;
    }
    Ok(())
}

// ---- sdk.auth ---------------------------------------------------------------------------------

/// `sdk.auth.findSession(account, defaultTeams)`: the platform session, org, orgs, roles,
/// user and team filled in (nothing stored).
pub async fn find_session(
    settings: &Settings,
    mut account: Account,
    default_teams: &Map<String, Value>,
) -> Result<Account> {
    // The SDK restricts a tooling session's orgs to the service account's in `loadSession`,
    // not here.
    let tooling = account.is_platform_tooling.take();
    session::find_session(&Platform::new(settings), &mut account, default_teams).await?;
    account.is_platform_tooling = tooling;
    Ok(account)
}

/// `sdk.auth.loadSession(account, defaultTeams)`: `findSession`, then the record stored, then
/// returned without secrets. An invalidated platform session removes the account: `None`.
pub async fn load_session(
    settings: &Settings,
    mut account: Account,
    default_teams: &Map<String, Value>,
) -> Result<Option<Account>> {
    let store = open_store(settings)?;
    match session::find_session(&Platform::new(settings), &mut account, default_teams).await {
        Ok(()) => {}
        Err(Error::SessionInvalidated) => {
            if let Some(store) = &store {
                remove(
                    store.as_ref(),
                    &Accounts::Named(vec![account.name.clone()]),
                    Some(&settings.base_url),
                )?;
            }
            return Ok(None);
        }
        Err(e) => return Err(e),
    }
    if let Some(store) = &store {
        store::set(store.as_ref(), &account)?;
    }
    Ok(Some(account.strip_secrets()))
}

/// `sdk.auth.find(nameOrHash, defaultTeams)`: `Auth.find` (among the accounts of the configured
/// base URL), then `loadSession`.
pub async fn find_account(
    settings: &Settings,
    name: &str,
    default_teams: &Map<String, Value>,
) -> Result<Option<Account>> {
    let lookup = Lookup {
        name: Some(name.to_string()),
        hash: Some(name.to_string()),
        base_url: Some(settings.base_url.clone()),
    };
    match find(settings, &lookup).await? {
        Some(account) => load_session(settings, account, default_teams).await,
        None => Ok(None),
    }
}

/// What `sdk.auth.list` was asked for.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub validate: bool,
    /// Names not to validate.
    pub skip: Vec<String>,
    pub default_teams: Map<String, Value>,
}

/// `sdk.auth.list({ validate, skip, defaultTeams })`: the accounts of the environment sorted
/// by name, without secrets, as JSON text. With `validate`, every account (except `skip`) is
/// refreshed when needed and its platform session re-read, all at once, and the store is
/// written once for all of them; an account that cannot be validated is kept as stored, one
/// that is gone is dropped.
pub async fn list_accounts(settings: &Settings, request: &ListRequest) -> Result<String> {
    let Some(store) = open_store(settings)? else {
        return Ok("[]".into());
    };
    let mut accounts: Vec<Account> = live_records(store.as_ref())?
        .into_iter()
        .filter(|a| a.in_env(&settings.env.name))
        .collect();
    if request.validate {
        accounts = validate_all(settings, store.as_ref(), request, accounts).await?;
    }
    let mut accounts: Vec<Account> = accounts.into_iter().map(Account::strip_secrets).collect();
    accounts.sort_by(|a, b| compare_names(&a.name, &b.name));
    to_json(&accounts)
}

/// What validating one account came to.
enum Checked {
    /// Validated: to be stored.
    Fresh(Account),
    /// Skipped, or failed to validate: listed as stored.
    Stale(Account),
    /// Removed (its grant or platform session is gone, or it expired beyond refresh).
    Gone(String),
}

async fn validate_all(
    settings: &Settings,
    store: &dyn TokenStore,
    request: &ListRequest,
    accounts: Vec<Account>,
) -> Result<Vec<Account>> {
    let platform = Platform::new(settings);
    let checks = accounts.into_iter().map(|account| {
        let platform = &platform;
        async move {
            if request.skip.contains(&account.name) {
                return Checked::Stale(account);
            }
            let (stale, hash) = (account.clone(), account.hash.clone());
            let outcome = async {
                let Some(mut account) = renew(settings, store, account).await? else {
                    return Ok(None);
                };
                match session::find_session(platform, &mut account, &request.default_teams).await {
                    Ok(()) => Ok(Some(account)),
                    Err(Error::SessionInvalidated) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            .await;
            match outcome {
                Ok(Some(account)) => Checked::Fresh(account),
                Ok(None) => Checked::Gone(hash),
                Err(e) => {
                    tracing::warn!(account = %stale.name, code = e.code(), "failed to load session for account: {e}");
                    Checked::Stale(stale)
                }
            }
        }
    });
    let checked = futures::future::join_all(checks).await;
    // One read-modify-write of the store for every account, instead of one each.
    store.update(&mut |records| {
        let mut changed = false;
        for check in &checked {
            match check {
                Checked::Fresh(account) => {
                    records.retain(|a| {
                        !(a.auth.base_url == account.auth.base_url && a.name == account.name)
                    });
                    let mut record = account.clone();
                    record.default = None;
                    records.push(record);
                    changed = true;
                }
                Checked::Gone(hash) => {
                    let before = records.len();
                    records.retain(|a| &a.hash != hash);
                    changed |= records.len() != before;
                }
                Checked::Stale(_) => {}
            }
        }
        Ok(changed)
    })?;
    Ok(checked
        .into_iter()
        .filter_map(|c| match c {
            Checked::Fresh(a) | Checked::Stale(a) => Some(a),
            Checked::Gone(_) => None,
        })
        .collect())
}

/// `sdk.auth.login(options)`: fails with `EAUTHENTICATED` (carrying the account, its session
/// loaded) when the account is already logged in, unless `force`; otherwise logs in, upgrades
/// to a platform tooling session with `username`/`password`, and loads the session. A failure
/// after the token request puts back the record the login replaced.
pub async fn sdk_login(
    settings: &Settings,
    options: &SdkOptions,
    browser: BrowserOptions,
) -> Result<Account> {
    let tooling = match (non_empty(&options.username), &options.password) {
        (None, None) => None,
        (Some(user), Some(password)) if !password.expose().is_empty() => {
            Some((user.to_string(), password.clone()))
        }
        (None, _) => {
            return Err(Error::InvalidArgument(
                "Expected username to be an email address".into(),
            ))
        }
        (Some(_), _) => {
            return Err(Error::InvalidArgument(
                "Expected password to be a non-empty string".into(),
            ))
        }
    };
    // username/password are the tooling upgrade here, never the authenticator.
    let auth_options = SdkOptions {
        username: None,
        password: None,
        ..options.clone()
    };
    require_client_id(settings)?;
    let credentials = selected_credentials(settings, &auth_options)?;
    if tooling.is_some() && credentials.is_none() {
        return Err(Error::InvalidArgument(
            "Username/password can only be specified when using client secret or secret file"
                .into(),
        ));
    }
    let hash = account_hash(
        &settings.client_id,
        &settings.base_url,
        &settings.env.name,
        &settings.realm,
        credentials.as_ref().map(Credentials::hash_param),
    );
    let no_teams = Map::new();
    if !options.force.unwrap_or(false) {
        let lookup = Lookup {
            name: non_empty(&options.account_name).map(str::to_string),
            hash: Some(hash.clone()),
            base_url: Some(settings.base_url.clone()),
        };
        if let Some(account) = find(settings, &lookup).await? {
            if !account.access_expired(now_ms()) {
                let shown = match load_session(settings, account.clone(), &no_teams).await {
                    Ok(Some(loaded)) => loaded,
                    Ok(None) => account.strip_secrets(),
                    Err(e) => {
                        tracing::warn!(
                            code = e.code(),
                            "failed to load the session of an existing account: {e}"
                        );
                        account.strip_secrets()
                    }
                };
                return Err(Error::AlreadyAuthenticated(Box::new(shown)));
            }
        }
    }
    let Some(credentials) = credentials else {
        // Browser login: the core flow loads the session and restores on failure itself.
        let mut request = auth_options.login_request(browser);
        request.force = true;
        let mut account = super::browser::login(settings, &request).await?;
        account.default = None;
        return Ok(account);
    };

    let store = open_store(settings)?;
    let previous = previous_record(store.as_deref(), &hash)?;
    let mut account = token_login(settings, store.as_deref(), &credentials, &hash).await?;
    let platform = Platform::new(settings);
    let outcome = store_and_load_session(
        store.as_deref(),
        &platform,
        &mut account,
        tooling.as_ref(),
        &no_teams,
    )
    .await;
    if let Err(e) = outcome {
        undo_login(store.as_deref(), previous, &hash)?;
        return Err(e);
    }
    if let Some(store) = &store {
        store::set(store.as_ref(), &account)?;
    }
    Ok(account.strip_secrets())
}

/// `sdk.auth.logout({ accounts, all, baseUrl })`: the named accounts of the environment (exact
/// names), or all of them; platform user accounts also get the platform's sign-out page in the
/// browser (through `onOpenBrowser`, and launched unless `launchBrowser: false`).
pub async fn sdk_logout(
    settings: &Settings,
    accounts: &Accounts,
    base_url: Option<&str>,
    browser: BrowserOptions,
) -> Result<Vec<Account>> {
    let Some(store) = open_store(settings)? else {
        return Ok(vec![]);
    };
    let hashes: Vec<String> = live_records(store.as_ref())?
        .into_iter()
        .filter(|a| a.in_env(&settings.env.name))
        .filter(|a| match accounts {
            Accounts::All => true,
            Accounts::Named(names) => names.contains(&a.name),
        })
        .map(|a| a.hash)
        .collect();
    if hashes.is_empty() {
        return Ok(vec![]);
    }
    let removed = remove(store.as_ref(), &Accounts::Named(hashes), base_url)?;
    Ok(sign_out_all(settings, &browser, removed).await)
}

/// `sdk.auth.switchOrg(account, org, { onOpenBrowser })`: a missing or expired account logs in
/// through the browser; a platform account moves to `org` (name, guid or id; its current org
/// when `None`) through the platform's org-selection page, then its tokens are refreshed and
/// its session re-read.
pub async fn switch_org(
    settings: &Settings,
    account: Option<Account>,
    org: Option<&str>,
    browser: BrowserOptions,
) -> Result<Account> {
    let account = match account {
        Some(a) if !a.access_expired(now_ms()) => a,
        _ => {
            require_client_id(settings)?;
            let request = LoginRequest {
                force: true,
                browser,
                ..Default::default()
            };
            let mut account = super::browser::login(settings, &request).await?;
            account.default = None;
            return Ok(account);
        }
    };
    let wanted = match org {
        Some(org) => org.to_string(),
        None => account
            .org_guid()
            .map(str::to_string)
            .or_else(|| account.org_id())
            .ok_or_else(|| Error::InvalidArgument("Account must be a platform account".into()))?,
    };
    let mut account = super::switch::switch_org(settings, &browser, account, &wanted).await?;
    account.default = None;
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: Value) -> SdkOptions {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn sdk_defaults_ignore_config_and_env_and_use_a_zero_threshold() {
        let home = tempfile::tempdir().unwrap();
        crate::files::write_atomic(
            &crate::config::config_path(home.path()),
            br#"{"auth":{"baseUrl":"http://from-config","tokenRefreshThreshold":900}}"#,
        )
        .unwrap();
        let s = options(serde_json::json!({ "homeDir": home.path(), "tokenStoreType": "file" }))
            .settings(None)
            .unwrap();
        assert_eq!(s.base_url, "https://login.axway.com");
        assert_eq!(s.platform_url, "https://platform.axway.com");
        assert_eq!(s.realm, "Broker");
        assert_eq!(s.token_refresh_threshold, Duration::ZERO);
        assert_eq!(s.store_kind, StoreKind::File);
        assert!(!s.persist_secrets);
        assert!(!s.config.is_backed());
    }

    #[test]
    fn store_selection_follows_the_sdk_fall_through() {
        let kind = |json: Value| options(json).store().map(|(k, _)| k);
        assert_eq!(
            kind(serde_json::json!({ "homeDir": "/h" })).unwrap(),
            StoreKind::Secure
        );
        assert_eq!(
            kind(serde_json::json!({ "tokenStoreType": null })).unwrap(),
            StoreKind::Null
        );
        assert_eq!(
            kind(serde_json::json!({ "tokenStoreType": "auto" })).unwrap(),
            StoreKind::Memory
        );
        assert_eq!(
            kind(serde_json::json!({ "tokenStoreType": "auto", "tokenStoreDir": "/t" })).unwrap(),
            StoreKind::File
        );
        assert_eq!(
            kind(serde_json::json!({ "tokenStoreType": "file", "tokenStoreDir": "/t" })).unwrap(),
            StoreKind::File
        );
        assert!(kind(serde_json::json!({})).is_err(), "secure needs homeDir");
        assert!(kind(serde_json::json!({ "tokenStoreType": "file" })).is_err());
        assert!(kind(serde_json::json!({ "tokenStoreType": "File", "homeDir": "/h" })).is_err());
    }

    #[test]
    fn per_call_options_win_when_truthy() {
        let base = options(
            serde_json::json!({ "baseUrl": "http://a", "clientId": "c", "realm": "R", "persistSecrets": true }),
        );
        let call = options(
            serde_json::json!({ "baseUrl": "", "clientId": "d", "persistSecrets": false, "timeout": 5 }),
        );
        let m = base.merged(&call);
        assert_eq!(m.base_url.as_deref(), Some("http://a"));
        assert_eq!(m.client_id.as_deref(), Some("d"));
        assert_eq!(m.realm.as_deref(), Some("R"));
        assert_eq!(m.persist_secrets, Some(false));
        assert_eq!(m.interactive_login_timeout, Some(5.0));
    }

    #[test]
    fn the_hash_is_the_sdks() {
        let s = options(serde_json::json!({ "tokenStoreType": null, "clientId": "amplify-cli" }))
            .settings(None)
            .unwrap();
        let o = SdkOptions::default();
        assert_eq!(
            authenticator_hash(&s, &o).unwrap(),
            account_hash(
                "amplify-cli",
                "https://login.axway.com",
                "prod",
                "Broker",
                None
            )
        );
        let with_secret = options(serde_json::json!({ "clientSecret": "s" }));
        assert_eq!(
            authenticator_hash(&s, &with_secret).unwrap(),
            account_hash(
                "amplify-cli",
                "https://login.axway.com",
                "prod",
                "Broker",
                Some(("clientSecret", "s"))
            )
        );
        let owner = options(serde_json::json!({ "username": "u", "password": "p" }));
        assert_eq!(
            authenticator_hash(&s, &owner).unwrap_err().code(),
            "ERR_UNSUPPORTED"
        );
    }
}
