//! `~/.axway/axway-cli/config.json`: read, change, write back. Keys are dot paths into nested
//! objects, as in the reference's config-kit; unknown keys are kept; the file is written as
//! 2-space JSON, atomically and under a cross-process lock.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::files::{self, FileLock};

/// A loaded config file. Its `Debug` shows the path and the top-level keys only: the file may
/// hold a client secret (`auth.clientSecret`) or proxy credentials.
#[derive(Clone, Default)]
pub struct Config {
    path: PathBuf,
    data: Map<String, Value>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("path", &self.path)
            .field("keys", &self.data.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The config file path under a home dir (`~/.axway`).
pub fn config_path(home_dir: &Path) -> PathBuf {
    home_dir.join("axway-cli").join("config.json")
}

impl Config {
    /// Loads the config under `home_dir`; a missing file is an empty config.
    pub fn load(home_dir: &Path) -> Result<Self> {
        let path = config_path(home_dir);
        let data = read_object(&path)?;
        Ok(Config { path, data })
    }

    /// Whether this config belongs to a file (`Config::load`); `Config::default()` does not,
    /// and is never written (the SDK API's settings, which do not use `config.json`).
    pub fn is_backed(&self) -> bool {
        !self.path.as_os_str().is_empty()
    }

    /// The value at a dot path, e.g. `auth.defaultAccount`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        get_path(&self.data, key)
    }

    /// The string at a dot path, when it is a non-empty string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Re-reads the file under the lock, applies `change`, and writes it back when `change`
    /// reports a change. The in-memory copy is refreshed too.
    pub fn update(&mut self, change: impl FnOnce(&mut Map<String, Value>) -> bool) -> Result<()> {
        let _lock = FileLock::acquire(&self.path)?;
        let mut data = read_object(&self.path)?;
        if change(&mut data) {
            let mut text = serde_json::to_string_pretty(&Value::Object(data.clone()))
                .expect("config serializes");
            text.push('\n');
            files::write_atomic(&self.path, text.as_bytes())?;
        }
        self.data = data;
        Ok(())
    }
}

/// The largest `config.json` read (the CLI's holds a few settings).
const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

fn read_object(path: &Path) -> Result<Map<String, Value>> {
    let Some(bytes) = files::read_optional(path, MAX_CONFIG_BYTES)? else {
        return Ok(Map::new());
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::ConfigInvalid {
            path: path.into(),
            detail: "not a JSON object".into(),
        }),
        Err(e) => Err(Error::ConfigInvalid {
            path: path.into(),
            detail: e.to_string(),
        }),
    }
}

/// Reads a dot path.
pub fn get_path<'a>(data: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let mut current = data.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// Writes a dot path, creating (or replacing non-object) parents.
pub fn set_path(data: &mut Map<String, Value>, key: &str, value: Value) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap_or_default();
    let mut current = data;
    for part in parts {
        let entry = current
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        current = entry.as_object_mut().expect("just made an object");
    }
    current.insert(last.to_string(), value);
}

/// Deletes a dot path; returns whether something was removed.
pub fn delete_path(data: &mut Map<String, Value>, key: &str) -> bool {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap_or_default();
    let mut current = data;
    for part in parts {
        match current.get_mut(part).and_then(Value::as_object_mut) {
            Some(next) => current = next,
            None => return false,
        }
    }
    current.shift_remove(last).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A config file too large to be one is refused without reading it all.
    #[test]
    fn an_oversized_config_is_an_error() {
        let home = tempfile::tempdir().unwrap();
        let path = config_path(home.path());
        files::write_atomic(&path, b"{}").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(MAX_CONFIG_BYTES + 1)
            .unwrap();
        let err = read_object(&path).unwrap_err();
        assert_eq!(err.code(), "ERR_IO");
        assert!(err.to_string().contains("larger than"), "{err}");
    }

    #[test]
    fn update_keeps_unknown_keys_and_writes_two_space_json() {
        let home = tempfile::tempdir().unwrap();
        let path = config_path(home.path());
        files::write_atomic(
            &path,
            br#"{"extensions":{"x":"/y"},"auth":{"tokenStoreType":"file"}}"#,
        )
        .unwrap();
        let mut config = Config::load(home.path()).unwrap();
        config
            .update(|d| {
                set_path(d, "auth.defaultOrg.amplify-cli:abc", json!("guid-1"));
                true
            })
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("{\n  \"extensions\": {\n    \"x\": \"/y\"\n  },"),
            "{text}"
        );
        assert_eq!(
            config.get_str("auth.defaultOrg.amplify-cli:abc"),
            Some("guid-1")
        );
        assert_eq!(config.get_str("auth.tokenStoreType"), Some("file"));
    }

    #[test]
    fn invalid_json_is_a_clear_error() {
        let home = tempfile::tempdir().unwrap();
        files::write_atomic(&config_path(home.path()), b"{ nope").unwrap();
        let err = Config::load(home.path()).unwrap_err();
        assert_eq!(err.code(), "ERR_CONFIG_INVALID");
    }

    #[test]
    fn delete_path_removes_nested_keys_only() {
        let mut data = json!({"auth": {"defaultTeam": {"h": "t"}, "other": 1}});
        let map = data.as_object_mut().unwrap();
        assert!(delete_path(map, "auth.defaultTeam.h"));
        assert!(!delete_path(map, "auth.missing.h"));
        assert_eq!(data, json!({"auth": {"defaultTeam": {}, "other": 1}}));
    }
}
