//! Device login (RFC 8628) for platform users, beside the browser login (`pkce.rs`): the
//! user approves the login on any device with a browser, by entering a short code (or opening
//! the complete link). Token handling, org selection, session loading and the account record
//! are the browser login's; only getting the first tokens differs, and the org is picked in
//! the terminal (or given) and selected through the platform API instead of the org page.
//!
//! Also the choice between the two flows: the device login when asked for, or when this machine
//! cannot show a browser (`crate::headless`) and the identity server offers it.

use std::sync::Arc;

use futures::future::BoxFuture;
use serde::Serialize;
use serde_json::{Map, Value};

use super::pkce::refresh_for_org;
use crate::account::Account;
use crate::auth::browser::BrowserOptions;
use crate::auth::commit::{complete, previous_record};
use crate::auth::credentials::hash_for;
use crate::auth::record::{apply_userinfo, build_account};
use crate::auth::switch::org_matches;
use crate::error::{Error, Result};
use crate::oauth::{self, device, Endpoints};
use crate::platform::Platform;
use crate::session;
use crate::settings::Settings;
use crate::store::TokenStore;

/// Which platform login to run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DeviceMode {
    /// The browser login (the default).
    #[default]
    Off,
    /// The device login; an error when the server does not offer it.
    On,
    /// The device login when this machine is headless and the server offers it; else the
    /// browser login, showing its link instead of opening a browser when headless.
    Auto,
}

/// What the user needs to approve a device login (`onDeviceCode` in JS).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCodeInfo {
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub user_code: String,
    /// Seconds until the code expires.
    pub expires_in: u64,
    /// Seconds between two polls.
    pub interval: u64,
}

/// Called once with the code, before polling; an `Err` cancels the login with that message.
pub type DeviceCodeHook = Arc<
    dyn Fn(DeviceCodeInfo) -> BoxFuture<'static, std::result::Result<(), String>> + Send + Sync,
>;

/// The orgs a user can pick from after a device login (`onSelectOrg` in JS): each
/// `{guid, id, name}`, and the one the platform selected.
#[derive(Debug, Clone, Serialize)]
pub struct OrgChoice {
    pub orgs: Vec<Map<String, Value>>,
    pub current: Option<Map<String, Value>>,
}

/// Called when the user has several orgs and none was given; resolves the org's guid, id or
/// name (`None` keeps the platform's selection). An `Err` cancels the login.
pub type SelectOrgHook = Arc<
    dyn Fn(OrgChoice) -> BoxFuture<'static, std::result::Result<Option<String>, String>>
        + Send
        + Sync,
>;

/// Device login options of a login request.
#[derive(Clone, Default)]
pub struct DeviceOptions {
    pub mode: DeviceMode,
    pub on_device_code: Option<DeviceCodeHook>,
    /// The org to select after a device login (guid, id or name).
    pub org: Option<String>,
    pub on_select_org: Option<SelectOrgHook>,
}

impl std::fmt::Debug for DeviceOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceOptions")
            .field("mode", &self.mode)
            .field("on_device_code", &self.on_device_code.is_some())
            .field("org", &self.org)
            .field("on_select_org", &self.on_select_org.is_some())
            .finish()
    }
}

/// Refuses device options on a service-account login (they have one org and no browser step).
pub(crate) fn check_service_account(device: &DeviceOptions) -> Result<()> {
    if device.mode == DeviceMode::On || device.org.is_some() {
        return Err(Error::InvalidArgument(
            "The device login and --org are for platform users; a service account logs in with its client secret or secret file".into(),
        ));
    }
    Ok(())
}

/// Logs a platform user in with the device login or the browser login (see `DeviceMode`);
/// whether one is already logged in has been checked by the caller.
pub(crate) async fn platform_login(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    browser: &BrowserOptions,
    options: &DeviceOptions,
) -> Result<Account> {
    let headless = match options.mode {
        DeviceMode::Auto => crate::headless::detect(),
        _ => None,
    };
    match options.mode {
        DeviceMode::On => {
            if options.on_device_code.is_none() {
                return Err(Error::InvalidArgument(
                    "The device login needs onDeviceCode, to show the user the code".into(),
                ));
            }
            let url = device_endpoint(settings)
                .await?
                .ok_or_else(|| Error::DeviceFlowUnsupported(not_advertised(settings)))?;
            return login(settings, store, options, &url).await;
        }
        // headless: the device login, when someone shows the code and the server offers it
        DeviceMode::Auto if headless.is_some() && options.on_device_code.is_some() => {
            if let Some(url) = device_endpoint(settings).await? {
                return login(settings, store, options, &url).await;
            }
        }
        _ => {}
    }
    if options.org.is_some() {
        return Err(Error::InvalidArgument(
            "--org selects the organization of a device login (--device); in a browser login, pick it on the platform's page".into(),
        ));
    }
    match headless {
        // No browser can reach the user here: show the link (the hook prints it) and wait.
        Some(reason) if browser.on_open_browser.is_some() => {
            tracing::debug!("headless ({reason}): showing the browser login link");
            let mut shown = browser.clone();
            shown.launch_browser = Some(false);
            super::pkce::login(settings, store, &shown).await
        }
        _ => super::pkce::login(settings, store, browser).await,
    }
}

