//! The end of a login: store the record, load its platform session, and on failure put back
//! what the login replaced, so that a failed `--force` never loses a working account.

use serde_json::{Map, Value};

use super::defaults::{make_default_if_only, settings_default_is};
use crate::account::{Account, Redacted};
use crate::error::Result;
use crate::platform::Platform;
use crate::session;
use crate::settings::Settings;
use crate::store::{self, TokenStore};

/// The second half of a service-account login: stores the new record, upgrades it to a
/// platform tooling session when username and password were given, and loads its platform
/// session.
pub(crate) async fn store_and_load_session(
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
pub(crate) fn undo_login(
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

/// The stored record with this hash, kept so that a failed re-login can put it back.
pub(crate) fn previous_record(
    store: Option<&dyn TokenStore>,
    hash: &str,
) -> Result<Option<Account>> {
    let Some(store) = store else { return Ok(None) };
    Ok(store.load()?.into_iter().find(|a| a.hash == hash))
}

/// Ends a login: on failure, puts back the record the login replaced (or removes the new one),
/// so that a failed `--force` never loses a working account; on success, stores the account,
/// makes it the default when it is the only one, and returns it without secrets.
pub(crate) fn complete(
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
