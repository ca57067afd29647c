//! The in-process store (`tokenStoreType: "memory"`): lost when the process exits.

use std::sync::Mutex;

use super::records::TokenStore;
use crate::account::Account;
use crate::error::Result;

/// Records kept in memory only.
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: Mutex<Vec<Account>>,
}

impl TokenStore for MemoryStore {
    fn load(&self) -> Result<Vec<Account>> {
        Ok(self
            .records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone())
    }

    fn update(&self, change: &mut dyn FnMut(&mut Vec<Account>) -> Result<bool>) -> Result<()> {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let mut draft = records.clone();
        if change(&mut draft)? {
            *records = draft;
        }
        Ok(())
    }
}
