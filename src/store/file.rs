//! The file store (spec 5.2): `<home>/axway-cli/.tokenstore.v2` plus the v1 mirror
//! `<home>/.tokenstore`, in the reference's encrypted format. The secure store uses the same
//! files under other names with a key from the OS keychain.
//!
//! Unlike the reference, a file that cannot be decrypted is reported and left in place, never
//! deleted.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::codec::{self, FILE_STORE_KEY};
use super::records::TokenStore;
use crate::account::Account;
use crate::error::{Error, Result};
use crate::files::{self, FileLock};

/// An encrypted store file pair with the reference's fixed key.
#[derive(Debug)]
pub struct FileStore {
    files: StoreFiles,
    key: Key,
}

/// An AES-128 key; its `Debug` output is redacted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(pub(crate) [u8; 16]);

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
            files: StoreFiles::new(home_dir, base_name),
            key: Key(key),
        }
    }

    /// Path of the v2 file, the one that is read.
    pub fn path(&self) -> &Path {
        self.files.path()
    }
}

impl TokenStore for FileStore {
    fn load(&self) -> Result<Vec<Account>> {
        self.files.load(&self.key)
    }

    fn load_json(&self) -> Result<Option<Vec<u8>>> {
        match self.files.read()? {
            Some(ciphertext) => self.files.plaintext(&self.key, ciphertext).map(Some),
            None => Ok(Some(b"[]".to_vec())),
        }
    }

    fn location(&self) -> super::records::StoreLocation {
        super::records::StoreLocation {
            kind: "file",
            path: Some(self.path().to_path_buf()),
        }
    }

    fn update(&self, change: &mut dyn FnMut(&mut Vec<Account>) -> Result<bool>) -> Result<()> {
        let _lock = self.files.lock()?;
        let mut records = self.files.load(&self.key)?;
        if change(&mut records)? {
            self.files.save(&self.key, &records)?;
        }
        Ok(())
    }

    fn refresh_lock_target(&self, account_hash: &str) -> Option<PathBuf> {
        Some(self.files.refresh_lock_target(account_hash))
    }

    fn reset(&self) -> Result<Option<PathBuf>> {
        let _lock = self.files.lock()?;
        match self.files.load(&self.key) {
            Ok(_) => Ok(None),
            Err(Error::StoreCorrupt { .. }) => self.files.move_aside(),
            Err(e) => Err(e),
        }
    }
}

/// The largest store file read: 256 MiB of hex, about 30,000 accounts (a larger one is not a
/// token store, and reading it would only exhaust memory).
const MAX_STORE_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The two files of a store: `<home>/axway-cli/<base>.v2` (read and written) and its v1 mirror
/// `<home>/<base>` (written only, for Auth SDK v1 readers), plus the lock that guards both.
/// Shared by the file store and the secure store, which differ only in names and key.
#[derive(Debug, Clone)]
pub(crate) struct StoreFiles {
    v2: PathBuf,
    v1: PathBuf,
}

impl StoreFiles {
    pub fn new(home_dir: &Path, base_name: &str) -> Self {
        StoreFiles {
            v2: home_dir.join("axway-cli").join(format!("{base_name}.v2")),
            v1: home_dir.join(base_name),
        }
    }

    /// The v2 file.
    pub fn path(&self) -> &Path {
        &self.v2
    }

    /// The cross-process lock held for every read-modify-write of these files.
    pub fn lock(&self) -> Result<FileLock> {
        FileLock::acquire(&self.v2)
    }

