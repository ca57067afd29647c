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

/// Whether `pattern` (`axway auth whoami <pattern>`) matches the account: its name or hash
/// exactly, or a case-insensitive regular expression over its name, email and org name, as in
/// the reference. A pattern that is not a valid regular expression (`foo(`, `[bar`) is matched
/// as literal text (case-insensitive) instead of failing; missing fields never match.
pub fn matches_pattern(account: &Account, pattern: &str) -> bool {
    if match_account(account, pattern) {
        return true;
    }
    let fields = [
        Some(account.name.as_str()),
        account.email(),
        account.org_name(),
    ];
    let fields = fields.into_iter().flatten();
    match regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
    {
        Ok(re) => fields.into_iter().any(|f| re.is_match(f)),
        Err(_) => {
            let needle = pattern.to_lowercase();
            fields
                .into_iter()
                .any(|f| f.to_lowercase().contains(&needle))
        }
    }
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

    fn named(name: &str, email: Option<&str>, org: Option<&str>) -> Account {
        let mut account: Account = serde_json::from_value(serde_json::json!({
            "auth": {"authenticator": "x", "baseUrl": "b", "clientId": "c"},
            "hash": format!("hash-{name}"), "name": name
        }))
        .unwrap();
        account.user = email.map(|e| serde_json::json!({"email": e}).as_object().unwrap().clone());
        account.org = org.map(|o| serde_json::json!({"name": o}).as_object().unwrap().clone());
        account
    }

    #[test]
    fn whoami_patterns_are_case_insensitive_regexes_over_name_email_and_org() {
        let user = named(
            "test_client:foo@bar.com",
            Some("foo@bar.com"),
            Some("Acme Corp"),
        );
        let service = named("test_client:service@bar.com", None, Some("Beta"));
        let hits = |p: &str| {
            [&user, &service]
                .into_iter()
                .filter(|a| matches_pattern(a, p))
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(hits("FOO@"), ["test_client:foo@bar.com"]);
        assert_eq!(hits("^test_client:s"), ["test_client:service@bar.com"]);
        assert_eq!(hits("acme"), ["test_client:foo@bar.com"], "org name");
        assert_eq!(
            hits("hash-test_client:foo@bar.com"),
            ["test_client:foo@bar.com"]
        );
        assert_eq!(hits("nobody").len(), 0);
        // not a valid regex: literal text
        let odd = named("odd(name", None, None);
        assert!(matches_pattern(&odd, "ODD("));
        assert!(!matches_pattern(&odd, "[bar"));
        assert!(
            !matches_pattern(&service, "undefined"),
            "a missing email never matches"
        );
    }
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
