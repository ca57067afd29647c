//! `list` and `whoami`: the accounts of the current environment, optionally validated (tokens
//! refreshed when needed and the platform session re-read), all accounts at once, with one
//! store write for all of them.

use serde_json::{Map, Value};

use super::select;
use super::stored::{live, open_store, tell_removed};
use super::validate::renew;
use crate::account::{Account, Exposure};
use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::session;
use crate::settings::Settings;
use crate::store::TokenStore;

/// What `list` is asked for.
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// Refresh every account when needed and re-read its platform session.
    pub validate: bool,
    /// Names not to validate (listed as stored).
    pub skip: Vec<String>,
    /// Team guid per account hash; `None`: the configured default teams.
    pub default_teams: Option<Map<String, Value>>,
    /// What of each record the caller gets. `Exposure::Stored` also keeps the store's order.
    pub exposure: Exposure,
}

impl Default for ListRequest {
    fn default() -> Self {
        ListRequest {
            validate: true,
            skip: vec![],
            default_teams: None,
            exposure: Exposure::NoSecrets,
        }
    }
}

/// Lists the accounts of the current environment: sorted by name with `default` set (when
/// there is a config file), or in store order as stored (`Exposure::Stored`).
pub async fn list(settings: &Settings, request: &ListRequest) -> Result<Vec<Account>> {
    let Some(store) = open_store(settings)? else {
        return Ok(vec![]);
    };
    let mut accounts: Vec<Account> = live(store.as_ref())?
        .into_iter()
        .filter(|a| a.in_env(&settings.env.name))
        .collect();
    if request.validate {
        let teams = match &request.default_teams {
            Some(teams) => teams.clone(),
            None => settings.default_teams(),
        };
        accounts = validate_all(settings, store.as_ref(), &request.skip, &teams, accounts).await?;
    }
    if request.exposure == Exposure::Stored {
        return Ok(accounts);
    }
    let default = settings.default_account();
    let backed = settings.config.is_backed();
    let mut accounts: Vec<Account> = accounts
        .into_iter()
        .map(|a| {
            let mut a = a.exposed(request.exposure);
            a.default = backed.then(|| select::is_in_use(settings, default.as_deref(), &a));
            a
        })
        .collect();
    accounts.sort_by(|a, b| compare_names(&a.name, &b.name));
    Ok(accounts)
}

/// Case-insensitive, then exact (not locale collation, as the reference's `localeCompare`,
/// which would cost the JS side ICU start-up).
fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// What validating one account came to.
enum Checked {
    /// Validated: to be stored.
    Fresh(Account),
    /// Skipped, or failed to validate: listed as stored.
    Stale(Account),
    /// Removed (its grant or platform session is gone, or it expired beyond refresh).
    Gone(Account),
}

/// Validates every account at once, then writes the store once for all of them.
async fn validate_all(
    settings: &Settings,
    store: &dyn TokenStore,
    skip: &[String],
    default_teams: &Map<String, Value>,
    accounts: Vec<Account>,
) -> Result<Vec<Account>> {
    let platform = Platform::new(settings);
    let checks = accounts.into_iter().map(|account| {
        let platform = &platform;
        async move {
            if skip.contains(&account.name) {
                return Checked::Stale(account);
            }
            let stale = account.clone();
            let outcome = async {
                let Some(mut account) = renew(settings, store, account).await? else {
                    return Ok(None);
                };
                match session::find_session(platform, &mut account, default_teams).await {
                    Ok(()) => Ok(Some(account)),
                    Err(Error::SessionInvalidated) => {
                        tell_removed(&account.name, "its platform session has ended");
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
            .await;
            match outcome {
                Ok(Some(account)) => Checked::Fresh(account),
                Ok(None) => Checked::Gone(stale),
                Err(e) => {
                    tracing::warn!(account = %stale.name, code = e.code(), "failed to validate account: {e}");
                    Checked::Stale(stale)
                }
            }
        }
    });
    let checked = futures::future::join_all(checks).await;
    store.update(&mut |records| {
        let mut changed = false;
        for check in &checked {
            match check {
                Checked::Fresh(account) => {
                    let same = |a: &Account| {
                        a.auth.base_url == account.auth.base_url && a.name == account.name
                    };
                    // Another process refreshed it since (rotating refresh tokens): its tokens
                    // are newer than ours, and writing ours back would spend theirs twice.
                    if records
                        .iter()
                        .any(|a| same(a) && a.auth.tokens != account.auth.tokens)
                    {
                        continue;
                    }
                    records.retain(|a| !same(a));
                    let mut record = account.clone();
                    record.default = None;
                    records.push(record);
                    changed = true;
                }
                Checked::Gone(account) => {
                    let before = records.len();
                    records.retain(|a| a.hash != account.hash);
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

/// `whoami`: the validated accounts that `pattern` matches (`select::matches_pattern`), else
/// the account in use (the per-call account, else the default), else all of them; the one to
/// show first is the one marked `default`, else the first.
pub async fn whoami(settings: &Settings, pattern: Option<&str>) -> Result<Vec<Account>> {
    let accounts = list(settings, &ListRequest::default()).await?;
    Ok(match (pattern, settings.account.as_deref()) {
        (Some(pattern), _) => accounts
            .into_iter()
            .filter(|a| select::matches_pattern(a, pattern))
            .collect(),
        (None, Some(wanted)) => accounts
            .into_iter()
            .filter(|a| select::match_account(a, wanted))
            .collect(),
        (None, None) => accounts,
    })
}
