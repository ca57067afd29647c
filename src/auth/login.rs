//! Logging in a service account (client secret or signed JWT), optionally upgraded to a
//! platform tooling session with a username and password.

use std::sync::Arc;

use futures::future::BoxFuture;
use serde_json::{Map, Value};

use super::{live, now_ms, open_store};
use crate::account::{Account, AuthInfo, Expires, Redacted, Tokens};
use crate::config::{delete_path, set_path};
use crate::error::{Error, Result};
use crate::hash::{account_hash, account_name};
use crate::oauth::{self, Credentials, Endpoints, Grant, PrivateKey};
use crate::platform::Platform;
use crate::session;
use crate::settings::Settings;
use crate::store::{self, TokenStore};

/// What the caller gave to `login`.
#[derive(Debug, Clone, Default)]
pub struct LoginRequest {
    pub client_secret: Option<Redacted>,
    pub secret_file: Option<String>,
    pub username: Option<String>,
    pub password: Option<Redacted>,
    pub force: bool,
    /// How a browser login reaches the user.
    pub browser: BrowserOptions,
    /// The device login (RFC 8628): whether to use it, its hooks, the org to select.
    pub device: super::device::DeviceOptions,
}

/// Called with the login URL before the browser opens; an `Err` cancels the login with that
/// message (the command uses it to print the URL, or to refuse headless environments).
pub type OpenBrowserHook =
    Arc<dyn Fn(String) -> BoxFuture<'static, std::result::Result<(), String>> + Send + Sync>;

/// Browser login options.
#[derive(Clone, Default)]
pub struct BrowserOptions {
    /// `Some(false)`: do not open a browser (the hook shows the URL).
    pub launch_browser: Option<bool>,
    pub on_open_browser: Option<OpenBrowserHook>,
}

impl std::fmt::Debug for BrowserOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserOptions")
            .field("launch_browser", &self.launch_browser)
            .field("on_open_browser", &self.on_open_browser.is_some())
            .finish()
    }
}

/// Picks the service-account credentials from the request, then the config file.
pub(super) fn credentials(
    settings: &Settings,
    request: &LoginRequest,
) -> Result<Option<Credentials>> {
    if let Some(secret) = &request.client_secret {
        if secret.expose().is_empty() {
            return Err(Error::InvalidArgument(
                "Expected client secret to be a non-empty string".into(),
            ));
        }
        return Ok(Some(Credentials::ClientSecret(secret.clone())));
    }
    if let Some(path) = request.secret_file.as_deref().filter(|p| !p.is_empty()) {
        return Ok(Some(Credentials::SignedJwt(PrivateKey::from_file(path)?)));
    }
    if let Some(secret) = &settings.config_client_secret {
        return Ok(Some(Credentials::ClientSecret(Redacted::new(
            secret.clone(),
        ))));
    }
    if let Some(path) = &settings.config_secret_file {
        return Ok(Some(Credentials::SignedJwt(PrivateKey::from_file(path)?)));
    }
    Ok(None)
}

/// Logs in and returns the account (secrets stripped, `default` set).
pub async fn login(settings: &Settings, request: LoginRequest) -> Result<Account> {
    let tooling = tooling_credentials(&request)?;
    let credentials = credentials(settings, &request)?;
    if tooling.is_some() && credentials.is_none() {
        return Err(Error::InvalidArgument(
            "Username/password can only be specified when using client secret or secret file"
                .into(),
        ));
    }
    let Some(credentials) = credentials else {
        return super::device::platform_login(settings, &request).await;
    };
    super::device::check_service_account(&request)?;
    let store = open_store(settings)?;
    let hash = account_hash(
        &settings.client_id,
        &settings.base_url,
        &settings.env.name,
        &settings.realm,
        Some(credentials.hash_param()),
    );
    let platform = Platform::new(settings);
    let default_teams = settings.default_teams();

    if !request.force {
        reject_if_logged_in(store.as_deref(), settings, &platform, &hash).await?;
    }
    let previous = previous_record(store.as_deref(), &hash)?;

    let endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    let tokens = oauth::request_token(
        &endpoints,
        &settings.client_id,
        Grant::ClientCredentials(&credentials),
        settings.request_timeout,
    )
    .await?;
    let mut account = build_account(settings, credentials.authenticator(), &hash, None, tokens)?;
    apply_userinfo(&endpoints, settings, &mut account).await;
    if settings.persist_secrets_in(store.as_deref()) {
        keep_secrets(&mut account, &credentials);
    }
    let outcome = store_and_load_session(
        store.as_deref(),
        &platform,
        &mut account,
        tooling.as_ref(),
        &default_teams,
    )
    .await;
    complete(settings, store.as_deref(), account, previous, outcome)
}

