//! The `TokenStore` trait every backend implements, and the record-level operations (purge,
//! set, delete, the single-flight refresh guard) written once on top of it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::account::{same_base_url, Account};
use crate::error::{Error, Result};
use crate::files::FileLock;

/// Where a store keeps tokens.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoreLocation {
    /// `secure`, `file`, `memory` or `null`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub path: Option<PathBuf>,
}

/// A place that holds the list of account records.
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// Reads every record as stored (no purge).
    fn load(&self) -> Result<Vec<Account>>;

    /// The stored JSON array of records, for a caller that passes records through unchanged;
    /// `None` when this store keeps no such text (then use `load`). No purge.
    fn load_json(&self) -> Result<Option<Vec<u8>>> {
        Ok(None)
    }

    /// Runs a read-modify-write under the store's cross-process lock. `change` edits the list
    /// and returns whether it changed anything; only then is the store written.
    fn update(&self, change: &mut dyn FnMut(&mut Vec<Account>) -> Result<bool>) -> Result<()>;

    /// The file whose lock serialises refreshes of one account across processes; `None` for a
    /// store that lives in this process only (refreshes are then serialised in-process).
    fn refresh_lock_target(&self, _account_hash: &str) -> Option<PathBuf> {
        None
    }

    /// Moves the store's file(s) aside to `<file>.<UTC timestamp>.corrupt` when they cannot be
    /// read (corrupt, foreign, or their key is gone), and returns where the main file went.
    /// A readable or absent store is left alone (`None`). Never deletes anything.
    fn reset(&self) -> Result<Option<PathBuf>> {
        Ok(None)
    }

    /// Whether the store's key is private to this user (the OS keychain), so that client secrets
    /// may be kept with the account. The file store's key is public: it never holds secrets
    /// unless the user asks (`persistSecrets`).
    fn is_secure(&self) -> bool {
        false
    }

    /// What kind of store this is and which file it reads (none for the memory store).
    fn location(&self) -> StoreLocation {
        StoreLocation {
            kind: "memory",
            path: None,
        }
    }
}

/// Held while one account is being refreshed: a cross-process file lock for file-backed
/// stores, an in-process lock otherwise. Dropping it releases the lock.
#[derive(Debug)]
pub enum RefreshGuard {
    File(FileLock),
    Local(tokio::sync::OwnedMutexGuard<()>),
}

/// Waits (without blocking the async runtime) until this caller is the only one refreshing
/// `account_hash` in `store`, in any process. The caller must re-read the record once it holds
/// the guard: another holder may have refreshed it already, and a refresh token must never be
/// spent twice.
pub async fn refresh_guard(store: &dyn TokenStore, account_hash: &str) -> Result<RefreshGuard> {
    if let Some(target) = store.refresh_lock_target(account_hash) {
        let path = target.clone();
        let lock = tokio::task::spawn_blocking(move || FileLock::acquire(&path))
            .await
            .map_err(|e| Error::Io {
                action: "lock",
                path: target,
                detail: e.to_string(),
                source: None,
            })??;
        return Ok(RefreshGuard::File(lock));
    }
    static LOCAL: Mutex<Option<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = Mutex::new(None);
    let mutex = LOCAL
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_with(HashMap::new)
        .entry(account_hash.to_string())
        .or_default()
        .clone();
    Ok(RefreshGuard::Local(mutex.lock_owned().await))
}

/// The stored record with this hash, if any (no purge).
pub fn find(store: &dyn TokenStore, account_hash: &str) -> Result<Option<Account>> {
    Ok(store.load()?.into_iter().find(|a| a.hash == account_hash))
}

/// The outcome of reading the store: live records plus the names of those just purged.
#[derive(Debug, Default)]
pub struct Listing {
    pub accounts: Vec<Account>,
    pub purged: Vec<String>,
}

/// Lists live records and purges those whose access and refresh tokens have both expired
/// (the reference does this on every list, and the stored format depends on it).
pub fn list(store: &dyn TokenStore, now_ms: i64) -> Result<Listing> {
    let accounts = store.load()?;
    if accounts.iter().all(|a| a.is_alive(now_ms)) {
        return Ok(Listing {
            accounts,
            purged: vec![],
        });
    }
    let mut listing = Listing::default();
    store.update(&mut |records| {
        let (alive, dead): (Vec<_>, Vec<_>) = records.drain(..).partition(|a| a.is_alive(now_ms));
        *records = alive;
        listing.purged = dead.into_iter().map(|a| a.name).collect();
        listing.accounts = records.clone();
        Ok(!listing.purged.is_empty())
    })?;
    Ok(listing)
}

/// Stores `account`, replacing the record with the same base URL and name (appended last, as the
/// reference does).
pub fn set(store: &dyn TokenStore, account: &Account) -> Result<()> {
    let mut record = account.clone();
    record.default = None;
    store.update(&mut |records| {
        records.retain(|a| !(a.auth.base_url == record.auth.base_url && a.name == record.name));
        records.push(record.clone());
        Ok(true)
    })
}

/// Removes every record (or, when `base_url` is given, those of that base URL, ignoring the
/// scheme) and returns them: the SDK's `TokenStore.clear`.
pub fn clear(store: &dyn TokenStore, base_url: Option<&str>) -> Result<Vec<Account>> {
    remove_where(store, |a| {
        base_url.is_none_or(|b| same_base_url(&a.auth.base_url, b))
    })
}

/// Removes the records whose name or hash is in `names` (and, when given, whose base URL
/// matches ignoring the scheme). Returns the removed records.
pub fn delete(
    store: &dyn TokenStore,
    names: &[String],
    base_url: Option<&str>,
) -> Result<Vec<Account>> {
    remove_where(store, |a| {
        (names.contains(&a.name) || names.contains(&a.hash))
            && base_url.is_none_or(|b| same_base_url(&a.auth.base_url, b))
    })
}

/// Removes the records `gone` selects, in one locked write (none when it selects nothing), and
/// returns them.
fn remove_where(store: &dyn TokenStore, gone: impl Fn(&Account) -> bool) -> Result<Vec<Account>> {
    let mut removed = vec![];
    store.update(&mut |records| {
        let (out, kept): (Vec<_>, Vec<_>) = records.drain(..).partition(|a| gone(a));
        *records = kept;
        removed = out;
        Ok(!removed.is_empty())
    })?;
    Ok(removed)
}
