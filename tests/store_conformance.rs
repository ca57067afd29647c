//! Every `TokenStore` backend behaves the same through the record-level operations: the file
//! store, the memory store, and the secure store against the real Secret Service (`#[ignore]`d
//! here; `npm test` runs it inside `scripts/with-secret-service.sh`).

use axway_auth::account::Account;
use axway_auth::store::keychain::DEFAULT_TIMEOUT;
use axway_auth::store::{self, FileStore, MemoryStore, SecureStore, TokenStore};

fn account(name: &str, base_url: &str, access: i64, refresh: Option<i64>) -> Account {
    serde_json::from_value(serde_json::json!({
        "auth": {"authenticator": "ClientSecret", "baseUrl": base_url, "clientId": "c",
                 "realm": "Broker", "expires": {"access": access, "refresh": refresh},
                 "tokens": {"access_token": format!("token-{name}")}},
        "hash": format!("hash-{name}"), "name": name, "futureField": {"kept": true}
    }))
    .unwrap()
}

const NOW: i64 = 1_700_000_000_000;
const LIVE: i64 = NOW + 3_600_000;
const DEAD: i64 = NOW - 1;

/// The behaviour every backend must have.
fn conforms(store: &dyn TokenStore) {
    assert!(
        store::list(store, NOW).unwrap().accounts.is_empty(),
        "starts empty"
    );

    // set appends, and replaces the record with the same base URL and name (moved last)
    store::set(store, &account("a", "http://x", LIVE, None)).unwrap();
    store::set(store, &account("b", "http://x", LIVE, None)).unwrap();
    store::set(store, &account("a", "http://y", LIVE, None)).unwrap();
    let mut a2 = account("a", "http://x", LIVE, None);
    a2.auth.realm = "Other".into();
    store::set(store, &a2).unwrap();
    let listed = store::list(store, NOW).unwrap().accounts;
    let keys: Vec<_> = listed
        .iter()
        .map(|a| (a.name.as_str(), a.auth.base_url.as_str()))
        .collect();
    assert_eq!(
        keys,
        [("b", "http://x"), ("a", "http://y"), ("a", "http://x")]
    );
    assert_eq!(listed[2].auth.realm, "Other");
    assert_eq!(
        listed[2].extra.get("futureField"),
        Some(&serde_json::json!({"kept": true})),
        "unknown fields survive"
    );

    // find by hash
    assert_eq!(store::find(store, "hash-b").unwrap().unwrap().name, "b");
    assert!(store::find(store, "hash-none").unwrap().is_none());

    // list purges records whose access and refresh tokens are both dead, and names them
    store::set(store, &account("dead", "http://x", DEAD, Some(DEAD))).unwrap();
    store::set(store, &account("refreshable", "http://x", DEAD, Some(LIVE))).unwrap();
    let listing = store::list(store, NOW).unwrap();
    assert_eq!(listing.purged, ["dead"]);
    assert!(listing.accounts.iter().any(|a| a.name == "refreshable"));
    assert!(
        store.load().unwrap().iter().all(|a| a.name != "dead"),
        "purged for good"
    );

    // delete by name or hash, optionally only for one base URL (scheme and slash ignored)
    let removed = store::delete(store, &["a".into()], Some("https://y/")).unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].auth.base_url, "http://y");
    let removed = store::delete(store, &["hash-b".into(), "a".into()], None).unwrap();
    assert_eq!(removed.len(), 2);
    let names: Vec<_> = store::list(store, NOW)
        .unwrap()
        .accounts
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["refreshable"]);
    assert!(store::delete(store, &["nobody".into()], None)
        .unwrap()
        .is_empty());
}

#[test]
fn the_file_store_conforms() {
    let home = tempfile::tempdir().unwrap();
    conforms(&FileStore::file(home.path()));
    // and what it wrote reads back in a new instance (the same files)
    assert_eq!(
        store::list(&FileStore::file(home.path()), NOW)
            .unwrap()
            .accounts
            .len(),
        1
    );
}

#[test]
fn the_memory_store_conforms() {
    conforms(&MemoryStore::default());
}

#[test]
#[ignore = "needs a Secret Service: npm test runs it inside scripts/with-secret-service.sh"]
fn the_secure_store_conforms_against_the_real_secret_service() {
    let home = tempfile::tempdir().unwrap();
    let service = format!("axway-auth-conformance-{:08x}", std::process::id());
    let store = SecureStore::probe(home.path(), &service, DEFAULT_TIMEOUT)
        .expect("the Secret Service answers");
    assert!(store.is_secure());
    conforms(&store);
    let again = SecureStore::open(home.path(), &service, DEFAULT_TIMEOUT);
    assert_eq!(store::list(&again, NOW).unwrap().accounts.len(), 1);
}
