//! One resolved `Settings` per call: explicit options > environment variables > config.json >
//! the environment table (spec 7 and 8). Nothing below this module reads options, the
//! environment or the config file for these values again.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::Config;
use crate::error::{Error, Result};

/// Options a caller may pass to any operation (the JS API's `AuthOptions`).
#[derive(Debug, Clone, Default)]
pub struct AuthOptions {
    pub env: Option<String>,
    pub base_url: Option<String>,
    pub platform_url: Option<String>,
    pub realm: Option<String>,
    pub client_id: Option<String>,
    /// `~/.axway` by default.
    pub home_dir: Option<PathBuf>,
    pub token_store_type: Option<String>,
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
}

/// Which token store to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// The OS keychain holds the key; fall back to the file store when it does not answer.
    Auto,
    /// Nothing configured (no option, variable or config key): the store that already holds
    /// accounts (keychain-backed first), else `Auto`, which tells the user where tokens went.
    Unset,
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
    pub runtime: String,
    /// Client secret or secret file configured in `config.json` (`auth.clientSecret`, …).
    pub config_client_secret: Option<String>,
    pub config_secret_file: Option<String>,
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

impl Settings {
    /// Resolves options against the environment and the config file.
    pub fn resolve(options: &AuthOptions) -> Result<Self> {
        let home_dir = match &options.home_dir {
            Some(dir) => dir.clone(),
            None => env_var("AXWAY_AUTH_HOME_DIR")
                .map(PathBuf::from)
                .map_or_else(home_dir, Ok)?,
        };
        let config = Config::load(&home_dir)?;
        let str_opt = |explicit: &Option<String>, var: &str, key: &str| -> Option<String> {
            explicit
                .clone()
                .filter(|v| !v.is_empty())
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
            .unwrap_or_else(|| env.client_id.clone());
        let store_kind = match str_opt(
            &options.token_store_type,
            "AXWAY_AUTH_TOKEN_STORE_TYPE",
            "auth.tokenStoreType",
        ) {
            Some(kind) => StoreKind::parse(&kind)?,
            None => StoreKind::Unset,
        };
        let secure_service_name = options
            .secure_service_name
            .clone()
            .unwrap_or_else(|| DEFAULT_SECURE_SERVICE_NAME.into());

        let threshold = match options.token_refresh_threshold {
            Some(t) => t,
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
        let persist_secrets = persist_secrets_explicit.unwrap_or(matches!(
            store_kind,
            StoreKind::Secure | StoreKind::Auto | StoreKind::Unset
        ));
        let request_ms = options
            .request_timeout
            .or_else(|| env_var("AXWAY_AUTH_REQUEST_TIMEOUT_MS").and_then(|v| v.parse().ok()))
            .unwrap_or(DEFAULT_REQUEST_TIMEOUT_MS);

        Ok(Settings {
            config_client_secret: config.get_str("auth.clientSecret").map(str::to_string),
            config_secret_file: config.get_str("auth.secretFile").map(str::to_string),
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
            request_timeout: Duration::from_millis(request_ms.max(1)),
            runtime: options
                .runtime
                .clone()
                .unwrap_or_else(|| "node:unknown".into()),
            config,
        })
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
    fn no_store_type_anywhere_is_unset_and_a_configured_one_is_kept() {
        let home = tempfile::tempdir().unwrap();
        let s = resolve_in(home.path(), "{}", AuthOptions::default()).unwrap();
        assert_eq!(s.store_kind, StoreKind::Unset);
        assert!(
            s.persist_secrets,
            "secrets only where the opened store is the keychain one"
        );
        let cfg = r#"{"auth":{"tokenStoreType":"secure"}}"#;
        let s = resolve_in(home.path(), cfg, AuthOptions::default()).unwrap();
        assert_eq!(s.store_kind, StoreKind::Secure);
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
}
