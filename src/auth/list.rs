//! `list` and `whoami`: the accounts of the current environment, optionally validated (tokens
//! refreshed when needed and the platform session re-read), all accounts at once, with one
//! store write for all of them.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::select;
use super::stored::{live, now_ms, open_store, tell_removed};
use super::validate::renew;
use crate::account::{Account, Exposure, RecordSummary};
use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::session;
use crate::settings::Settings;
use crate::store::TokenStore;

/// What `list` is asked for.
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// Refresh every account when needed and re-read its platform session.
    pub validate: bool,
    /// Names not to validate (listed as stored).
    pub skip: Vec<String>,
    /// Team guid per account hash; `None`: the configured default teams.
    pub default_teams: Option<Map<String, Value>>,
    /// What of each record the caller gets. `Exposure::Stored` also keeps the store's order.
    pub exposure: Exposure,
}

impl Default for ListRequest {
    fn default() -> Self {
        ListRequest {
            validate: true,
            skip: vec![],
            default_teams: None,
            exposure: Exposure::NoSecrets,
        }
    }
}

/// Lists the accounts of the current environment: sorted by name with `default` set (when
/// there is a config file), or in store order as stored (`Exposure::Stored`).
pub async fn list(settings: &Settings, request: &ListRequest) -> Result<Vec<Account>> {
    let Some(store) = open_store(settings)? else {
        return Ok(vec![]);
    };
    let mut accounts: Vec<Account> = live(store.as_ref())?
        .into_iter()
        .filter(|a| a.in_env(&settings.env.name))
        .collect();
    if request.validate {
        let teams = match &request.default_teams {
            Some(teams) => teams.clone(),
            None => settings.default_teams(),
        };
        accounts = validate_all(settings, store.as_ref(), &request.skip, &teams, accounts).await?;
    }
    if request.exposure == Exposure::Stored {
        return Ok(accounts);
    }
    let default = settings.default_account();
    let backed = settings.config.is_backed();
    let mut accounts: Vec<Account> = accounts
        .into_iter()
        .map(|a| {
            let mut a = a.exposed(request.exposure);
            a.default = backed.then(|| select::is_in_use(settings, default.as_deref(), &a));
            a
        })
        .collect();
    accounts.sort_by(|a, b| compare_names(&a.name, &b.name));
    Ok(accounts)
}

/// `list` without validation when the caller sees records as stored, or without secrets and
/// without `default` flags (the SDK profile): the stored JSON of each record is passed through
/// instead of being built into an [`Account`] and serialised again, which was most of the time
/// of listing a large store. A record that keeps a secret is still stripped, through
/// [`Account::exposed`]. `None`: this listing takes the full path (validation, another
/// exposure, a store without JSON text, a record to purge, or a record that cannot be read,
/// which the full path reports).
pub fn list_stored_json(settings: &Settings, request: &ListRequest) -> Result<Option<String>> {
    let sorted = match request.exposure {
        Exposure::Stored => false,
        Exposure::NoSecrets if !settings.config.is_backed() => true,
        _ => return Ok(None),
    };
    if request.validate {
        return Ok(None);
    }
    let Some(store) = open_store(settings)? else {
        return Ok(None);
    };
    let Some(text) = store.load_json()? else {
        return Ok(None);
    };
    let Some(records) = std::str::from_utf8(&text).ok().and_then(summarised_records) else {
        return Ok(None);
    };
    let now = now_ms();
    let mut kept = Vec::with_capacity(records.len());
    for (summary, raw) in records {
        if !summary.is_alive(now) {
            return Ok(None);
        }
        if !summary.in_env(&settings.env.name) {
            continue;
        }
        let json = match summary.exposed_unchanged(request.exposure) {
            true => Cow::Borrowed(raw),
            false => match serde_json::from_str::<Account>(raw) {
                Ok(account) => Cow::Owned(
                    serde_json::to_string(&account.exposed(request.exposure))
                        .map_err(|e| Error::Internal(e.to_string()))?,
                ),
                Err(_) => return Ok(None),
            },
        };
        kept.push((summary.name, json));
    }
    if sorted {
        kept.sort_by(|a, b| compare_names(&a.0, &b.0));
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('[');
    for (i, (_, json)) in kept.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(json);
    }
    out.push(']');
    Ok(Some(out))
}

