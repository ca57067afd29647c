//! The one error type of the core. Every variant has a stable code (`err.code` in JS) and a
//! one-line message that says what happened and what to do. Messages never contain secrets.

use std::path::PathBuf;

/// The platform API's own error code: a number (usually the HTTP status) or a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformCode {
    Number(i64),
    Text(String),
}

/// What a token request that failed at the token endpoint amounts to for the SDK-compatible
/// API, whose messages say it the SDK's way (`Authentication failed: … Response code 401
/// (Unauthorized)`, `Authentication failed: Invalid server response`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenFailure {
    /// The endpoint answered with an HTTP error status (not `invalid_grant`), with its
    /// `error_description` when it gave one (sanitised).
    Status {
        status: u16,
        description: Option<String>,
    },
    /// The endpoint answered 2xx with something that is not a usable token response (no access
    /// token, not JSON, a token that does not decode).
    InvalidResponse,
}

/// Result alias used throughout the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the auth layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The identity server rejected the credentials (wrong secret, unknown client, bad key).
    #[error(
        "Authentication failed: {detail}. Check the client id and credentials, then log in again"
    )]
    AuthFailed { detail: String, status: Option<u16> },

    /// The server answered a refresh with `invalid_grant`.
    #[error("Invalid Grant{}: log in again with `axway auth login`", .0.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    InvalidGrant(Option<String>),

    /// The server's reply could not be understood (HTML, malformed JSON, missing fields, 5xx).
    #[error("Unexpected response from {url}: {detail}. Check that the base URL points at an Axway identity server")]
    BadResponse {
        url: String,
        detail: String,
        status: Option<u16>,
    },

    /// The server could not be reached.
    #[error("Unable to reach {url}: {detail}. Check the base URL and your network connection")]
    Unreachable { url: String, detail: String },

    /// Nothing listens at the server's address (`ECONNREFUSED`, as Node names it).
    #[error(
        "Unable to reach {url}: connection refused. Check the base URL and your network connection"
    )]
    ConnectionRefused {
        url: String,
        /// `host:port`.
        address: String,
    },

    /// The server's certificate is not signed by a CA this machine trusts (a TLS-inspecting
    /// proxy's private CA, typically).
    #[error("The certificate of {host} is issued by {issuer}, which is not trusted: add that CA with NODE_EXTRA_CA_CERTS=<pem file>, `axway config set network.caFile <pem file>` or the OS trust store (`axway auth doctor` shows what is trusted)")]
    TlsUntrusted { host: String, issuer: String },

    /// The server's certificate has expired (or is not valid yet).
    #[error("The certificate of {host} {detail}: the server (or the proxy that intercepts it) must renew it")]
    TlsExpired { host: String, detail: String },

    /// The server's certificate is for other names.
    #[error("The certificate presented for {host} is only valid for {names}: check the URL (auth.baseUrl, auth.platformUrl) and any proxy that intercepts TLS")]
    TlsHostname { host: String, names: String },

    /// Another TLS handshake failure (protocol, client certificate, …).
    #[error("TLS handshake with {host} failed: {detail}")]
    TlsFailed { host: String, detail: String },

    /// The proxy answered 407 (never carries the password).
    #[error("The proxy {proxy} (from {setting}) {}", proxy_auth_advice(*.rejected))]
    ProxyAuth {
        proxy: String,
        setting: String,
        rejected: bool,
    },

    /// The proxy itself could not be reached (names the proxy, not the target).
    #[error("Unable to connect to the proxy {proxy} (from {setting}): {detail}. Check the proxy URL, or list the host in NO_PROXY to go direct")]
    ProxyUnreachable {
        proxy: String,
        setting: String,
        detail: String,
    },

    /// The server accepted the connection but did not answer in time.
    #[error(
        "Request to {url} timed out after {seconds}s. The server is not answering; try again later"
    )]
    Timeout { url: String, seconds: u64 },

    /// The user refused the login in the browser (or the server reported an error there).
    #[error("Authentication failed: {0}")]
    AuthDenied(String),

    /// The browser came back with a `state` that this login did not send.
    #[error(
        "Authentication failed: the browser returned an unexpected state; start the login again"
    )]
    StateMismatch,

    /// The browser came back without an authorization code.
    #[error(
        "Authentication failed: the browser returned no authorization code; start the login again"
    )]
    MissingAuthCode,

    /// A token request failed at the token endpoint: the message and code are the cause's;
    /// `failure` says what the SDK-compatible API reports instead (see `TokenFailure`).
    #[error("{cause}")]
    TokenRequest {
        failure: TokenFailure,
        cause: Box<Error>,
    },

    /// A caller exchanging an authorization code gave no code (`login({ code: '' })`).
    #[error("Expected code for interactive authentication to be a non-empty string")]
    AuthCodeRequired,

    /// A manual login (`login({ manual: true })`) was cancelled with its `cancel()` before the
    /// browser came back.
    #[error("The login was cancelled before the browser came back")]
    LoginCancelled,

    /// The login was cancelled (by the caller's `onOpenBrowser`, or Ctrl-C).
    #[error("{0}")]
    Cancelled(String),

    /// The web browser could not be opened.
    #[error("Failed to open web browser ({0}); run the command with --no-launch-browser and open the link yourself")]
    BrowserFailed(String),

    /// An interactive (browser) step timed out.
    #[error("Authentication failed: Timed out")]
    AuthTimeout,

    /// The platform API answered with an error (`<errorMsg>: <message> (<status>)`).
    #[error("{context}: {message}{}", .status.map(|s| format!(" ({s})")).unwrap_or_default())]
    Platform {
        context: String,
        message: String,
        status: Option<u16>,
        /// The platform's own `code` from the error body (usually the HTTP status).
        code: Option<PlatformCode>,
    },

    /// The platform session that a tooling login created is gone.
    #[error("Platform session has been invalidated. Log in again with `axway auth login`")]
    SessionInvalidated,

    /// A private key file (`--secret-file`) is missing.
    #[error("Specified private key file does not exist: {0}")]
    SecretFileMissing(String),

    /// A private key file is not a regular file.
    #[error("Specified private key is not a file: {0}")]
    SecretFileNotFile(String),

    /// A private key file is not a PEM file, or cannot be used to sign.
    #[error("Private key file {0} is not a PEM formatted file")]
    SecretFileNotPem(String),

    /// Signing the client assertion failed.
    #[error("Bad secret file \"{path}\" ({reason})")]
    BadSecretFile { path: String, reason: String },

    /// A caller passed an invalid argument or option.
    #[error("{0}")]
    InvalidArgument(String),

    /// A required parameter is missing (the SDK's `ERR_MISSING_REQUIRED_PARAMETER`).
    #[error("{0}")]
    MissingParameter(String),

    /// A parameter has the wrong type or value (the SDK's `ERR_INVALID_PARAMETER`).
    #[error("{0}")]
    InvalidParameter(String),

    /// Options that cannot be used together, or one that needs another.
    #[error("{0}")]
    Conflict(&'static str),

    /// A tooling username or password is missing or empty.
    #[error("{0}")]
    ToolingArgument(&'static str),

    /// The environment name is unknown.
    #[error("Invalid environment \"{0}\". Use prod, staging or preprod")]
    InvalidEnvironment(String),

    /// The config file exists but is not valid JSON.
    #[error("Failed to load config file {path}: {detail}. Fix or remove the file")]
    ConfigInvalid { path: PathBuf, detail: String },

    /// The token store file cannot be decrypted or parsed. It is left untouched.
    #[error("The token store {path} cannot be read ({detail}); it was left in place. Move it aside with `axway auth logout --reset`, then log in again")]
    StoreCorrupt { path: PathBuf, detail: String },

    /// A file could not be read or written.
    #[error("Unable to {action} {path}: {detail}")]
    Io {
        action: &'static str,
        path: PathBuf,
        detail: String,
        /// The OS error behind it, when there is one (`std::error::Error::source`).
        #[source]
        source: Option<std::io::Error>,
    },

    /// The secure store (OS keychain) is not available.
    #[error("{0}")]
    SecureStoreUnavailable(String),

    /// No matching account.
    #[error("{0}")]
    NotFound(String),

    /// The account is already logged in (carries the existing account).
    #[error("Account already authenticated")]
    AlreadyAuthenticated(Box<crate::account::Account>),

    /// The account is not logged in, or needs an interactive login to be usable again (its
    /// refresh token expired or was revoked, or a service account's secret is not at hand).
    /// The command exits with 3 on it.
    #[error("{0}")]
    LoginRequired(String),

    /// An interactive-only flow was requested where it cannot run.
    #[error("{0}")]
    Unsupported(String),

    /// A bug: the core panicked. Caught at the napi boundary so the process keeps running.
    #[error("Internal error in axway-auth ({0}); please report it")]
    Internal(String),

    /// The identity server does not offer the device login (RFC 8628) to this client.
    #[error("The identity server does not offer the device login: {0}. Log in with `axway auth login --no-launch-browser` (open the printed link in a browser on this machine) or with a service account (`--client-id` with `--client-secret` or `--secret-file`)")]
    DeviceFlowUnsupported(String),

    /// The device code expired before the user approved the login.
    #[error("The login code expired before the login was approved in the browser; run `axway auth login --device` again and enter the new code in time")]
    DeviceCodeExpired,

    /// A token store written in JavaScript (a `TokenStore` subclass given as `tokenStore`)
    /// failed: its method threw or rejected, answered something that is not a list of account
    /// records, or did not answer in time. Nothing was written by us.
    #[error("The custom token store's {op}() failed: {detail}")]
    CustomStore { op: &'static str, detail: String },
}

fn proxy_auth_advice(rejected: bool) -> &'static str {
    if rejected {
        "rejected the user name and password in its URL (407): check them, percent-encoding special characters"
    } else {
        "requires credentials (407): put them in the proxy URL, http://user:password@host:port"
    }
}

impl Error {
    /// The stable code exposed as `err.code` to JavaScript.
    pub fn code(&self) -> &'static str {
        match self {
            Error::AuthFailed { .. } => "ERR_AUTH_FAILED",
            Error::InvalidGrant(_) => "EINVALIDGRANT",
            Error::BadResponse { .. } => "ERR_BAD_RESPONSE",
            Error::Unreachable { .. } | Error::ConnectionRefused { .. } => "ERR_UNREACHABLE",
            Error::Timeout { .. } => "ERR_TIMEOUT",
            Error::TlsUntrusted { .. } => "ERR_TLS_UNTRUSTED",
            Error::TlsExpired { .. } => "ERR_TLS_EXPIRED",
            Error::TlsHostname { .. } => "ERR_TLS_HOSTNAME",
            Error::TlsFailed { .. } => "ERR_TLS_FAILED",
            Error::ProxyAuth { .. } => "ERR_PROXY_AUTH",
            Error::ProxyUnreachable { .. } => "ERR_PROXY_UNREACHABLE",
            Error::AuthTimeout => "ERR_AUTH_TIMEOUT",
            Error::AuthDenied(_) => "ERR_AUTH_DENIED",
            Error::StateMismatch => "ERR_STATE_MISMATCH",
            Error::MissingAuthCode | Error::AuthCodeRequired => "ERR_MISSING_AUTH_CODE",
            Error::TokenRequest { cause, .. } => cause.code(),
            Error::LoginCancelled => "ERR_LOGIN_CANCELLED",
            Error::Cancelled(_) => "ERR_CANCELLED",
            Error::BrowserFailed(_) => "ERR_BROWSER_FAILED",
            Error::Platform { .. } => "ERR_REQUEST_FAILED",
            Error::SessionInvalidated => "ERR_SESSION_INVALIDATED",
            Error::SecretFileMissing(_) => "ERR_SECRET_FILE_NOT_FOUND",
            Error::SecretFileNotFile(_) => "ERR_INVALID_FILE",
            Error::SecretFileNotPem(_) => "ERR_INVALID_PEM",
            Error::BadSecretFile { .. } => "ERR_BAD_SECRET_FILE",
            Error::InvalidArgument(_) | Error::Conflict(_) | Error::ToolingArgument(_) => {
                "ERR_INVALID_ARGUMENT"
            }
            Error::MissingParameter(_) => "ERR_MISSING_REQUIRED_PARAMETER",
            Error::InvalidParameter(_) => "ERR_INVALID_PARAMETER",
            Error::InvalidEnvironment(_) => "ERR_INVALID_ENVIRONMENT",
            Error::ConfigInvalid { .. } => "ERR_CONFIG_INVALID",
            Error::StoreCorrupt { .. } => "ERR_STORE_CORRUPT",
            Error::Io { .. } => "ERR_IO",
            Error::SecureStoreUnavailable(_) => "ERR_SECURE_STORE_UNAVAILABLE",
            Error::NotFound(_) => "ERR_NOT_FOUND",
            Error::AlreadyAuthenticated(_) => "EAUTHENTICATED",
            Error::LoginRequired(_) => "ERR_LOGIN_REQUIRED",
            Error::Unsupported(_) => "ERR_UNSUPPORTED",
            Error::Internal(_) => "ERR_INTERNAL",
            Error::DeviceFlowUnsupported(_) => "ERR_DEVICE_FLOW_UNSUPPORTED",
            Error::DeviceCodeExpired => "ERR_DEVICE_CODE_EXPIRED",
            Error::CustomStore { .. } => "ERR_TOKEN_STORE",
        }
    }

    /// The HTTP status behind the error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::AuthFailed { status, .. }
            | Error::BadResponse { status, .. }
            | Error::Platform { status, .. } => *status,
            Error::TokenRequest {
                failure: TokenFailure::Status { status, .. },
                ..
            } => Some(*status),
            Error::TokenRequest { cause, .. } => cause.status(),
            _ => None,
        }
    }

    /// Shorthand for an I/O error on a path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, err: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            detail: err.to_string(),
            source: Some(err),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn io_errors_keep_their_cause() {
        let cause = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let err = super::Error::io("write", "/x", cause);
        let source = std::error::Error::source(&err).expect("a source");
        assert_eq!(source.to_string(), "denied");
        assert_eq!(err.to_string(), "Unable to write /x: denied");
    }

    /// Every code the core can produce is listed in the `ErrorCode` type of `index.d.ts`
    /// (`types/header.d.ts`), so JS callers see the whole list.
    #[test]
    fn every_code_is_listed_for_js() {
        let root = env!("CARGO_MANIFEST_DIR");
        let header = std::fs::read_to_string(format!("{root}/types/header.d.ts")).unwrap();
        for source in ["src/error.rs", "src/net/doctor.rs"] {
            let text = std::fs::read_to_string(format!("{root}/{source}")).unwrap();
            let codes = text
                .split('"')
                .skip(1)
                .step_by(2)
                .filter(|s| {
                    s.starts_with("ERR_") || *s == "EAUTHENTICATED" || *s == "EINVALIDGRANT"
                })
                .filter(|s| s.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
            for code in codes {
                assert!(
                    header.contains(&format!("'{code}'")),
                    "{code} ({source}) is not in ErrorCode"
                );
            }
        }
    }
}
