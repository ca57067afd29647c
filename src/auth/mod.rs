//! The operations: login, list, logout, switch, whoami, server info. Each takes resolved
//! `Settings`, opens the configured store, and returns accounts without persisted secrets.

mod browser;
mod find;
mod list;
mod login;
mod logout;
mod switch;
mod validate;

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::account::Account;
use crate::error::Result;
use crate::oauth::{self, Endpoints};
use crate::settings::{Settings, StoreKind};
use crate::store::{self, FileStore, MemoryStore, SecureStore, TokenStore};

pub use find::{find, find_session, load_session, update_account, Lookup};
pub use list::{list, whoami, ListRequest};
pub use login::{login, BrowserOptions, Existing, LoginRequest, OpenBrowserHook};
pub use logout::{logout, LogoutRequest, LogoutTarget};
pub use switch::{switch, switch_org, SwitchRequest};

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Opens the store the settings ask for. `None` means no persistence (`tokenStoreType: null`).
///
/// `secure` asks the OS keychain for the key (bounded by a short timeout); `auto` does the same
/// and falls back to the file store when the keychain does not answer, telling the user once
/// (a notice on stderr), without writing anything to `config.json`.
pub fn open_store(settings: &Settings) -> Result<Option<Arc<dyn TokenStore>>> {
    static MEMORY: OnceLock<Arc<MemoryStore>> = OnceLock::new();
    let home = &settings.home_dir;
    let service = settings.secure_service_name.as_str();
    Ok(match settings.store_kind {
        StoreKind::File => Some(Arc::new(FileStore::file(home))),
        StoreKind::Memory => Some(MEMORY.get_or_init(Default::default).clone()),
        StoreKind::Null => None,
        StoreKind::Secure => Some(Arc::new(SecureStore::open(home, service))),
        StoreKind::Auto => match SecureStore::probe(home, service) {
            Ok(secure) => Some(Arc::new(secure)),
            Err(reason) => {
                let file = FileStore::file(home);
                tracing::debug!(
                    "auto token store: keychain unavailable ({reason}), using the file store"
                );
                crate::notices::push(format!(
                    "The OS keychain is not available ({reason}); using the file token store {}.",
                    file.path().display()
                ));
                Some(Arc::new(file))
            }
        },
    })
}

/// Moves the configured token store aside to `<file>.<UTC timestamp>.corrupt` when it cannot
/// be read (corrupt, foreign, or its keychain key is gone), so the next login starts afresh.
/// Returns the new path, or `None` when the store is readable or absent (nothing is moved).
/// `axway auth logout --reset`.
pub fn reset_store(settings: &Settings) -> Result<Option<std::path::PathBuf>> {
    match open_store(settings)? {
        Some(store) => store.reset(),
        None => Ok(None),
    }
}

/// Reads the live records (purging dead ones, the reference's rule: `store::list`) and tells
/// the user which accounts expired and were removed, instead of letting them vanish silently.
pub(crate) fn live(store: &dyn TokenStore) -> Result<Vec<Account>> {
    let listing = store::list(store, now_ms())?;
    for name in &listing.purged {
        crate::notices::push(format!(
            "Account \"{name}\" expired and was removed. To log in again, run: axway auth login"
        ));
    }
    Ok(listing.accounts)
}

/// Tells the user that an account is no longer usable and how to get it back.
pub(crate) fn tell_removed(name: &str, why: &str) {
    crate::notices::push(format!(
        "Account \"{name}\" was removed: {why}. To log in again, run: axway auth login"
    ));
}

/// The identity server's OpenID configuration document (`url` overrides its address).
pub async fn server_info(settings: &Settings, url: Option<&str>) -> Result<Value> {
    let mut endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    if let Some(url) = url.filter(|u| !u.is_empty()) {
        endpoints.well_known = url.to_string();
    }
    oauth::server_info(&endpoints, settings.request_timeout).await
}

/// The hash of the account the settings' credentials log in (spec 3.6): the SDK's
/// `Auth.find(options)` looks it up.
pub fn authenticator_hash(settings: &Settings) -> Result<String> {
    login::require_client_id(settings)?;
    Ok(login::hash_for(
        settings,
        login::credentials(settings)?.as_ref(),
    ))
}