/// The records of a stored JSON array, each with its summary and its own text, read in one pass
/// (a record's text ends where its summary's parse ended). `None`: not an array of objects
/// that are records.
fn summarised_records(text: &str) -> Option<Vec<(RecordSummary<'_>, &str)>> {
    let bytes = text.as_bytes();
    let skip_blanks = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        at
    };
    let mut at = skip_blanks(0);
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    at = skip_blanks(at + 1);
    let mut records = Vec::new();
    if bytes.get(at) != Some(&b']') {
        loop {
            if bytes.get(at) != Some(&b'{') {
                return None;
            }
            let mut stream =
                serde_json::Deserializer::from_str(&text[at..]).into_iter::<RecordSummary>();
            let summary = stream.next()?.ok()?;
            let end = at + stream.byte_offset();
            records.push((summary, &text[at..end]));
            at = skip_blanks(end);
            match bytes.get(at) {
                Some(b',') => at = skip_blanks(at + 1),
                Some(b']') => break,
                _ => return None,
            }
        }
    }
    (skip_blanks(at + 1) == bytes.len()).then_some(records)
}

/// Case-insensitive, then exact (not locale collation, as the reference's `localeCompare`,
/// which would cost the JS side ICU start-up).
fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// What validating one account came to.
enum Checked {
    /// Validated: to be stored.
    Fresh(Account),
    /// Skipped, or failed to validate: listed as stored.
    Stale(Account),
    /// Removed (its grant or platform session is gone, or it expired beyond refresh).
    Gone(Account),
}

