//! Keeping a stored account usable (spec 4): refresh when the token is about to expire, re-read
//! userinfo and the platform session, and store the result.

use super::credentials::stored_credentials;
use super::record::{apply_userinfo, refreshed_account};
use super::stored::{now_ms, tell_removed};
use crate::account::Account;
use crate::error::{Error, Result};
use crate::oauth::{self, Endpoints, Grant};
use crate::settings::Settings;
use crate::store::{self, TokenStore};

/// Keeps an account usable (the SDK's `Auth.find`, spec 4.3–4.5): refreshes the tokens
/// when needed (and stores the refreshed record), else re-reads userinfo (not stored).
/// `Ok(None)` means the account is gone (expired beyond refresh, or its grant was revoked).
pub(super) async fn renew(
    settings: &Settings,
    store: &dyn TokenStore,
    mut account: Account,
) -> Result<Option<Account>> {
    let now = now_ms();
    let expires = &account.auth.expires;
    let horizon = expires.refresh.or(expires.access).unwrap_or(0);
    let access_expired = account.access_expired(now);
    if access_expired && horizon < now {
        return Ok(None);
    }
    let threshold_ms = settings.token_refresh_threshold.as_millis() as i64;
    let wants_refresh =
        access_expired || (threshold_ms > 0 && horizon.saturating_sub(now) < threshold_ms);
    let endpoints = Endpoints::new(&account.auth.base_url, &account.auth.realm);

    let mut refreshed = false;
    if wants_refresh {
        // Single-flight across processes: one refresh of an account at a time, so a refresh
        // token is never spent twice. Whoever waited re-reads the record and, when another
        // process has refreshed it meanwhile, uses those tokens instead of refreshing again.
        let _guard = store::refresh_guard(store, &account.hash).await?;
        match store::find(store, &account.hash)? {
            None => return Ok(None), // logged out meanwhile
            Some(current) if current.auth.tokens != account.auth.tokens => {
                tracing::debug!(account = %account.name, "already refreshed by another process");
                account = current;
                refreshed = true;
            }
            Some(_) => match refresh(settings, &endpoints, &account).await {
                Ok(Some(fresh)) => {
                    store::set(store, &fresh)?;
                    account = fresh;
                    refreshed = true;
                }
                Ok(None) if access_expired => {
                    tell_removed(&account.name, "its access token expired and it has no refresh token or stored credentials");
                    return Ok(None);
                }
                Ok(None) => {}
                Err(Error::InvalidGrant(_)) if access_expired => {
                    store::delete(store, std::slice::from_ref(&account.hash), None)?;
                    tell_removed(&account.name, "the server rejected its refresh token");
                    return Ok(None);
                }
                Err(Error::InvalidGrant(detail)) => {
                    tracing::warn!(account = %account.name, "refresh rejected: {}", detail.unwrap_or_default());
                }
                Err(e) => return Err(e),
            },
        }
    }
    if !refreshed {
        apply_userinfo(&endpoints, settings, &mut account).await;
    }
    Ok(Some(account))
}

/// Gets new tokens: a `refresh_token` grant while the refresh token lives, else a new token
/// from the account's credentials when they are known (`client_credentials`, or `password`
/// for an owner password). `Ok(None)` when neither
/// is possible.
pub(super) async fn refresh(
    settings: &Settings,
    endpoints: &Endpoints,
    account: &Account,
) -> Result<Option<Account>> {
    let now = now_ms();
    let credentials = stored_credentials(settings, account)?;
    let refresh_token = account
        .auth
        .tokens
        .refresh_token()
        .filter(|_| account.auth.expires.refresh.is_some_and(|r| r > now));
    let grant = match (refresh_token, &credentials) {
        (Some(token), creds) => Grant::Refresh {
            refresh_token: token,
            credentials: creds.as_ref(),
        },
        (None, Some(creds)) => Grant::Credentials(creds),
        (None, None) => return Ok(None),
    };
    let tokens =
        oauth::request_token(endpoints, &account.auth.client_id, grant, &settings.http).await?;
    Ok(Some(refreshed_account(settings, account, tokens).await?))
}
