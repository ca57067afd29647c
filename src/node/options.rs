//! Options as JavaScript passes them (camelCase, all optional), turned into core structs. The
//! command, the JS API and the SDK-compatible adapter (`lib/sdk.js`) all pass this one shape.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::account::{Account, Exposure, Redacted};
use crate::auth::{
    AuthCode, BrowserOptions, Existing, ListRequest, LoginRequest, LogoutTarget, Lookup,
    TokenRequest,
};
use crate::error::Error;
use crate::settings::{AuthOptions, Profile};

/// Every option any call accepts; each call reads the ones it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsOptions {
    profile: Option<String>,
    env: Option<String>,
    base_url: Option<String>,
    platform_url: Option<String>,
    realm: Option<String>,
    client_id: Option<String>,
    home_dir: Option<String>,
    token_store_dir: Option<String>,
    /// `null` (no persistence) is kept apart from an absent key.
    #[serde(default, deserialize_with = "present")]
    token_store_type: Option<Value>,
    secure_service_name: Option<String>,
    token_refresh_threshold: Option<f64>,
    interactive_login_timeout: Option<f64>,
    persist_secrets: Option<bool>,
    request_timeout: Option<f64>,
    client_secret: Option<Redacted>,
    secret_file: Option<String>,
    /// A PEM private key as text (the SDK's `SignedJWT({ secret })`).
    secret: Option<Redacted>,
    username: Option<String>,
    password: Option<Redacted>,
    /// An authorization code to exchange (`login({ code })`); any JS value, `null` included
    /// (only a non-empty string is a code).
    #[serde(default, deserialize_with = "present")]
    code: Option<Value>,
    /// The redirect URI the code was issued for (the SDK's `redirect`, also `redirectUri`).
    redirect: Option<String>,
    redirect_uri: Option<String>,
    /// The PKCE verifier of the authorization that gave `code`.
    code_verifier: Option<Redacted>,
    /// `login({ manual: true })`: the caller shows the URL and may cancel (browser logins only).
    manual: Option<bool>,
    /// An id under which `cancelLogin(id)` cancels this login's browser wait.
    login_id: Option<String>,
    force: Option<bool>,
    launch_browser: Option<bool>,
    /// `"reuse"`: return a logged-in account instead of failing with `EAUTHENTICATED`.
    existing: Option<String>,
    /// `false`: do not load the platform session at login (the SDK's `Auth.login`).
    platform_session: Option<bool>,
    validate: Option<bool>,
    skip: Option<Vec<String>>,
    default_teams: Option<Map<String, Value>>,
    /// `"stored"`, `"noSecrets"` (default) or `"noTokens"`.
    exposure: Option<String>,
    accounts: Option<StringOrList>,
    all: Option<bool>,
    all_envs: Option<bool>,
    /// Only accounts of this base URL (logout).
    only_base_url: Option<String>,
    /// Only accounts of the settings' base URL (logout).
    same_base_url: Option<bool>,
    account: Option<String>,
    /// An account record (findSession, loadSession, updateAccount, switchOrg).
    record: Option<Account>,
    org: Option<Value>,
    team: Option<String>,
    account_name: Option<String>,
    /// `find`: also load the platform session.
    session: Option<bool>,
    /// `serverInfo`: another address for the OpenID configuration.
    url: Option<String>,
    /// `token`: seconds, or a duration text such as `90s`, `10m`, `1h`.
    min_validity: Option<Value>,
    /// CA, client certificate, proxy, `strictSSL` (the SDK's `requestOptions`).
    request_options: Option<crate::net::RequestOptions>,
    /// The in-process store of the `memory` kind (the SDK-compatible `Auth` names its own).
    memory_store: Option<String>,
}

/// Keeps an explicit `null` as `Some(Value::Null)`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// One name, or a list of them (`accounts`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl StringOrList {
    pub(super) fn into_vec(self) -> Vec<String> {
        match self {
            StringOrList::One(name) => vec![name],
            StringOrList::Many(names) => names,
        }
    }
}

/// Parsed options, split by purpose.
#[derive(Debug, Default)]
pub struct Parsed {
    pub auth: AuthOptions,
    pub login: LoginRequest,
    pub list: ListRequest,
    /// What of each record `list`, `whoami` and `find` hand out.
    pub exposure: Exposure,
    /// What of the record login, logout and switch hand out (`exposure` when given, else
    /// everything but persisted secrets).
    pub result_exposure: Exposure,
    pub target: Option<LogoutTarget>,
    pub all_envs: bool,
    /// `whoami`: every match, not only the one to show.
    pub all: bool,
    pub only_base_url: Option<String>,
    pub same_base_url: bool,
    pub account: Option<String>,
    pub record: Option<Account>,
    pub org: Option<String>,
    pub team: Option<String>,
    pub account_name: Option<String>,
    pub session: bool,
    pub default_teams: Map<String, Value>,
    pub url: Option<String>,
    pub token: TokenRequest,
}

impl Parsed {
    /// The stored account `find` looks for: `account` (name or hash), else `accountName` and
    /// the hash of the credentials the settings carry (computed by the caller).
    pub fn lookup(&self, hash: Option<String>, base_url: &str) -> Lookup {
        match &self.account {
            Some(name) => Lookup {
                name: Some(name.clone()),
                hash: Some(name.clone()),
                base_url: Some(base_url.to_string()),
            },
            None => Lookup {
                name: self.account_name.clone(),
                hash,
                base_url: Some(base_url.to_string()),
            },
        }
    }
}

