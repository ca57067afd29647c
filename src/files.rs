//! File primitives shared by the token store and the config file: a cross-process lock held for
//! a whole read-modify-write, and atomic 0600 writes (temp file in the same directory, fsync,
//! rename). Directories are created 0700; the lock file is never opened through a symlink.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An exclusive advisory lock on `<file>.lock`, released on drop.
#[derive(Debug)]
pub struct FileLock {
    file: File,
}

impl FileLock {
    /// Blocks until this process holds the lock that guards `target`.
    /// The lock file is refused when it is a symbolic link (it is opened with `O_NOFOLLOW`, so
    /// a link planted between the check and the open fails too).
    pub fn acquire(target: &Path) -> Result<Self> {
        let lock_path = lock_path_for(target);
        ensure_parent(&lock_path)?;
        let symlink = || Error::Io {
            action: "use the lock file",
            path: lock_path.clone(),
            detail: "it is a symbolic link; remove it and try again".into(),
            source: None,
        };
        if fs::symlink_metadata(&lock_path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(symlink());
        }
        let file = open_lock(&lock_path).map_err(|e| {
            if is_symlink_loop(&e) {
                symlink()
            } else {
                Error::io("open the lock file", &lock_path, e)
            }
        })?;
        file.lock().map_err(|e| Error::io("lock", &lock_path, e))?;
        Ok(FileLock { file })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

fn lock_path_for(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    target.with_file_name(name)
}

/// Creates the parent directory of `path` (like `mkdir -p`); new directories get mode 0700.
pub fn ensure_parent(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(dir)
            .map_err(|e| Error::io("create the directory", dir, e))?;
    }
    Ok(())
}

/// Tells the user once per process (a notice on stderr) when the home directory (`~/.axway`)
/// or its `axway-cli` folder is writable by the group or by everyone: another user could then
/// replace the token store or the config file.
pub fn warn_if_shared(home_dir: &Path) {
    #[cfg(unix)]
    {
        use std::collections::HashSet;
        use std::os::unix::fs::PermissionsExt;
        use std::sync::Mutex;
        static WARNED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
        for dir in [home_dir.to_path_buf(), home_dir.join("axway-cli")] {
            let Ok(meta) = fs::metadata(&dir) else {
                continue;
            };
            let mode = meta.permissions().mode() & 0o777;
            if !meta.is_dir() || mode & 0o022 == 0 {
                continue;
            }
            let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
            if warned.get_or_insert_with(HashSet::new).insert(dir.clone()) {
                crate::notices::push(format!(
                    "Warning: {} is writable by other users (mode {mode:o}); run: chmod 700 {}",
                    dir.display(),
                    dir.display()
                ));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = home_dir;
}

/// Opens (creating) the lock file, 0600, without following a symbolic link.
fn open_lock(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

fn is_symlink_loop(err: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        err.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}

/// Creates a new file (never an existing one, never through a symlink), mode 0600.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Reads a file of at most `limit` bytes, `None` when it does not exist.
pub fn read_optional(path: &Path, limit: u64) -> Result<Option<Vec<u8>>> {
    let read = || -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![];
        File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
        match bytes.len() as u64 > limit {
            true => Err(std::io::Error::other(format!("larger than {limit} bytes"))),
            false => Ok(bytes),
        }
    };
    match read() {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// Replaces `path` with `bytes` atomically: a crash leaves either the old or the new content.
/// The file is created with mode 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    ensure_parent(path)?;
    let tmp = temp_path_for(path);
    let result = (|| {
        let mut file = create_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(path);
        Ok(())
    })();
    result.map_err(|e: std::io::Error| {
        let _ = fs::remove_file(&tmp);
        Error::io("write", path, e)
    })
}

/// Deletes a file if it exists.
pub fn remove_if_exists(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {
            sync_dir(path);
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", path, e)),
    }
}

fn temp_path_for(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(
        ".{}.{:08x}.tmp",
        std::process::id(),
        rand::random::<u32>()
    ));
    path.with_file_name(name)
}

fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_creates_private_file_and_replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/store");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp files left behind");
    }

    #[cfg(unix)]
    #[test]
    fn new_directories_are_private_and_a_symlinked_lock_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join(".axway");
        let path = home.join("axway-cli/store");
        write_atomic(&path, b"x").unwrap();
        for d in [&home, &home.join("axway-cli")] {
            assert_eq!(fs::metadata(d).unwrap().permissions().mode() & 0o777, 0o700);
        }
        let victim = dir.path().join("victim");
        std::os::unix::fs::symlink(&victim, lock_path_for(&path)).unwrap();
        let err = FileLock::acquire(&path).unwrap_err();
        assert_eq!(err.code(), "ERR_IO");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(!victim.exists(), "nothing was created through the link");
    }

    #[test]
    fn lock_excludes_a_second_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let held = FileLock::acquire(&path).unwrap();
        let other = File::open(lock_path_for(&path)).unwrap();
        assert!(other.try_lock().is_err());
        drop(held);
        assert!(other.try_lock().is_ok());
    }
}
