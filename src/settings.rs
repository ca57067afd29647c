//! One resolved `Settings` per call: explicit options > environment variables > config.json >
//! the environment table (spec 7 and 8). Nothing below this module reads options, the
//! environment or the config file for these values again.

use std::path::PathBuf;
use std::time::Duration;

use crate::account::Redacted;
use crate::config::Config;
use crate::error::{Error, Result};

/// Where settings come from besides the caller's options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    /// The command and the JS API: options > `AXWAY_AUTH_*` > config.json > the env table; a
    /// 15-minute refresh threshold.
    #[default]
    Cli,
    /// The SDK-compatible API (`Auth`, `sdk.auth`): the caller's options only, the SDK's
    /// defaults (threshold 0, no default client id, the SDK's token store fall-through).
    Sdk,
}

/// Options a caller may pass to any operation (the JS API's `AuthOptions`).
#[derive(Debug, Clone, Default)]
pub struct AuthOptions {
    pub profile: Profile,
    pub env: Option<String>,
    pub base_url: Option<String>,
    pub platform_url: Option<String>,
    pub realm: Option<String>,
    pub client_id: Option<String>,
    /// `~/.axway` by default.
    pub home_dir: Option<PathBuf>,
    /// The SDK's deprecated file-store directory (used when `home_dir` is not given).
    pub token_store_dir: Option<PathBuf>,
    /// `None`: not given; `Some("null")`: no persistence.
    pub token_store_type: Option<String>,
    /// Service-account credentials: used to log in, and to re-authenticate stored accounts
    /// that keep none.
    pub client_secret: Option<Redacted>,
    pub secret_file: Option<String>,
    pub secure_service_name: Option<String>,
    /// Seconds.
    pub token_refresh_threshold: Option<f64>,
    /// Milliseconds per browser stage.
    pub interactive_login_timeout: Option<u64>,
    pub persist_secrets: Option<bool>,
    /// Milliseconds for one HTTP request (connect + answer).
    pub request_timeout: Option<u64>,
    /// `node:<version>` or similar, for the platform User-Agent.
    pub runtime: Option<String>,
    /// The account (name or hash) this call acts on instead of the configured default.
    pub account: Option<String>,
    /// `requestOptions`: CA, client certificate, proxy, `strictSSL` (see `net`).
    pub request_options: crate::net::RequestOptions,
}

/// Which token store to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// The OS keychain holds the key; fall back to the file store when it does not answer.
    Auto,
    /// The OS keychain holds the key (the reference's default).
    Secure,
    /// A fixed, well-known key.
    File,
    /// In-process only.
    Memory,
    /// No persistence.
    Null,
}

impl StoreKind {
    /// The name as configured (`tokenStoreType`).
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Auto => "auto",
            StoreKind::Secure => "secure",
            StoreKind::File => "file",
            StoreKind::Memory => "memory",
            StoreKind::Null => "null",
        }
    }

    fn parse(value: &str) -> Result<Self> {
        match value {
            "auto" => Ok(StoreKind::Auto),
            "secure" => Ok(StoreKind::Secure),
            "file" => Ok(StoreKind::File),
            "memory" => Ok(StoreKind::Memory),
            "null" => Ok(StoreKind::Null),
            other => Err(Error::InvalidArgument(format!(
                "Unknown token store type \"{other}\": use auto, secure, file, memory or null \
                 (axway config set auth.tokenStoreType file)"
            ))),
        }
    }
}

/// A resolved environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The SDK env name stored in `auth.env`: `prod`, `staging` or `preprod`.
    pub name: String,
    /// Human title, e.g. `Staging`.
    pub title: String,
    pub base_url: String,
    pub platform_url: String,
    /// The CLI's default client id for this env.
    pub client_id: String,
}

