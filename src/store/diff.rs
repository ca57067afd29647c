//! What a record-level store (one whose only writes are "store this record" and "delete this
//! record", such as a JavaScript `TokenStore`) must do to go from one list of records to another.

use std::collections::HashMap;

use crate::account::Account;

/// One write of a record-level store.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// Remove the record named `name` of `base_url` (`delete(name, baseUrl)`).
    Delete { name: String, base_url: String },
    /// Store this record, replacing the one with the same name and base URL (`set(record)`).
    Set(Box<Account>),
}

/// A record's identity in a store: its base URL and name (the SDK's `_set` replaces on both).
fn key(account: &Account) -> (&str, &str) {
    (account.auth.base_url.as_str(), account.name.as_str())
}

/// The writes that turn `before` into `after`: first a `Delete` for every record of `before`
/// whose identity is gone, then a `Set` for every record of `after` that is new or differs from
/// its `before` (in `after`'s order). Unchanged records cause no write.
pub fn writes(before: &[Account], after: &[Account]) -> Vec<Write> {
    let old: HashMap<_, _> = before.iter().rev().map(|a| (key(a), a)).collect();
    let new: HashMap<_, _> = after.iter().map(|a| (key(a), a)).collect();
    let mut out: Vec<Write> = before
        .iter()
        .filter(|a| !new.contains_key(&key(a)))
        .map(|a| Write::Delete {
            name: a.name.clone(),
            base_url: a.auth.base_url.clone(),
        })
        .collect();
    let same = |a: &Account, b: &Account| match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    };
    out.extend(
        after
            .iter()
            .filter(|a| old.get(&key(a)).is_none_or(|b| !same(a, b)))
            .map(|a| Write::Set(Box::new(a.clone()))),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(name: &str, base_url: &str, access: i64) -> Account {
        serde_json::from_value(serde_json::json!({
            "auth": { "authenticator": "ClientSecret", "baseUrl": base_url, "clientId": "c",
                      "realm": "Broker", "env": "prod", "expires": { "access": access },
                      "tokens": { "access_token": format!("at-{access}") } },
            "hash": format!("c:{name}"),
            "name": name
        }))
        .unwrap()
    }

    fn names(writes: &[Write]) -> Vec<String> {
        writes
            .iter()
            .map(|w| match w {
                Write::Delete { name, base_url } => format!("delete {name} {base_url}"),
                Write::Set(a) => format!("set {} {}", a.name, a.auth.base_url),
            })
            .collect()
    }

    #[test]
    fn nothing_changed_is_no_write() {
        let list = vec![account("a", "u", 1), account("b", "u", 2)];
        assert!(writes(&list, &list.clone()).is_empty());
    }

    #[test]
    fn an_added_record_is_set() {
        let before = vec![account("a", "u", 1)];
        let after = vec![account("a", "u", 1), account("b", "u", 2)];
        assert_eq!(names(&writes(&before, &after)), ["set b u"]);
    }

    #[test]
    fn a_changed_record_is_set_and_a_removed_one_deleted_first() {
        let before = vec![account("a", "u", 1), account("b", "u", 2)];
        let after = vec![account("b", "u", 3)];
        let w = writes(&before, &after);
        assert_eq!(names(&w), ["delete a u", "set b u"]);
        let Write::Set(record) = &w[1] else { panic!() };
        assert_eq!(record.auth.expires.access, Some(3));
    }

    #[test]
    fn the_same_name_on_another_base_url_is_another_record() {
        let before = vec![account("a", "u1", 1), account("a", "u2", 1)];
        let after = vec![account("a", "u2", 1)];
        assert_eq!(names(&writes(&before, &after)), ["delete a u1"]);
    }

    #[test]
    fn clearing_deletes_every_record() {
        let before = vec![account("a", "u", 1), account("b", "v", 2)];
        assert_eq!(names(&writes(&before, &[])), ["delete a u", "delete b v"]);
    }
}
