//! The configured token store, opened once per operation, and its live records.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::account::Account;
use crate::error::Result;
use crate::settings::{Settings, StoreKind};
use crate::store::{self, FileStore, MemoryStore, SecureStore, StoreLocation, TokenStore};

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// The in-process stores: one shared by the calls that name none, and one per name (each
/// SDK-compatible `Auth` has its own, as in the SDK).
fn memory_stores() -> &'static Mutex<HashMap<String, Arc<MemoryStore>>> {
    static STORES: OnceLock<Mutex<HashMap<String, Arc<MemoryStore>>>> = OnceLock::new();
    STORES.get_or_init(Default::default)
}

fn memory_store(name: Option<&str>) -> Arc<MemoryStore> {
    let mut stores = memory_stores().lock().unwrap_or_else(|e| e.into_inner());
    stores
        .entry(name.unwrap_or_default().to_string())
        .or_default()
        .clone()
}

/// Forgets a named in-process store (its `Auth` was garbage-collected).
pub fn drop_memory_store(name: &str) {
    let mut stores = memory_stores().lock().unwrap_or_else(|e| e.into_inner());
    stores.remove(name);
}

/// Opens the store the settings ask for. `None` means no persistence (`tokenStoreType: null`).
///
/// `secure` asks the OS keychain for the key (bounded by a short timeout); `auto` does the same
/// and falls back to the file store when the keychain does not answer, telling the user once
/// (a notice on stderr), without writing anything to `config.json`.
pub fn open_store(settings: &Settings) -> Result<Option<Arc<dyn TokenStore>>> {
    let home = &settings.home_dir;
    let service = settings.secure_service_name.as_str();
    Ok(match settings.store_kind {
        StoreKind::File => Some(Arc::new(FileStore::file(home))),
        StoreKind::Memory => Some(memory_store(settings.memory_store.as_deref())),
        StoreKind::Null => None,
        StoreKind::Custom => Some(settings.custom_store.clone().ok_or_else(|| {
            crate::error::Error::InvalidArgument(
                "The custom token store was not given (tokenStore)".into(),
            )
        })?),
        StoreKind::Unset => return open_unset(home, service, settings.keychain_timeout),
        StoreKind::Secure => Some(Arc::new(SecureStore::open(
            home,
            service,
            settings.keychain_timeout,
        ))),
        StoreKind::Auto => match SecureStore::probe(home, service, settings.keychain_timeout) {
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

/// The store when none is configured: the keychain-backed one if its file exists (a keychain
/// that does not answer is then an error, as for `secure`: the accounts are there), else the
/// file store if its file exists, else the keychain when it answers, else the file store, and
/// the user is told once where tokens are kept and how to choose (the first login on a machine
/// without a keychain: SSH, containers, WSL). Never writes `config.json`.
fn open_unset(
    home: &std::path::Path,
    service: &str,
    keychain_timeout: std::time::Duration,
) -> Result<Option<Arc<dyn TokenStore>>> {
    let file = FileStore::file(home);
    if SecureStore::file_path(home).exists() {
        return Ok(Some(Arc::new(SecureStore::open(
            home,
            service,
            keychain_timeout,
        ))));
    }
    if file.path().exists() {
        return Ok(Some(Arc::new(file)));
    }
    match SecureStore::probe(home, service, keychain_timeout) {
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
