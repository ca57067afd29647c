//! `switch`: the default account, org and team (spec 1.6), written to `config.json` exactly as
//! the JS CLI writes them. Switching a platform account to another org runs the platform's
//! org-selection page in the browser, then refreshes the account's own tokens (spec 6.4).

use serde_json::Value;

use super::browser::BrowserOptions;
use super::defaults::write_defaults;
use super::list::{list, ListRequest};
use super::login::{login, LoginRequest};
use super::record::refreshed_account;
use super::stored::{live, now_ms, open_store};
use crate::account::Account;
use crate::error::{Error, Result};
use crate::oauth::callback::{new_id, CallbackServer, Reply, PREFERRED_PORT};
use crate::oauth::{self, Endpoints, Grant};
use crate::platform::{url_encode, Platform};
use crate::session;
use crate::settings::Settings;
use crate::store;

/// What `switch` should select.
#[derive(Debug, Clone, Default)]
pub struct SwitchRequest {
    pub account: Option<String>,
    pub org: Option<String>,
    pub team: Option<String>,
    /// How the org-selection page reaches the user (platform accounts).
    pub browser: BrowserOptions,
}

/// Makes an account (and its org and team) the default.
pub async fn switch(settings: &Settings, request: SwitchRequest) -> Result<Account> {
    let accounts = list(settings, &ListRequest::default()).await?;
    if accounts.is_empty() {
        return Err(Error::NotFound("No authenticated accounts found".into()));
    }
    let mut account = match &request.account {
        Some(name) => accounts
            .iter()
            .find(|a| super::select::match_account(a, name))
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
        if !org_matches(account.org.as_ref().map(|o| o as _), org) {
            account = move_to_org(settings, &request.browser, account, org).await?;
        }
    }
    if let Some(team) = &request.team {
        select_team(&mut account, team)?;
        save_team(settings, &account)?;
    }
    write_defaults(settings, &account)?;
    account.default = Some(true);
    Ok(account)
}

fn field(map: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)
        .filter(|v| !v.is_null())
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
}

/// Whether an org (object) is the one the user named by guid, id or name.
pub(crate) fn org_matches(org: Option<&serde_json::Map<String, Value>>, wanted: &str) -> bool {
    let Some(org) = org else { return false };
    field(org, "guid").is_some_and(|g| g.eq_ignore_ascii_case(wanted))
        || field(org, "id").is_some_and(|id| id == wanted)
        || field(org, "name").is_some_and(|n| n.eq_ignore_ascii_case(wanted))
}

/// `sdk.auth.switchOrg(account, org)`: a missing or expired account logs in through the
/// browser; a platform account moves to `org` (name, guid or id; its current org when `None`).
pub async fn switch_org(
    settings: &Settings,
    account: Option<Account>,
    org: Option<&str>,
    browser: BrowserOptions,
) -> Result<Account> {
    let account = match account {
        Some(a) if !a.access_expired(now_ms()) => a,
        _ => {
            let request = LoginRequest {
                force: true,
                browser,
                platform_session: true,
                ..Default::default()
            };
            return login(settings, request).await;
        }
    };
    let wanted = match org {
        Some(org) => org.to_string(),
        None => account
            .org_guid()
            .map(str::to_string)
            .or_else(|| account.org_id())
            .ok_or_else(|| Error::InvalidArgument("Account must be a platform account".into()))?,
    };
    move_to_org(settings, &browser, account, &wanted).await
}

/// Moves a platform account to another of its orgs through the platform's org-selection page.
async fn move_to_org(
    settings: &Settings,
    browser: &BrowserOptions,
    account: Account,
    wanted: &str,
) -> Result<Account> {
    let current = account
        .org
        .as_ref()
        .and_then(|o| field(o, "guid").or_else(|| field(o, "id")))
        .unwrap_or_else(|| "none".into());
    if account.is_platform != Some(true) || account.is_platform_tooling == Some(true) {
        return Err(Error::InvalidArgument(format!(
            "Specified organization \"{wanted}\" does not match the service account's organization ({current})"
        )));
    }
    let target = account
        .orgs
        .iter()
        .flatten()
        .filter_map(Value::as_object)
        .find(|o| org_matches(Some(o), wanted))
        .cloned()
        .ok_or_else(|| Error::NotFound(format!("Unable to find organization \"{wanted}\"")))?;

    let platform = Platform::new(settings);
    let id = new_id();
    let mut server = CallbackServer::start(PREFERRED_PORT, std::slice::from_ref(&id)).await?;
    let hint = field(&target, "id")
        .map(|id| format!("org_hint={}&", url_encode(&id)))
        .unwrap_or_default();
    let url = format!(
        "{}/auth/org.select?{hint}redirect={}",
        platform.url(),
        url_encode(&server.url(&id))
    );
    let result = async {
        browser.show(&url).await?;
        let hit = super::browser::wait(settings, &mut server, &id).await?;

        let refreshed = async {
            let store = open_store(settings)?;
            let stored = match &store {
                Some(store) => live(store.as_ref())?
                    .into_iter()
                    .find(|a| a.hash == account.hash),
                None => None,
            };
            let stored = stored.unwrap_or_else(|| account.clone());
            let refresh_token = stored.auth.tokens.refresh_token().ok_or_else(|| {
                Error::InvalidGrant(Some("the account has no refresh token".into()))
            })?;
            let endpoints = Endpoints::new(&stored.auth.base_url, &stored.auth.realm);
            let grant = Grant::Refresh {
                refresh_token,
                credentials: None,
            };
            let tokens =
                oauth::request_token(&endpoints, &stored.auth.client_id, grant, &settings.http)
                    .await?;
            let mut fresh = refreshed_account(settings, &stored, tokens).await?;
            fresh.sid = None;
            session::find_session(&platform, &mut fresh, &settings.default_teams()).await?;
            if let Some(store) = &store {
                store::set(store.as_ref(), &fresh)?;
            }
            Ok::<_, Error>(fresh.strip_secrets())
        }
        .await;
        match refreshed {
            Ok(fresh) if org_matches(fresh.org.as_ref(), wanted) => {
                hit.reply(Reply::Success);
                Ok(fresh)
            }
            Ok(_) => {
                let e = Error::Platform {
                    context: "Failed to switch organization".into(),
                    message: format!("the platform did not select \"{wanted}\""),
                    status: None,
                    code: None,
                };
                hit.reply(Reply::Failure(e.to_string()));
                Err(e)
            }
            Err(e) => {
                hit.reply(Reply::Failure(e.to_string()));
                Err(e)
            }
        }
    }
    .await;
    server.close().await;
    result
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

fn save_team(settings: &Settings, account: &Account) -> Result<()> {
    let Some(store) = open_store(settings)? else {
        return Ok(());
    };
    let mut stored = live(store.as_ref())?
        .into_iter()
        .find(|a| a.hash == account.hash)
        .ok_or_else(|| Error::NotFound(format!("Account \"{}\" not found", account.name)))?;
    stored.team = account.team.clone();
    store::set(store.as_ref(), &stored)
}
