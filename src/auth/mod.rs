//! The operations: login, list, logout, switch, whoami, server info. Each takes resolved
//! `Settings`, opens the configured store, and returns accounts without persisted secrets.

mod browser;
pub mod device;
mod launch;
mod login;
mod logout;
pub mod sdk;
mod switch;
mod validate;

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::account::Account;
use crate::error::Result;
use crate::oauth::{self, Endpoints};
use crate::platform::Platform;
use crate::settings::{Settings, StoreKind};
use crate::store::{self, FileStore, MemoryStore, SecureStore, TokenStore};

pub use device::{DeviceMode, DeviceOptions};
pub use login::{login, BrowserOptions, LoginRequest, OpenBrowserHook};
pub use logout::{logout, LogoutRequest, LogoutTarget};
pub use switch::{switch, SwitchRequest};

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
    // as the JS SDK: `opts.secureServiceName || 'Axway AMPLIFY Auth'`
    let service = match settings.secure_service_name.as_str() {
        "" => crate::settings::DEFAULT_SECURE_SERVICE_NAME,
        name => name,
    };
    Ok(match settings.store_kind {
        StoreKind::File => Some(Arc::new(FileStore::file(home))),
        StoreKind::Memory => Some(MEMORY.get_or_init(Default::default).clone()),
        StoreKind::Null => None,
        StoreKind::Secure => Some(Arc::new(SecureStore::open(home, service))),
        StoreKind::Unset => return open_unset(home, service),
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

/// The store when none is configured: the keychain-backed one if its file exists (a keychain
/// that does not answer is then an error, as for `secure`: the accounts are there), else the
/// file store if its file exists, else the keychain when it answers, else the file store, and
/// the user is told once where tokens are kept and how to choose (the first login on a machine
/// without a keychain: SSH, containers, WSL). Never writes `config.json`.
fn open_unset(home: &std::path::Path, service: &str) -> Result<Option<Arc<dyn TokenStore>>> {
    let file = FileStore::file(home);
    if SecureStore::file_path(home).exists() {
        return Ok(Some(Arc::new(SecureStore::open(home, service))));
    }
    if file.path().exists() {
        return Ok(Some(Arc::new(file)));
    }
    match SecureStore::probe(home, service) {
        Ok(secure) => Ok(Some(Arc::new(secure))),
        Err(reason) => {
            tracing::debug!(
                "no token store configured, keychain unavailable ({reason}): file store"
            );
            crate::notices::push(format!(
                "The OS keychain is not available ({reason}), so tokens are kept in the file store {} \
                 (encrypted with a fixed key, readable only by you). To choose: axway config set \
                 auth.tokenStoreType secure (or file)",
                file.path().display()
            ));
            Ok(Some(Arc::new(file)))
        }
    }
}

/// Where the store the settings ask for keeps tokens (for `axway auth ls`): `secure` (a file
/// encrypted with a key in the OS keychain), `file`, `memory`, or `null` (nowhere).
pub fn store_location(settings: &Settings) -> Result<StoreLocation> {
    Ok(match open_store(settings)? {
        Some(store) => store.location(),
        None => StoreLocation {
            kind: "null",
            path: None,
        },
    })
}

pub use crate::store::StoreLocation;

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

/// Reads the live records (purging dead ones) and tells the user which accounts expired and
/// were removed, instead of letting them vanish silently.
pub(crate) fn live(store: &dyn TokenStore) -> Result<Vec<Account>> {
    let listing = store::list(store, now_ms())?;
    tell_expired(&listing.purged);
    Ok(listing.accounts)
}

/// Tells the user that an account is no longer usable and how to get it back.
pub(crate) fn tell_removed(name: &str, why: &str) {
    crate::notices::push(format!(
        "Account \"{name}\" was removed: {why}. To log in again, run: axway auth login"
    ));
}

fn tell_expired(names: &[String]) {
    for name in names {
        crate::notices::push(format!(
            "Account \"{name}\" expired and was removed. To log in again, run: axway auth login"
        ));
    }
}

/// What `list` found: the accounts, and the names of expired accounts it removed.
#[derive(Debug, Default)]
pub struct AccountList {
    pub accounts: Vec<Account>,
    pub expired: Vec<String>,
}

/// Lists the accounts of the current environment, sorted by name, with `default` set. With
/// `validate`, every account is refreshed if needed and its platform session re-read, all
/// accounts at once.
pub async fn list(settings: &Settings, validate: bool) -> Result<AccountList> {
    let Some(store) = open_store(settings)? else {
        return Ok(AccountList::default());
    };
    let listing = store::list(store.as_ref(), now_ms())?;
    let mut accounts: Vec<Account> = listing
        .accounts
        .into_iter()
        .filter(|a| a.in_env(&settings.env.name))
        .collect();
    if validate {
        let platform = Platform::new(settings);
        let teams = settings.default_teams();
        let checks = accounts.into_iter().map(|account| {
            let (store, platform, teams) = (store.clone(), platform.clone(), &teams);
            async move {
                let stale = account.clone();
                match validate::validate(settings, store.as_ref(), &platform, account, teams).await {
                    Ok(result) => result,
                    Err(e) => {
                        tracing::warn!(account = %stale.name, code = e.code(), "failed to validate account: {e}");
                        Some(stale)
                    }
                }
            }
        });
        accounts = futures::future::join_all(checks)
            .await
            .into_iter()
            .flatten()
            .collect();
    }
    let mut accounts = finish(settings, accounts);
    accounts.sort_by(|a, b| compare_names(&a.name, &b.name));
    Ok(AccountList {
        accounts,
        expired: listing.purged,
    })
}

fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// Strips secrets and marks the default account.
fn finish(settings: &Settings, accounts: Vec<Account>) -> Vec<Account> {
    let default = settings.default_account();
    accounts
        .into_iter()
        .map(|a| {
            let mut a = a.strip_secrets();
            a.default = Some(default.as_deref() == Some(a.name.as_str()));
            a
        })
        .collect()
}

/// The named account (by name or hash), else the default account, else the first one.
pub async fn whoami(settings: &Settings, account_name: Option<&str>) -> Result<Option<Account>> {
    let accounts = list(settings, true).await?.accounts;
    Ok(match account_name {
        Some(name) => accounts
            .into_iter()
            .find(|a| a.name == name || a.hash == name),
        None => {
            let default = accounts
                .iter()
                .position(|a| a.default == Some(true))
                .unwrap_or(0);
            accounts.into_iter().nth(default)
        }
    })
}

/// The identity server's OpenID configuration document.
pub async fn server_info(settings: &Settings) -> Result<Value> {
    oauth::server_info(
        &Endpoints::new(&settings.base_url, &settings.realm),
        settings.request_timeout,
    )
    .await
}