fn not_advertised(settings: &Settings) -> String {
    format!(
        "{} has no device_authorization_endpoint",
        crate::sanitize::display_url(
            &Endpoints::new(&settings.base_url, &settings.realm).well_known
        )
    )
}

/// The realm's `device_authorization_endpoint`, if its OpenID configuration has one.
async fn device_endpoint(settings: &Settings) -> Result<Option<String>> {
    let endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    let info = oauth::server_info(&endpoints, &settings.http).await?;
    Ok(info
        .get("device_authorization_endpoint")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map(str::to_string))
}

/// The device login: code → `onDeviceCode` → poll → the account, as the browser login builds
/// it. Nothing is stored until the login is complete (Ctrl-C while waiting leaves no trace).
async fn login(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    options: &DeviceOptions,
    device_url: &str,
) -> Result<Account> {
    let hash = hash_for(settings, None);
    let platform = Platform::new(settings);
    let previous = previous_record(store, &hash)?;
    let endpoints = Endpoints::new(&settings.base_url, &settings.realm);

    let code =
        device::request_code(&endpoints, device_url, &settings.client_id, &settings.http).await?;
    if let Some(hook) = &options.on_device_code {
        let info = DeviceCodeInfo {
            verification_uri: code.verification_uri(),
            verification_uri_complete: code.verification_uri_complete(),
            user_code: code.user_code(),
            expires_in: code.expires_in().as_secs(),
            interval: code.interval().as_secs(),
        };
        hook(info).await.map_err(Error::Cancelled)?;
    }
    let tokens = device::poll(&endpoints, &settings.client_id, &code, &settings.http).await?;

    // The same record as a browser login's: a platform user of the public client, refreshed
    // with its refresh token (the JS SDK rebuilds it as "PKCE" on every refresh).
    let mut account = build_account(settings, "PKCE", &hash, None, tokens)?;
    apply_userinfo(&endpoints, settings, &mut account).await;
    let outcome = select_org(settings, &platform, &endpoints, options, &mut account).await;
    complete(settings, store, account, previous, outcome)
}

/// `{guid, id, name}` of a platform session org.
fn org_summary(org: &Value) -> Option<Map<String, Value>> {
    let org = org.as_object()?;
    let mut out = Map::new();
    for (ours, theirs) in [("guid", "guid"), ("id", "org_id"), ("name", "name")] {
        if let Some(v) = org.get(theirs).filter(|v| !v.is_null()) {
            out.insert(ours.into(), v.clone());
        }
    }
    Some(out)
}

fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// Selects the org the user gave or picks (when they have several), through the platform API
/// and a refresh (the new tokens carry it), then loads the platform session.
async fn select_org(
    settings: &Settings,
    platform: &Platform,
    endpoints: &Endpoints,
    options: &DeviceOptions,
    account: &mut Account,
) -> Result<()> {
    let mut probe = account.clone();
    let session = if account.auth.idp.as_deref() == Some("360") {
        None
    } else {
        platform.find_session(&mut probe).await?
    };
    let orgs: Vec<Map<String, Value>> = session
        .as_ref()
        .and_then(|s| s.get("orgs"))
        .and_then(Value::as_array)
        .map(|orgs| orgs.iter().filter_map(org_summary).collect())
        .unwrap_or_default();
    let current = session
        .as_ref()
        .and_then(|s| s.get("org"))
        .and_then(org_summary);
    let wanted = match (&options.org, &options.on_select_org) {
        (Some(org), _) => Some(org.clone()),
        (None, Some(hook)) if orgs.len() > 1 => {
            let choice = OrgChoice {
                orgs: orgs.clone(),
                current: current.clone(),
            };
            hook(choice).await.map_err(Error::Cancelled)?
        }
        _ => None,
    };
    if let Some(wanted) = &wanted {
        let target = orgs
            .iter()
            .find(|o| org_matches(Some(o), wanted))
            .ok_or_else(|| Error::NotFound(format!("Unable to find organization \"{wanted}\"")))?;
        if !org_matches(current.as_ref(), wanted) {
            let id = target.get("id").or_else(|| target.get("guid")).map(text);
            platform
                .switch_logged_in_org(account, &id.unwrap_or_default())
                .await?;
            *account = refresh_for_org(settings, endpoints, account).await?;
        }
    }
    session::find_session(platform, account, &settings.default_teams()).await?;
    match &wanted {
        Some(wanted) if !org_matches(account.org.as_ref(), wanted) => Err(Error::Platform {
            context: "Failed to switch organization".into(),
            message: format!("the platform did not select \"{wanted}\""),
            status: None,
            code: None,
        }),
        _ => Ok(()),
    }
}
