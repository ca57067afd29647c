//! The keychain entry (keytar's service and account names) and what can go wrong with it.

use std::time::Duration;

/// A keychain entry: keytar's `(service, account)` pair (the secure store uses the service name
/// for both), and how long one keychain call on it may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    pub service: String,
    pub account: String,
    pub timeout: Duration,
}

impl KeyEntry {
    /// The entry keytar uses for the secure store: service and account both `service_name`;
    /// calls on it time out after [`super::DEFAULT_TIMEOUT`].
    pub fn new(service_name: &str) -> Self {
        KeyEntry {
            service: service_name.to_string(),
            account: service_name.to_string(),
            timeout: super::DEFAULT_TIMEOUT,
        }
    }

    /// The same entry, whose calls time out after `timeout` (`AXWAY_AUTH_KEYCHAIN_TIMEOUT`).
    pub fn with_timeout(self, timeout: Duration) -> Self {
        KeyEntry { timeout, ..self }
    }

    /// keytar's label (Linux) and target name (Windows): `service/account`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.service, self.account)
    }
}

/// Why the keychain could not be used. The text says what failed, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// No keychain answers: no D-Bus session, no Secret Service provider, a timeout.
    #[error("{0}")]
    Unavailable(String),
    /// The keychain (or the collection holding the entry) is locked.
    #[error("{0}")]
    Locked(String),
    /// Any other failure reported by the keychain.
    #[error("{0}")]
    Failed(String),
}
