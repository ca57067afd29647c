//! The operations: login, list, logout, switch, whoami, server info. Each takes resolved
//! `Settings`, opens the configured store, and returns accounts without persisted secrets.

mod browser;
mod login;
mod logout;
mod validate;

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::account::Account;
use crate::config::{delete_path, set_path};
use crate::error::{Error, Result};
use crate::oauth::{self, Endpoints};
use crate::platform::Platform;
use crate::session;
use crate::settings::{Settings, StoreKind};
use crate::store::{self, FileStore, MemoryStore, SecureStore, TokenStore};

pub use login::{login, BrowserOptions, LoginRequest, OpenBrowserHook};
pub use logout::{logout, LogoutRequest, LogoutTarget};

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Opens the store the settings ask for. `None` means no persistence (`tokenStoreType: null`).
///
/// `secure` asks the OS keychain for the key (bounded by a short timeout); `auto` does the same
/// and falls back to the file store when the keychain does not answer, telling the user once
/// (a notice on stderr), without writing anything to `config.json`.
pub fn open_store(settings: &Settings) -> Result<Option<Arc<dyn TokenStore>>> {
    static MEMORY: OnceLock<Arc<MemoryStore>> = OnceLock::new();
    let home = &settings.home_dir;
    Ok(match settings.store_kind {
        StoreKind::File => Some(Arc::new(FileStore::file(home))),
        StoreKind::Memory => Some(MEMORY.get_or_init(Default::default).clone()),
        StoreKind::Null => None,
        StoreKind::Secure => Some(Arc::new(SecureStore::open(
            home,
            &settings.secure_service_name,
        ))),
        StoreKind::Auto => match SecureStore::probe(home, &settings.secure_service_name) {
            Ok(secure) => Some(Arc::new(secure)),
            Err(reason) => {
                let file = FileStore::file(home);
                tracing::debug!(
                    "auto token store: keychain unavailable ({reason}), using the file store"
                );
                crate::notices::push(format!(
                    "The OS keychain is not available ({reason}); using the file token store {}.",
                    file.path().display()
                ));
                Some(Arc::new(file))
            }
        },
    })
}

/// Moves the configured token store aside to `<file>.<UTC timestamp>.corrupt` when it cannot
/// be read (corrupt, foreign, or its keychain key is gone), so the next login starts afresh.
/// Returns the new path, or `None` when the store is readable or absent (nothing is moved).
/// `axway auth logout --reset`.
pub fn reset_store(settings: &Settings) -> Result<Option<std::path::PathBuf>> {
    match open_store(settings)? {
        Some(store) => store.reset(),
        None => Ok(None),
    }
}

/// Reads the live records (purging dead ones) and tells the user which accounts expired and
/// were removed, instead of letting them vanish silently.
pub(crate) fn live(store: &dyn TokenStore) -> Result<Vec<Account>> {
    let listing = store::list(store, now_ms())?;
    tell_expired(&listing.purged);
    Ok(listing.accounts)
}

fn tell_expired(names: &[String]) {
    for name in names {
        crate::notices::push(format!(
            "Account \"{name}\" expired and was removed. To log in again, run: axway auth login"
        ));
    }
}

/// What `list` found: the accounts, and the names of expired accounts it removed.
#[derive(Debug, Default)]
pub struct AccountList {
    pub accounts: Vec<Account>,
    pub expired: Vec<String>,
}

/// Lists the accounts of the current environment, sorted by name, with `default` set. With
/// `validate`, every account is refreshed if needed and its platform session re-read, all
/// accounts at once.
pub async fn list(settings: &Settings, validate: bool) -> Result<AccountList> {
    let Some(store) = open_store(settings)? else {
        return Ok(AccountList::default());
    };
    let listing = store::list(store.as_ref(), now_ms())?;
    let mut accounts: Vec<Account> = listing
        .accounts
        .into_iter()
        .filter(|a| a.in_env(&settings.env.name))
        .collect();
    if validate {
        let platform = Platform::new(settings);
        let teams = settings.default_teams();
        let checks = accounts.into_iter().map(|account| {
            let (store, platform, teams) = (store.clone(), platform.clone(), &teams);
            async move {
                let stale = account.clone();
                match validate::validate(settings, store.as_ref(), &platform, account, teams).await {
                    Ok(result) => result,
                    Err(e) => {
                        tracing::warn!(account = %stale.name, code = e.code(), "failed to validate account: {e}");
                        Some(stale)
                    }
                }
            }
        });
        accounts = futures::future::join_all(checks)
            .await
            .into_iter()
            .flatten()
            .collect();
    }
    let mut accounts = finish(settings, accounts);
    accounts.sort_by(|a, b| compare_names(&a.name, &b.name));
    Ok(AccountList {
        accounts,
        expired: listing.purged,
    })
}

fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// Strips secrets and marks the default account.
fn finish(settings: &Settings, accounts: Vec<Account>) -> Vec<Account> {
    let default = settings.default_account();
    accounts
        .into_iter()
        .map(|a| {
            let mut a = a.strip_secrets();
            a.default = Some(default.as_deref() == Some(a.name.as_str()));
            a
        })
        .collect()
}

