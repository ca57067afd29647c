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
    /// Seconds (within [`REFRESH_THRESHOLD_SECS`]).
    pub token_refresh_threshold: Option<f64>,
    /// Milliseconds per browser stage (an integer within [`INTERACTIVE_TIMEOUT_MS`]).
    pub interactive_login_timeout: Option<f64>,
    pub persist_secrets: Option<bool>,
    /// Milliseconds for one HTTP request (connect + answer; an integer within
    /// [`REQUEST_TIMEOUT_MS`]).
    pub request_timeout: Option<f64>,
    /// `node:<version>` or similar, for the platform User-Agent.
    pub runtime: Option<String>,
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

/// Where a setting's value came from, for error messages.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// An API option (the command passes its flags as options).
    Option(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A `config.json` key.
    Config(&'static str),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Option(name) => write!(f, "option {name}"),
            Source::Env(var) => write!(f, "environment variable {var}"),
            Source::Config(key) => write!(f, "config.json key {key}"),
        }
    }
}

/// Accepted `tokenRefreshThreshold` values, in seconds: 0 up to one year.
pub const REFRESH_THRESHOLD_SECS: std::ops::RangeInclusive<f64> = 0.0..=31_536_000.0;
/// Accepted `requestTimeout` values, in milliseconds: 100 ms up to 10 minutes.
pub const REQUEST_TIMEOUT_MS: std::ops::RangeInclusive<u64> = 100..=600_000;
/// Accepted `interactiveLoginTimeout` values, in milliseconds: 100 ms up to 1 hour.
pub const INTERACTIVE_TIMEOUT_MS: std::ops::RangeInclusive<u64> = 100..=3_600_000;

fn invalid(what: &str, source: Source, why: impl std::fmt::Display) -> Error {
    Error::InvalidArgument(format!("Invalid {what} from {source}: {why}"))
}

