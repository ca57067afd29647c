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
    /// A PEM private key given as text (the SDK's `new SignedJWT({ secret })`); wins over
    /// `secret_file`.
    pub private_key: Option<Redacted>,
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
    /// The account (name or hash) this call acts on instead of the configured default.
    pub account: Option<String>,
    /// `requestOptions`: CA, client certificate, proxy, `strictSSL` (see `net`).
    pub request_options: crate::net::RequestOptions,
    /// Which in-process store the `memory` kind uses (each SDK-compatible `Auth` names its own).
    pub memory_store: Option<String>,
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
    /// A store the caller provides (`Settings::custom_store`): the SDK-compatible `Auth`'s
    /// `tokenStore` instance written in JavaScript. Only the napi layer sets it.
    Custom,
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
            StoreKind::Unset => "unset",
            StoreKind::Custom => "custom",
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

/// The realm of every Axway environment.
pub const DEFAULT_REALM: &str = "Broker";

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
    /// How long one call to the OS keychain may take (`AXWAY_AUTH_KEYCHAIN_TIMEOUT`).
    pub keychain_timeout: Duration,
    /// How long one call to a token store written in JavaScript may take
    /// (`AXWAY_AUTH_JS_STORE_TIMEOUT`).
    pub js_store_timeout: Duration,
    /// How every request travels: timeout, trust, proxy, client certificate (see `net`).
    pub http: crate::net::HttpConfig,
    pub runtime: String,
    /// The service-account credentials: the caller's (option, or the SDK constructor's), else
    /// `AXWAY_AUTH_CLIENT_SECRET` / `AXWAY_AUTH_SECRET_FILE`, else `auth.clientSecret` /
    /// `auth.secretFile` in `config.json` (a secret and a file from one source go together).
    /// Used to log in, and to re-authenticate stored service accounts that keep none.
    pub client_secret: Option<Redacted>,
    pub secret_file: Option<String>,
    /// A PEM private key given as text by the caller (the SDK's `SignedJWT({ secret })`).
    pub private_key: Option<Redacted>,
    /// The platform tooling password below the caller's own: `AXWAY_AUTH_PASSWORD`.
    pub password: Option<Redacted>,
    /// The account a call acts on instead of the configured default account: the `account`
    /// option (`--account`), else `AXWAY_AUTH_ACCOUNT`. Never written to `config.json`.
    pub account: Option<String>,
    /// Which in-process store the `memory` kind uses (`None`: the shared one).
    pub memory_store: Option<String>,
    /// The store of the `custom` kind (see [`Settings::with_custom_store`]).
    pub custom_store: Option<std::sync::Arc<dyn crate::store::TokenStore>>,
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
/// Accepted time limits of one token store call (`AXWAY_AUTH_KEYCHAIN_TIMEOUT`,
/// `AXWAY_AUTH_JS_STORE_TIMEOUT`), in milliseconds: 100 ms up to 10 minutes.
pub const STORE_CALL_TIMEOUT_MS: std::ops::RangeInclusive<u64> = 100..=600_000;

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

/// The service-account credentials, one source for both: the caller's options, else the
/// environment, else `config.json` (an explicit `--secret-file` is never overridden by an
/// `AXWAY_AUTH_CLIENT_SECRET` from the environment).
fn credentials(
    options: &AuthOptions,
    sdk: bool,
    config: &Config,
) -> Result<(Option<Redacted>, Option<String>)> {
    let secret = (options.client_secret.clone()).filter(|s| !s.expose().is_empty());
    let file = options.secret_file.clone().filter(|f| !f.is_empty());
    if secret.is_some() || file.is_some() || sdk {
        return Ok((secret, file));
    }
    let secret = env_var("AXWAY_AUTH_CLIENT_SECRET")?;
    let file = env_var("AXWAY_AUTH_SECRET_FILE")?;
    if secret.is_some() || file.is_some() {
        return Ok((secret.map(Redacted::new), file));
    }
    Ok((
        config.get_str("auth.clientSecret").map(Redacted::new),
        config.get_str("auth.secretFile").map(str::to_string),
    ))
}

/// A positive, finite number of milliseconds, else the default (the SDK's leniency).
fn lenient_millis(ms: f64, default: u64) -> Duration {
    Duration::from_millis(match ms.is_finite() && ms > 0.0 {
        true => ms.min(u32::MAX as f64) as u64,
        false => default,
    })
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
        (StoreKind::Memory | StoreKind::Null | StoreKind::Unset | StoreKind::Custom, _, _) => {
            (kind, PathBuf::new())
        }
    })
}

impl Settings {
    /// The same settings over a store the caller provides (the SDK-compatible `Auth`'s
    /// `tokenStore` instance). Secrets are kept with the account only when `persistSecrets`
    /// says so, as the SDK does for any store that is not its `SecureStore`.
    pub fn with_custom_store(self, store: std::sync::Arc<dyn crate::store::TokenStore>) -> Self {
        Settings {
            store_kind: StoreKind::Custom,
            persist_secrets: self.persist_secrets_explicit.unwrap_or(false),
            custom_store: Some(store),
            ..self
        }
    }

