//! Options as JavaScript passes them (camelCase, all optional), turned into core structs.

use std::path::PathBuf;

use serde::Deserialize;

use crate::account::Redacted;
use crate::auth::LoginRequest;
use crate::error::Error;
use crate::settings::AuthOptions;

/// Every option any call accepts; each call reads the ones it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsOptions {
    env: Option<String>,
    base_url: Option<String>,
    platform_url: Option<String>,
    realm: Option<String>,
    client_id: Option<String>,
    home_dir: Option<String>,
    token_store_type: Option<serde_json::Value>,
    secure_service_name: Option<String>,
    token_refresh_threshold: Option<f64>,
    interactive_login_timeout: Option<f64>,
    persist_secrets: Option<bool>,
    request_timeout: Option<f64>,
    client_secret: Option<Redacted>,
    secret_file: Option<String>,
    username: Option<String>,
    password: Option<Redacted>,
    force: Option<bool>,
    launch_browser: Option<bool>,
    validate: Option<bool>,
    accounts: Option<StringOrList>,
    all: Option<bool>,
    account: Option<String>,
    org: Option<serde_json::Value>,
    team: Option<String>,
    account_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum StringOrList {
    One(String),
    Many(Vec<String>),
}

/// Parsed options, split by purpose.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub auth: AuthOptions,
    pub login: LoginRequest,
    pub validate: Option<bool>,
    pub accounts: Option<Vec<String>>,
    pub all: Option<bool>,
    pub account: Option<String>,
    pub org: Option<String>,
    pub team: Option<String>,
    pub account_name: Option<String>,
}

impl JsOptions {
    /// Parses the options object (or nothing).
    pub fn parse(value: Option<&serde_json::Value>) -> Result<Parsed, Error> {
        let options: JsOptions = match value {
            None | Some(serde_json::Value::Null) => JsOptions::default(),
            Some(v) => serde_json::from_value(v.clone())
                .map_err(|e| Error::InvalidArgument(format!("Invalid options: {e}")))?,
        };
        let token_store_type = match options.token_store_type {
            None => None,
            Some(serde_json::Value::Null) => Some("null".to_string()),
            Some(serde_json::Value::String(s)) => Some(s),
            Some(other) => {
                return Err(Error::InvalidArgument(format!(
                    "Invalid tokenStoreType: {other}"
                )))
            }
        };
        let millis = |v: Option<f64>| v.filter(|v| v.is_finite() && *v >= 0.0).map(|v| v as u64);
        Ok(Parsed {
            auth: AuthOptions {
                env: options.env,
                base_url: options.base_url,
                platform_url: options.platform_url,
                realm: options.realm,
                client_id: options.client_id,
                home_dir: options.home_dir.map(PathBuf::from),
                token_store_type,
                secure_service_name: options.secure_service_name,
                token_refresh_threshold: options.token_refresh_threshold,
                interactive_login_timeout: millis(options.interactive_login_timeout),
                persist_secrets: options.persist_secrets,
                request_timeout: millis(options.request_timeout),
                runtime: None,
            },
            login: LoginRequest {
                client_secret: options.client_secret,
                secret_file: options.secret_file,
                username: options.username,
                password: options.password,
                force: options.force.unwrap_or(false),
                browser: crate::auth::BrowserOptions {
                    launch_browser: options.launch_browser,
                    on_open_browser: None,
                },
                device: Default::default(),
            },
            validate: options.validate,
            accounts: options.accounts.map(|a| match a {
                StringOrList::One(s) => vec![s],
                StringOrList::Many(v) => v,
            }),
            all: options.all,
            account: options.account,
            org: options.org.map(|o| match o {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            }),
            team: options.team,
            account_name: options.account_name,
        })
    }
}