/// A token refresh threshold in seconds: finite and within [`REFRESH_THRESHOLD_SECS`].
pub fn refresh_threshold(seconds: f64, source: Source) -> Result<Duration> {
    if !seconds.is_finite() || !REFRESH_THRESHOLD_SECS.contains(&seconds) {
        return Err(invalid(
            "token refresh threshold",
            source,
            format!(
                "{} is not a number of seconds from 0 to {} (one year)",
                crate::sanitize::clean(&seconds.to_string(), 40),
                REFRESH_THRESHOLD_SECS.end()
            ),
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A whole number of milliseconds within `range` (a JS number, or parsed from text).
pub fn millis(
    value: f64,
    what: &str,
    source: Source,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Duration> {
    let (low, high) = (*range.start() as f64, *range.end() as f64);
    if !value.is_finite() || value.fract() != 0.0 || value < low || value > high {
        return Err(invalid(
            what,
            source,
            format!(
                "{} is not a whole number of milliseconds from {} to {}",
                crate::sanitize::clean(&value.to_string(), 40),
                range.start(),
                range.end()
            ),
        ));
    }
    Ok(Duration::from_millis(value as u64))
}

/// Parses a setting given as text (environment variable, config string) as digits only.
fn millis_text(
    text: &str,
    what: &str,
    source: Source,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Duration> {
    let number = (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<u64>().ok())
        .flatten();
    match number {
        Some(n) if range.contains(&n) => Ok(Duration::from_millis(n)),
        _ => Err(invalid(
            what,
            source,
            format!(
                "\"{}\" is not a whole number of milliseconds from {} to {}",
                crate::sanitize::clean(text, 40),
                range.start(),
                range.end()
            ),
        )),
    }
}

/// A number from config.json: a JSON number, or a string holding one.
fn config_number(value: &serde_json::Value, what: &str, key: &'static str) -> Result<f64> {
    let parsed = match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    parsed.filter(|n| n.is_finite()).ok_or_else(|| {
        invalid(
            what,
            Source::Config(key),
            format!(
                "{} is not a number",
                crate::sanitize::clean(&value.to_string(), 40)
            ),
        )
    })
}

/// Checks a base or platform URL: `http(s)://host[:port][/path]`, with no user name or
/// password, query, fragment, whitespace or control character. The value is returned as given
/// (the account hash is computed from it).
pub fn check_url(value: &str, what: &str, source: Source) -> Result<String> {
    let shown = || crate::sanitize::clean(&crate::sanitize::display_url(value), 200);
    let fail = |why: &str| invalid(what, source, format!("\"{}\" {why}", shown()));
    if value
        .chars()
        .any(|c| c.is_whitespace() || crate::sanitize::is_unsafe(c))
    {
        return Err(fail("contains a space or a control character"));
    }
    let url = url::Url::parse(value).map_err(|e| fail(&format!("is not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(fail("is not an http(s) URL with a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(fail("must not contain a user name or password"));
    }
    if url.query().is_some() || value.contains('?') {
        return Err(fail("must not contain a query (?…)"));
    }
    if url.fragment().is_some() || value.contains('#') {
        return Err(fail("must not contain a fragment (#…)"));
    }
    Ok(value.to_string())
}

/// An environment variable: `None` when unset or empty, an error when it is not valid UTF-8
/// (never silently treated as unset).
pub fn env_var(name: &'static str) -> Result<Option<String>> {
    match std::env::var_os(name) {
        None => Ok(None),
        Some(value) => match value.into_string() {
            Ok(v) if v.is_empty() => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(_) => Err(Error::InvalidArgument(format!(
                "The environment variable {name} is not valid UTF-8: fix or unset it"
            ))),
        },
    }
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
    /// Resolves options against the environment and the config file. Every numeric and URL
    /// setting is parsed strictly: a bad value is an `ERR_INVALID_ARGUMENT` naming the setting
    /// and where it came from, never a silent default.
    pub fn resolve(options: &AuthOptions) -> Result<Self> {
        let home_dir = match &options.home_dir {
            Some(dir) => dir.clone(),
            None => env_var("AXWAY_AUTH_HOME_DIR")?
                .map(PathBuf::from)
                .map_or_else(home_dir, Ok)?,
        };
        crate::files::warn_if_shared(&home_dir);
        let config = Config::load(&home_dir)?;
        let str_opt = |explicit: &Option<String>,
                       option: &'static str,
                       var: &'static str,
                       key: &'static str|
         -> Result<Option<(String, Source)>> {
            if let Some(v) = explicit.clone().filter(|v| !v.is_empty()) {
                return Ok(Some((v, Source::Option(option))));
            }
            if let Some(v) = env_var(var)? {
                return Ok(Some((v, Source::Env(var))));
            }
            Ok(config
                .get_str(key)
                .map(|v| (v.to_string(), Source::Config(key))))
        };
        let value = |found: Option<(String, Source)>| found.map(|(v, _)| v);

        let cli_env = value(str_opt(&options.env, "env", "AXWAY_AUTH_ENV", "env")?)
            .unwrap_or_else(|| "prod".into());
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

        let base_url = match str_opt(
            &options.base_url,
            "baseUrl",
            "AXWAY_AUTH_BASE_URL",
            "auth.baseUrl",
        )? {
            Some((url, source)) => check_url(&url, "base URL", source)?,
            None => env.base_url.clone(),
        };
        let platform_url = match str_opt(
            &options.platform_url,
            "platformUrl",
            "AXWAY_AUTH_PLATFORM_URL",
            "auth.platformUrl",
        )? {
            Some((url, source)) => check_url(&url, "platform URL", source)?,
            None => env.platform_url.clone(),
        };
        let realm = value(str_opt(
            &options.realm,
            "realm",
            "AXWAY_AUTH_REALM",
            "auth.realm",
        )?)
        .unwrap_or_else(|| "Broker".into());
        let client_id = value(str_opt(
            &options.client_id,
            "clientId",
            "AXWAY_AUTH_CLIENT_ID",
            "auth.clientId",
        )?)
        .unwrap_or_else(|| env.client_id.clone());
        let store_kind = StoreKind::parse(
            &value(str_opt(
                &options.token_store_type,
                "tokenStoreType",
                "AXWAY_AUTH_TOKEN_STORE_TYPE",
                "auth.tokenStoreType",
            )?)
            .unwrap_or_else(|| "secure".into()),
        )?;
        let secure_service_name = options
            .secure_service_name
            .clone()
            .unwrap_or_else(|| DEFAULT_SECURE_SERVICE_NAME.into());

        const THRESHOLD_KEY: &str = "auth.tokenRefreshThreshold";
        let token_refresh_threshold = match (
            options.token_refresh_threshold,
            config.get(THRESHOLD_KEY).filter(|v| !v.is_null()),
        ) {
            (Some(t), _) => refresh_threshold(t, Source::Option("tokenRefreshThreshold"))?,
            (None, Some(v)) => refresh_threshold(
                config_number(v, "token refresh threshold", THRESHOLD_KEY)?,
                Source::Config(THRESHOLD_KEY),
            )?,
            (None, None) => Duration::from_secs_f64(DEFAULT_REFRESH_THRESHOLD_SECS),
        };

        const INTERACTIVE_KEY: &str = "auth.interactiveLoginTimeout";
        const INTERACTIVE: &str = "interactive login timeout";
        let interactive_login_timeout = match (
            options.interactive_login_timeout,
            config.get(INTERACTIVE_KEY).filter(|v| !v.is_null()),
        ) {
            (Some(ms), _) => millis(
                ms,
                INTERACTIVE,
                Source::Option("interactiveLoginTimeout"),
                INTERACTIVE_TIMEOUT_MS,
            )?,
            (None, Some(v)) => millis(
                config_number(v, INTERACTIVE, INTERACTIVE_KEY)?,
                INTERACTIVE,
                Source::Config(INTERACTIVE_KEY),
                INTERACTIVE_TIMEOUT_MS,
            )?,
            (None, None) => Duration::from_millis(DEFAULT_INTERACTIVE_TIMEOUT_MS),
        };
        let persist_secrets_explicit = options.persist_secrets.or_else(|| {
            config
                .get("auth.persistSecrets")
                .and_then(serde_json::Value::as_bool)
        });
        let persist_secrets = persist_secrets_explicit
            .unwrap_or(matches!(store_kind, StoreKind::Secure | StoreKind::Auto));

        const TIMEOUT_VAR: &str = "AXWAY_AUTH_REQUEST_TIMEOUT_MS";
        const REQUEST: &str = "request timeout";
        let request_timeout = match (options.request_timeout, env_var(TIMEOUT_VAR)?) {
            (Some(ms), _) => millis(
                ms,
                REQUEST,
                Source::Option("requestTimeout"),
                REQUEST_TIMEOUT_MS,
            )?,
            (None, Some(text)) => {
                millis_text(&text, REQUEST, Source::Env(TIMEOUT_VAR), REQUEST_TIMEOUT_MS)?
            }
            (None, None) => Duration::from_millis(DEFAULT_REQUEST_TIMEOUT_MS),
        };

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
            token_refresh_threshold,
            interactive_login_timeout,
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
}
