//! The secure store (spec 5.3, `tokenStoreType: "secure"`, the JS SDK's default):
//! `<home>/axway-cli/.tokenstore.secure.v2` plus the v1 mirror `<home>/.tokenstore.secure`, in the
//! file store's format, with a random AES-128 key kept in the OS keychain as 32 lowercase hex
//! characters under keytar's entry (service and account both `secureServiceName`), so the JS
//! SDK and this store read each other's files.
//!
//! Unlike the reference, the key and the files are never deleted:
//! - a keychain that is absent, locked or does not answer is an `ERR_SECURE_STORE_UNAVAILABLE`
//!   error saying what to do (reading a store that does not exist needs no key, and is empty);
//! - a store file whose key is missing (or is not a key) is the same error, and the file stays;
//! - a file the key cannot decrypt is `ERR_STORE_CORRUPT`, and the file stays;
//! - a new key is generated only when no store file exists, under the store's lock, after
//!   asking the keychain again, so two processes never create two keys.
//!
//! `axway auth logout --reset` (`TokenStore::reset`) moves an unreadable store aside.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::file::{Key, StoreFiles};
use super::keychain::{self, KeyEntry, KeychainError};
use super::records::TokenStore;
use crate::account::Account;
use crate::error::{Error, Result};

/// What the keychain said about the key.
#[derive(Debug, Clone)]
enum KeyState {
    /// The key, decoded.
    Known(Key),
    /// The keychain answered: there is no entry.
    Missing,
    /// The entry exists but does not hold a 32-character hex key.
    Invalid,
    /// The keychain did not answer, or refused.
    Unavailable(KeychainError),
}

/// The secure token store.
#[derive(Debug)]
pub struct SecureStore {
    files: StoreFiles,
    entry: KeyEntry,
    key: Mutex<KeyState>,
}

impl SecureStore {
    /// Opens the store and asks the keychain for its key. A keychain that does not answer is
    /// remembered, not an error yet: reading a store that does not exist needs no key.
    pub fn open(home_dir: &Path, service_name: &str, timeout: Duration) -> Self {
        let entry = KeyEntry::new(service_name).with_timeout(timeout);
        let state = fetch(&entry);
        Self::with_state(home_dir, entry, state)
    }

    /// Opens the store only if the keychain answers (the `auto` store's probe); otherwise
    /// returns why not. A failed probe is remembered for half a minute, so a process that opens
    /// the store several times waits for an unresponsive keychain at most once.
    pub fn probe(
        home_dir: &Path,
        service_name: &str,
        timeout: Duration,
    ) -> std::result::Result<Self, KeychainError> {
        static LAST_FAILURE: Mutex<Option<(Instant, String, KeychainError)>> = Mutex::new(None);
        const REMEMBER: Duration = Duration::from_secs(30);
        if let Some((at, service, e)) = &*LAST_FAILURE.lock().unwrap_or_else(|e| e.into_inner()) {
            if service == service_name && at.elapsed() < REMEMBER {
                return Err(e.clone());
            }
        }
        let entry = KeyEntry::new(service_name).with_timeout(timeout);
        match fetch(&entry) {
            KeyState::Unavailable(e) => {
                *LAST_FAILURE.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some((Instant::now(), service_name.to_string(), e.clone()));
                Err(e)
            }
            state => Ok(Self::with_state(home_dir, entry, state)),
        }
    }

    fn with_state(home_dir: &Path, entry: KeyEntry, state: KeyState) -> Self {
        SecureStore {
            files: StoreFiles::new(home_dir, ".tokenstore.secure"),
            entry,
            key: Mutex::new(state),
        }
    }

    /// Path of the v2 file under `home_dir`, without asking the keychain anything.
    pub fn file_path(home_dir: &Path) -> PathBuf {
        StoreFiles::new(home_dir, ".tokenstore.secure")
            .path()
            .to_path_buf()
    }

    /// Path of the v2 file.
    pub fn path(&self) -> &Path {
        self.files.path()
    }