/// Everything an operation needs to know, resolved once.
#[derive(Debug, Clone)]
pub struct Settings {
    pub env: Environment,
    pub base_url: String,
    pub platform_url: String,
    pub realm: String,
    pub client_id: String,
    pub home_dir: PathBuf,
    pub store_kind: StoreKind,
    pub secure_service_name: String,
    pub token_refresh_threshold: Duration,
    pub interactive_login_timeout: Duration,
    /// Keep client secrets and keys with the account: the explicit choice, else true for the
    /// keychain-backed kinds. Use `persist_secrets_in` once the store is open (`auto` may have
    /// fallen back to the file store, whose key is public).
    pub persist_secrets: bool,
    /// `persistSecrets` as the user set it (option or config), if at all.
    pub persist_secrets_explicit: Option<bool>,
    pub request_timeout: Duration,
    /// How every request travels: timeout, trust, proxy, client certificate (see `net`).
    pub http: crate::net::HttpConfig,
    pub runtime: String,
    /// The service-account credentials: the caller's (option, or the SDK constructor's), else
    /// `AXWAY_AUTH_CLIENT_SECRET` / `AXWAY_AUTH_SECRET_FILE`, else `auth.clientSecret` /
    /// `auth.secretFile` in `config.json` (a secret and a file from one source go together).
    /// Used to log in, and to re-authenticate stored service accounts that keep none.
    pub client_secret: Option<Redacted>,
    pub secret_file: Option<String>,
    /// The platform tooling password below the caller's own: `AXWAY_AUTH_PASSWORD`.
    pub password: Option<Redacted>,
    /// The account a call acts on instead of the configured default account: the `account`
    /// option (`--account`), else `AXWAY_AUTH_ACCOUNT`. Never written to `config.json`.
    pub account: Option<String>,
    /// `config.json` (empty and not backed by a file in the SDK profile).
    pub config: Config,
}

/// Default keychain service and account name (keytar's entry).
pub const DEFAULT_SECURE_SERVICE_NAME: &str = "Axway AMPLIFY Auth";
const DEFAULT_REFRESH_THRESHOLD_SECS: f64 = 900.0;
const DEFAULT_INTERACTIVE_TIMEOUT_MS: u64 = 120_000;
const DEFAULT_REQUEST_TIMEOUT_MS: u64 = 30_000;