/// Validates every account at once, then writes the store once for all of them.
async fn validate_all(
    settings: &Settings,
    store: &dyn TokenStore,
    skip: &[String],
    default_teams: &Map<String, Value>,
    accounts: Vec<Account>,
) -> Result<Vec<Account>> {
    let platform = Platform::new(settings);
    let checks = accounts.into_iter().map(|account| {
        let platform = &platform;
        async move {
            if skip.contains(&account.name) {
                return Checked::Stale(account);
            }
            let stale = account.clone();
            let outcome = async {
                let Some(mut account) = renew(settings, store, account).await? else {
                    return Ok(None);
                };
                match session::find_session(platform, &mut account, default_teams).await {
                    Ok(()) => Ok(Some(account)),
                    Err(Error::SessionInvalidated) => {
                        tell_removed(&account.name, "its platform session has ended");
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
            .await;
            match outcome {
                Ok(Some(account)) => Checked::Fresh(account),
                Ok(None) => Checked::Gone(stale),
                Err(e) => {
                    tracing::warn!(account = %stale.name, code = e.code(), "failed to validate account: {e}");
                    Checked::Stale(stale)
                }
            }
        }
    });
    let checked = futures::future::join_all(checks).await;
    store.update(&mut |records| {
        let mut changed = false;
        for check in &checked {
            match check {
                Checked::Fresh(account) => {
                    let same = |a: &Account| {
                        a.auth.base_url == account.auth.base_url && a.name == account.name
                    };
                    // Another process refreshed it since (rotating refresh tokens): its tokens
                    // are newer than ours, and writing ours back would spend theirs twice.
                    if records
                        .iter()
                        .any(|a| same(a) && a.auth.tokens != account.auth.tokens)
                    {
                        continue;
                    }
                    records.retain(|a| !same(a));
                    let mut record = account.clone();
                    record.default = None;
                    records.push(record);
                    changed = true;
                }
                Checked::Gone(account) => {
                    let before = records.len();
                    records.retain(|a| a.hash != account.hash);
                    changed |= records.len() != before;
                }
                Checked::Stale(_) => {}
            }
        }
        Ok(changed)
    })?;
    Ok(checked
        .into_iter()
        .filter_map(|c| match c {
            Checked::Fresh(a) | Checked::Stale(a) => Some(a),
            Checked::Gone(_) => None,
        })
        .collect())
}

/// `whoami`: the validated accounts that `pattern` matches (`select::matches_pattern`), else
/// the account in use (the per-call account, else the default), else all of them; the one to
/// show first is the one marked `default`, else the first.
pub async fn whoami(settings: &Settings, pattern: Option<&str>) -> Result<Vec<Account>> {
    let accounts = list(settings, &ListRequest::default()).await?;
    Ok(match (pattern, settings.account.as_deref()) {
        (Some(pattern), _) => accounts
            .into_iter()
            .filter(|a| select::matches_pattern(a, pattern))
            .collect(),
        (None, Some(wanted)) => accounts
            .into_iter()
            .filter(|a| select::match_account(a, wanted))
            .collect(),
        (None, None) => accounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Redacted;
    use crate::settings::{AuthOptions, Profile};
    use crate::store::{self, FileStore};

    fn sdk_settings(home: &std::path::Path) -> Settings {
        Settings::resolve(&AuthOptions {
            profile: Profile::Sdk,
            home_dir: Some(home.to_path_buf()),
            token_store_type: Some("file".into()),
            ..Default::default()
        })
        .unwrap()
    }

    fn record(name: &str, env: Option<&str>, access: i64) -> Account {
        let mut json = serde_json::json!({
            "name": name, "hash": format!("c:{name}"),
            "auth": { "authenticator": "ClientSecret", "baseUrl": "https://login.axway.com",
                "clientId": "c", "realm": "Broker", "expires": { "access": access },
                "tokens": { "access_token": format!("tok-{name}"), "extra\u{e9}": "\"q\"\n" } },
            "org": { "name": "Acme \u{2603}", "id": 1 }, "unknown": [1, 2.5, null]
        });
        if let Some(env) = env {
            json["auth"]["env"] = env.into();
        }
        serde_json::from_value(json).unwrap()
    }

    /// The passed-through JSON is the full path's answer, for both exposures it serves: same
    /// records (secrets stripped), same order, same environment filter.
    #[tokio::test]
    async fn stored_json_is_what_the_full_path_lists() {
        let home = tempfile::tempdir().unwrap();
        let settings = sdk_settings(home.path());
        let store = FileStore::file(home.path());
        let later = now_ms() + 3_600_000;
        let mut with_secret = record("b-secret", None, later);
        with_secret.auth.client_secret = Some(Redacted::new("hush"));
        for account in [
            record("Zed", Some("prod"), later),
            with_secret,
            record("a-first", None, later),
            record("staging-one", Some("staging"), later),
        ] {
            store::set(&store, &account).unwrap();
        }
        for exposure in [Exposure::Stored, Exposure::NoSecrets] {
            let request = ListRequest {
                validate: false,
                exposure,
                ..Default::default()
            };
            let fast = list_stored_json(&settings, &request)
                .unwrap()
                .expect("fast path");
            let fast: Vec<Account> = serde_json::from_str(&fast).unwrap();
            let full = list(&settings, &request).await.unwrap();
            assert_eq!(fast, full, "{exposure:?}");
            assert_eq!(full.len(), 3);
        }
        let stripped = list_stored_json(
            &settings,
            &ListRequest {
                validate: false,
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert!(!stripped.contains("hush"), "secrets are stripped");
    }

    /// What needs the full path gets it: a record to purge, validation, another exposure.
    #[test]
    fn the_full_path_purges_validates_and_shapes() {
        let home = tempfile::tempdir().unwrap();
        let settings = sdk_settings(home.path());
        let store = FileStore::file(home.path());
        store::set(&store, &record("live", None, now_ms() + 3_600_000)).unwrap();
        let request = |validate, exposure| ListRequest {
            validate,
            exposure,
            ..Default::default()
        };
        assert!(
            list_stored_json(&settings, &request(false, Exposure::NoSecrets))
                .unwrap()
                .is_some()
        );
        assert!(
            list_stored_json(&settings, &request(true, Exposure::NoSecrets))
                .unwrap()
                .is_none()
        );
        assert!(
            list_stored_json(&settings, &request(false, Exposure::AccessOnly))
                .unwrap()
                .is_none()
        );
        store::set(&store, &record("dead", None, now_ms() - 1)).unwrap();
        assert!(
            list_stored_json(&settings, &request(false, Exposure::Stored))
                .unwrap()
                .is_none()
        );
    }
}
