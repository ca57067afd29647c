//! Property tests for the parsers that take outside input (issue 13): the token store codec and
//! the settings boundary. (The callback query parser, the token-response parser, expiry
//! extraction and the sanitiser have theirs next to the code.)

use std::path::Path;

use axway_auth::account::Account;
use axway_auth::settings::{self, AuthOptions, Settings, Source};
use axway_auth::store::codec::{self, FILE_STORE_KEY};
use proptest::prelude::*;

fn account(name: &str, email: &str, access: i64) -> Account {
    serde_json::from_value(serde_json::json!({
        "auth": {
            "authenticator": "ClientSecret",
            "baseUrl": "http://127.0.0.1:1",
            "clientId": name,
            "expires": { "access": access },
            "realm": "Broker",
            "tokens": { "access_token": "x" }
        },
        "hash": format!("{name}:hash"),
        "name": name,
        "user": { "email": email }
    }))
    .expect("a valid account")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_store_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = codec::decrypt(&FILE_STORE_KEY, &bytes);
        let _ = codec::decode_accounts(&FILE_STORE_KEY, &bytes);
    }

    #[test]
    fn arbitrary_plaintext_decrypts_to_itself(key in any::<[u8; 16]>(), plain in proptest::collection::vec(any::<u8>(), 0..600)) {
        let stored = codec::encrypt(&key, &plain);
        prop_assert_eq!(codec::decrypt(&key, stored.as_bytes()).unwrap(), plain);
    }

    #[test]
    fn decrypted_garbage_is_an_error_not_a_panic(plain in proptest::collection::vec(any::<u8>(), 0..300)) {
        // valid ciphertext whose plaintext is anything but a JSON array of accounts
        let stored = codec::encrypt(&FILE_STORE_KEY, &plain);
        let _ = codec::decode_accounts(&FILE_STORE_KEY, stored.as_bytes());
    }

    #[test]
    fn accounts_round_trip(names in proptest::collection::vec(("\\PC{1,30}", "\\PC{0,30}", any::<i64>()), 0..5)) {
        let accounts: Vec<Account> = names.iter().map(|(n, e, a)| account(n, e, *a)).collect();
        let stored = codec::encode_accounts(&FILE_STORE_KEY, &accounts);
        prop_assert_eq!(codec::decode_accounts(&FILE_STORE_KEY, stored.as_bytes()).unwrap(), accounts);
    }

    #[test]
    fn any_threshold_is_a_value_or_an_error(seconds in any::<f64>()) {
        match settings::refresh_threshold(seconds, Source::Option("tokenRefreshThreshold")) {
            Ok(d) => prop_assert!(settings::REFRESH_THRESHOLD_SECS.contains(&d.as_secs_f64())),
            Err(e) => {
                prop_assert_eq!(e.code(), "ERR_INVALID_ARGUMENT");
                prop_assert!(e.to_string().contains("tokenRefreshThreshold"));
            }
        }
    }

    #[test]
    fn any_timeout_is_a_value_or_an_error(ms in any::<f64>()) {
        match settings::millis(ms, "request timeout", Source::Option("requestTimeout"), settings::REQUEST_TIMEOUT_MS) {
            Ok(d) => prop_assert!(settings::REQUEST_TIMEOUT_MS.contains(&(d.as_millis() as u64))),
            Err(e) => prop_assert!(e.to_string().contains("requestTimeout")),
        }
    }

    #[test]
    fn any_url_is_checked_without_panic_or_leak(url in "\\PC{0,80}", user in "[a-z]{1,8}", pass in "[A-Z0-9]{6,12}") {
        if let Ok(ok) = settings::check_url(&url, "base URL", Source::Env("AXWAY_AUTH_BASE_URL")) {
            let parsed = url::Url::parse(&ok).unwrap();
            prop_assert!(parsed.query().is_none() && parsed.fragment().is_none() && parsed.password().is_none());
        }
        let with_password = format!("http://{user}:{pass}@example.com/");
        let err = settings::check_url(&with_password, "base URL", Source::Option("baseUrl")).unwrap_err();
        prop_assert!(!err.to_string().contains(&pass), "{}", err);
    }

    #[test]
    fn any_config_number_resolves_or_fails_cleanly(value in prop_oneof![
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        any::<i64>().prop_map(|i| serde_json::json!(i)),
        "\\PC{0,20}".prop_map(|s| serde_json::json!(s)),
        Just(serde_json::json!(true)),
        Just(serde_json::json!([1])),
    ]) {
        let home = tempfile::tempdir().unwrap();
        for key in ["tokenRefreshThreshold", "interactiveLoginTimeout"] {
            write_config(home.path(), &serde_json::json!({ "auth": { key: value.clone(), "tokenStoreType": "memory" } }));
            if let Err(e) = Settings::resolve(&AuthOptions { home_dir: Some(home.path().into()), ..Default::default() }) {
                prop_assert_eq!(e.code(), "ERR_INVALID_ARGUMENT");
                prop_assert!(e.to_string().contains(&format!("config.json key auth.{key}")), "{}", e);
                prop_assert!(!e.to_string().contains('\n'));
            }
        }
    }
}

