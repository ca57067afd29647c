//! Unit tests of the SDK-compatible login flows against a loopback server
//! (`testing::TestServer`): the owner password grant (request, record, persisted credentials,
//! re-authentication), the exchange of a caller's code, what a failed token request amounts to
//! (`TokenFailure`), and the cancellation of a waiting browser login.

use serde_json::{json, Value};

use crate::account::Redacted;
use crate::auth::{AuthCode, LoginRequest};
use crate::error::{Error, TokenFailure};
use crate::oauth::{self, Credentials, Endpoints, Grant};
use crate::settings::{AuthOptions, Profile, Settings, StoreKind};
use crate::testing::{jwt, TestServer};

fn http() -> crate::net::HttpConfig {
    crate::net::HttpConfig::from_env(std::time::Duration::from_secs(5)).unwrap()
}

/// SDK-profile settings for `url` with a file store in a fresh directory, keeping credentials
/// with the account (`persistSecrets`).
fn settings(url: &str, client_id: &str) -> Settings {
    let mut settings = Settings::resolve(&AuthOptions {
        persist_secrets: Some(true),
        profile: Profile::Sdk,
        base_url: Some(url.into()),
        platform_url: Some(url.into()),
        client_id: Some(client_id.into()),
        home_dir: Some(tempfile::tempdir().unwrap().keep()),
        token_store_type: Some("file".into()),
        runtime: Some("node:v20.0.0".into()),
        ..Default::default()
    })
    .unwrap();
    settings.store_kind = StoreKind::File;
    settings
}

fn token_reply(email: &str, refresh: bool) -> String {
    let claims = json!({"email": email, "guid": "u1", "orgId": 100});
    let mut reply = json!({
        "access_token": jwt(claims.clone()), "id_token": jwt(claims), "expires_in": 1800,
        "token_type": "Bearer", "scope": "openid"
    });
    if refresh {
        reply["refresh_token"] = Value::from("the-refresh-token");
        reply["refresh_expires_in"] = Value::from(86400);
    }
    reply.to_string()
}

/// A server whose token endpoint answers every grant with tokens for alice, and whose userinfo
/// names her.
async fn identity_server() -> TestServer {
    TestServer::start(|seen| match seen.path.as_str() {
        p if p.ends_with("/token") => (200, vec![], token_reply("alice@example.com", true)),
        p if p.ends_with("/userinfo") => (
            200,
            vec![],
            json!({"email": "alice@example.com", "given_name": "Alice", "guid": "u1"}).to_string(),
        ),
        _ => (404, vec![], "{}".into()),
    })
    .await
}

fn owner_password_request(password: &str) -> LoginRequest {
    LoginRequest {
        username: Some("alice@example.com".into()),
        password: Some(Redacted::new(password)),
        existing: crate::auth::Existing::Reuse,
        platform_session: false,
        ..Default::default()
    }
}

