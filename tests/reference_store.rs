//! The token store written by the JS SDK 3.2.16 (a fixture) decodes to exactly the JSON the SDK
//! put in it, and re-encodes to the same bytes.

use std::path::Path;

use axway_auth::store::{codec, FileStore, TokenStore};

fn fixture(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tokenstore-sample")
        .join(path)
}

#[test]
fn decodes_the_js_sdk_file_store() {
    let home = fixture("");
    let store = FileStore::file(&home);
    let accounts = store.load().expect("the JS SDK's store decodes");
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("decoded-v2.json")).unwrap()).unwrap();
    assert_eq!(serde_json::to_value(&accounts).unwrap(), expected);
    let names: Vec<_> = accounts
        .iter()
        .map(|a| a.auth.authenticator.as_str())
        .collect();
    assert_eq!(names, ["PKCE", "SignedJWT", "ClientSecret"]);
    assert_eq!(accounts[0].name, "amplify-cli:alice@example.com");
    assert_eq!(
        accounts[0].org_guid(),
        Some("32bb5d4a-973f-4613-ba38-5088a8b5273b")
    );
}

#[test]
fn re_encodes_byte_for_byte_and_writes_the_same_v1_mirror() {
    let stored = std::fs::read(fixture("axway-cli/.tokenstore.v2")).unwrap();
    let accounts = FileStore::file(&fixture("")).load().unwrap();
    assert_eq!(
        codec::encode_accounts(&codec::FILE_STORE_KEY, &accounts).as_bytes(),
        stored.as_slice()
    );

    let v1 = std::fs::read(fixture(".tokenstore")).unwrap();
    let ours = codec::encode_v1_accounts(&codec::FILE_STORE_KEY, &accounts);
    let decode = |bytes: &[u8]| -> serde_json::Value {
        serde_json::from_slice(&codec::decrypt(&codec::FILE_STORE_KEY, bytes).unwrap()).unwrap()
    };
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("decoded-v1.json")).unwrap()).unwrap();
    assert_eq!(decode(&v1), expected);
    assert_eq!(decode(ours.as_bytes()), expected);
    assert_eq!(
        ours.as_bytes(),
        v1.as_slice(),
        "same key order as the reference"
    );
}
