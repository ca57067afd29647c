//! The default account, org and team of an environment in `config.json`, with the keys the JS
//! CLI uses.

use serde_json::{Map, Value};

use super::stored::now_ms;
use crate::account::Account;
use crate::config::{delete_path, set_path};
use crate::error::Result;
use crate::settings::Settings;
use crate::store::TokenStore;

/// Writes the account, its org and its team as the defaults of this env in `config.json`, with
/// the keys the JS CLI uses (`<prefix>.defaultAccount`, `.defaultOrg.<hash>`,
/// `.defaultTeam.<hash>`; an org or team the account lacks is removed).
pub(crate) fn write_defaults(settings: &Settings, account: &Account) -> Result<()> {
    write_defaults_if(settings, account, |_| true)
}

/// `write_defaults` when `wanted(config data)` says so, decided under the config lock.
fn write_defaults_if(
    settings: &Settings,
    account: &Account,
    wanted: impl FnOnce(&Map<String, Value>) -> bool,
) -> Result<()> {
    let prefix = settings.config_prefix();
    let mut config = settings.config.clone();
    config.update(|data| {
        if !wanted(data) {
            return false;
        }
        set_path(
            data,
            &format!("{prefix}.defaultAccount"),
            Value::from(account.name.clone()),
        );
        for (key, guid) in [
            ("defaultOrg", account.org_guid()),
            ("defaultTeam", account.team_guid()),
        ] {
            let path = format!("{prefix}.{key}.{}", account.hash);
            match guid {
                Some(guid) => set_path(data, &path, Value::from(guid)),
                None => {
                    delete_path(data, &path);
                }
            }
        }
        true
    })
}

/// After a login: when this env has no default account yet (none set, or the one set is no
/// longer logged in), make this account the default (spec 1.4 step 6), with its org and team.
/// Decided under the config lock, reading the store there too, so that of concurrent first
/// logins exactly one becomes the default.
pub(crate) fn make_default_if_only(
    settings: &Settings,
    store: &dyn TokenStore,
    account: &mut Account,
) -> Result<()> {
    let key = format!("{}.defaultAccount", settings.config_prefix());
    write_defaults_if(settings, account, |data| {
        let Some(name) = crate::config::get_path(data, &key)
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        else {
            return true;
        };
        let now = now_ms();
        // A store that cannot be read now keeps the default it has.
        store.load().is_ok_and(|records| {
            !records
                .iter()
                .any(|a| a.name == name && a.in_env(&settings.env.name) && a.is_alive(now))
        })
    })
}

pub(crate) fn settings_default_is(settings: &Settings, name: &str) -> Result<bool> {
    let config = crate::config::Config::load(&settings.home_dir)?;
    Ok(config.get_str(&format!("{}.defaultAccount", settings.config_prefix())) == Some(name))
}
