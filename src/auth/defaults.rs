//! The default account, org and team of an environment in `config.json`, with the keys the JS
//! CLI uses.

use serde_json::Value;

use super::stored::live;
use crate::account::Account;
use crate::config::{delete_path, set_path};
use crate::error::Result;
use crate::settings::Settings;
use crate::store::TokenStore;

/// After a login: when this is the only account of the env, make it the default (spec 1.4
/// step 6), with its org and team.
/// Writes the account, its org and its team as the defaults of this env in `config.json`, with
/// the keys the JS CLI uses (`<prefix>.defaultAccount`, `.defaultOrg.<hash>`,
/// `.defaultTeam.<hash>`; an org or team the account lacks is removed).
pub(crate) fn write_defaults(settings: &Settings, account: &Account) -> Result<()> {
    let prefix = settings.config_prefix();
    let mut config = settings.config.clone();
    config.update(|data| {
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

pub(crate) fn make_default_if_only(
    settings: &Settings,
    store: &dyn TokenStore,
    account: &mut Account,
) -> Result<()> {
    let in_env = live(store)?
        .iter()
        .filter(|a| a.in_env(&settings.env.name))
        .count();
    if in_env != 1 {
        return Ok(());
    }
    write_defaults(settings, account)
}

pub(crate) fn settings_default_is(settings: &Settings, name: &str) -> Result<bool> {
    let config = crate::config::Config::load(&settings.home_dir)?;
    Ok(config.get_str(&format!("{}.defaultAccount", settings.config_prefix())) == Some(name))
}
