//! The account record, with the reference's field names and key order (spec 2.4). Fields this
//! crate does not know are kept as they are, so records written by other tools survive a
//! round trip. Secrets live in redacting types.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A string that never shows up in `Debug` output (tokens, client secrets, passwords, keys).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Redacted(String);

impl Redacted {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Redacted(value.into())
    }
    /// The secret itself. Callers must not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The raw token endpoint response, stored verbatim as `auth.tokens`. Its `Debug` output lists
/// the field names only.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tokens(pub Map<String, Value>);

impl Tokens {
    fn string(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }
    /// The access token.
    pub fn access_token(&self) -> Option<&str> {
        self.string("access_token")
    }
    /// The refresh token.
    pub fn refresh_token(&self) -> Option<&str> {
        self.string("refresh_token")
    }
    /// The OpenID Connect id token.
    pub fn id_token(&self) -> Option<&str> {
        self.string("id_token")
    }
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// Token expiry timestamps in epoch milliseconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Expires {
    #[serde(default, deserialize_with = "lenient_millis")]
    pub access: Option<i64>,
    #[serde(default, deserialize_with = "lenient_millis")]
    pub refresh: Option<i64>,
}

impl Expires {
    /// Whether the access or the refresh token is still valid at `now_ms` (a record is purged
    /// once neither is).
    pub fn is_alive(&self, now_ms: i64) -> bool {
        self.access.is_some_and(|a| a > now_ms) || self.refresh.is_some_and(|r| r > now_ms)
    }
}

/// Accepts integers, floats (JS numbers) and null.
fn lenient_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        _ => None,
    })
}

/// What of a record a caller gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Exposure {
    /// As stored, persisted secrets included (the SDK's `Auth` hands records out this way).
    Stored,
    /// Without persisted secrets (client secret, key, username, password).
    #[default]
    NoSecrets,
    /// Without persisted secrets, and of the tokens only the access token and its expiry (the
    /// new JS API's `list()` and `whoami()`: refresh and id tokens are long-lived credentials
    /// that would end up in error reports and logs).
    AccessOnly,
    /// Without persisted secrets, tokens or the platform session id (`--json` output).
    NoTokens,
}

/// The `auth` block of an account.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthInfo {
    pub authenticator: String,
    pub base_url: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    #[serde(default)]
    pub expires: Expires,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<String>,
    #[serde(default)]
    pub realm: String,
    #[serde(default)]
    pub tokens: Tokens,
    /// Persisted client secret (secure store only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Redacted>,
    /// Persisted PEM private key text (secure store only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Redacted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<Redacted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Redacted>,
    /// Fields written by other tools.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AuthInfo {
    /// The env name, `prod` when absent (as the reference reads it).
    pub fn env_name(&self) -> &str {
        env_name(self.env.as_deref())
    }
}

/// The environment a record's `auth.env` names (prod when absent).
fn env_name(env: Option<&str>) -> &str {
    env.unwrap_or("prod")
}

/// A stored record read only as far as listing needs (name, environment, expiry, and whether
/// it holds a secret that [`Account::exposed`] removes), so that records a caller may see as
/// stored can be passed through as their stored JSON, without building an [`Account`].
#[derive(Debug, Deserialize)]
pub struct RecordSummary<'a> {
    #[serde(borrow)]
    pub name: std::borrow::Cow<'a, str>,
    pub auth: AuthSummary<'a>,
}

/// The part of `auth` a [`RecordSummary`] reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthSummary<'a> {
    #[serde(borrow, default)]
    env: Option<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    expires: Expires,
    client_secret: Option<serde::de::IgnoredAny>,
    secret: Option<serde::de::IgnoredAny>,
    username: Option<serde::de::IgnoredAny>,
    password: Option<serde::de::IgnoredAny>,
}

impl RecordSummary<'_> {
    /// See [`Account::is_alive`].
    pub fn is_alive(&self, now_ms: i64) -> bool {
        self.auth.expires.is_alive(now_ms)
    }
    /// See [`Account::in_env`].
    pub fn in_env(&self, env: &str) -> bool {
        env_name(self.auth.env.as_deref()) == env
    }
    /// Whether [`Account::exposed`] would return this record unchanged: always for
    /// `Stored`; for `NoSecrets` when it keeps none of the secrets that removes.
    pub fn exposed_unchanged(&self, exposure: Exposure) -> bool {
        let a = &self.auth;
        match exposure {
            Exposure::Stored => true,
            Exposure::NoSecrets => {
                a.client_secret.is_none()
                    && a.secret.is_none()
                    && a.username.is_none()
                    && a.password.is_none()
            }
            Exposure::AccessOnly | Exposure::NoTokens => false,
        }
    }
}

/// One authenticated account, as stored and as returned to callers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub auth: AuthInfo,
    pub hash: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orgs: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Redacted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_platform: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_platform_tooling: Option<bool>,
    /// Output only: whether this is the configured default account. Never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// Fields written by other tools.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn str_field<'a>(map: Option<&'a Map<String, Value>>, key: &str) -> Option<&'a str> {
    map.and_then(|m| m.get(key))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

