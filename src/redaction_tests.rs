//! Every type that holds a secret redacts it in `Debug` (and has no revealing `Display`): one
//! test per type, each with a recognisable secret that must not show up.

use crate::account::{Account, Redacted, Tokens};
use crate::config::Config;
use crate::oauth::{Credentials, Grant, PrivateKey};
use crate::settings::{AuthOptions, Settings};

const SECRET: &str = "s3cr3t-value-that-must-not-leak";

fn assert_hidden(shown: String) {
    assert!(!shown.contains(SECRET), "leaked: {shown}");
}

#[test]
fn redacted_strings() {
    assert_hidden(format!("{:?}", Redacted::new(SECRET)));
}

#[test]
fn token_responses() {
    let tokens: Tokens = serde_json::from_value(serde_json::json!({
        "access_token": SECRET, "refresh_token": SECRET, "id_token": SECRET
    }))
    .unwrap();
    assert_hidden(format!("{tokens:?}"));
}

#[test]
fn account_records() {
    let mut account = Account::default();
    account.auth.client_secret = Some(Redacted::new(SECRET));
    account.auth.secret = Some(Redacted::new(SECRET));
    account.auth.password = Some(Redacted::new(SECRET));
    account.sid = Some(Redacted::new(SECRET));
    account.auth.tokens =
        serde_json::from_value(serde_json::json!({ "access_token": SECRET })).unwrap();
    assert_hidden(format!("{account:?}"));
}

#[test]
fn grants() {
    let credentials = Credentials::ClientSecret(Redacted::new(SECRET));
    assert_hidden(format!("{:?}", Grant::Credentials(&credentials)));
    let refresh = Grant::Refresh {
        refresh_token: SECRET,
        credentials: Some(&credentials),
    };
    assert_hidden(format!("{refresh:?}"));
    let code = Grant::AuthorizationCode {
        code: SECRET,
        verifier: Some(SECRET),
        redirect_uri: Some("http://127.0.0.1/"),
    };
    assert_hidden(format!("{code:?}"));
}

#[test]
fn client_credentials_and_private_keys() {
    assert_hidden(format!(
        "{:?}",
        Credentials::ClientSecret(Redacted::new(SECRET))
    ));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/__test__/fixtures/jwt-client.pem"
    );
    let pem = std::fs::read_to_string(path).unwrap();
    let body_line = pem.lines().nth(1).unwrap().to_string();
    let key = PrivateKey::from_pem(pem, path).unwrap();
    let shown = format!("{key:?} {:?}", Credentials::SignedJwt(key.clone()));
    assert!(!shown.contains(&body_line), "leaked: {shown}");
}

#[test]
fn config_files_and_settings() {
    let home = tempfile::tempdir().unwrap();
    let config = format!(r#"{{"auth":{{"clientSecret":"{SECRET}","tokenStoreType":"file"}}}}"#);
    crate::files::write_atomic(&crate::config::config_path(home.path()), config.as_bytes())
        .unwrap();
    assert_hidden(format!("{:?}", Config::load(home.path()).unwrap()));
    let settings = Settings::resolve(&AuthOptions {
        home_dir: Some(home.path().into()),
        client_secret: Some(Redacted::new(SECRET)),
        ..Default::default()
    })
    .unwrap();
    assert_hidden(format!("{settings:?}"));
}

#[test]
fn store_keys() {
    let key = crate::store::file::Key(*b"0123456789abcdef");
    assert!(!format!("{key:?}").contains("0123456789abcdef"));
}