/// Maps a CLI env name or alias to the SDK environment (HEAD's table: `preprod` is its own env).
pub fn environment(name: &str) -> Result<Environment> {
    let lower = name.to_ascii_lowercase();
    let (sdk, title, client_id) = match lower.as_str() {
        "prod" | "production" => ("prod", "Production", "amplify-cli"),
        "staging" | "test" => ("staging", "Staging", "amplify-cli"),
        "dev" | "development" => ("staging", "Development", "cli-test-public"),
        "preprod" | "preproduction" | "pre-production" => {
            ("preprod", "PreProduction", "amplify-cli")
        }
        _ => return Err(Error::InvalidEnvironment(name.to_string())),
    };
    let (base_url, platform_url) = match sdk {
        "prod" => ("https://login.axway.com", "https://platform.axway.com"),
        "staging" => (
            "https://login.axwaytest.net",
            "https://platform.axwaytest.net",
        ),
        _ => (
            "https://login.na-us.axwaypreprod.net",
            "https://platform.na-us.axwaypreprod.net",
        ),
    };
    Ok(Environment {
        name: sdk.into(),
        title: title.into(),
        base_url: base_url.into(),
        platform_url: platform_url.into(),
        client_id: client_id.into(),
    })
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn home_dir() -> Result<PathBuf> {
    #[allow(deprecated)] // std's home_dir reads HOME / USERPROFILE, as Node's os.homedir()
    let home = std::env::home_dir();
    home.map(|h| h.join(".axway")).ok_or_else(|| {
        Error::InvalidArgument("Cannot find the home directory: set HOME or pass homeDir".into())
    })
}

fn trim_slash(url: String) -> String {
    url.strip_suffix('/').map(str::to_string).unwrap_or(url)
}

/// The service-account credentials, one source for both: the caller's options, else the
/// environment, else `config.json` (an explicit `--secret-file` is never overridden by an
/// `AXWAY_AUTH_CLIENT_SECRET` from the environment).
fn credentials(
    options: &AuthOptions,
    sdk: bool,
    config: &Config,
) -> (Option<Redacted>, Option<String>) {
    let secret = options
        .client_secret
        .clone()
        .filter(|s| !s.expose().is_empty());
    let file = options.secret_file.clone().filter(|f| !f.is_empty());
    if secret.is_some() || file.is_some() || sdk {
        return (secret, file);
    }
    let (secret, file) = (
        env_var("AXWAY_AUTH_CLIENT_SECRET"),
        env_var("AXWAY_AUTH_SECRET_FILE"),
    );
    if secret.is_some() || file.is_some() {
        return (secret.map(Redacted::new), file);
    }
    (
        config.get_str("auth.clientSecret").map(Redacted::new),
        config.get_str("auth.secretFile").map(str::to_string),
    )
}

/// The store the SDK's `Auth` constructor picks, and the directory it lives in: its
/// fall-through (`auto` without `homeDir` tries the file store in `tokenStoreDir`, then memory);
/// missing directories for `secure` and `file` are errors, as in the SDK.
fn sdk_store(options: &AuthOptions) -> Result<(StoreKind, PathBuf)> {
    let nonempty = |p: &Option<PathBuf>| p.clone().filter(|p| !p.as_os_str().is_empty());
    let home = nonempty(&options.home_dir);
    let file_home = home.clone().or_else(|| nonempty(&options.token_store_dir));
    let kind = StoreKind::parse(options.token_store_type.as_deref().unwrap_or("secure"))?;
    let missing = |what: &str| Err(Error::MissingParameter(what.into()));
    Ok(match (kind, home, file_home) {
        (StoreKind::Secure, Some(home), _) => (kind, home),
        (StoreKind::Secure, None, _) => {
            return Err(Error::InvalidParameter(
                "Secure store requires the home directory to be specified".into(),
            ))
        }
        (StoreKind::Auto, Some(home), _) => (kind, home),
        (StoreKind::Auto | StoreKind::File, None, Some(dir)) => (StoreKind::File, dir),
        (StoreKind::Auto, None, None) => (StoreKind::Memory, PathBuf::new()),
        (StoreKind::File, _, None) => return missing("Token store requires a home directory"),
        (StoreKind::File, Some(home), _) => (kind, home),
        (StoreKind::Memory | StoreKind::Null, _, _) => (kind, PathBuf::new()),
    })
}

impl Settings {
    /// Resolves options against the environment and the config file (the CLI profile), or
    /// against the SDK's defaults only (the SDK profile).
    pub fn resolve(options: &AuthOptions) -> Result<Self> {
        let sdk = options.profile == Profile::Sdk;
        let (store_kind, home_dir) = if sdk {
            sdk_store(options)?
        } else {
            (StoreKind::Secure, Self::home_dir_of(options)?)
        };
        let config = if sdk {
            Config::default()
        } else {
            Config::load(&home_dir)?
        };
        // explicit option > environment variable > config.json (the CLI profile only)
        let str_opt = |explicit: &Option<String>, var: &str, key: &str| -> Option<String> {
            let given = explicit.clone().filter(|v| !v.is_empty());
            if sdk {
                return given;
            }
            given
                .or_else(|| env_var(var))
                .or_else(|| config.get_str(key).map(str::to_string))
        };

        let cli_env =
            str_opt(&options.env, "AXWAY_AUTH_ENV", "env").unwrap_or_else(|| "prod".into());
        let cli = environment(&cli_env)?;
        let env = match config.get_str("auth.env") {
            Some(sdk_env) if options.env.is_none() => environment(sdk_env)?,
            _ => cli.clone(),
        };
        let env = Environment {
            client_id: cli.client_id.clone(),
            title: cli.title.clone(),
            ..env
        };

        let base_url = str_opt(&options.base_url, "AXWAY_AUTH_BASE_URL", "auth.baseUrl")
            .unwrap_or_else(|| env.base_url.clone());
        let platform_url = str_opt(
            &options.platform_url,
            "AXWAY_AUTH_PLATFORM_URL",
            "auth.platformUrl",
        )
        .unwrap_or_else(|| env.platform_url.clone());
        let realm = str_opt(&options.realm, "AXWAY_AUTH_REALM", "auth.realm")
            .unwrap_or_else(|| "Broker".into());
        let client_id = str_opt(&options.client_id, "AXWAY_AUTH_CLIENT_ID", "auth.clientId")
            .or_else(|| (!sdk).then(|| env.client_id.clone()))
            .unwrap_or_default();
        let store_kind = if sdk {
            store_kind
        } else {
            StoreKind::parse(
                &str_opt(
                    &options.token_store_type,
                    "AXWAY_AUTH_TOKEN_STORE_TYPE",
                    "auth.tokenStoreType",
                )
                .unwrap_or_else(|| "secure".into()),
            )?
        };
        let secure_service_name = options
            .secure_service_name
            .clone()
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| DEFAULT_SECURE_SERVICE_NAME.into());

        let threshold = match options.token_refresh_threshold {
            Some(t) => t,
            None if sdk => 0.0,
            None => config
                .get("auth.tokenRefreshThreshold")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(DEFAULT_REFRESH_THRESHOLD_SECS),
        };
        if !threshold.is_finite() || threshold < 0.0 {
            return Err(Error::InvalidArgument(
                "Token refresh threshold must be greater than or equal to zero".into(),
            ));
        }
        let interactive_ms = options
            .interactive_login_timeout
            .or_else(|| {
                config
                    .get("auth.interactiveLoginTimeout")
                    .and_then(serde_json::Value::as_u64)
            })
            .unwrap_or(DEFAULT_INTERACTIVE_TIMEOUT_MS);
        let persist_secrets_explicit = options.persist_secrets.or_else(|| {
            config
                .get("auth.persistSecrets")
                .and_then(serde_json::Value::as_bool)
        });
        let persist_secrets = persist_secrets_explicit
            .unwrap_or(matches!(store_kind, StoreKind::Secure | StoreKind::Auto));
        let request_ms = options
            .request_timeout
            .or_else(|| {
                (!sdk)
                    .then(|| env_var("AXWAY_AUTH_REQUEST_TIMEOUT_MS"))
                    .flatten()
                    .and_then(|v| v.parse().ok())
            })
            .unwrap_or(DEFAULT_REQUEST_TIMEOUT_MS);

        let request_timeout = Duration::from_millis(request_ms.max(1));
        let http = crate::net::HttpConfig::resolve(
            &options.request_options,
            &config,
            request_timeout,
            &crate::net::env_var,
        )?;
        let (client_secret, secret_file) = credentials(options, sdk, &config);
        Ok(Settings {
            http,
            client_secret,
            secret_file,
            password: (!sdk)
                .then(|| env_var("AXWAY_AUTH_PASSWORD").map(Redacted::new))
                .flatten(),
            account: options
                .account
                .clone()
                .filter(|a| !a.is_empty())
                .or_else(|| (!sdk).then(|| env_var("AXWAY_AUTH_ACCOUNT")).flatten()),
            env,
            base_url,
            platform_url: trim_slash(platform_url),
            realm,
            client_id,
            home_dir,
            store_kind,
            secure_service_name,
            token_refresh_threshold: Duration::from_secs_f64(threshold),
            interactive_login_timeout: Duration::from_millis(interactive_ms),
            persist_secrets,
            persist_secrets_explicit,
            request_timeout,
            runtime: options
                .runtime
                .clone()
                .unwrap_or_else(|| "node:unknown".into()),
            config,
        })
    }

    /// The home directory (`~/.axway`) these options point at.
    pub fn home_dir_of(options: &AuthOptions) -> Result<PathBuf> {
        match &options.home_dir {
            Some(dir) => Ok(dir.clone()),
            None => env_var("AXWAY_AUTH_HOME_DIR")
                .map(PathBuf::from)
                .map_or_else(home_dir, Ok),
        }
    }

    /// Whether to keep secrets with accounts in this (opened) store.
    pub fn persist_secrets_in(&self, store: Option<&dyn crate::store::TokenStore>) -> bool {
        self.persist_secrets_explicit
            .unwrap_or_else(|| store.is_some_and(|s| s.is_secure()))
    }

    /// The config namespace for this env: `auth` for prod, `auth.environment.<env>` otherwise.
    pub fn config_prefix(&self) -> String {
        if self.env.name == "prod" {
            "auth".into()
        } else {
            format!("auth.environment.{}", self.env.name)
        }
    }

    /// The configured default account name for this env.
    pub fn default_account(&self) -> Option<String> {
        self.config
            .get_str(&format!("{}.defaultAccount", self.config_prefix()))
            .map(str::to_string)
    }

    /// The configured default team guid per account hash.
    pub fn default_teams(&self) -> serde_json::Map<String, serde_json::Value> {
        self.config
            .get(&format!("{}.defaultTeam", self.config_prefix()))
            .and_then(serde_json::Value::as_object)
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_in(home: &std::path::Path, config: &str, options: AuthOptions) -> Result<Settings> {
        crate::files::write_atomic(&crate::config::config_path(home), config.as_bytes()).unwrap();
        Settings::resolve(&AuthOptions {
            home_dir: Some(home.into()),
            ..options
        })
    }

    #[test]
    fn explicit_options_beat_config_which_beats_the_env_table() {
        let home = tempfile::tempdir().unwrap();
        let cfg = r#"{"env":"staging","auth":{"baseUrl":"http://cfg/","realm":"R","tokenStoreType":"file"}}"#;
        let s = resolve_in(home.path(), cfg, AuthOptions::default()).unwrap();
        assert_eq!(
            (s.env.name.as_str(), s.base_url.as_str(), s.realm.as_str()),
            ("staging", "http://cfg/", "R")
        );
        assert_eq!(s.platform_url, "https://platform.axwaytest.net");
        assert_eq!(s.store_kind, StoreKind::File);
        assert!(!s.persist_secrets);
        assert_eq!(s.config_prefix(), "auth.environment.staging");

        let s = resolve_in(
            home.path(),
            cfg,
            AuthOptions {
                base_url: Some("http://explicit".into()),
                env: Some("prod".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            (s.env.name.as_str(), s.base_url.as_str()),
            ("prod", "http://explicit")
        );
        assert_eq!(s.token_refresh_threshold, Duration::from_secs(900));
    }

    #[test]
    fn dev_uses_the_test_client_with_staging_urls_and_bad_values_are_errors() {
        let home = tempfile::tempdir().unwrap();
        let s = resolve_in(
            home.path(),
            "{}",
            AuthOptions {
                env: Some("dev".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            (s.env.name.as_str(), s.client_id.as_str()),
            ("staging", "cli-test-public")
        );
        let err = resolve_in(
            home.path(),
            "{}",
            AuthOptions {
                env: Some("mars".into()),
                ..Default::default()
            },
        );
        assert_eq!(err.unwrap_err().code(), "ERR_INVALID_ENVIRONMENT");
        let err = resolve_in(
            home.path(),
            r#"{"auth":{"tokenStoreType":"File"}}"#,
            AuthOptions::default(),
        );
        assert_eq!(err.unwrap_err().code(), "ERR_INVALID_ARGUMENT");
    }

    fn sdk(json: serde_json::Value) -> AuthOptions {
        let text = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
        AuthOptions {
            profile: Profile::Sdk,
            home_dir: text("homeDir").map(PathBuf::from),
            token_store_dir: text("tokenStoreDir").map(PathBuf::from),
            token_store_type: match json.get("tokenStoreType") {
                Some(serde_json::Value::Null) => Some("null".into()),
                other => other.and_then(|v| v.as_str()).map(str::to_string),
            },
            ..Default::default()
        }
    }

    #[test]
    fn the_sdk_profile_ignores_config_and_environment_and_uses_a_zero_threshold() {
        let home = tempfile::tempdir().unwrap();
        crate::files::write_atomic(
            &crate::config::config_path(home.path()),
            br#"{"auth":{"baseUrl":"http://from-config","tokenRefreshThreshold":900}}"#,
        )
        .unwrap();
        let s = Settings::resolve(&sdk(
            serde_json::json!({ "homeDir": home.path(), "tokenStoreType": "file" }),
        ))
        .unwrap();
        assert_eq!(s.base_url, "https://login.axway.com");
        assert_eq!(s.platform_url, "https://platform.axway.com");
        assert_eq!((s.realm.as_str(), s.client_id.as_str()), ("Broker", ""));
        assert_eq!(s.token_refresh_threshold, Duration::ZERO);
        assert_eq!(s.store_kind, StoreKind::File);
        assert!(!s.persist_secrets);
        assert!(!s.config.is_backed());
    }

    #[test]
    fn the_sdk_profile_picks_the_store_as_the_sdk_constructor_does() {
        let kind = |json| Settings::resolve(&sdk(json)).map(|s| s.store_kind);
        use serde_json::json;
        assert_eq!(kind(json!({ "homeDir": "/h" })).unwrap(), StoreKind::Secure);
        assert_eq!(
            kind(json!({ "tokenStoreType": null })).unwrap(),
            StoreKind::Null
        );
        assert_eq!(
            kind(json!({ "tokenStoreType": "auto" })).unwrap(),
            StoreKind::Memory
        );
        let auto_dir = json!({ "tokenStoreType": "auto", "tokenStoreDir": "/t" });
        assert_eq!(kind(auto_dir).unwrap(), StoreKind::File);
        let file_dir = json!({ "tokenStoreType": "file", "tokenStoreDir": "/t" });
        assert_eq!(kind(file_dir).unwrap(), StoreKind::File);
        let code = |json| kind(json).unwrap_err().code();
        assert_eq!(code(json!({})), "ERR_INVALID_PARAMETER");
        let file = json!({ "tokenStoreType": "file" });
        assert_eq!(code(file), "ERR_MISSING_REQUIRED_PARAMETER");
        let bad = json!({ "tokenStoreType": "File", "homeDir": "/h" });
        assert_eq!(code(bad), "ERR_INVALID_ARGUMENT");
    }
}