    fn state(&self) -> KeyState {
        self.key.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The key as currently known; a missing entry is asked for again (another process may
    /// have created it since this store was opened).
    fn current(&self) -> KeyState {
        let state = self.state();
        if !matches!(state, KeyState::Missing) {
            return state;
        }
        let fresh = fetch(&self.entry);
        *self.key.lock().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        fresh
    }

    /// The key needed to read the existing store file.
    fn key_for_existing_file(&self) -> Result<Key> {
        match self.current() {
            KeyState::Known(key) => Ok(key),
            KeyState::Missing => Err(Error::SecureStoreUnavailable(format!(
                "The key of the secure token store {} is missing from the OS keychain (service \"{}\"), so the store cannot be read; it was left in place. Restore the keychain entry, or move the store aside with `axway auth logout --reset` and log in again",
                self.path().display(),
                self.entry.service
            ))),
            KeyState::Invalid => Err(Error::SecureStoreUnavailable(format!(
                "The OS keychain entry \"{}\" does not hold a valid key (32 hex characters), so the secure token store {} cannot be read; it was left in place. Move it aside with `axway auth logout --reset` and log in again",
                self.entry.label(),
                self.path().display()
            ))),
            KeyState::Unavailable(e) => Err(unavailable(&e, Some(self.path()))),
        }
    }

    /// The key to write a new store file with: the keychain's, or a new one stored there
    /// first. Call with the store's lock held and no store file present.
    fn key_for_new_file(&self) -> Result<Key> {
        match self.current() {
            KeyState::Known(key) => Ok(key),
            KeyState::Unavailable(e) => Err(unavailable(&e, None)),
            state @ (KeyState::Missing | KeyState::Invalid) => {
                if matches!(state, KeyState::Invalid) {
                    tracing::warn!(entry = %self.entry.label(), "replacing a keychain entry that does not hold a key (no store file uses it)");
                }
                let key = Key(rand::random());
                keychain::set(&self.entry, &hex::encode(key.0))
                    .map_err(|e| unavailable(&e, None))?;
                tracing::debug!(entry = %self.entry.label(), "stored a new secure store key in the keychain");
                *self.key.lock().unwrap_or_else(|e| e.into_inner()) = KeyState::Known(key);
                Ok(key)
            }
        }
    }
}

/// Asks the keychain for the key.
fn fetch(entry: &KeyEntry) -> KeyState {
    match keychain::get(entry) {
        Ok(Some(value)) => match parse_key(&value) {
            Some(key) => KeyState::Known(key),
            None => KeyState::Invalid,
        },
        Ok(None) => KeyState::Missing,
        Err(e) => {
            tracing::debug!(entry = %entry.label(), "keychain unavailable: {e}");
            KeyState::Unavailable(e)
        }
    }
}

/// The keychain holds the key as 32 hex characters (keytar's `randomBytes(16).toString('hex')`).
fn parse_key(value: &str) -> Option<Key> {
    let bytes = hex::decode(value.trim()).ok()?;
    Some(Key(bytes.try_into().ok()?))
}

fn unavailable(error: &KeychainError, existing: Option<&Path>) -> Error {
    let state = match error {
        KeychainError::Locked(_) => "is locked",
        _ => "is not available",
    };
    match existing {
        Some(path) => Error::SecureStoreUnavailable(format!(
            "The OS keychain {state} ({error}), so the secure token store {} cannot be read; it was left in place. Unlock or start the keychain and try again, or run `axway config set auth.tokenStoreType file` and log in again",
            path.display()
        )),
        None => Error::SecureStoreUnavailable(format!(
            "The OS keychain {state} ({error}), so the secure token store cannot be used. Unlock or start the keychain (on Linux, a Secret Service such as gnome-keyring), or run `axway config set auth.tokenStoreType file` and log in again"
        )),
    }
}

impl TokenStore for SecureStore {
    fn is_secure(&self) -> bool {
        true
    }

    fn location(&self) -> super::records::StoreLocation {
        super::records::StoreLocation {
            kind: "secure",
            path: Some(self.path().to_path_buf()),
        }
    }

    fn load(&self) -> Result<Vec<Account>> {
        let Some(ciphertext) = self.files.read()? else {
            return Ok(vec![]);
        };
        let key = self.key_for_existing_file()?;
        self.files.decode(&key, ciphertext)
    }

    fn load_json(&self) -> Result<Option<Vec<u8>>> {
        let Some(ciphertext) = self.files.read()? else {
            return Ok(Some(b"[]".to_vec()));
        };
        let key = self.key_for_existing_file()?;
        self.files.plaintext(&key, ciphertext).map(Some)
    }

    fn update(&self, change: &mut dyn FnMut(&mut Vec<Account>) -> Result<bool>) -> Result<()> {
        let _lock = self.files.lock()?;
        let (mut records, key) = match self.files.read()? {
            Some(ciphertext) => {
                let key = self.key_for_existing_file()?;
                (self.files.decode(&key, ciphertext)?, Some(key))
            }
            None => (vec![], None),
        };
        if !change(&mut records)? {
            return Ok(());
        }
        let key = match key {
            Some(key) => key,
            None if records.is_empty() => return self.files.save(&Key([0; 16]), &records),
            None => self.key_for_new_file()?,
        };
        self.files.save(&key, &records)
    }

    fn refresh_lock_target(&self, account_hash: &str) -> Option<PathBuf> {
        Some(self.files.refresh_lock_target(account_hash))
    }

    fn reset(&self) -> Result<Option<PathBuf>> {
        let _lock = self.files.lock()?;
        let ciphertext = match self.files.read() {
            Ok(Some(ciphertext)) => ciphertext,
            Ok(None) => return Ok(None),
            Err(Error::StoreCorrupt { .. }) => return self.files.move_aside(),
            Err(e) => return Err(e),
        };
        match self.key_for_existing_file() {
            Ok(key) => match self.files.decode(&key, ciphertext) {
                Ok(_) => Ok(None),
                Err(_) => self.files.move_aside(),
            },
            // Key gone or not a key: the store can never be read again.
            Err(_) if matches!(self.state(), KeyState::Missing | KeyState::Invalid) => {
                self.files.move_aside()
            }
            // The keychain did not answer: the store may be fine, so leave it.
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{self, codec};

    fn account(name: &str) -> Account {
        serde_json::from_value(serde_json::json!({
            "auth": {"authenticator": "ClientSecret", "baseUrl": "http://x", "clientId": "c",
                     "realm": "Broker", "expires": {"access": i64::MAX, "refresh": null},
                     "tokens": {"access_token": "a"}},
            "hash": format!("c:{name}"), "name": name, "org": {"id": 100, "name": "Acme"},
            "orgs": [{"id": 100, "name": "Acme"}]
        }))
        .unwrap()
    }

    fn store_with(home: &Path, state: KeyState) -> SecureStore {
        SecureStore::with_state(home, KeyEntry::new("axway-auth-unit"), state)
    }

    #[test]
    fn keys_are_32_hex_characters() {
        assert_eq!(
            parse_key("00112233445566778899AABBCCDDEEFF").map(|k| k.0[15]),
            Some(0xff)
        );
        assert!(parse_key("0011").is_none());
        assert!(parse_key("zz112233445566778899aabbccddeeff").is_none());
        assert!(parse_key("").is_none());
    }

    #[test]
    fn files_use_the_secure_names_and_the_keychain_key() {
        let home = tempfile::tempdir().unwrap();
        let key = Key([7; 16]);
        let secure = store_with(home.path(), KeyState::Known(key));
        store::set(&secure, &account("a")).unwrap();
        let v2 = home.path().join("axway-cli/.tokenstore.secure.v2");
        let v1 = home.path().join(".tokenstore.secure");
        assert_eq!(secure.path(), v2);
        let records = codec::decode_accounts(&key.0, &std::fs::read(&v2).unwrap()).unwrap();
        assert_eq!(records[0].name, "a");
        assert!(codec::decrypt(&key.0, &std::fs::read(&v1).unwrap()).is_ok());
        // the same files read through FileStore::with_names, as the brief's compatibility says
        let same = crate::store::FileStore::with_names(home.path(), ".tokenstore.secure", key.0);
        assert_eq!(same.load().unwrap().len(), 1);
    }

    #[test]
    fn no_keychain_reads_an_absent_store_as_empty_but_cannot_write() {
        let home = tempfile::tempdir().unwrap();
        let secure = store_with(
            home.path(),
            KeyState::Unavailable(KeychainError::Unavailable("no bus".into())),
        );
        assert!(store::list(&secure, 0).unwrap().accounts.is_empty());
        let err = store::set(&secure, &account("a")).unwrap_err();
        assert_eq!(err.code(), "ERR_SECURE_STORE_UNAVAILABLE");
        assert!(err.to_string().contains("no bus"), "{err}");
        assert!(
            err.to_string().contains("auth.tokenStoreType file"),
            "{err}"
        );
        assert!(!secure.path().exists());
    }

    #[test]
    fn no_keychain_with_an_existing_store_is_an_error_and_nothing_is_touched() {
        let home = tempfile::tempdir().unwrap();
        let key = Key([9; 16]);
        store::set(
            &store_with(home.path(), KeyState::Known(key)),
            &account("a"),
        )
        .unwrap();
        let before = std::fs::read(home.path().join("axway-cli/.tokenstore.secure.v2")).unwrap();
        for state in [
            KeyState::Unavailable(KeychainError::Locked("the keyring is locked".into())),
            KeyState::Invalid,
        ] {
            let secure = store_with(home.path(), state);
            let err = store::list(&secure, 0).unwrap_err();
            assert_eq!(err.code(), "ERR_SECURE_STORE_UNAVAILABLE");
            assert!(err
                .to_string()
                .contains(&secure.path().display().to_string()));
            assert!(store::set(&secure, &account("b")).is_err());
            assert!(store::delete(&secure, &["a".into()], None).is_err());
        }
        let locked = store_with(
            home.path(),
            KeyState::Unavailable(KeychainError::Locked("the keyring is locked".into())),
        );
        assert!(
            locked.reset().is_err(),
            "a store that may be fine is not moved"
        );
        assert_eq!(
            std::fs::read(home.path().join("axway-cli/.tokenstore.secure.v2")).unwrap(),
            before
        );
    }

    #[test]
    fn a_wrong_key_is_a_corrupt_store_that_reset_moves_aside() {
        let home = tempfile::tempdir().unwrap();
        store::set(
            &store_with(home.path(), KeyState::Known(Key([1; 16]))),
            &account("a"),
        )
        .unwrap();
        let other = store_with(home.path(), KeyState::Known(Key([2; 16])));
        let err = store::list(&other, 0).unwrap_err();
        assert_eq!(err.code(), "ERR_STORE_CORRUPT");
        let moved = other.reset().unwrap().expect("moved aside");
        assert!(moved.to_string_lossy().ends_with(".corrupt"));
        assert!(!other.path().exists());
        assert!(store::list(&other, 0).unwrap().accounts.is_empty());
    }

    #[test]
    #[ignore = "needs a Secret Service: npm test runs it inside scripts/with-secret-service.sh"]
    fn against_the_real_keychain_a_key_is_made_once_and_never_deleted() {
        let home = tempfile::tempdir().unwrap();
        let service = format!("axway-auth-unit-{:08x}", rand::random::<u32>());
        let entry = KeyEntry::new(&service);

        let first = SecureStore::open(home.path(), &service, keychain::DEFAULT_TIMEOUT);
        assert!(store::list(&first, 0).unwrap().accounts.is_empty());
        assert_eq!(keychain::get(&entry).unwrap(), None, "listing makes no key");
        store::set(&first, &account("a")).unwrap();
        let key = keychain::get(&entry).unwrap().expect("a key was stored");
        assert_eq!(key.len(), 32);
        assert!(key
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));

        let second = SecureStore::open(home.path(), &service, keychain::DEFAULT_TIMEOUT);
        store::set(&second, &account("b")).unwrap();
        assert_eq!(
            keychain::get(&entry).unwrap().as_deref(),
            Some(key.as_str())
        );
        assert_eq!(store::list(&second, 0).unwrap().accounts.len(), 2);

        // the entry vanishes while the store exists: a clear error, nothing deleted
        keychain::delete(&entry).unwrap();
        let third = SecureStore::open(home.path(), &service, keychain::DEFAULT_TIMEOUT);
        let err = store::list(&third, 0).unwrap_err();
        assert_eq!(err.code(), "ERR_SECURE_STORE_UNAVAILABLE");
        assert!(
            err.to_string().contains("missing from the OS keychain"),
            "{err}"
        );
        assert!(store::set(&third, &account("c")).is_err());
        assert!(third.path().exists());
        assert_eq!(keychain::get(&entry).unwrap(), None, "no key was invented");

        // reset moves the unreadable store aside; the next login makes a new key
        assert!(third.reset().unwrap().is_some());
        store::set(&third, &account("c")).unwrap();
        assert_ne!(
            keychain::get(&entry).unwrap().as_deref(),
            Some(key.as_str())
        );
        keychain::delete(&entry).unwrap();
    }
}