impl Account {
    /// `user.email`, when known.
    pub fn email(&self) -> Option<&str> {
        str_field(self.user.as_ref(), "email")
    }
    /// `org.name`, when known.
    pub fn org_name(&self) -> Option<&str> {
        str_field(self.org.as_ref(), "name")
    }
    /// `org.guid`, when known.
    pub fn org_guid(&self) -> Option<&str> {
        str_field(self.org.as_ref(), "guid")
    }
    /// `user.guid`, when known.
    pub fn user_guid(&self) -> Option<&str> {
        str_field(self.user.as_ref(), "guid")
    }
    /// `team.guid`, when known.
    pub fn team_guid(&self) -> Option<&str> {
        str_field(self.team.as_ref(), "guid")
    }
    /// `org.id` as the platform expects it in a path (number or string).
    pub fn org_id(&self) -> Option<String> {
        match self.org.as_ref()?.get("id")? {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }
    }
    /// Whether the access token has expired at `now_ms`.
    pub fn access_expired(&self, now_ms: i64) -> bool {
        self.auth.expires.access.is_none_or(|a| a < now_ms)
    }
    /// The reference's purge rule: keep while the access or the refresh token is alive.
    pub fn is_alive(&self, now_ms: i64) -> bool {
        self.auth.expires.is_alive(now_ms)
    }
    /// Removes the persisted secrets, as the SDK does before handing an account out.
    pub fn strip_secrets(self) -> Self {
        self.exposed(Exposure::NoSecrets)
    }
    /// The record as a caller may see it (the one place that decides what is hidden).
    pub fn exposed(mut self, exposure: Exposure) -> Self {
        if exposure == Exposure::Stored {
            return self;
        }
        self.auth.client_secret = None;
        self.auth.secret = None;
        self.auth.username = None;
        self.auth.password = None;
        if exposure == Exposure::AccessOnly {
            let tokens = &mut self.auth.tokens.0;
            tokens.retain(|key, _| {
                matches!(key.as_str(), "access_token" | "expires_in" | "token_type")
            });
        }
        if exposure == Exposure::NoTokens {
            self.sid = None;
            for key in ["access_token", "refresh_token", "id_token"] {
                self.auth.tokens.0.shift_remove(key);
            }
        }
        self
    }
    /// Whether the record lives in the given environment (`auth.env`, prod when absent).
    pub fn in_env(&self, env: &str) -> bool {
        self.auth.env_name() == env
    }
}

/// Compares base URLs the way the reference filters them: scheme and trailing slash ignored.
pub fn same_base_url(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> &str {
        let s = s.split_once("://").map_or(s, |(_, rest)| rest);
        s.strip_suffix('/').unwrap_or(s)
    }
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_secrets_and_tokens() {
        let json = serde_json::json!({
            "auth": {"authenticator": "ClientSecret", "baseUrl": "u", "clientId": "c", "realm": "r",
                     "expires": {"access": 1, "refresh": null},
                     "tokens": {"access_token": "AT-SECRET", "refresh_token": "RT-SECRET"},
                     "clientSecret": "CS-SECRET", "password": "PW-SECRET"},
            "hash": "c:x", "name": "c:x", "sid": "SID-SECRET"
        });
        let account: Account = serde_json::from_value(json).unwrap();
        let debug = format!("{account:?}");
        for secret in [
            "AT-SECRET",
            "RT-SECRET",
            "CS-SECRET",
            "PW-SECRET",
            "SID-SECRET",
        ] {
            assert!(!debug.contains(secret), "{secret} leaked into {debug}");
        }
        assert!(debug.contains("access_token"));
    }

    #[test]
    fn unknown_fields_and_key_order_survive_a_round_trip() {
        let text = r#"{"auth":{"authenticator":"PKCE","baseUrl":"b","clientId":"c","env":"prod","expires":{"access":1796023325661,"refresh":null},"idp":"x","realm":"Broker","tokens":{"access_token":"a"},"future":1},"hash":"h","name":"n","org":{"id":100},"orgs":[],"user":{"guid":"g"},"isPlatform":false,"team":{"guid":"t"},"custom":{"k":[1,2]}}"#;
        let account: Account = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&account).unwrap(), text);
    }

    #[test]
    fn base_url_comparison_ignores_scheme_and_trailing_slash() {
        assert!(same_base_url(
            "https://login.axway.com/",
            "http://login.axway.com"
        ));
        assert!(!same_base_url(
            "https://login.axway.com",
            "https://login.axwaytest.net"
        ));
    }

    #[test]
    fn exposure_levels_hide_what_they_say() {
        let account: Account = serde_json::from_value(serde_json::json!({
            "auth": {"authenticator": "ClientSecret", "baseUrl": "b", "clientId": "c",
                     "clientSecret": "CS", "secret": "PEM", "username": "U", "password": "PW",
                     "tokens": {"access_token": "AT", "refresh_token": "RT", "id_token": "IDT",
                                "expires_in": 1800, "token_type": "bearer", "scope": "openid"}},
            "hash": "h", "name": "n", "sid": "SID"
        }))
        .unwrap();
        let text = |e: Exposure| serde_json::to_string(&account.clone().exposed(e)).unwrap();
        let stored = text(Exposure::Stored);
        for secret in ["CS", "PEM", "\"U\"", "PW", "AT", "RT", "IDT", "SID"] {
            assert!(stored.contains(secret), "{secret} kept as stored");
        }
        let no_secrets = text(Exposure::NoSecrets);
        assert!(!no_secrets.contains("\"CS\"") && !no_secrets.contains("PEM"));
        assert!(no_secrets.contains("RT") && no_secrets.contains("SID"));
        let access = text(Exposure::AccessOnly);
        assert!(access.contains("\"AT\"") && !access.contains("RT") && !access.contains("IDT"));
        assert!(
            !access.contains("scope"),
            "only the access token and its expiry"
        );
        let none = text(Exposure::NoTokens);
        for secret in ["CS", "PEM", "PW", "\"AT\"", "RT", "IDT", "SID"] {
            assert!(!none.contains(secret), "{secret} hidden: {none}");
        }
        assert!(
            none.contains("expires_in") && none.contains("scope"),
            "the rest kept"
        );
    }
}
