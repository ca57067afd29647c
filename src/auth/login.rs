//! Logging in: a service account (client secret or signed JWT), optionally upgraded to a
//! platform tooling session with a username and password; an owner password (the SDK's
//! `Auth`); a code the caller obtained; or a platform user in the browser.

use super::browser::BrowserOptions;
use super::commit::{complete, previous_record, store_and_load_session};
use super::credentials::{credentials, hash_for, owner_password_or_settings, require_client_id};
use super::find::{find_in, Lookup};
use super::flow;
use super::stored::{now_ms, open_store};
use crate::account::{Account, Redacted};
use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::session;
use crate::settings::Settings;
use crate::store::{self, TokenStore};

/// What the caller gave to `login` (service-account credentials come from `Settings`), and
/// its policy.
#[derive(Debug, Clone, Default)]
pub struct LoginRequest {
    /// With `platform_session` (the command, `sdk.auth`): a platform tooling session on top of
    /// the service account. Without it (the SDK's `Auth`): the owner password grant.
    pub username: Option<String>,
    pub password: Option<Redacted>,
    /// A code the caller obtained (`login({ code })`): exchanged instead of a browser login.
    pub code: Option<flow::code::AuthCode>,
    /// The caller shows the login URL itself and may cancel (`login({ manual: true })`): only
    /// a browser login can do that.
    pub manual: bool,
    /// Log in again even when the account is logged in.
    pub force: bool,
    /// How a browser login reaches the user.
    pub browser: BrowserOptions,
    /// What to do when the account is already logged in.
    pub existing: Existing,
    /// Load the platform session (the command, `sdk.auth`); the SDK's `Auth.login` does not,
    /// and returns the record as stored.
    pub platform_session: bool,
    /// Also recognise the logged-in account by this name (`sdk.auth.login({ accountName })`).
    pub account_name: Option<String>,
    /// The device login (RFC 8628): whether to use it, its hooks, the org to select.
    pub device: flow::device::DeviceOptions,
}

/// What `login` does when the account is already logged in (without `force`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Existing {
    /// Fail with `EAUTHENTICATED`, carrying the account (the command, `sdk.auth.login`).
    #[default]
    Reject,
    /// Return the stored account while its access token is valid (the SDK's `Auth.login`).
    Reuse,
}

/// Logs in: a service account (client secret or key), optionally upgraded to a platform
/// tooling session, or a platform user in the browser. Returns the account (secrets stripped
/// and `default` set, except under `Existing::Reuse`, which returns the record as stored).
pub async fn login(settings: &Settings, request: LoginRequest) -> Result<Account> {
    let credentials = match request.platform_session {
        true => credentials(settings)?,
        false => owner_password_or_settings(
            settings,
            request.username.as_deref(),
            request.password.as_ref(),
        )?,
    };
    let given = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
    let wants_tooling = request.platform_session
        && (given(request.username.as_deref())
            || given(request.password.as_ref().map(Redacted::expose)));
    if wants_tooling && credentials.is_none() {
        return Err(Error::Conflict(
            "Username/password can only be specified when using client secret or secret file",
        ));
    }
    if request.manual && credentials.is_some() {
        return Err(Error::Conflict(
            "Manual mode is only supported with PKCE interactive authentication",
        ));
    }
    let tooling = wants_tooling
        .then(|| tooling_credentials(settings, &request))
        .transpose()?;
    require_client_id(settings)?;
    let hash = hash_for(settings, credentials.as_ref());
    let store = open_store(settings)?;
    // "if you have a code, you don't want the stored token" (the SDK)
    let has_code = request.code.as_ref().is_some_and(|c| c.is_given());
    if !request.force && !has_code {
        if let Some(existing) = logged_in(settings, store.as_deref(), &request, &hash).await? {
            return match request.existing {
                Existing::Reuse => Ok(existing),
                Existing::Reject => Err(already_authenticated(settings, existing).await),
            };
        }
    }
    let Some(credentials) = credentials else {
        if let Some(code) = &request.code {
            return flow::code::login(settings, store.as_deref(), code, request.platform_session)
                .await;
        }
        return flow::device::platform_login(
            settings,
            store.as_deref(),
            &request.browser,
            &request.device,
        )
        .await;
    };
    flow::device::check_service_account(&request.device)?;
    let previous = previous_record(store.as_deref(), &hash)?;

    let mut account = flow::service::login(settings, store.as_deref(), &credentials, &hash).await?;
    if !request.platform_session {
        if let Some(store) = &store {
            store::set(store.as_ref(), &account)?;
        }
        return Ok(account);
    }
    let platform = Platform::new(settings);
    let outcome = store_and_load_session(
        store.as_deref(),
        &platform,
        &mut account,
        tooling.as_ref(),
        &settings.default_teams(),
    )
    .await;
    complete(settings, store.as_deref(), account, previous, outcome)
}

/// The logged-in account this login would replace: found by hash (or `account_name`) among the
/// accounts of this base URL, refreshed when needed, with a valid access token.
async fn logged_in(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    request: &LoginRequest,
    hash: &str,
) -> Result<Option<Account>> {
    let Some(store) = store else { return Ok(None) };
    let lookup = Lookup {
        name: request.account_name.clone().filter(|n| !n.is_empty()),
        hash: Some(hash.to_string()),
        base_url: Some(settings.base_url.clone()),
    };
    let found = find_in(settings, store, &lookup).await?;
    Ok(found.filter(|a| a.auth.tokens.access_token().is_some() && !a.access_expired(now_ms())))
}

/// `EAUTHENTICATED`, carrying the account with its session loaded when possible.
async fn already_authenticated(settings: &Settings, mut existing: Account) -> Error {
    let platform = Platform::new(settings);
    if let Err(e) = session::find_session(&platform, &mut existing, &settings.default_teams()).await
    {
        tracing::warn!(
            code = e.code(),
            "failed to load the session of an existing account"
        );
    }
    if settings.config.is_backed() {
        existing.default =
            Some(settings.default_account().as_deref() == Some(existing.name.as_str()));
    }
    Error::AlreadyAuthenticated(Box::new(existing.strip_secrets()))
}

/// The tooling username and password: the request's, the password else from the settings
/// (`AXWAY_AUTH_PASSWORD`, which alone asks for no tooling login).
fn tooling_credentials(settings: &Settings, request: &LoginRequest) -> Result<(String, Redacted)> {
    let username = request.username.clone().filter(|u| !u.is_empty());
    let password = (request.password.clone())
        .filter(|p| !p.expose().is_empty())
        .or_else(|| settings.password.clone())
        .filter(|p| !p.expose().is_empty());
    match (username, password) {
        (None, _) => Err(Error::ToolingArgument(
            "Expected username to be an email address",
        )),
        (_, None) => Err(Error::ToolingArgument(
            "Expected password to be a non-empty string",
        )),
        (Some(u), Some(p)) => Ok((u, p)),
    }
}