    /// The v2 file's ciphertext (its hex decoded as it is read), `None` when there is no file.
    pub fn read(&self) -> Result<Option<Vec<u8>>> {
        let file = match std::fs::File::open(&self.v2) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("read", &self.v2, e)),
        };
        let size = file.metadata().map_or(0, |m| m.len());
        if size > MAX_STORE_FILE_BYTES {
            return Err(self.corrupt(codec::DecodeError::TooLarge(MAX_STORE_FILE_BYTES)));
        }
        let expected = size as usize / 2;
        match codec::read_hex(file.take(MAX_STORE_FILE_BYTES), expected) {
            Ok(ciphertext) => Ok(Some(ciphertext)),
            Err(codec::DecodeError::Io(e)) => Err(Error::io("read", &self.v2, e)),
            Err(e) => Err(self.corrupt(e)),
        }
    }

    /// Decodes the v2 file's ciphertext into records; failures name the file.
    pub fn decode(&self, key: &Key, ciphertext: Vec<u8>) -> Result<Vec<Account>> {
        let plain = self.plaintext(key, ciphertext)?;
        codec::parse_accounts(&plain).map_err(|e| self.corrupt(e))
    }

    /// Decrypts the v2 file's ciphertext to its JSON text (not parsed); failures name the file.
    pub fn plaintext(&self, key: &Key, mut ciphertext: Vec<u8>) -> Result<Vec<u8>> {
        codec::decrypt_in_place(&key.0, &mut ciphertext).map_err(|e| self.corrupt(e))?;
        Ok(ciphertext)
    }

    fn corrupt(&self, e: codec::DecodeError) -> Error {
        Error::StoreCorrupt {
            path: self.v2.clone(),
            detail: e.to_string(),
        }
    }

    /// Reads the records (none when there is no file).
    pub fn load(&self, key: &Key) -> Result<Vec<Account>> {
        match self.read()? {
            Some(ciphertext) => self.decode(key, ciphertext),
            None => Ok(vec![]),
        }
    }

    /// Writes both files (v1 first, as the reference does), or deletes both when `records` is
    /// empty. Call with the lock held.
    pub fn save(&self, key: &Key, records: &[Account]) -> Result<()> {
        self.sweep_temp_files();
        tracing::trace!(path = %self.v2.display(), records = records.len(), "writing the token store");
        if records.is_empty() {
            files::remove_if_exists(&self.v1)?;
            return files::remove_if_exists(&self.v2);
        }
        files::write_atomic(
            &self.v1,
            codec::encode_v1_accounts(&key.0, records).as_bytes(),
        )?;
        files::write_atomic(&self.v2, codec::encode_accounts(&key.0, records).as_bytes())
    }

    /// Removes temp files left by a writer that was killed mid-write. Only writers holding the
    /// lock create them, so with the lock held every one is stale.
    fn sweep_temp_files(&self) {
        for file in [&self.v1, &self.v2] {
            let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
                continue;
            };
            let prefix = format!("{}.", name.to_string_lossy());
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let entry_name = entry.file_name();
                let entry_name = entry_name.to_string_lossy();
                if let Some(rest) = entry_name.strip_prefix(&prefix) {
                    // `<name>.<pid>.<8 hex>.tmp`, as files::write_atomic names them
                    let parts: Vec<&str> = rest.split('.').collect();
                    if let [pid, tag, "tmp"] = parts.as_slice() {
                        if pid.bytes().all(|b| b.is_ascii_digit())
                            && tag.len() == 8
                            && tag.bytes().all(|b| b.is_ascii_hexdigit())
                        {
                            let _ = std::fs::remove_file(entry.path());
                        }
                    }
                }
            }
        }
    }

    /// Renames the v2 file and its v1 mirror to `<file>.<UTC timestamp>.corrupt`, leaving the
    /// content untouched. Returns the new path of the v2 file (`None` when there was none).
    /// Call with the lock held.
    pub fn move_aside(&self) -> Result<Option<PathBuf>> {
        if !self.v2.exists() {
            return Ok(None);
        }
        let stamp = utc_stamp(std::time::SystemTime::now());
        let target = |file: &Path| {
            let mut name = file.file_name().unwrap_or_default().to_os_string();
            name.push(format!(".{stamp}.corrupt"));
            file.with_file_name(name)
        };
        let moved = target(&self.v2);
        std::fs::rename(&self.v2, &moved).map_err(|e| Error::io("move aside", &self.v2, e))?;
        tracing::info!(from = %self.v2.display(), to = %moved.display(), "moved the unreadable token store aside");
        if self.v1.exists() {
            let v1_moved = target(&self.v1);
            std::fs::rename(&self.v1, &v1_moved)
                .map_err(|e| Error::io("move aside", &self.v1, e))?;
        }
        Ok(Some(moved))
    }

    /// The file whose lock makes a refresh of `account_hash` single-flight across processes:
    /// `<home>/axway-cli/.locks/<store file>.<digest of the account hash>`.
    pub fn refresh_lock_target(&self, account_hash: &str) -> PathBuf {
        use md5::{Digest, Md5};
        let digest = hex::encode(Md5::digest(account_hash.as_bytes()));
        let dir = self.v2.parent().unwrap_or(Path::new(".")).join(".locks");
        let name = self.v2.file_name().unwrap_or_default().to_string_lossy();
        dir.join(format!("{name}.refresh.{}", &digest[..16]))
    }
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
fn utc_stamp(time: std::time::SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
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

    /// A store file too large to be one is refused before it is read, and left where it is.
    #[test]
    fn an_oversized_store_is_refused_unread() {
        let home = tempfile::tempdir().unwrap();
        let fs = FileStore::file(home.path());
        std::fs::create_dir_all(fs.path().parent().unwrap()).unwrap();
        let file = std::fs::File::create(fs.path()).unwrap();
        file.set_len(MAX_STORE_FILE_BYTES + 2).unwrap(); // sparse: no disk used
        let err = store::list(&fs, 0).unwrap_err();
        assert_eq!(err.code(), "ERR_STORE_CORRUPT");
        assert!(err.to_string().contains("larger than 256 MiB"), "{err}");
        assert_eq!(
            fs.path().metadata().unwrap().len(),
            MAX_STORE_FILE_BYTES + 2
        );
    }

    #[test]
    fn reset_moves_only_an_unreadable_store_aside() {
        let home = tempfile::tempdir().unwrap();
        let fs = FileStore::file(home.path());
        assert_eq!(fs.reset().unwrap(), None, "nothing to move");
        store::set(&fs, &account("a", i64::MAX)).unwrap();
        assert_eq!(fs.reset().unwrap(), None, "a readable store stays");
        assert!(fs.path().exists());

        files::write_atomic(fs.path(), b"garbage").unwrap();
        let moved = fs.reset().unwrap().expect("moved");
        assert!(!fs.path().exists() && !home.path().join(".tokenstore").exists());
        assert_eq!(std::fs::read(&moved).unwrap(), b"garbage");
        let name = moved.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(".tokenstore.v2.") && name.ends_with("Z.corrupt"),
            "{name}"
        );
        let v1_moved: Vec<_> = std::fs::read_dir(home.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".corrupt"))
            .collect();
        assert_eq!(v1_moved.len(), 1, "the v1 mirror is moved aside too");
        assert!(store::list(&fs, 0).unwrap().accounts.is_empty());
    }

    #[test]
    fn stale_temp_files_of_killed_writers_are_swept() {
        let home = tempfile::tempdir().unwrap();
        let fs = FileStore::file(home.path());
        let dir = fs.path().parent().unwrap().to_path_buf();
        std::fs::create_dir_all(&dir).unwrap();
        let stale = dir.join(".tokenstore.v2.4242.0badcafe.tmp");
        let unrelated = dir.join("config.json.4242.0badcafe.tmp");
        std::fs::write(&stale, b"x").unwrap();
        std::fs::write(&unrelated, b"x").unwrap();
        store::set(&fs, &account("a", i64::MAX)).unwrap();
        assert!(!stale.exists());
        assert!(
            unrelated.exists(),
            "other files' temp files are not ours to remove"
        );
    }

    #[test]
    fn utc_stamps() {
        use std::time::{Duration, UNIX_EPOCH};
        assert_eq!(utc_stamp(UNIX_EPOCH), "19700101T000000Z");
        assert_eq!(
            utc_stamp(UNIX_EPOCH + Duration::from_secs(1_709_210_096)),
            "20240229T123456Z"
        );
    }

    #[test]
    fn refresh_lock_targets_are_per_store_and_account() {
        let home = tempfile::tempdir().unwrap();
        let file = StoreFiles::new(home.path(), ".tokenstore");
        let secure = StoreFiles::new(home.path(), ".tokenstore.secure");
        let a = file.refresh_lock_target("client:a");
        assert_eq!(a, file.refresh_lock_target("client:a"));
        assert_ne!(a, file.refresh_lock_target("client:b"));
        assert_ne!(a, secure.refresh_lock_target("client:a"));
        assert!(a.starts_with(home.path().join("axway-cli").join(".locks")));
    }
}
