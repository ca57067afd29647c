//! Looking one account up and keeping it usable (the SDK's `Auth.find`, `sdk.auth.find`,
//! `findSession`, `loadSession`, `updateAccount`).

use serde_json::{Map, Value};

use super::stored::{live, open_store};
use super::validate::renew;
use crate::account::{same_base_url, Account};
use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::session;
use crate::settings::Settings;
use crate::store::{self, TokenStore};

/// Which stored account: by name or hash, optionally only among those of one base URL
/// (scheme and trailing slash ignored).
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    pub name: Option<String>,
    pub hash: Option<String>,
    pub base_url: Option<String>,
}

impl Lookup {
    /// Whether `account` is the one this lookup names.
    pub fn matches(&self, account: &Account) -> bool {
        (self.name.as_deref() == Some(account.name.as_str())
            || self.hash.as_deref() == Some(account.hash.as_str()))
            && self
                .base_url
                .as_deref()
                .is_none_or(|b| same_base_url(&account.auth.base_url, b))
    }
}

/// The stored account, its tokens refreshed when they expire within the threshold (or have
/// expired), else its userinfo re-read. With `session`, its platform session is loaded and the
/// record stored (then returned without secrets). `None` when there is no such account or it
/// can no longer be used (then it is removed).
pub async fn find(
    settings: &Settings,
    lookup: &Lookup,
    session: Option<&Map<String, Value>>,
) -> Result<Option<Account>> {
    let Some(store) = open_store(settings)? else {
        return Ok(None);
    };
    let Some(account) = find_in(settings, store.as_ref(), lookup).await? else {
        return Ok(None);
    };
    match session {
        Some(teams) => load_session(settings, account, teams).await,
        None => Ok(Some(account)),
    }
}

/// `find` in a store the caller has open (no platform session).
pub(crate) async fn find_in(
    settings: &Settings,
    store: &dyn TokenStore,
    lookup: &Lookup,
) -> Result<Option<Account>> {
    let Some(account) = live(store)?.into_iter().find(|a| lookup.matches(a)) else {
        return Ok(None);
    };
    renew(settings, store, account).await
}

/// The platform session, org, orgs, roles, user and team filled in (nothing stored).
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

/// `find_session`, then the record stored, then returned without secrets. An invalidated
/// platform session removes the account: `None`.
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
                let names = [account.name.clone()];
                store::delete(store.as_ref(), &names, Some(&settings.base_url))?;
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

/// Stores the record (replacing the one with the same base URL and name).
pub fn update_account(settings: &Settings, account: &Account) -> Result<()> {
    if let Some(store) = open_store(settings)? {
        store::set(store.as_ref(), account)?;
    }
    Ok(())
}