/// What `switch` should select.
#[derive(Debug, Clone, Default)]
pub struct SwitchRequest {
    pub account: Option<String>,
    pub org: Option<String>,
    pub team: Option<String>,
}

/// Makes an account (and its org and team) the default, in `config.json` as the JS CLI does.
pub async fn switch(settings: &Settings, request: SwitchRequest) -> Result<Account> {
    let accounts = list(settings, true).await?.accounts;
    if accounts.is_empty() {
        return Err(Error::NotFound("No authenticated accounts found".into()));
    }
    let mut account = match &request.account {
        Some(name) => accounts
            .iter()
            .find(|a| &a.name == name || &a.hash == name)
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("Account \"{name}\" not found")))?,
        None if accounts.len() == 1 => accounts[0].clone(),
        None => {
            return Err(Error::InvalidArgument(
                "Must specify --account when there are multiple authenticated accounts".into(),
            ))
        }
    };
    if let Some(org) = &request.org {
        check_org(&account, org)?;
    }
    if let Some(team) = &request.team {
        select_team(&mut account, team)?;
        if let Some(store) = open_store(settings)? {
            let mut stored = live(store.as_ref())?
                .into_iter()
                .find(|a| a.hash == account.hash)
                .ok_or_else(|| {
                    Error::NotFound(format!("Account \"{}\" not found", account.name))
                })?;
            stored.team = account.team.clone();
            store::set(store.as_ref(), &stored)?;
        }
    }
    let prefix = settings.config_prefix();
    let mut config = settings.config.clone();
    config.update(|data| {
        set_path(
            data,
            &format!("{prefix}.defaultAccount"),
            Value::from(account.name.clone()),
        );
        let org_key = format!("{prefix}.defaultOrg.{}", account.hash);
        let team_key = format!("{prefix}.defaultTeam.{}", account.hash);
        match account.org_guid() {
            Some(guid) => set_path(data, &org_key, Value::from(guid)),
            None => {
                delete_path(data, &org_key);
            }
        }
        match account.team_guid() {
            Some(guid) => set_path(data, &team_key, Value::from(guid)),
            None => {
                delete_path(data, &team_key);
            }
        }
        true
    })?;
    account.default = Some(true);
    Ok(account)
}

fn check_org(account: &Account, wanted: &str) -> Result<()> {
    let org = account.org.as_ref();
    let field = |k: &str| {
        org.and_then(|o| o.get(k))
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
    };
    let matches = field("guid").is_some_and(|g| g.eq_ignore_ascii_case(wanted))
        || field("id").is_some_and(|id| id == wanted)
        || field("name").is_some_and(|n| n.eq_ignore_ascii_case(wanted));
    if matches {
        return Ok(());
    }
    let current = field("guid")
        .or_else(|| field("id"))
        .unwrap_or_else(|| "none".into());
    if account.is_platform == Some(true) && account.is_platform_tooling != Some(true) {
        let known = account.orgs.iter().flatten().any(|o| {
            let f = |k: &str| {
                o.get(k)
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            };
            f("guid").is_some_and(|g| g.eq_ignore_ascii_case(wanted))
                || f("id").is_some_and(|id| id == wanted)
                || f("name").is_some_and(|n| n.eq_ignore_ascii_case(wanted))
        });
        if !known {
            return Err(Error::NotFound(format!(
                "Unable to find organization \"{wanted}\""
            )));
        }
        return Err(Error::Unsupported(
            "Switching a platform account to another organization needs the browser flow, which this version does not support yet"
                .into(),
        ));
    }
    Err(Error::InvalidArgument(format!(
        "Specified organization \"{wanted}\" does not match the service account's organization ({current})"
    )))
}

fn select_team(account: &mut Account, wanted: &str) -> Result<()> {
    let lower = wanted.to_lowercase();
    let teams = account
        .org
        .as_ref()
        .and_then(|o| o.get("teams"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let team = teams
        .iter()
        .find(|t| {
            let f = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_lowercase);
            f("guid").as_deref() == Some(lower.as_str())
                || f("name").as_deref() == Some(lower.as_str())
        })
        .ok_or_else(|| Error::NotFound(format!("Unable to find team \"{wanted}\"")))?;
    let user_guid = account.user_guid().unwrap_or_default().to_string();
    account.team = Some(session::team_summary(team, &user_guid));
    Ok(())
}

/// The named account (by name or hash), else the default account, else the first one.
pub async fn whoami(settings: &Settings, account_name: Option<&str>) -> Result<Option<Account>> {
    let accounts = list(settings, true).await?.accounts;
    Ok(match account_name {
        Some(name) => accounts
            .into_iter()
            .find(|a| a.name == name || a.hash == name),
        None => {
            let default = accounts
                .iter()
                .position(|a| a.default == Some(true))
                .unwrap_or(0);
            accounts.into_iter().nth(default)
        }
    })
}

/// The identity server's OpenID configuration document.
pub async fn server_info(settings: &Settings) -> Result<Value> {
    oauth::server_info(
        &Endpoints::new(&settings.base_url, &settings.realm),
        settings.request_timeout,
    )
    .await
}
