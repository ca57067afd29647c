//! The file store (spec 5.2): `<home>/axway-cli/.tokenstore.v2` plus the v1 mirror
//! `<home>/.tokenstore`, in the reference's encrypted format. The secure store uses the same
//! files under other names with a key from the OS keychain.
//!
//! Unlike the reference, a file that cannot be decrypted is reported and left in place, never
//! deleted.

use std::path::{Path, PathBuf};

use super::codec::{self, FILE_STORE_KEY};
use super::TokenStore;
use crate::account::Account;
use crate::error::{Error, Result};
use crate::files::{self, FileLock};

/// An encrypted store file pair.
#[derive(Debug)]
pub struct FileStore {
    v2: PathBuf,
    v1: PathBuf,
    key: Key,
}

/// The AES key; its `Debug` output is redacted.
struct Key([u8; 16]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key([redacted])")
    }
}

impl FileStore {
    /// The plain file store under `home_dir` (`~/.axway`).
    pub fn file(home_dir: &Path) -> Self {
        Self::with_names(home_dir, ".tokenstore", FILE_STORE_KEY)
    }

    /// A store with the given base file name (`.tokenstore` or `.tokenstore.secure`) and key.
    pub fn with_names(home_dir: &Path, base_name: &str, key: [u8; 16]) -> Self {
        FileStore {
            v2: home_dir.join("axway-cli").join(format!("{base_name}.v2")),
            v1: home_dir.join(base_name),
            key: Key(key),
        }
    }

    /// Path of the v2 file, the one that is read.
    pub fn path(&self) -> &Path {
        &self.v2
    }

    fn decode(&self, bytes: &[u8]) -> Result<Vec<Account>> {
        codec::decode_accounts(&self.key.0, bytes).map_err(|e| Error::StoreCorrupt {
            path: self.v2.clone(),
            detail: e.to_string(),
        })
    }

    fn save(&self, records: &[Account]) -> Result<()> {
        if records.is_empty() {
            files::remove_if_exists(&self.v1)?;
            return files::remove_if_exists(&self.v2);
        }
        files::write_atomic(
            &self.v1,
            codec::encode_v1_accounts(&self.key.0, records).as_bytes(),
        )?;
        files::write_atomic(
            &self.v2,
            codec::encode_accounts(&self.key.0, records).as_bytes(),
        )
    }
}

impl TokenStore for FileStore {
    fn load(&self) -> Result<Vec<Account>> {
        match files::read_optional(&self.v2)? {
            Some(bytes) => self.decode(&bytes),
            None => Ok(vec![]),
        }
    }

    fn update(&self, change: &mut dyn FnMut(&mut Vec<Account>) -> Result<bool>) -> Result<()> {
        let _lock = FileLock::acquire(&self.v2)?;
        let mut records = self.load()?;
        if change(&mut records)? {
            self.save(&records)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;

    fn account(name: &str, access: i64) -> Account {
        serde_json::from_value(serde_json::json!({
            "auth": {"authenticator": "ClientSecret", "baseUrl": "http://x", "clientId": "c",
                     "realm": "Broker", "expires": {"access": access, "refresh": null},
                     "tokens": {"access_token": "a"}},
            "hash": format!("c:{name}"), "name": name, "org": {"id": 100, "name": "Acme"},
            "orgs": [{"id": 100, "name": "Acme"}]
        }))
        .unwrap()
    }

    #[test]
    fn set_list_delete_round_trip_writes_both_files_and_removes_them_when_empty() {
        let home = tempfile::tempdir().unwrap();
        let fs = FileStore::file(home.path());
        store::set(&fs, &account("a", i64::MAX)).unwrap();
        store::set(&fs, &account("b", i64::MAX)).unwrap();
        store::set(&fs, &account("a", i64::MAX - 1)).unwrap();
        let names: Vec<_> = store::list(&fs, 0)
            .unwrap()
            .accounts
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(names, ["b", "a"], "replaced records move to the end");

        let v1 = std::fs::read(home.path().join(".tokenstore")).unwrap();
        let v1: serde_json::Value =
            serde_json::from_slice(&codec::decrypt(&FILE_STORE_KEY, &v1).unwrap()).unwrap();
        assert_eq!(v1[0]["authenticator"], "ClientSecret");
        assert_eq!(v1[0]["org"]["org_id"], 100);
        assert!(v1[0].get("auth").is_none() && v1[0]["org"].get("id").is_none());

        let removed = store::delete(&fs, &["a".into(), "c:b".into()], None).unwrap();
        assert_eq!(removed.len(), 2);
        assert!(!fs.path().exists() && !home.path().join(".tokenstore").exists());
    }

    #[test]
    fn list_purges_dead_records_and_reports_them() {
        let home = tempfile::tempdir().unwrap();
        let fs = FileStore::file(home.path());
        store::set(&fs, &account("dead", 10)).unwrap();
        store::set(&fs, &account("alive", 1_000)).unwrap();
        let listing = store::list(&fs, 500).unwrap();
        assert_eq!(listing.purged, ["dead"]);
        assert_eq!(fs.load().unwrap().len(), 1);
    }

    #[test]
    fn an_undecryptable_file_is_an_error_and_is_left_in_place() {
        let home = tempfile::tempdir().unwrap();
        let fs = FileStore::file(home.path());
        files::write_atomic(fs.path(), b"0123abcd not a store").unwrap();
        let before = std::fs::read(fs.path()).unwrap();
        let err = store::list(&fs, 0).unwrap_err();
        assert_eq!(err.code(), "ERR_STORE_CORRUPT");
        assert!(err.to_string().contains(&fs.path().display().to_string()));
        assert!(store::set(&fs, &account("a", i64::MAX)).is_err());
        assert_eq!(std::fs::read(fs.path()).unwrap(), before);
    }
}
