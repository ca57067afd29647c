//! `token`: a valid access token for an account with at least a given time left
//! (`axway auth token`, the JS API's `token()`).
//!
//! The stored token is handed out as it is when it lives long enough: no network request, no
//! store write, no async work (`stored`, which the command calls in place for speed). Otherwise
//! it is renewed once, single-flight across processes (the store's per-account refresh lock):
//! with the refresh token while it lives, else, for a service account, by logging in again
//! with its persisted secret or, when the store keeps none, the secret from the settings
//! (`AXWAY_AUTH_CLIENT_SECRET` / `AXWAY_AUTH_SECRET_FILE`, then `config.json`). Whoever waited
//! for the lock takes what the holder stored instead of renewing again. When nothing can
//! renew the token, the error is `ERR_LOGIN_REQUIRED` (the command's exit code 3).

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use super::stored::{now_ms, open_store};
use super::{select, validate};
use crate::account::{Account, Redacted};
use crate::error::{Error, Result};
use crate::oauth::Endpoints;
use crate::settings::Settings;
use crate::store::{self, TokenStore};

/// How long the token must still be valid when none is asked for: 5 minutes.
pub const DEFAULT_MIN_VALIDITY: Duration = Duration::from_secs(300);

/// What `token` was asked for. The account comes from `Settings::account` (else the default).
#[derive(Debug, Clone)]
pub struct TokenRequest {
    /// Renew the token when it expires within this time.
    pub min_validity: Duration,
}

impl Default for TokenRequest {
    fn default() -> Self {
        TokenRequest {
            min_validity: DEFAULT_MIN_VALIDITY,
        }
    }
}

/// An access token and whose it is (`axway auth token --json`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    pub access_token: Redacted,
    /// When the access token expires, in epoch milliseconds.
    pub expires_at: i64,
    /// The account's name.
    pub account: String,
    /// The account's org (`id`, `guid`, `name`), when known.
    pub org: Option<Map<String, Value>>,
    /// The account's current team (`guid`, `name`), when known.
    pub team: Option<Map<String, Value>>,
}

/// Parses a duration option such as `90s`, `10m`, `1h` or `1h30m`. `name` is how the caller
/// spelled the option, for the error.
pub fn parse_duration(text: &str, name: &str) -> Result<Duration> {
    humantime::parse_duration(text.trim()).map_err(|_| {
        Error::InvalidArgument(format!(
            "Invalid {name} \"{text}\": expected a duration such as 90s, 10m or 1h"
        ))
    })
}

/// The stored token when it is valid for at least `min_validity`; `None` when it must be
/// renewed first (call `token`). Synchronous and without network: the store is read in place.
pub fn stored(settings: &Settings, request: &TokenRequest) -> Result<Option<AccessToken>> {
    Ok(match lookup(settings, request)? {
        Lookup::Fresh(token) => Some(token),
        Lookup::Stale { .. } => None,
    })
}

/// A valid access token for the chosen account with at least `min_validity` left, renewed
/// when needed (see the module documentation).
pub async fn token(settings: &Settings, request: &TokenRequest) -> Result<AccessToken> {
    match lookup(settings, request)? {
        Lookup::Fresh(token) => Ok(token),
        Lookup::Stale { store, account } => {
            renew(settings, store.as_ref(), *account, request.min_validity).await
        }
    }
}

enum Lookup {
    Fresh(AccessToken),
    Stale {
        store: Arc<dyn TokenStore>,
        account: Box<Account>,
    },
}

/// Reads the store (no purge, no write) and picks the account.
fn lookup(settings: &Settings, request: &TokenRequest) -> Result<Lookup> {
    let Some(store) = open_store(settings)? else {
        return Err(Error::LoginRequired(
            "Not logged in: the token store type \"null\" keeps no accounts".into(),
        ));
    };
    let accounts: Vec<Account> = store
        .load()?
        .into_iter()
        .filter(|a| a.in_env(&settings.env.name))
        .collect();
    let account = select::choose(settings, &accounts)?.clone();
    Ok(match valid_for(&account, request.min_validity, now_ms()) {
        Some(token) => {
            tracing::debug!(account = %account.name, "stored access token is valid long enough");
            Lookup::Fresh(token)
        }
        None => Lookup::Stale {
            store,
            account: Box::new(account),
        },
    })
}

/// The account's token when it lives at least `min_validity` past `now`.
fn valid_for(account: &Account, min_validity: Duration, now: i64) -> Option<AccessToken> {
    let expires = account.auth.expires.access?;
    let min_ms = i64::try_from(min_validity.as_millis()).unwrap_or(i64::MAX);
    (expires.saturating_sub(now) >= min_ms)
        .then(|| access_token(account))
        .flatten()
}