/// The second half of a service-account login: stores the new record, upgrades it to a
/// platform tooling session when username and password were given, and loads its platform
/// session.
pub(super) async fn store_and_load_session(
    store: Option<&dyn TokenStore>,
    platform: &Platform,
    account: &mut Account,
    tooling: Option<&(String, Redacted)>,
    default_teams: &Map<String, Value>,
) -> Result<()> {
    if let Some(store) = store {
        store::set(store, account)?;
    }
    if let Some((username, password)) = tooling {
        platform.tooling_login(account, username, password).await?;
        account.is_platform_tooling = Some(true);
    }
    session::find_session(platform, account, default_teams).await
}

/// Undoes a failed login: puts back the record the login replaced, or removes the new one, so
/// that a failed `--force` never loses a working account.
pub(super) fn undo_login(
    store: Option<&dyn TokenStore>,
    previous: Option<Account>,
    hash: &str,
) -> Result<()> {
    let Some(store) = store else { return Ok(()) };
    match previous {
        Some(previous) => store::set(store, &previous),
        None => store::delete(store, &[hash.to_string()], None).map(drop),
    }
}

/// Keeps the service account's secret (or PEM key) with the account, so that it can be
/// re-authenticated without a refresh token (the reference's `persistSecrets`).
pub(super) fn keep_secrets(account: &mut Account, credentials: &Credentials) {
    match credentials {
        Credentials::ClientSecret(secret) => account.auth.client_secret = Some(secret.clone()),
        Credentials::SignedJwt(_) => {
            account.auth.secret = Some(Redacted::new(credentials.hash_param().1))
        }
    }
}

/// Fails with `EAUTHENTICATED` (carrying the account, session loaded when possible) when an
/// account with this hash is logged in and its access token is still valid.
pub(super) async fn reject_if_logged_in(
    store: Option<&dyn TokenStore>,
    settings: &Settings,
    platform: &Platform,
    hash: &str,
) -> Result<()> {
    let Some(mut existing) = find_live(store, settings, hash)? else {
        return Ok(());
    };
    if let Err(e) = session::find_session(platform, &mut existing, &settings.default_teams()).await
    {
        tracing::warn!(
            code = e.code(),
            "failed to load the session of an existing account"
        );
    }
    existing.default = Some(settings.default_account().as_deref() == Some(existing.name.as_str()));
    Err(Error::AlreadyAuthenticated(Box::new(
        existing.strip_secrets(),
    )))
}

/// The stored record with this hash, kept so that a failed re-login can put it back.
pub(super) fn previous_record(
    store: Option<&dyn TokenStore>,
    hash: &str,
) -> Result<Option<Account>> {
    let Some(store) = store else { return Ok(None) };
    Ok(store.load()?.into_iter().find(|a| a.hash == hash))
}

/// Ends a login: on failure, puts back the record the login replaced (or removes the new one),
/// so that a failed `--force` never loses a working account; on success, stores the account,
/// makes it the default when it is the only one, and returns it without secrets.
pub(super) fn complete(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    mut account: Account,
    previous: Option<Account>,
    outcome: Result<()>,
) -> Result<Account> {
    if let Err(e) = outcome {
        undo_login(store, previous, &account.hash)?;
        return Err(e);
    }
    if let Some(store) = store {
        store::set(store, &account)?;
        if settings.config.is_backed() {
            make_default_if_only(settings, store, &mut account)?;
        }
    }
    // The SDK API's settings have no config file: no default account to set or report.
    account.default = if settings.config.is_backed() {
        Some(settings_default_is(settings, &account.name)?)
    } else {
        None
    };
    Ok(account.strip_secrets())
}

