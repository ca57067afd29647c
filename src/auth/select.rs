//! Which account a call acts on. One matcher (`match_account`: the account's name or hash,
//! as `switch --account` and the SDK's `find` take them) and one rule for "the account in use":
//! the per-call account (`--account`, `AXWAY_AUTH_ACCOUNT`: `Settings::account`), else the
//! configured default account of the environment. Choosing never writes `config.json`.

use crate::account::Account;
use crate::error::{Error, Result};
use crate::settings::Settings;

/// Whether `wanted` names this account: its name or its hash, exactly.
pub fn match_account(account: &Account, wanted: &str) -> bool {
    account.name == wanted || account.hash == wanted
}

/// The account `wanted` names, if any.
pub fn find<'a>(accounts: &'a [Account], wanted: &str) -> Option<&'a Account> {
    accounts.iter().find(|a| match_account(a, wanted))
}

/// Whether `account` is the one in use: the per-call account when there is one, else the
/// configured default. `default` is `Settings::default_account()`, read once by the caller.
pub fn is_in_use(settings: &Settings, default: Option<&str>, account: &Account) -> bool {
    match settings.account.as_deref() {
        Some(wanted) => match_account(account, wanted),
        None => default == Some(account.name.as_str()),
    }
}

/// The account a script means (`axway auth token`): the per-call account, which must exist;
/// else the configured default; else the only account. `accounts` are the environment's.
/// Not logged in (or the named account is not) is `ERR_LOGIN_REQUIRED`; several accounts and
/// none chosen is `ERR_INVALID_ARGUMENT`.
pub fn choose<'a>(settings: &Settings, accounts: &'a [Account]) -> Result<&'a Account> {
    if let Some(wanted) = settings.account.as_deref() {
        return find(accounts, wanted).ok_or_else(|| {
            Error::LoginRequired(format!(
                "No account \"{wanted}\" is logged in (from --account or AXWAY_AUTH_ACCOUNT). \
                 List the accounts with: axway auth ls"
            ))
        });
    }
    if accounts.is_empty() {
        return Err(Error::LoginRequired(
            "Not logged in. To log in, run: axway auth login".into(),
        ));
    }
    let default = settings.default_account();
    if let Some(account) = default.as_deref().and_then(|name| find(accounts, name)) {
        return Ok(account);
    }
    match accounts {
        [only] => Ok(only),
        _ => Err(Error::InvalidArgument(
            "Several accounts are logged in and none is the default: pass --account <name> \
             or set AXWAY_AUTH_ACCOUNT (axway auth ls lists them)"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::AuthOptions;

    fn account(name: &str, hash: &str) -> Account {
        Account {
            name: name.into(),
            hash: hash.into(),
            ..Default::default()
        }
    }

    fn settings(config: &str, account: Option<&str>) -> (tempfile::TempDir, Settings) {
        let home = tempfile::tempdir().unwrap();
        crate::files::write_atomic(&crate::config::config_path(home.path()), config.as_bytes())
            .unwrap();
        let settings = Settings::resolve(&AuthOptions {
            home_dir: Some(home.path().into()),
            account: account.map(str::to_string),
            ..Default::default()
        })
        .unwrap();
        (home, settings)
    }

    #[test]
    fn matches_by_name_or_hash_exactly() {
        let a = account("svc:alice@example.com", "svc:0123abcd");
        assert!(match_account(&a, "svc:alice@example.com"));
        assert!(match_account(&a, "svc:0123abcd"));
        assert!(!match_account(&a, "svc:alice"));
        assert!(!match_account(&a, "SVC:0123ABCD"));
    }

    #[test]
    fn chooses_the_named_account_else_the_default_else_the_only_one() {
        let accounts = [account("a", "h-a"), account("b", "h-b")];
        let config = r#"{"auth":{"defaultAccount":"b"}}"#;

        let (_h, s) = settings(config, Some("h-a"));
        assert_eq!(choose(&s, &accounts).unwrap().name, "a");
        assert!(is_in_use(&s, Some("b"), &accounts[0]));
        assert!(!is_in_use(&s, Some("b"), &accounts[1]));

        let (_h, s) = settings(config, None);
        assert_eq!(choose(&s, &accounts).unwrap().name, "b");
        assert!(is_in_use(&s, Some("b"), &accounts[1]));

        let (_h, s) = settings("{}", None);
        assert_eq!(choose(&s, &accounts[..1]).unwrap().name, "a");
        assert_eq!(
            choose(&s, &accounts).unwrap_err().code(),
            "ERR_INVALID_ARGUMENT"
        );
        assert_eq!(choose(&s, &[]).unwrap_err().code(), "ERR_LOGIN_REQUIRED");

        let (_h, s) = settings(config, Some("c"));
        let err = choose(&s, &accounts).unwrap_err();
        assert_eq!(err.code(), "ERR_LOGIN_REQUIRED");
        assert!(err.to_string().contains("\"c\""), "{err}");
    }
}
