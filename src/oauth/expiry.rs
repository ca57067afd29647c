//! Expiry times from what a server sends (`expires_in`, `refresh_expires_in`, a JWT's `exp`),
//! computed without overflow: a hostile or broken value (huge, negative, NaN) gives a clamped
//! time, never a panic.

use serde_json::Value;

/// The latest expiry we store: year 9999 in epoch milliseconds (what JS `Date` can show).
pub const MAX_EPOCH_MS: i64 = 253_402_300_799_000;

/// `now_ms + seconds × 1000`, clamped to `[0, MAX_EPOCH_MS]`; NaN counts as 0 seconds.
pub fn expires_at(now_ms: i64, seconds: f64) -> i64 {
    let seconds = if seconds.is_nan() { 0.0 } else { seconds };
    let at = now_ms as f64 + seconds * 1000.0;
    at.clamp(0.0, MAX_EPOCH_MS as f64) as i64
}

/// The `seconds` field of a token response as a number (a number, or a string holding one, as
/// some servers send); `None` when absent or not a number.
pub fn seconds_field(tokens: &serde_json::Map<String, Value>, key: &str) -> Option<f64> {
    match tokens.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

/// A JWT's `exp` claim in epoch milliseconds (not verified: the token is only read), clamped
/// as [`expires_at`]; `None` when the token cannot be decoded or has no numeric `exp`.
pub fn jwt_expiry(token: &str) -> Option<i64> {
    let claims = super::decode_claims(token).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    Some(expires_at(0, exp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use proptest::prelude::*;

    /// `expires_in` as a number or a string holding one (as JS coerces it in the SDK).
    #[test]
    fn seconds_fields_are_numbers_or_numeric_strings() {
        let tokens = serde_json::json!({
            "n": 1800, "s": " 600 ", "f": 1.5, "bad": "soon", "inf": "inf", "null": null
        });
        let tokens = tokens.as_object().unwrap();
        assert_eq!(seconds_field(tokens, "n"), Some(1800.0));
        assert_eq!(seconds_field(tokens, "s"), Some(600.0));
        assert_eq!(seconds_field(tokens, "f"), Some(1.5));
        for key in ["bad", "inf", "null", "missing"] {
            assert_eq!(seconds_field(tokens, key), None, "{key}");
        }
    }

    fn jwt(claims: &str) -> String {
        let b64 = |s: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.{}",
            b64(br#"{"alg":"RS256","typ":"JWT"}"#),
            b64(claims.as_bytes()),
            b64(b"sig")
        )
    }

    #[test]
    fn hostile_values_are_clamped() {
        assert_eq!(expires_at(1_000, 1.0), 2_000);
        assert_eq!(expires_at(1_000, f64::NAN), 1_000);
        assert_eq!(expires_at(i64::MAX, 1e300), MAX_EPOCH_MS);
        assert_eq!(expires_at(1_000, -1e300), 0);
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000}"#)),
            Some(1_700_000_000_000)
        );
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":1e308}"#)), Some(MAX_EPOCH_MS));
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":"soon"}"#)), None);
        assert_eq!(jwt_expiry("not.a.jwt"), None);
    }

    proptest! {
        #[test]
        fn expiry_never_panics_and_stays_in_range(now in any::<i64>(), seconds in any::<f64>()) {
            let at = expires_at(now, seconds);
            prop_assert!((0..=MAX_EPOCH_MS).contains(&at));
        }

        #[test]
        fn jwt_expiry_never_panics(token in ".{0,200}", claims in ".{0,100}") {
            let _ = jwt_expiry(&token);
            let _ = jwt_expiry(&jwt(&claims));
            let _ = super::super::decode_claims(&token);
        }

        #[test]
        fn jwt_exp_round_trips(exp in 0i64..=253_402_300_799) {
            prop_assert_eq!(jwt_expiry(&jwt(&format!(r#"{{"exp":{exp}}}"#))), Some(exp * 1000));
        }
    }
}