#[tokio::test]
async fn the_password_grant_sends_username_password_client_id_and_scope_but_no_secret() {
    let server = identity_server().await;
    let e = Endpoints::new(&server.url, "Broker");
    let credentials = Credentials::Password {
        username: "alice@example.com".into(),
        password: Redacted::new("pa ss&word"),
    };
    oauth::request_token(&e, "cli", Grant::Credentials(&credentials), &http())
        .await
        .unwrap();
    let body = &server.seen()[0].body;
    for part in [
        "grant_type=password",
        "username=alice%40example.com",
        "password=pa+ss%26word",
        "client_id=cli",
        "scope=openid",
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
    assert!(!body.contains("client_secret"), "{body}");
    assert!(
        !format!("{credentials:?}").contains("pa ss"),
        "Debug hides the password"
    );
}

#[tokio::test]
async fn an_owner_password_login_makes_the_sdks_record_and_keeps_the_credentials_when_asked() {
    let server = identity_server().await;
    let mut settings = settings(&server.url, "cli");
    settings.client_secret = Some(Redacted::new("ignored: the owner password wins"));
    let account = crate::auth::login(&settings, owner_password_request("secret"))
        .await
        .unwrap();
    assert_eq!(account.auth.authenticator, "OwnerPassword");
    assert_eq!(account.name, "cli:alice@example.com");
    let expected = crate::hash::account_hash(
        "cli",
        &server.url,
        "prod",
        "Broker",
        Some(("username", "alice@example.com")),
    );
    assert_eq!(account.hash, expected);
    assert_eq!(
        crate::auth::authenticator_hash(
            &settings,
            Some("alice@example.com"),
            Some(&Redacted::new("x"))
        )
        .unwrap(),
        expected,
        "find looks the same account up"
    );
    assert_eq!(
        account.auth.username.as_ref().map(Redacted::expose),
        Some("alice@example.com")
    );
    assert_eq!(
        account.auth.password.as_ref().map(Redacted::expose),
        Some("secret")
    );
    assert_eq!(account.user.as_ref().unwrap()["firstName"], "Alice");
    assert!(!server.seen()[0].body.contains("client_secret"));
}

#[tokio::test]
async fn without_a_refresh_token_the_persisted_owner_password_logs_in_again() {
    let server = identity_server().await;
    let mut settings = settings(&server.url, "cli");
    let account = crate::auth::login(&settings, owner_password_request("secret"))
        .await
        .unwrap();
    // the refresh token is gone, the access token is about to expire
    let mut stored = account.clone();
    stored.auth.tokens.0.shift_remove("refresh_token");
    stored.auth.expires.refresh = None;
    crate::auth::update_account(&settings, &stored).unwrap();
    settings.token_refresh_threshold = std::time::Duration::from_secs(3600);
    let lookup = crate::auth::Lookup {
        hash: Some(account.hash.clone()),
        ..Default::default()
    };
    let renewed = crate::auth::find(&settings, &lookup, None)
        .await
        .unwrap()
        .unwrap();
    let grants: Vec<_> = server
        .seen()
        .iter()
        .filter(|s| s.path.ends_with("/token"))
        .map(|s| s.body.clone())
        .collect();
    assert_eq!(grants.len(), 2, "{grants:?}");
    assert!(grants[1].contains("grant_type=password"), "{}", grants[1]);
    assert_eq!(
        renewed.auth.password.as_ref().map(Redacted::expose),
        Some("secret"),
        "the credentials stay with the refreshed record"
    );
}

#[tokio::test]
async fn a_callers_code_is_exchanged_with_its_verifier_and_redirect_and_never_reuses_a_token() {
    let server = identity_server().await;
    let settings = settings(&server.url, "amplify-cli");
    let request = |code: Option<&str>| LoginRequest {
        code: Some(AuthCode {
            code: code.map(Redacted::new),
            redirect_uri: Some("http://127.0.0.1:9/callback".into()),
            code_verifier: Some(Redacted::new("the-verifier")),
        }),
        existing: crate::auth::Existing::Reuse,
        platform_session: false,
        ..Default::default()
    };
    let first = crate::auth::login(&settings, request(Some("code-1")))
        .await
        .unwrap();
    assert_eq!(first.auth.authenticator, "PKCE");
    assert_eq!(first.name, "amplify-cli:alice@example.com");
    let body = &server.seen()[0].body;
    for part in [
        "grant_type=authorization_code",
        "code=code-1",
        "code_verifier=the-verifier",
        "redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback",
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
    crate::auth::login(&settings, request(Some("code-2")))
        .await
        .unwrap();
    let tokens = server
        .seen()
        .iter()
        .filter(|s| s.path.ends_with("/token"))
        .count();
    assert_eq!(tokens, 2, "a code login never returns the stored token");
    // without a stored token (as the SDK: an empty code first looks for one)
    let fresh = self::settings(&server.url, "amplify-cli");
    for code in [Some(""), None] {
        let err = crate::auth::login(&fresh, request(code)).await.unwrap_err();
        assert!(matches!(err, Error::AuthCodeRequired), "{err:?}");
        assert_eq!(err.code(), "ERR_MISSING_AUTH_CODE");
    }
}

#[tokio::test]
async fn a_code_without_verifier_or_redirect_sends_neither() {
    let server = identity_server().await;
    let e = Endpoints::new(&server.url, "Broker");
    let grant = Grant::AuthorizationCode {
        code: "c",
        verifier: None,
        redirect_uri: None,
    };
    oauth::request_token(&e, "amplify-cli", grant, &http())
        .await
        .unwrap();
    let body = &server.seen()[0].body;
    assert!(
        !body.contains("code_verifier") && !body.contains("redirect_uri"),
        "{body}"
    );
}

#[tokio::test]
async fn manual_mode_is_for_browser_logins_only() {
    let server = identity_server().await;
    let mut settings = settings(&server.url, "cli");
    settings.client_secret = Some(Redacted::new("s"));
    let request = LoginRequest {
        manual: true,
        platform_session: false,
        ..Default::default()
    };
    let err = crate::auth::login(&settings, request).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Manual mode is only supported with PKCE interactive authentication"
    );
    assert!(server.seen().is_empty(), "nothing was requested");
}

/// The failure of one token request against a server answering `reply`.
async fn token_failure(reply: (u16, Vec<(&'static str, String)>, String)) -> Error {
    let server = TestServer::start(move |_| reply.clone()).await;
    let e = Endpoints::new(&server.url, "Broker");
    let credentials = Credentials::ClientSecret(Redacted::new("the-secret"));
    oauth::request_token(&e, "c", Grant::Credentials(&credentials), &http())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_failed_token_request_says_what_the_sdk_reports_and_keeps_the_commands_code() {
    let json_401 = json!({"error": "invalid_client", "error_description": "bad the-secret"});
    let err = token_failure((401, vec![], json_401.to_string())).await;
    assert_eq!(err.code(), "ERR_AUTH_FAILED");
    assert_eq!(err.status(), Some(401));
    let Error::TokenRequest { failure, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        failure,
        &TokenFailure::Status {
            status: 401,
            description: Some("bad [redacted]".into())
        },
        "the server's description, with the secret it echoed redacted"
    );

    let text_401 = (
        401,
        vec![("content-type", "text/plain".into())],
        "Unauthorized".into(),
    );
    let err = token_failure(text_401).await;
    assert_eq!(
        err.code(),
        "ERR_BAD_RESPONSE",
        "the command's code is unchanged"
    );
    assert!(matches!(
        err,
        Error::TokenRequest {
            failure: TokenFailure::Status {
                status: 401,
                description: None
            },
            ..
        }
    ));

    let no_token = json!({"refresh_token": "r", "expires_in": 600}).to_string();
    let err = token_failure((200, vec![], no_token)).await;
    assert!(
        matches!(
            err,
            Error::TokenRequest {
                failure: TokenFailure::InvalidResponse,
                ..
            }
        ),
        "{err:?}"
    );

    let grant = json!({"error": "invalid_grant", "error_description": "nope"});
    let err = token_failure((400, vec![], grant.to_string())).await;
    assert!(matches!(err, Error::InvalidGrant(_)), "{err:?}");
}

#[tokio::test]
async fn a_registered_login_is_cancelled_by_its_id_and_forgotten_afterwards() {
    use crate::auth::BrowserOptions;
    use crate::oauth::callback::CallbackServer;

    let mut server = CallbackServer::start(0, &["ABCD".to_string()])
        .await
        .unwrap();
    let browser = BrowserOptions {
        login_id: Some("unit-login".into()),
        ..Default::default()
    };
    let registration = browser.register(&server);
    assert!(crate::auth::cancel_login("unit-login"));
    let err = server.next("ABCD").await.unwrap_err();
    assert!(matches!(err, Error::LoginCancelled), "{err:?}");
    assert_eq!(err.code(), "ERR_LOGIN_CANCELLED");
    drop(registration);
    assert!(
        !crate::auth::cancel_login("unit-login"),
        "forgotten once settled"
    );
    server.close().await;
}

#[tokio::test]
async fn an_owner_password_the_server_echoes_never_reaches_a_message() {
    let server = TestServer::start(|seen| {
        let echoed = seen.body.split('&').find_map(|kv| kv.strip_prefix("password="));
        let reply = json!({"error": "unauthorized_client", "error_description": format!("bad {}", echoed.unwrap_or(""))});
        (401, vec![], reply.to_string())
    })
    .await;
    let e = Endpoints::new(&server.url, "Broker");
    let credentials = Credentials::Password {
        username: "alice@example.com".into(),
        password: Redacted::new("hunter2hunter2"),
    };
    let err = oauth::request_token(&e, "cli", Grant::Credentials(&credentials), &http())
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("hunter2hunter2"), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
}

/// `expires_in` sent as a string (as some servers do, and as the SDK's JS arithmetic accepts)
/// still gives the access token its lifetime; junk gives an expired one, never a panic.
#[tokio::test]
async fn a_string_expires_in_still_counts() {
    for (sent, lifetime) in [(json!("1800"), 1_800_000), (json!("soon"), 0)] {
        let server = TestServer::start(move |seen| match seen.path.as_str() {
            p if p.ends_with("/token") => {
                let mut reply: Value = serde_json::from_str(&token_reply("a@b.c", false)).unwrap();
                reply["expires_in"] = sent.clone();
                (200, vec![], reply.to_string())
            }
            p if p.ends_with("/userinfo") => (200, vec![], json!({"email": "a@b.c"}).to_string()),
            _ => (404, vec![], "{}".into()),
        })
        .await;
        let before = crate::auth::now_ms();
        let account =
            crate::auth::login(&settings(&server.url, "cli"), owner_password_request("pw"))
                .await
                .unwrap();
        let access = account.auth.expires.access.unwrap();
        assert!(
            (before + lifetime..=crate::auth::now_ms() + lifetime).contains(&access),
            "{access} for {lifetime}"
        );
    }
}
