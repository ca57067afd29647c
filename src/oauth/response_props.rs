//! Property tests of the token-response parser: whatever a token endpoint sends (a 200 body
//! or an error body), the result is tokens or a one-line, bounded, control-free error.

use std::time::Duration;

use oauth2::basic::BasicErrorResponse;
use oauth2::RequestTokenError;
use proptest::prelude::*;
use serde_json::{json, Value};

use super::{to_tokens, token_error, TokenResponse, Transport};
use crate::sanitize;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        any::<i64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("access_token".to_string()),
                    Just("token_type".to_string()),
                    Just("expires_in".to_string()),
                    Just("error".to_string()),
                    Just("error_description".to_string()),
                    "[a-z_]{1,10}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What `oauth2` does with a token endpoint reply: parse a 2xx body as a token response, any
/// other as an error response; we then interpret either.
fn interpret(success: bool, body: &[u8]) -> crate::Result<crate::account::Tokens> {
    let url = "http://127.0.0.1:1/token";
    let timeout = &crate::net::HttpConfig::from_env(Duration::from_secs(1)).unwrap();
    if success {
        match serde_json::from_slice::<TokenResponse>(body) {
            Ok(response) => to_tokens(response, Some(body.to_vec())),
            Err(e) => Err(token_error(
                RequestTokenError::<Transport, BasicErrorResponse>::Other(e.to_string()),
                url,
                timeout,
            )),
        }
    } else {
        match serde_json::from_slice::<BasicErrorResponse>(body) {
            Ok(response) => Err(token_error(
                RequestTokenError::<Transport, _>::ServerResponse(response),
                url,
                timeout,
            )),
            Err(e) => Err(token_error(
                RequestTokenError::<Transport, BasicErrorResponse>::Other(e.to_string()),
                url,
                timeout,
            )),
        }
    }
}

fn assert_clean(err: &crate::Error) -> Result<(), TestCaseError> {
    let text = err.to_string();
    prop_assert!(!text.chars().any(sanitize::is_unsafe), "{text:?}");
    prop_assert!(text.chars().count() < 600, "{} chars", text.chars().count());
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(success in any::<bool>(), body in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Err(e) = interpret(success, &body) {
            assert_clean(&e)?;
        }
    }

    #[test]
    fn arbitrary_json_gives_tokens_or_a_clean_error(success in any::<bool>(), value in json_value()) {
        let body = serde_json::to_vec(&value).unwrap();
        match interpret(success, &body) {
            Ok(tokens) => prop_assert_eq!(Value::Object(tokens.0), value),
            Err(e) => assert_clean(&e)?,
        }
    }

    #[test]
    fn hostile_descriptions_are_one_bounded_line(error in prop_oneof![Just("invalid_client"), Just("invalid_grant"), Just("x\u{1b}]0;pwned\u{7}")], description in "\\PC{0,20}[\u{0}-\u{1f}\u{7f}\u{202e}]{1,5}.{0,2000}") {
        let body = serde_json::to_vec(&json!({ "error": error, "error_description": description })).unwrap();
        let err = interpret(false, &body).unwrap_err();
        assert_clean(&err)?;
    }
}