    /// Resolves options against the environment and the config file (the CLI profile), or
    /// against the SDK's defaults only (the SDK profile). Every numeric and URL setting is
    /// parsed strictly: a bad value is an `ERR_INVALID_ARGUMENT` naming the setting and where
    /// it came from, never a silent default.
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
            crate::files::warn_if_shared(&home_dir);
            Config::load(&home_dir)?
        };
        // explicit option > environment variable > config.json (the CLI profile only)
        let str_opt = |explicit: &Option<String>,
                       option: &'static str,
                       var: &'static str,
                       key: &'static str|
         -> Result<Option<(String, Source)>> {
            if let Some(v) = explicit.clone().filter(|v| !v.is_empty()) {
                return Ok(Some((v, Source::Option(option))));
            }
            if sdk {
                return Ok(None);
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
        .unwrap_or_else(|| DEFAULT_REALM.into());
        let client_id = value(str_opt(
            &options.client_id,
            "clientId",
            "AXWAY_AUTH_CLIENT_ID",
            "auth.clientId",
        )?)
        .or_else(|| (!sdk).then(|| env.client_id.clone()))
        .unwrap_or_default();
        let store_kind = match sdk {
            true => store_kind,
            false => match value(str_opt(
                &options.token_store_type,
                "tokenStoreType",
                "AXWAY_AUTH_TOKEN_STORE_TYPE",
                "auth.tokenStoreType",
            )?) {
                Some(kind) => StoreKind::parse(&kind)?,
                None => StoreKind::Unset,
            },
        };
        let secure_service_name = options
            .secure_service_name
            .clone()
            .filter(|name| !name.is_empty())
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
            (None, None) if sdk => Duration::ZERO,
            (None, None) => Duration::from_secs_f64(DEFAULT_REFRESH_THRESHOLD_SECS),
        };

        const INTERACTIVE_KEY: &str = "auth.interactiveLoginTimeout";
        const INTERACTIVE: &str = "interactive login timeout";
        let interactive_login_timeout = match (
            options.interactive_login_timeout,
            config.get(INTERACTIVE_KEY).filter(|v| !v.is_null()),
        ) {
            // the SDK accepts any positive number of milliseconds
            (Some(ms), _) if sdk => lenient_millis(ms, DEFAULT_INTERACTIVE_TIMEOUT_MS),
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
        let persist_secrets = persist_secrets_explicit.unwrap_or(matches!(
            store_kind,
            StoreKind::Secure | StoreKind::Auto | StoreKind::Unset
        ));

        const TIMEOUT_VAR: &str = "AXWAY_AUTH_REQUEST_TIMEOUT_MS";
        const REQUEST: &str = "request timeout";
        let from_env = if sdk { None } else { env_var(TIMEOUT_VAR)? };
        let request_timeout = match (options.request_timeout, from_env) {
            (Some(ms), _) if sdk => lenient_millis(ms, DEFAULT_REQUEST_TIMEOUT_MS),
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

        let http = crate::net::HttpConfig::resolve(
            &options.request_options,
            &config,
            request_timeout,
            &crate::net::env_var,
        )?;
        let (client_secret, secret_file) = credentials(options, sdk, &config)?;
        // Ours, not the SDK's: read in both profiles.
        let store_call_timeout =
            |name: &'static str, what: &str, default: Duration| match env_var(name)? {
                Some(text) => millis_text(&text, what, Source::Env(name), STORE_CALL_TIMEOUT_MS),
                None => Ok(default),
            };
        let keychain_timeout = store_call_timeout(
            "AXWAY_AUTH_KEYCHAIN_TIMEOUT",
            "keychain timeout",
            crate::store::keychain::DEFAULT_TIMEOUT,
        )?;
        let js_store_timeout = store_call_timeout(
            "AXWAY_AUTH_JS_STORE_TIMEOUT",
            "custom token store timeout",
            Duration::from_secs(60),
        )?;
        Ok(Settings {
            memory_store: options.memory_store.clone(),
            custom_store: None,
            http,
            client_secret,
            secret_file,
            private_key: options
                .private_key
                .clone()
                .filter(|k| !k.expose().is_empty()),
            password: match sdk {
                true => None,
                false => env_var("AXWAY_AUTH_PASSWORD")?.map(Redacted::new),
            },
            account: match options.account.clone().filter(|a| !a.is_empty()) {
                Some(account) => Some(account),
                None if sdk => None,
                None => env_var("AXWAY_AUTH_ACCOUNT")?,
            },
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
            keychain_timeout,
            js_store_timeout,
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
            None => env_var("AXWAY_AUTH_HOME_DIR")?
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