/// The credentials a stored account can refresh or re-authenticate with: persisted secrets,
/// else those in the config file.
pub(super) fn stored_credentials(
    settings: &Settings,
    account: &Account,
) -> Result<Option<Credentials>> {
    if let Some(secret) = &account.auth.client_secret {
        return Ok(Some(Credentials::ClientSecret(secret.clone())));
    }
    if let Some(pem) = &account.auth.secret {
        return Ok(Some(Credentials::SignedJwt(PrivateKey::from_pem(
            pem.expose().to_string(),
            "(stored key)",
        )?)));
    }
    match account.auth.authenticator.as_str() {
        "ClientSecret" => Ok(settings
            .config_client_secret
            .clone()
            .map(|s| Credentials::ClientSecret(Redacted::new(s)))),
        "SignedJWT" => settings
            .config_secret_file
            .as_deref()
            .map(PrivateKey::from_file)
            .transpose()
            .map(|k| k.map(Credentials::SignedJwt)),
        _ => Ok(None),
    }
}

fn tooling_credentials(request: &LoginRequest) -> Result<Option<(String, Redacted)>> {
    if request.username.is_none() && request.password.is_none() {
        return Ok(None);
    }
    let username = request.username.clone().filter(|u| !u.is_empty());
    let password = request.password.clone().filter(|p| !p.expose().is_empty());
    match (username, password) {
        (None, _) => Err(Error::InvalidArgument(
            "Expected username to be an email address".into(),
        )),
        (_, None) => Err(Error::InvalidArgument(
            "Expected password to be a non-empty string".into(),
        )),
        (Some(u), Some(p)) => Ok(Some((u, p))),
    }
}

fn find_live(
    store: Option<&dyn TokenStore>,
    settings: &Settings,
    hash: &str,
) -> Result<Option<Account>> {
    let Some(store) = store else { return Ok(None) };
    let now = now_ms();
    Ok(live(store)?.into_iter().find(|a| {
        a.hash == hash
            && crate::account::same_base_url(&a.auth.base_url, &settings.base_url)
            && !a.access_expired(now)
    }))
}

/// Builds a fresh account record from a token response (spec 3.3 step 4–5). `keep` carries the
/// name and the platform fields of the record being refreshed.
pub(super) fn build_account(
    settings: &Settings,
    authenticator: &str,
    hash: &str,
    keep: Option<&Account>,
    tokens: Tokens,
) -> Result<Account> {
    let token = tokens
        .id_token()
        .or(tokens.access_token())
        .ok_or_else(|| Error::BadResponse {
            url: String::new(),
            detail: "the token response has no access token".into(),
            status: None,
        })?;
    let claims = oauth::decode_claims(token)?;
    let claim_str = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_string);
    let email = claim_str("email")
        .map(|e| e.trim().to_string())
        .unwrap_or_default();
    let now = now_ms();
    let seconds = |k: &str| tokens.0.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let refresh_ms = seconds("refresh_expires_in");
    let expires = Expires {
        access: Some(now + (seconds("expires_in") * 1000.0) as i64),
        refresh: (tokens.refresh_token().is_some() && refresh_ms > 0.0)
            .then(|| now + (refresh_ms * 1000.0) as i64),
    };
    let org = claims
        .get("orgId")
        .filter(|v| !v.is_null() && v.as_str() != Some(""))
        .map(|id| {
            let mut org = Map::new();
            org.insert("name".into(), id.clone());
            org.insert("id".into(), id.clone());
            org
        });
    let mut user = Map::new();
    user.insert("email".into(), Value::from(email.clone()));
    if let Some(guid) = claims.get("guid").filter(|v| !v.is_null()) {
        user.insert("guid".into(), guid.clone());
    }
    let name = match keep {
        Some(previous) => previous.name.clone(),
        None => account_name(&settings.client_id, Some(&email), hash),
    };
    Ok(Account {
        auth: AuthInfo {
            authenticator: authenticator.into(),
            base_url: settings.base_url.clone(),
            client_id: settings.client_id.clone(),
            env: Some(settings.env.name.clone()),
            expires,
            idp: claim_str("identity_provider"),
            realm: settings.realm.clone(),
            tokens,
            ..Default::default()
        },
        hash: hash.into(),
        name,
        orgs: Some(org.clone().map(Value::Object).into_iter().collect()),
        org,
        user: Some(user),
        sid: keep.and_then(|k| k.sid.clone()),
        is_platform_tooling: keep.and_then(|k| k.is_platform_tooling),
        ..Default::default()
    })
}

