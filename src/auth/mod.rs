//! The operations: login, list, logout, switch, whoami, server info. Each takes resolved
//! `Settings`, opens the configured store, and returns accounts without persisted secrets.

mod browser;
mod commit;
mod credentials;
mod defaults;
mod find;
mod flow;
mod list;
mod login;
mod logout;
mod plan;
mod record;
pub mod select;
mod stored;
mod switch;
pub mod token;
mod validate;

use serde_json::Value;

use crate::error::Result;
use crate::oauth::{self, Endpoints};
use crate::settings::Settings;

pub use crate::store::StoreLocation;
pub use browser::{cancel_login, BrowserOptions, OpenBrowserHook};
pub use credentials::credentials_hash;
pub use find::{find, find_session, load_session, update_account, Lookup};
pub use flow::code::AuthCode;
pub use flow::device::{
    DeviceCodeHook, DeviceCodeInfo, DeviceMode, DeviceOptions, OrgChoice, SelectOrgHook,
};
pub use list::{list, list_stored_json, whoami, ListRequest};
pub use login::{login, Existing, LoginRequest};
pub use logout::{logout, LogoutRequest, LogoutTarget};
pub use plan::{login_plan, LoginPlan};
pub use stored::{drop_memory_store, now_ms, open_store, reset_store, store_location};
pub use switch::{switch, switch_org, SwitchRequest};
pub use token::{token, AccessToken, TokenRequest};

/// The identity server's OpenID configuration document (`url` overrides its address).
pub async fn server_info(settings: &Settings, url: Option<&str>) -> Result<Value> {
    let mut endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    if let Some(url) = url.filter(|u| !u.is_empty()) {
        endpoints.well_known = url.to_string();
    }
    oauth::server_info(&endpoints, &settings.http).await
}

/// The hash of the account the credentials log in (spec 3.6): an owner password (`username`
/// and `password`, as the SDK's `Auth` picks it), else the settings' service-account
/// credentials. The SDK's `Auth.find(options)` looks it up.
pub fn authenticator_hash(
    settings: &Settings,
    username: Option<&str>,
    password: Option<&crate::account::Redacted>,
) -> Result<String> {
    credentials::require_client_id(settings)?;
    credentials_hash(settings, username, password)
}
