/*!
macOS Keychain and Windows Credential Manager, through `keyring`'s platform stores.

keytar 7.9.0:
- `src/keytar_mac.cc`: `SecKeychainAddGenericPassword(NULL, service.length(), service.data(),
  account.length(), account.data(), password.length(), password.data(), NULL)`: a generic
  password in the default keychain. `keyring::Entry::new(service, account)` is exactly that.
- `src/keytar_win.cc`: `cred.Type = CRED_TYPE_GENERIC; cred.TargetName = service + '/' + account;
  cred.UserName = account; cred.CredentialBlob = password.data()` (UTF-8 bytes),
  `cred.Persist = CRED_PERSIST_ENTERPRISE`. `keyring`'s default target is `account.service` and
  its `set_password` writes UTF-16, so we name keytar's target and use `set_secret`/`get_secret`
  (raw bytes).

Built and reviewed, but not run: this project's CI only has Linux.
*/

use keyring::Entry;

use super::entry::{KeyEntry, KeychainError};

fn open(entry: &KeyEntry) -> Result<Entry, keyring::Error> {
    if cfg!(target_os = "windows") {
        Entry::new_with_target(&entry.label(), &entry.service, &entry.account)
    } else {
        Entry::new(&entry.service, &entry.account)
    }
}

fn classify(error: keyring::Error) -> KeychainError {
    match error {
        keyring::Error::NoStorageAccess(e) => {
            KeychainError::Locked(format!("the keychain cannot be accessed: {e}"))
        }
        keyring::Error::PlatformFailure(e) => {
            KeychainError::Unavailable(format!("the keychain failed: {e}"))
        }
        other => KeychainError::Failed(format!("the keychain failed: {other}")),
    }
}

pub fn get(entry: &KeyEntry) -> Result<Option<String>, KeychainError> {
    let secret = match open(entry).and_then(|e| e.get_secret()) {
        Ok(secret) => secret,
        Err(keyring::Error::NoEntry) => return Ok(None),
        Err(e) => return Err(classify(e)),
    };
    String::from_utf8(secret).map(Some).map_err(|_| {
        KeychainError::Failed(format!(
            "the keychain item \"{}\" is not text",
            entry.label()
        ))
    })
}

pub fn set(entry: &KeyEntry, value: &str) -> Result<(), KeychainError> {
    open(entry)
        .and_then(|e| e.set_secret(value.as_bytes()))
        .map_err(classify)
}

pub fn delete(entry: &KeyEntry) -> Result<bool, KeychainError> {
    match open(entry).and_then(|e| e.delete_credential()) {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(classify(e)),
    }
}
