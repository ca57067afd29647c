//! Token stores: where account records live between runs. One trait, one module per backend;
//! the record-level operations (purge, set, delete) are written once on top of the trait.

pub mod codec;
pub mod file;
pub mod memory;

use crate::account::{same_base_url, Account};
use crate::error::Result;

pub use file::FileStore;
pub use memory::MemoryStore;

/// A place that holds the list of account records.
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// Reads every record as stored (no purge).
    fn load(&self) -> Result<Vec<Account>>;

    /// Runs a read-modify-write under the store's cross-process lock. `change` edits the list
    /// and returns whether it changed anything; only then is the store written.
    fn update(&self, change: &mut dyn FnMut(&mut Vec<Account>) -> Result<bool>) -> Result<()>;
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

/// Removes the records whose name or hash is in `names` (and, when given, whose base URL
/// matches ignoring the scheme). Returns the removed records.
pub fn delete(
    store: &dyn TokenStore,
    names: &[String],
    base_url: Option<&str>,
) -> Result<Vec<Account>> {
    let mut removed = vec![];
    store.update(&mut |records| {
        let (gone, kept): (Vec<_>, Vec<_>) = records.drain(..).partition(|a| {
            (names.contains(&a.name) || names.contains(&a.hash))
                && base_url.is_none_or(|b| same_base_url(&a.auth.base_url, b))
        });
        *records = kept;
        removed = gone;
        Ok(!removed.is_empty())
    })?;
    Ok(removed)
}
