//! Browser login for platform users (spec 3.7): authorization code + PKCE (S256) with a `state`
//! check, a loopback callback server, the platform's org selection as a second stage, then a
//! refresh so the tokens carry the selected org. No fixed sleeps; each stage is bounded by
//! `interactiveLoginTimeout`.

use oauth2::{CsrfToken, PkceCodeChallenge};

use crate::account::Account;
use crate::auth::browser::{wait, BrowserOptions};
use crate::auth::commit::{complete, previous_record};
use crate::auth::credentials::hash_for;
use crate::auth::record::{apply_userinfo, build_account, refreshed_account};
use crate::error::{Error, Result};
use crate::oauth::callback::{new_id, CallbackServer, Hit, Reply, PREFERRED_PORT};
use crate::oauth::{self, Endpoints, Grant};
use crate::platform::{url_encode, Platform};
use crate::session;
use crate::settings::Settings;
use crate::store::TokenStore;

/// Logs a platform user in through the browser (whether one is already logged in has been
/// checked by the caller).
pub async fn login(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    browser: &BrowserOptions,
) -> Result<Account> {
    let hash = hash_for(settings, None);
    let platform = Platform::new(settings);
    let previous = previous_record(store, &hash)?;

    let (code_id, org_id) = (new_id(), new_id());
    let mut server =
        CallbackServer::start(PREFERRED_PORT, &[code_id.clone(), org_id.clone()]).await?;
    let registration = browser.register(&server);
    let result = authenticate(
        settings,
        browser,
        store,
        &platform,
        &hash,
        previous,
        &mut server,
        &code_id,
        &org_id,
    )
    .await;
    drop(registration);
    server.close().await;
    result
}

/// The browser part of the login, while the callback server listens.
#[allow(clippy::too_many_arguments)]
async fn authenticate(
    settings: &Settings,
    browser: &BrowserOptions,
    store: Option<&dyn TokenStore>,
    platform: &Platform,
    hash: &str,
    previous: Option<Account>,
    server: &mut CallbackServer,
    code_id: &str,
    org_id: &str,
) -> Result<Account> {
    let redirect_uri = server.url(code_id);
    let endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let state = CsrfToken::new_random();
    let url = oauth::authorize_url(
        &endpoints,
        &settings.client_id,
        &redirect_uri,
        challenge,
        state.clone(),
    )?;

    server.expect_state(code_id, state.secret());
    browser.show(&url).await?;

    let hit = wait(settings, server, code_id).await?;
    let code = match check_code(&hit, state.secret()) {
        Ok(code) => code,
        Err(e) => {
            hit.reply(Reply::Failure(e.to_string()));
            return Err(e);
        }
    };
    let grant = Grant::AuthorizationCode {
        code: &code,
        verifier: Some(verifier.secret()),
        redirect_uri: Some(&redirect_uri),
    };
    let tokens =
        match oauth::request_token(&endpoints, &settings.client_id, grant, &settings.http).await {
            Ok(tokens) => tokens,
            Err(e) => {
                hit.reply(Reply::Failure(e.to_string()));
                return Err(e);
            }
        };
    let mut account = build_account(settings, "PKCE", hash, None, tokens)?;
    apply_userinfo(&endpoints, settings, &mut account).await;

    let outcome = finish(
        settings,
        store,
        platform,
        &endpoints,
        server,
        hit,
        org_id,
        &mut account,
    )
    .await;
    complete(settings, store, account, previous, outcome)
}

/// The authorization code of the first callback, after checking `state` and `error`.
fn check_code(hit: &Hit, state: &str) -> Result<String> {
    if let Some(error) = hit.query.get("error") {
        let description = hit
            .query
            .get("error_description")
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        return Err(Error::AuthDenied(format!("{error}{description}")));
    }
    if hit.query.get("state").map(String::as_str) != Some(state) {
        return Err(Error::StateMismatch);
    }
    hit.query
        .get("code")
        .filter(|c| !c.is_empty())
        .cloned()
        .ok_or(Error::MissingAuthCode)
}

/// Stores the new account, runs the org selection when the user has several orgs, refreshes
/// the tokens for the selected org, and loads the platform session.
#[allow(clippy::too_many_arguments)]
async fn finish(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    platform: &Platform,
    endpoints: &Endpoints,
    server: &mut CallbackServer,
    hit: Hit,
    org_id: &str,
    account: &mut Account,
) -> Result<()> {
    if let Some(store) = store {
        crate::store::set(store, account)?;
    }
    let mut probe = account.clone();
    let orgs = if account.auth.idp.as_deref() == Some("360") {
        0
    } else {
        match platform.find_session(&mut probe).await {
            Ok(Some(session)) => session
                .get("orgs")
                .and_then(|o| o.as_array())
                .map_or(0, Vec::len),
            Ok(None) => 0,
            Err(e) => {
                hit.reply(Reply::Failure(e.to_string()));
                return Err(e);
            }
        }
    };
    if orgs > 1 {
        let select = format!(
            "{}/auth/org.select?redirect={}",
            platform.url(),
            url_encode(&server.url(org_id))
        );
        hit.reply(Reply::Redirect(select));
        let selected = wait(settings, server, org_id).await?;
        let refreshed = refresh_for_org(settings, endpoints, account).await;
        match refreshed {
            Ok(fresh) => {
                *account = fresh;
                selected.reply(Reply::Success);
            }
            Err(e) => {
                selected.reply(Reply::Failure(e.to_string()));
                return Err(e);
            }
        }
    } else {
        hit.reply(Reply::Success);
    }
    session::find_session(platform, account, &settings.default_teams()).await
}

/// The forced refresh after org selection: the new tokens carry the selected org.
pub(crate) async fn refresh_for_org(
    settings: &Settings,
    endpoints: &Endpoints,
    account: &Account,
) -> Result<Account> {
    let refresh_token = account
        .auth
        .tokens
        .refresh_token()
        .ok_or_else(|| Error::BadResponse {
            url: endpoints.token.clone(),
            detail: "the login returned no refresh token".into(),
            status: None,
        })?;
    let grant = Grant::Refresh {
        refresh_token,
        credentials: None,
    };
    let tokens =
        oauth::request_token(endpoints, &settings.client_id, grant, &settings.http).await?;
    refreshed_account(settings, account, tokens).await
}
