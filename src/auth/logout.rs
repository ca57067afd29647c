//! Logging out: the accounts are removed from the store first (what the user asked for always
//! happens), then their tokens are revoked at the identity server (RFC 7009) when it advertises
//! a revocation endpoint, and the platform session is signed out (spec 12.2). Each result says
//! whether the tokens were revoked at the server or only removed locally.

use serde_json::Value;

use super::browser::BrowserOptions;
use super::credentials::stored_credentials;
use super::stored::{live, open_store};
use crate::account::Account;
use crate::error::Result;
use crate::oauth::{self, Endpoints};
use crate::platform::{url_encode, Platform};
use crate::settings::Settings;
use crate::store;

/// Which accounts to log out.
#[derive(Debug, Clone)]
pub enum LogoutTarget {
    All,
    Named(Vec<String>),
}

/// What `logout` was asked to do.
#[derive(Debug, Clone)]
pub struct LogoutRequest {
    /// Accounts by name or hash, or all of them.
    pub target: LogoutTarget,
    /// The platform sign-out page is opened in the browser for platform (browser) accounts.
    pub browser: BrowserOptions,
    /// Only accounts of this base URL (scheme and trailing slash ignored).
    pub base_url: Option<String>,
    /// Accounts of every environment, not only the current one (the SDK's `Auth.logout`).
    pub all_envs: bool,
}

/// Removes the accounts and signs them out; returns them (no secrets) with
/// `revoked: "server" | "local"`.
pub async fn logout(settings: &Settings, request: LogoutRequest) -> Result<Vec<Account>> {
    let Some(store) = open_store(settings)? else {
        return Ok(vec![]);
    };
    let hashes: Vec<String> = live(store.as_ref())?
        .into_iter()
        .filter(|a| request.all_envs || a.in_env(&settings.env.name))
        .filter(|a| match &request.target {
            LogoutTarget::All => true,
            LogoutTarget::Named(names) => names.iter().any(|n| super::select::match_account(a, n)),
        })
        .map(|a| a.hash)
        .collect();
    if hashes.is_empty() {
        return Ok(vec![]);
    }
    let removed = store::delete(store.as_ref(), &hashes, request.base_url.as_deref())?;
    let platform = Platform::new(settings);
    let sign_outs = removed
        .into_iter()
        .map(|account| sign_out(settings, &platform, &request.browser, account));
    Ok(futures::future::join_all(sign_outs).await)
}

pub(super) async fn sign_out(
    settings: &Settings,
    platform: &Platform,
    browser: &BrowserOptions,
    account: Account,
) -> Account {
    let revoked = revoke_tokens(settings, &account).await;
    if account.is_platform == Some(true) && account.is_platform_tooling != Some(true) {
        open_sign_out_page(platform, browser).await;
    } else {
        platform.sign_out(account.auth.tokens.id_token()).await;
    }
    let mut account = account.strip_secrets();
    account.extra.insert(
        "revoked".into(),
        Value::from(if revoked { "server" } else { "local" }),
    );
    account
}

/// Revokes the refresh token (which ends the grant) and the access token.
async fn revoke_tokens(settings: &Settings, account: &Account) -> bool {
    let endpoints = Endpoints::new(&account.auth.base_url, &account.auth.realm);
    let Ok(info) = oauth::server_info(&endpoints, &settings.http).await else {
        return false;
    };
    let Some(url) = info.get("revocation_endpoint").and_then(Value::as_str) else {
        return false;
    };
    let credentials = stored_credentials(settings, account).ok().flatten();
    let tokens = &account.auth.tokens;
    let mut revoked = false;
    for (token, hint) in [
        (tokens.refresh_token(), "refresh_token"),
        (tokens.access_token(), "access_token"),
    ] {
        if let Some(token) = token {
            let client_id = &account.auth.client_id;
            match oauth::revoke(
                url,
                client_id,
                credentials.as_ref(),
                token,
                hint,
                &settings.http,
            )
            .await
            {
                Ok(ok) => revoked |= ok,
                Err(e) => tracing::warn!(code = e.code(), "token revocation failed: {e}"),
            }
        }
    }
    revoked
}

/// Opens `{platformUrl}/auth/signout?redirect=…/signed.out?msg=signout` in the browser (the
/// platform's web session is a browser cookie). Best effort: tokens are already revoked.
async fn open_sign_out_page(platform: &Platform, browser: &BrowserOptions) {
    let redirect = format!("{}/signed.out?msg=signout", platform.url());
    let url = format!(
        "{}/auth/signout?redirect={}",
        platform.url(),
        url_encode(&redirect)
    );
    if let Err(e @ crate::error::Error::BrowserFailed(_)) = browser.show(&url).await {
        crate::notices::push(format!(
            "Could not open a web browser to sign out of the platform ({e}); open {url}"
        ));
    }
}