fn access_token(account: &Account) -> Option<AccessToken> {
    let pick = |map: Option<&Map<String, Value>>, keys: &[&str]| {
        let map = map?;
        let picked: Map<String, Value> = keys
            .iter()
            .filter_map(|k| map.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect();
        (!picked.is_empty()).then_some(picked)
    };
    Some(AccessToken {
        access_token: Redacted::new(account.auth.tokens.access_token()?),
        expires_at: account.auth.expires.access?,
        account: account.name.clone(),
        org: pick(account.org.as_ref(), &["id", "guid", "name"]),
        team: pick(account.team.as_ref(), &["guid", "name"]),
    })
}

/// Renews the token of `seen` once, holding the account's refresh lock.
async fn renew(
    settings: &Settings,
    store: &dyn TokenStore,
    seen: Account,
    min_validity: Duration,
) -> Result<AccessToken> {
    let _guard = store::refresh_guard(store, &seen.hash).await?;
    let Some(current) = store::find(store, &seen.hash)? else {
        return Err(Error::LoginRequired(format!(
            "Account \"{}\" was logged out. To log in again, run: axway auth login",
            seen.name
        )));
    };
    let now = now_ms();
    if let Some(token) = valid_for(&current, min_validity, now) {
        tracing::debug!(account = %current.name, "renewed by another process meanwhile");
        return Ok(token);
    }
    // Renewed by another process while we waited, but the server's tokens live less than
    // `min_validity`: that is as fresh as it gets, renewing again would not help.
    if current.auth.tokens != seen.auth.tokens && !current.access_expired(now) {
        if let Some(token) = access_token(&current) {
            tracing::debug!(account = %current.name, "renewed by another process meanwhile");
            return Ok(token);
        }
    }
    let endpoints = Endpoints::new(&current.auth.base_url, &current.auth.realm);
    tracing::debug!(account = %current.name, "renewing the access token");
    match validate::refresh(settings, &endpoints, &current).await {
        Ok(Some(renewed)) => {
            store::set(store, &renewed)?;
            access_token(&renewed).ok_or_else(|| Error::BadResponse {
                url: endpoints.token.clone(),
                detail: "the token response has no access token".into(),
                status: None,
            })
        }
        Ok(None) => Err(Error::LoginRequired(no_way_to_renew(&current))),
        Err(Error::InvalidGrant(_)) => {
            let removed = current.access_expired(now);
            if removed {
                store::delete(store, std::slice::from_ref(&current.hash), None)?;
            }
            Err(Error::LoginRequired(format!(
                "The server rejected the refresh token of account \"{}\"{}. To log in again, \
                 run: axway auth login",
                current.name,
                if removed { "; it was removed" } else { "" }
            )))
        }
        Err(e) => Err(e),
    }
}

/// Why an account's token cannot be renewed without the user.
fn no_way_to_renew(account: &Account) -> String {
    let name = &account.name;
    match account.auth.authenticator.as_str() {
        "ClientSecret" => format!(
            "The access token of service account \"{name}\" expires and no client secret is \
             at hand: set AXWAY_AUTH_CLIENT_SECRET, or log in again with: axway auth login \
             --client-id {} --client-secret-stdin",
            account.auth.client_id
        ),
        "SignedJWT" => format!(
            "The access token of service account \"{name}\" expires and no private key is at \
             hand: set AXWAY_AUTH_SECRET_FILE, or log in again with: axway auth login \
             --client-id {} --secret-file <path>",
            account.auth.client_id
        ),
        _ => format!(
            "The session of account \"{name}\" has expired. To log in again, run: axway auth login"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{AuthInfo, Expires, Tokens};

    fn account(access: Option<i64>, token: Option<&str>) -> Account {
        let mut tokens = Map::new();
        if let Some(t) = token {
            tokens.insert("access_token".into(), Value::from(t));
        }
        Account {
            name: "svc".into(),
            hash: "svc:h".into(),
            auth: AuthInfo {
                expires: Expires {
                    access,
                    refresh: None,
                },
                tokens: Tokens(tokens),
                ..Default::default()
            },
            org: serde_json::from_str(r#"{"id":100,"guid":"g","name":"Acme","teams":[]}"#).ok(),
            ..Default::default()
        }
    }

    #[test]
    fn durations_take_a_unit_and_errors_name_the_option() {
        let d = |s| parse_duration(s, "--min-validity");
        assert_eq!(d("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(d("10m").unwrap(), Duration::from_secs(600));
        assert_eq!(d("1h").unwrap(), Duration::from_secs(3600));
        assert_eq!(d("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(d("0s").unwrap(), Duration::ZERO);
        for bad in ["", "10", "ten minutes", "-5m", "5x", "1h-"] {
            let err = d(bad).unwrap_err();
            assert_eq!(err.code(), "ERR_INVALID_ARGUMENT", "{bad}");
            assert!(err.to_string().contains("--min-validity"), "{err}");
        }
    }

    #[test]
    fn a_token_is_valid_only_with_enough_time_left() {
        let now = 1_000_000;
        let a = account(Some(now + 300_000), Some("at"));
        let t = valid_for(&a, Duration::from_secs(300), now).unwrap();
        assert_eq!((t.expires_at, t.account.as_str()), (now + 300_000, "svc"));
        assert_eq!(
            serde_json::to_value(&t.org).unwrap(),
            serde_json::json!({"id":100,"guid":"g","name":"Acme"})
        );
        assert!(t.team.is_none());
        assert!(valid_for(&a, Duration::from_secs(301), now).is_none());
        assert!(valid_for(&account(None, Some("at")), Duration::ZERO, now).is_none());
        assert!(valid_for(&account(Some(now + 9_000_000), None), Duration::ZERO, now).is_none());
    }

    #[test]
    fn debug_output_hides_the_token() {
        let t = access_token(&account(Some(1), Some("AT-SECRET"))).unwrap();
        assert!(!format!("{t:?}").contains("AT-SECRET"));
    }
}
