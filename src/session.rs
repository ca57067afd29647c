//! Filling an account from the platform (spec 6.2): session, org, orgs, user, roles, teams.

use serde_json::{json, Map, Value};

use crate::account::Account;
use crate::error::{Error, Result};
use crate::platform::Platform;

/// Populates `account` from the platform, as the reference's `findSession` does. `default_teams`
/// maps account hashes to the configured team guid.
pub async fn find_session(
    platform: &Platform,
    account: &mut Account,
    default_teams: &Map<String, Value>,
) -> Result<()> {
    let tooling_org_guid = account.org_guid().map(str::to_string);
    let session = platform.find_session(account).await?;
    account.is_platform = Some(session.is_some());
    if let Some(session) = session {
        let org = session.get("org").cloned().unwrap_or(Value::Null);
        let orgs = session
            .get("orgs")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        populate_orgs(account, &org, &orgs);
        account.role = session.get("role").cloned().filter(|v| !v.is_null());
        account.roles = session.get("roles").cloned().filter(|v| !v.is_null());
        if let Some(user) = session.get("user").and_then(Value::as_object) {
            merge_user(account, user);
        }
    } else if let Some(id) = account.org_id() {
        let mut org = platform.org(account, &id).await?;
        if let Some(o) = org.as_object_mut() {
            if o.get("org_id").is_none_or(Value::is_null) {
                o.insert("org_id".into(), json!(id_value(&id)));
            }
            let subscriptions: Vec<Value> = o
                .get("subscriptions")
                .and_then(Value::as_array)
                .map(|subs| subs.iter().map(service_subscription).collect())
                .unwrap_or_default();
            o.insert("subscriptions".into(), Value::Array(subscriptions));
        }
        populate_orgs(account, &org, std::slice::from_ref(&org));
    }

    account.team = None;
    if let Some(user_guid) = account.user_guid().map(str::to_string) {
        let org_id = account.org_id();
        let mut teams: Vec<Value> = platform
            .teams(account, org_id.as_deref())
            .await?
            .into_iter()
            .filter(|t| team_user(t, &user_guid).is_some())
            .collect();
        teams.sort_by(compare_names);
        let wanted = default_teams.get(&account.hash).and_then(Value::as_str);
        let chosen = teams
            .iter()
            .find(|t| match wanted {
                Some(guid) => t.get("guid").and_then(Value::as_str) == Some(guid),
                None => t.get("default").and_then(Value::as_bool) == Some(true),
            })
            .or_else(|| teams.first())
            .cloned();
        if let Some(team) = chosen {
            account.team = Some(team_summary(&team, &user_guid));
        }
        account
            .org
            .get_or_insert_with(Map::new)
            .insert("teams".into(), Value::Array(teams));
    }

    if account.is_platform_tooling == Some(true) {
        restrict_tooling_orgs(account, tooling_org_guid.as_deref())?;
    }
    Ok(())
}

/// The `team` block of an account for a platform team object.
pub fn team_summary(team: &Value, user_guid: &str) -> Map<String, Value> {
    let roles = team_user(team, user_guid)
        .and_then(|u| u.get("roles"))
        .cloned()
        .unwrap_or_else(|| json!([]));
    let mut summary = Map::new();
    for key in ["default", "guid", "name"] {
        if let Some(v) = team.get(key) {
            summary.insert(key.into(), v.clone());
        }
    }
    summary.insert("roles".into(), roles);
    if let Some(tags) = team.get("tags") {
        summary.insert("tags".into(), tags.clone());
    }
    summary
}

fn team_user<'a>(team: &'a Value, user_guid: &str) -> Option<&'a Value> {
    team.get("users")?
        .as_array()?
        .iter()
        .find(|u| u.get("guid").and_then(Value::as_str) == Some(user_guid))
}

fn compare_names(a: &Value, b: &Value) -> std::cmp::Ordering {
    let name = |v: &Value| {
        v.get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_lowercase()
    };
    name(a).cmp(&name(b))
}

fn id_value(id: &str) -> Value {
    id.parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::from(id))
}

fn service_subscription(s: &Value) -> Value {
    json!({
        "category": s.get("product"),
        "edition": s.get("plan"),
        "expired": s.get("expired").and_then(Value::as_bool).unwrap_or(false),
        "governance": s.get("governance").and_then(Value::as_str).unwrap_or("SaaS"),
        "startDate": s.get("start_date"),
        "endDate": s.get("end_date"),
        "tier": s.get("tier"),
    })
}

fn populate_orgs(account: &mut Account, org: &Value, orgs: &[Value]) {
    let entitlements: Map<String, Value> = org
        .get("entitlements")
        .and_then(Value::as_object)
        .map(|e| {
            e.iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    let org_id = org.get("org_id").cloned().unwrap_or(Value::Null);
    let mut populated = Map::new();
    populated.insert("entitlements".into(), Value::Object(entitlements));
    copy(&mut populated, "guid", org.get("guid"));
    copy(&mut populated, "id", Some(&org_id));
    copy(&mut populated, "name", org.get("name"));
    copy(&mut populated, "region", org.get("region"));
    populated.insert(
        "subscriptions".into(),
        org.get("subscriptions")
            .cloned()
            .unwrap_or_else(|| json!([])),
    );
    populated.insert("teams".into(), json!([]));
    account.org = Some(populated);
    account.orgs = Some(
        orgs.iter()
            .map(|o| {
                let id = o.get("org_id").cloned().unwrap_or(Value::Null);
                let mut entry = Map::new();
                entry.insert("default".into(), Value::Bool(id == org_id));
                copy(&mut entry, "guid", o.get("guid"));
                copy(&mut entry, "id", Some(&id));
                copy(&mut entry, "name", o.get("name"));
                Value::Object(entry)
            })
            .collect(),
    );
}

fn copy(target: &mut Map<String, Value>, key: &str, value: Option<&Value>) {
    if let Some(v) = value.filter(|v| !v.is_null()) {
        target.insert(key.into(), v.clone());
    }
}

fn merge_user(account: &mut Account, session_user: &Map<String, Value>) {
    let user = account.user.get_or_insert_with(Map::new);
    for (ours, theirs) in [
        ("axwayId", "axway_id"),
        ("dateJoined", "date_activated"),
        ("email", "email"),
        ("firstname", "firstname"),
        ("guid", "guid"),
        ("lastname", "lastname"),
        ("organization", "organization"),
        ("phone", "phone"),
    ] {
        match session_user.get(theirs).filter(|v| !v.is_null()) {
            Some(v) => {
                user.insert(ours.into(), v.clone());
            }
            None => {
                user.shift_remove(ours);
            }
        }
    }
}

fn restrict_tooling_orgs(account: &mut Account, service_org_guid: Option<&str>) -> Result<()> {
    let orgs = account.orgs.take().unwrap_or_default();
    let filtered: Vec<Value> = orgs
        .into_iter()
        .filter(|o| {
            o.get("guid")
                .and_then(Value::as_str)
                .is_some_and(|g| Some(g) == service_org_guid)
        })
        .collect();
    if filtered.is_empty() {
        return Err(Error::AuthFailed {
            detail: "The service account's organization does not match the specified platform account's organizations"
                .into(),
            status: None,
        });
    }
    account.orgs = Some(filtered);
    Ok(())
}