/// `minValidity`: seconds (a number), or a duration text such as `90s`, `10m`, `1h`.
fn min_validity(value: Option<Value>) -> Result<TokenRequest, Error> {
    const NAME: &str = "minValidity (--min-validity)";
    let min_validity = match value {
        None | Some(Value::Null) => return Ok(TokenRequest::default()),
        Some(Value::String(text)) => crate::auth::token::parse_duration(&text, NAME)?,
        Some(Value::Number(n)) => n
            .as_f64()
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
            .ok_or_else(|| {
                Error::InvalidArgument(format!("Invalid {NAME} {n}: expected seconds, at least 0"))
            })?,
        Some(other) => {
            return Err(Error::InvalidArgument(format!(
                "Invalid {NAME} {other}: expected seconds or a duration such as 90s, 10m or 1h"
            )))
        }
    };
    Ok(TokenRequest { min_validity })
}

fn invalid(name: &str, value: impl std::fmt::Display) -> Error {
    Error::InvalidArgument(format!("Invalid {name}: {value}"))
}

impl JsOptions {
    /// Parses the options object (or nothing).
    pub fn parse(value: Option<Value>) -> Result<Parsed, Error> {
        let o: JsOptions = match value {
            None | Some(Value::Null) => JsOptions::default(),
            Some(v) => serde_json::from_value(v).map_err(|e| invalid("options", e))?,
        };
        let profile = match o.profile.as_deref() {
            None | Some("cli") => Profile::Cli,
            Some("sdk") => Profile::Sdk,
            Some(other) => return Err(invalid("profile", other)),
        };
        let token_store_type = match o.token_store_type {
            None => None,
            Some(Value::Null) => Some("null".to_string()),
            Some(Value::String(s)) => Some(s),
            Some(other) => return Err(invalid("tokenStoreType", other)),
        };
        let exposure_given = match o.exposure.as_deref() {
            None => None,
            Some("noSecrets") => Some(Exposure::NoSecrets),
            Some("accessOnly") => Some(Exposure::AccessOnly),
            Some("stored") => Some(Exposure::Stored),
            Some("noTokens") => Some(Exposure::NoTokens),
            Some(other) => return Err(invalid("exposure", other)),
        };
        // listing calls of the new API hand out the access token only; the SDK's shapes, and
        // the results of login, logout and switch, keep theirs unless asked
        let exposure = exposure_given.unwrap_or(match profile {
            Profile::Cli => Exposure::AccessOnly,
            Profile::Sdk => Exposure::NoSecrets,
        });
        let existing = match o.existing.as_deref() {
            None | Some("reject") => Existing::Reject,
            Some("reuse") => Existing::Reuse,
            Some(other) => return Err(invalid("existing", other)),
        };
        let target = match (o.all, o.accounts) {
            (Some(true), _) => Some(LogoutTarget::All),
            (_, Some(names)) => Some(LogoutTarget::Named(names.into_vec())),
            (_, None) => None,
        };
        let browser = BrowserOptions {
            launch_browser: o.launch_browser,
            on_open_browser: None,
            login_id: o.login_id,
        };
        let code = o.code.map(|code| AuthCode {
            code: match code {
                Value::String(code) => Some(Redacted::new(code)),
                _ => None,
            },
            redirect_uri: o.redirect.or(o.redirect_uri),
            code_verifier: o.code_verifier,
        });
        Ok(Parsed {
            auth: AuthOptions {
                profile,
                env: o.env,
                base_url: o.base_url,
                platform_url: o.platform_url,
                realm: o.realm,
                client_id: o.client_id,
                home_dir: o.home_dir.map(PathBuf::from),
                token_store_dir: o.token_store_dir.map(PathBuf::from),
                token_store_type,
                client_secret: o.client_secret,
                secret_file: o.secret_file,
                private_key: o.secret,
                secure_service_name: o.secure_service_name,
                token_refresh_threshold: o.token_refresh_threshold,
                interactive_login_timeout: o.interactive_login_timeout,
                persist_secrets: o.persist_secrets,
                request_timeout: o.request_timeout,
                runtime: None,
                account: o.account.clone(),
                request_options: o.request_options.unwrap_or_default(),
                memory_store: o.memory_store,
            },
            login: LoginRequest {
                username: o.username,
                password: o.password,
                code,
                manual: o.manual.unwrap_or(false),
                force: o.force.unwrap_or(false),
                browser,
                existing,
                platform_session: o.platform_session.unwrap_or(true),
                account_name: o.account_name.clone(),
                device: Default::default(),
            },
            list: ListRequest {
                validate: o.validate.unwrap_or(true),
                skip: o.skip.unwrap_or_default(),
                default_teams: o.default_teams.clone(),
                exposure,
            },
            exposure,
            result_exposure: exposure_given.unwrap_or(Exposure::NoSecrets),
            target,
            all_envs: o.all_envs.unwrap_or(false),
            all: o.all.unwrap_or(false),
            only_base_url: o.only_base_url,
            same_base_url: o.same_base_url.unwrap_or(false),
            account: o.account,
            record: o.record,
            org: o.org.map(|org| match org {
                Value::String(s) => s,
                other => other.to_string(),
            }),
            team: o.team,
            account_name: o.account_name,
            session: o.session.unwrap_or(false),
            default_teams: o.default_teams.unwrap_or_default(),
            url: o.url,
            token: min_validity(o.min_validity)?,
        })
    }
}