fn write_config(home: &Path, value: &serde_json::Value) {
    axway_auth::files::write_atomic(
        &axway_auth::config::config_path(home),
        value.to_string().as_bytes(),
    )
    .unwrap();
}

#[test]
fn bad_values_name_the_setting_and_its_source() {
    let home = tempfile::tempdir().unwrap();
    let resolve = |config: serde_json::Value, options: AuthOptions| {
        write_config(home.path(), &config);
        Settings::resolve(&AuthOptions {
            home_dir: Some(home.path().into()),
            ..options
        })
    };
    let cases: Vec<(serde_json::Value, AuthOptions, &str)> = vec![
        (
            serde_json::json!({ "auth": { "tokenRefreshThreshold": 1e300 } }),
            AuthOptions::default(),
            "config.json key auth.tokenRefreshThreshold",
        ),
        (
            serde_json::json!({ "auth": { "tokenRefreshThreshold": "soon" } }),
            AuthOptions::default(),
            "config.json key auth.tokenRefreshThreshold",
        ),
        (
            serde_json::json!({}),
            AuthOptions {
                token_refresh_threshold: Some(1e23),
                ..Default::default()
            },
            "option tokenRefreshThreshold",
        ),
        (
            serde_json::json!({}),
            AuthOptions {
                request_timeout: Some(0.0),
                ..Default::default()
            },
            "option requestTimeout",
        ),
        (
            serde_json::json!({}),
            AuthOptions {
                interactive_login_timeout: Some(1.5e19),
                ..Default::default()
            },
            "option interactiveLoginTimeout",
        ),
        (
            serde_json::json!({ "auth": { "baseUrl": "http://h/x?y=1" } }),
            AuthOptions::default(),
            "config.json key auth.baseUrl",
        ),
        (
            serde_json::json!({}),
            AuthOptions {
                platform_url: Some("http://h/#frag".into()),
                ..Default::default()
            },
            "option platformUrl",
        ),
        (
            serde_json::json!({}),
            AuthOptions {
                base_url: Some("http://u:hunter2@h/".into()),
                ..Default::default()
            },
            "option baseUrl",
        ),
        (
            serde_json::json!({ "auth": { "platformUrl": "http://p\u{7}/" } }),
            AuthOptions::default(),
            "config.json key auth.platformUrl",
        ),
    ];
    for (config, options, source) in cases {
        let err = resolve(config.clone(), options).unwrap_err();
        assert_eq!(err.code(), "ERR_INVALID_ARGUMENT", "{config}: {err}");
        let text = err.to_string();
        assert!(text.contains(source), "{config}: {text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains('\n') && !text.contains('\u{7}'), "{text}");
    }
    // good values still work, numbers as strings included
    let s = resolve(
        serde_json::json!({ "auth": { "tokenRefreshThreshold": "60", "interactiveLoginTimeout": 5000, "baseUrl": "http://h:1/" } }),
        AuthOptions::default(),
    )
    .unwrap();
    assert_eq!(s.token_refresh_threshold.as_secs(), 60);
    assert_eq!(s.interactive_login_timeout.as_millis(), 5000);
    assert_eq!(s.base_url, "http://h:1/");
}
