/*!
The OS keychain entry that holds the secure store's key, named exactly as keytar 7.9.0 (the JS
SDK's keychain module) names it, so either tool finds the other's key. Per platform (from
keytar's `src/keytar_{posix,mac,win}.cc`):

- **Linux / BSD** (libsecret, `secret_password_store_sync`): an item in the Secret Service's
  default collection with the schema `org.freedesktop.Secret.Generic` (stored as the attribute
  `xdg:schema`), the attributes `service` and `account`, the label `service/account`, and the
  secret as `text/plain`. See `secret_service.rs`.
- **macOS** (`SecKeychainAddGenericPassword`): a generic password with that service and
  account in the default keychain, which is what `keyring`'s default macOS entry is.
- **Windows** (`CredWriteW`): a generic credential whose target name is `service/account` and
  whose user name is `account`, the password stored as its UTF-8 bytes. `keyring`'s default
  target is `account.service` and it stores passwords as UTF-16, so we pass keytar's target and
  use the raw-bytes API.

Every call runs on a thread of its own and is abandoned after a timeout, so a keychain that
hangs (a Secret Service that is never activated, a locked keychain that wants a prompt) can never
hang a command: it fails in about two seconds instead. Values are never logged.
*/

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
mod secret_service;
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
use secret_service as platform;

#[cfg(any(target_os = "macos", target_os = "windows"))]
mod native;
#[cfg(any(target_os = "macos", target_os = "windows"))]
use native as platform;

#[cfg(not(any(
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ),
    target_os = "macos",
    target_os = "windows"
)))]
mod platform {
    use super::entry::{KeyEntry, KeychainError};

    pub fn get(_: &KeyEntry) -> Result<Option<String>, KeychainError> {
        Err(KeychainError::Unavailable(
            "no OS keychain is supported on this platform".into(),
        ))
    }
    pub fn set(_: &KeyEntry, _: &str) -> Result<(), KeychainError> {
        get(&KeyEntry::new("")).map(|_| ())
    }
    pub fn delete(_: &KeyEntry) -> Result<bool, KeychainError> {
        get(&KeyEntry::new("")).map(|_| false)
    }
}

mod entry;

pub use entry::{KeyEntry, KeychainError};

use std::sync::mpsc;
use std::time::Duration;

/// How long one keychain call may take before it is given up, unless the entry says otherwise
/// (`AXWAY_AUTH_KEYCHAIN_TIMEOUT`, read by the settings).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(2000);

/// Runs `call` on a fresh thread and waits at most `limit` for it. The thread owns everything
/// it touches, so an abandoned call cannot affect the caller; it is safe to call from a tokio
/// worker (a keychain client that starts its own runtime would panic there).
fn bounded<T, F>(what: &'static str, limit: Duration, call: F) -> Result<T, KeychainError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, KeychainError> + Send + 'static,
{
    let started = std::time::Instant::now();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("axway-auth-keychain".into())
        .spawn(move || {
            let _ = tx.send(call());
        });
    if let Err(e) = spawned {
        return Err(KeychainError::Failed(format!(
            "cannot start the keychain thread: {e}"
        )));
    }
    match rx.recv_timeout(limit) {
        Ok(result) => {
            tracing::debug!(
                what,
                elapsed_ms = started.elapsed().as_millis() as u64,
                ok = result.is_ok(),
                "keychain call finished"
            );
            result
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            tracing::debug!(what, ?limit, "keychain call timed out");
            Err(KeychainError::Unavailable(format!(
                "the keychain did not answer within {:.1}s",
                limit.as_secs_f64()
            )))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(KeychainError::Failed(format!(
            "the keychain call to {what} stopped unexpectedly"
        ))),
    }
}

/// Reads the entry's value; `Ok(None)` when there is no such entry.
pub fn get(entry: &KeyEntry) -> Result<Option<String>, KeychainError> {
    let entry = entry.clone();
    tracing::debug!(service = %entry.service, account = %entry.account, "keychain: get");
    bounded("read the key", entry.timeout, move || platform::get(&entry))
}

/// Creates or replaces the entry's value.
pub fn set(entry: &KeyEntry, value: &str) -> Result<(), KeychainError> {
    let (entry, value) = (entry.clone(), value.to_string());
    tracing::debug!(service = %entry.service, account = %entry.account, "keychain: set");
    bounded("store the key", entry.timeout, move || {
        platform::set(&entry, &value)
    })
}

/// Deletes the entry; `Ok(false)` when there was none. The stores never call this (a key is
/// never deleted); it exists for tests and tools.
pub fn delete(entry: &KeyEntry) -> Result<bool, KeychainError> {
    let entry = entry.clone();
    tracing::debug!(service = %entry.service, account = %entry.account, "keychain: delete");
    bounded("delete the key", entry.timeout, move || {
        platform::delete(&entry)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_keytar() {
        let entry = KeyEntry::new("Axway AMPLIFY Auth");
        assert_eq!(entry.service, "Axway AMPLIFY Auth");
        assert_eq!(entry.account, "Axway AMPLIFY Auth");
        assert_eq!(entry.label(), "Axway AMPLIFY Auth/Axway AMPLIFY Auth");
    }

    #[test]
    fn a_call_that_hangs_is_abandoned_after_the_timeout() {
        let started = std::time::Instant::now();
        let result: Result<(), _> = bounded("hang", DEFAULT_TIMEOUT, || {
            std::thread::sleep(Duration::from_secs(30));
            Ok(())
        });
        assert!(matches!(result, Err(KeychainError::Unavailable(_))));
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    /// Runs against the real Secret Service when the tests run inside
    /// `scripts/with-secret-service.sh` (which sets `SECRET_SERVICE_TEST=1`).
    #[test]
    #[ignore = "needs a Secret Service: npm test runs it inside scripts/with-secret-service.sh"]
    fn round_trip_against_the_real_keychain() {
        let entry = KeyEntry::new(&format!("axway-auth-test-{:08x}", rand::random::<u32>()));
        assert_eq!(get(&entry).unwrap(), None);
        set(&entry, "00112233445566778899aabbccddeeff").unwrap();
        set(&entry, "ffeeddccbbaa99887766554433221100").unwrap();
        assert_eq!(
            get(&entry).unwrap().as_deref(),
            Some("ffeeddccbbaa99887766554433221100"),
            "set replaces the value instead of adding a second item"
        );
        assert!(delete(&entry).unwrap());
        assert_eq!(get(&entry).unwrap(), None);
        assert!(!delete(&entry).unwrap());
    }
}