/// The record after a token refresh: the new tokens with the stored identity (name, hash, env,
/// base URL, client, realm), persisted secrets, session id and unknown fields kept, and userinfo
/// re-read (as the reference does after every token request).
pub(super) async fn refreshed_account(
    settings: &Settings,
    account: &Account,
    tokens: Tokens,
) -> Result<Account> {
    let scoped = Settings {
        base_url: account.auth.base_url.clone(),
        client_id: account.auth.client_id.clone(),
        realm: account.auth.realm.clone(),
        ..settings.clone()
    };
    let mut fresh = build_account(
        &scoped,
        &account.auth.authenticator,
        &account.hash,
        Some(account),
        tokens,
    )?;
    fresh.auth.env = account.auth.env.clone();
    fresh.auth.client_secret = account.auth.client_secret.clone();
    fresh.auth.secret = account.auth.secret.clone();
    fresh.auth.extra = account.auth.extra.clone();
    let endpoints = Endpoints::new(&account.auth.base_url, &account.auth.realm);
    apply_userinfo(&endpoints, &scoped, &mut fresh).await;
    Ok(fresh)
}

/// Reads userinfo into the account; failures are ignored, as in the reference.
pub(super) async fn apply_userinfo(
    endpoints: &Endpoints,
    settings: &Settings,
    account: &mut Account,
) {
    let Some(token) = account.auth.tokens.access_token().map(str::to_string) else {
        return;
    };
    let info = match oauth::userinfo(endpoints, &token, settings.request_timeout).await {
        Ok(info) => info,
        Err(e) => {
            tracing::warn!(code = e.code(), "userinfo failed: {e}");
            return;
        }
    };
    let field = |k: &str| info.get(k).filter(|v| !v.is_null()).cloned();
    let user = account.user.get_or_insert_with(Map::new);
    for (ours, theirs) in [
        ("email", "email"),
        ("firstName", "given_name"),
        ("lastName", "family_name"),
    ] {
        match field(theirs) {
            Some(v) => user.insert(ours.into(), v),
            None => user.shift_remove(ours),
        };
    }
    if let Some(guid) = field("guid") {
        user.insert("guid".into(), guid);
    }
    let org = account.org.get_or_insert_with(Map::new);
    for (ours, theirs) in [("name", "org_name"), ("guid", "org_guid")] {
        match field(theirs) {
            Some(v) => org.insert(ours.into(), v),
            None => org.shift_remove(ours),
        };
    }
    // The reference's `orgs[0]` is the same object as `org`, so it sees these changes too.
    let org = org.clone();
    if let Some([Value::Object(first)]) = account.orgs.as_deref_mut() {
        if first.get("id") == org.get("id") {
            *first = org;
        }
    }
}

/// After a login: when this is the only account of the env, make it the default (spec 1.4
/// step 6), with its org and team.
/// Writes the account, its org and its team as the defaults of this env in `config.json`, with
/// the keys the JS CLI uses (`<prefix>.defaultAccount`, `.defaultOrg.<hash>`,
/// `.defaultTeam.<hash>`; an org or team the account lacks is removed).
pub(super) fn write_defaults(settings: &Settings, account: &Account) -> Result<()> {
    let prefix = settings.config_prefix();
    let mut config = settings.config.clone();
    config.update(|data| {
        set_path(
            data,
            &format!("{prefix}.defaultAccount"),
            Value::from(account.name.clone()),
        );
        for (key, guid) in [
            ("defaultOrg", account.org_guid()),
            ("defaultTeam", account.team_guid()),
        ] {
            let path = format!("{prefix}.{key}.{}", account.hash);
            match guid {
                Some(guid) => set_path(data, &path, Value::from(guid)),
                None => {
                    delete_path(data, &path);
                }
            }
        }
        true
    })
}

fn make_default_if_only(
    settings: &Settings,
    store: &dyn TokenStore,
    account: &mut Account,
) -> Result<()> {
    let in_env = live(store)?
        .iter()
        .filter(|a| a.in_env(&settings.env.name))
        .count();
    if in_env != 1 {
        return Ok(());
    }
    write_defaults(settings, account)
}

fn settings_default_is(settings: &Settings, name: &str) -> Result<bool> {
    let config = crate::config::Config::load(&settings.home_dir)?;
    Ok(config.get_str(&format!("{}.defaultAccount", settings.config_prefix())) == Some(name))
}
