//! Unit tests of the HTTP-facing modules against a loopback server (`testing::TestServer`):
//! `oauth` (endpoints, authorize URL, token requests and their errors, claims), `platform` and
//! `session` (platform session, org, teams, tooling upgrade), and the service-account flow.

use serde_json::{json, Map, Value};

use crate::account::{Account, Redacted};
use crate::oauth::{self, Credentials, Endpoints, Grant};
use crate::platform::Platform;
use crate::session;
use crate::settings::{AuthOptions, Settings};
use crate::testing::{jwt, TestServer};

fn http() -> crate::net::HttpConfig {
    crate::net::HttpConfig::from_env(std::time::Duration::from_secs(5)).unwrap()
}

fn settings(url: &str) -> Settings {
    let home = std::env::temp_dir().join("axway-auth-unit-no-home");
    Settings::resolve(&AuthOptions {
        profile: crate::settings::Profile::Sdk,
        base_url: Some(url.into()),
        platform_url: Some(url.into()),
        client_id: Some("DOSA_unit".into()),
        home_dir: Some(home),
        token_store_type: Some("memory".into()),
        runtime: Some("node:v20.0.0".into()),
        ..Default::default()
    })
    .unwrap()
}

fn token_reply(claims: Value) -> String {
    json!({
        "access_token": jwt(claims.clone()), "id_token": jwt(claims), "expires_in": 1800,
        "refresh_expires_in": 0, "token_type": "Bearer", "not-before-policy": 0,
        "scope": "openid"
    })
    .to_string()
}

#[test]
fn endpoints_follow_keycloaks_paths() {
    let e = Endpoints::new("https://login.example/", "Broker");
    assert_eq!(
        e.token,
        "https://login.example/auth/realms/Broker/protocol/openid-connect/token"
    );
    assert_eq!(
        e.well_known,
        "https://login.example/auth/realms/Broker/.well-known/openid-configuration"
    );
}

#[test]
fn the_authorize_url_carries_pkce_state_and_the_references_parameters() {
    let e = Endpoints::new("https://login.example", "Broker");
    let (challenge, _verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
    let state = oauth2::CsrfToken::new("the-state".into());
    let url = oauth::authorize_url(
        &e,
        "amplify-cli",
        "http://127.0.0.1:3000/cb",
        challenge,
        state,
    )
    .unwrap();
    let query: Map<String, Value> = url::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.to_string(), Value::from(v.to_string())))
        .collect();
    for (key, value) in [
        ("client_id", "amplify-cli"),
        ("redirect_uri", "http://127.0.0.1:3000/cb"),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "the-state"),
        ("code_challenge_method", "S256"),
        ("access_type", "offline"),
    ] {
        assert_eq!(query.get(key), Some(&Value::from(value)), "{key} in {url}");
    }
}

#[test]
fn claims_are_read_and_garbage_is_an_auth_error() {
    let claims = oauth::decode_claims(&jwt(json!({"email": "a@b.c", "orgId": 100}))).unwrap();
    assert_eq!(claims["email"], "a@b.c");
    assert_eq!(
        oauth::decode_claims("not-a-jwt").unwrap_err().code(),
        "ERR_AUTH_FAILED"
    );
}

#[tokio::test]
async fn a_client_credentials_request_sends_the_secret_and_keeps_the_raw_reply() {
    let server = TestServer::start(|_| (200, vec![], token_reply(json!({"email": "x@y.z"})))).await;
    let e = Endpoints::new(&server.url, "Broker");
    let credentials = Credentials::ClientSecret(Redacted::new("the-secret"));
    let tokens = oauth::request_token(&e, "DOSA_unit", Grant::Credentials(&credentials), &http())
        .await
        .unwrap();
    assert_eq!(
        tokens.0["not-before-policy"], 0,
        "unknown fields kept verbatim"
    );
    assert_eq!(tokens.0["refresh_expires_in"], 0);
    let seen = &server.seen()[0];
    assert_eq!(seen.method, "POST");
    assert!(seen.path.ends_with("/protocol/openid-connect/token"));
    for part in [
        "grant_type=client_credentials",
        "client_id=DOSA_unit",
        "client_secret=the-secret",
    ] {
        assert!(seen.body.contains(part), "{part} in {}", seen.body);
    }
}

#[tokio::test]
async fn token_errors_have_their_own_codes() {
    let server = TestServer::start(|seen| {
        if seen.body.contains("refresh_token") {
            (400, vec![], json!({"error": "invalid_grant", "error_description": "Token is not active"}).to_string())
        } else if seen.body.contains("client_secret=wrong") {
            (401, vec![], json!({"error": "unauthorized_client", "error_description": "Invalid client secret"}).to_string())
        } else {
            (502, vec![("content-type", "text/html".into())], "<html>bad gateway</html>".into())
        }
    })
    .await;
    let e = Endpoints::new(&server.url, "Broker");
    let wrong = Credentials::ClientSecret(Redacted::new("wrong"));
    let err = oauth::request_token(&e, "c", Grant::Credentials(&wrong), &http())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ERR_AUTH_FAILED");
    assert!(!err.to_string().contains("wrong"), "{err}");
    let refresh = Grant::Refresh {
        refresh_token: "r",
        credentials: None,
    };
    let err = oauth::request_token(&e, "c", refresh, &http())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "EINVALIDGRANT");
    let other = Credentials::ClientSecret(Redacted::new("ok"));
    let err = oauth::request_token(&e, "c", Grant::Credentials(&other), &http())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ERR_BAD_RESPONSE");
}

#[tokio::test]
async fn an_unreachable_server_is_named() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let e = Endpoints::new(&url, "Broker");
    let creds = Credentials::ClientSecret(Redacted::new("s"));
    let err = oauth::request_token(&e, "c", Grant::Credentials(&creds), &http())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ERR_UNREACHABLE");
    assert!(err.to_string().contains(&url), "{err}");
}

fn platform_account(sid: Option<&str>) -> Account {
    let mut account: Account = serde_json::from_value(json!({
        "auth": {"authenticator": "PKCE", "baseUrl": "http://x", "clientId": "amplify-cli",
                 "realm": "Broker", "expires": {"access": 1}, "tokens": {"access_token": "AT"}},
        "hash": "h", "name": "amplify-cli:alice@example.com",
        "user": {"email": "alice@example.com", "guid": "u1"}
    }))
    .unwrap();
    account.sid = sid.map(Redacted::new);
    account
}

fn session_reply() -> String {
    json!({"result": {
        "org": {"org_id": 100, "guid": "g100", "name": "Acme", "region": "US",
                "entitlements": {"a": 1, "_private": 2}, "subscriptions": []},
        "orgs": [{"org_id": 100, "guid": "g100", "name": "Acme"}, {"org_id": 200, "guid": "g200", "name": "Beta"}],
        "role": "administrator", "roles": ["administrator"],
        "user": {"guid": "u1", "email": "alice@example.com", "firstname": "Alice", "axway_id": "a1"}
    }})
    .to_string()
}

fn teams_reply() -> String {
    json!({"result": [
        {"guid": "t2", "name": "Zeta", "default": false, "users": [{"guid": "u1", "roles": ["developer"]}]},
        {"guid": "t1", "name": "Alpha", "default": true, "users": [{"guid": "u1", "roles": ["admin"]}]},
        {"guid": "t3", "name": "Other", "default": false, "users": [{"guid": "someone-else"}]}
    ]})
    .to_string()
}

#[tokio::test]
async fn a_platform_session_fills_org_orgs_user_roles_and_the_default_team() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        "/api/v1/auth/findSession" => (200, vec![], session_reply()),
        p if p.starts_with("/api/v1/team") => (200, vec![], teams_reply()),
        _ => (404, vec![], "{}".into()),
    })
    .await;
    let platform = Platform::new(&settings(&server.url));
    let mut account = platform_account(None);
    session::find_session(&platform, &mut account, &Map::new())
        .await
        .unwrap();
    let org = account.org.as_ref().unwrap();
    assert_eq!(
        (org["id"].clone(), org["name"].clone()),
        (json!(100), json!("Acme"))
    );
    assert_eq!(
        org["entitlements"],
        json!({"a": 1}),
        "private entitlements dropped"
    );
    let teams: Vec<_> = org["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(
        teams,
        [json!("Alpha"), json!("Zeta")],
        "the user's teams, by name"
    );
    assert_eq!(
        account.team.as_ref().unwrap()["guid"],
        "t1",
        "the default team"
    );
    assert_eq!(account.team.as_ref().unwrap()["roles"], json!(["admin"]));
    assert_eq!(
        account.orgs.as_ref().unwrap()[1],
        json!({"default": false, "guid": "g200", "id": 200, "name": "Beta"})
    );
    assert_eq!(account.user.as_ref().unwrap()["axwayId"], "a1");
    assert_eq!(account.is_platform, Some(true));
    let seen = server.seen();
    assert_eq!(seen[0].header("authorization"), Some("Bearer AT"));
    assert!(seen[0]
        .header("user-agent")
        .unwrap()
        .starts_with("AMPLIFY SDK/3.2.16 ("));
    assert_eq!(seen[1].path, "/api/v1/team?org_id=100");

    // a configured default team wins
    let mut account = platform_account(None);
    let teams: Map<String, Value> = [("h".to_string(), json!("t2"))].into_iter().collect();
    session::find_session(&platform, &mut account, &teams)
        .await
        .unwrap();
    assert_eq!(account.team.as_ref().unwrap()["guid"], "t2");
}

#[tokio::test]
async fn a_stale_session_cookie_is_retried_with_the_token_and_a_dead_one_invalidates() {
    let server = TestServer::start(|seen| {
        let cookie = seen.header("cookie").unwrap_or_default();
        match (seen.path.as_str(), cookie) {
            ("/api/v1/auth/findSession", "connect.sid=stale") => (401, vec![], "{}".into()),
            ("/api/v1/auth/findSession", _)
                if seen.header("authorization") == Some("Bearer AT") =>
            {
                (
                    200,
                    vec![("set-cookie", "connect.sid=fresh; Path=/; HttpOnly".into())],
                    session_reply(),
                )
            }
            (p, _) if p.starts_with("/api/v1/team") => (200, vec![], teams_reply()),
            _ => (401, vec![], "{}".into()),
        }
    })
    .await;
    let platform = Platform::new(&settings(&server.url));
    let mut account = platform_account(Some("stale"));
    session::find_session(&platform, &mut account, &Map::new())
        .await
        .unwrap();
    assert_eq!(account.sid.as_ref().map(Redacted::expose), Some("fresh"));

    let mut dead = platform_account(Some("stale"));
    dead.auth
        .tokens
        .0
        .insert("access_token".into(), json!("revoked"));
    let err = session::find_session(&platform, &mut dead, &Map::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ERR_SESSION_INVALIDATED");
}

#[tokio::test]
async fn platform_errors_carry_the_platforms_message_status_and_numeric_code() {
    let server = TestServer::start(|_| {
        (
            401,
            vec![],
            json!({"code": 401, "description": "Invalid username or password."}).to_string(),
        )
    })
    .await;
    let platform = Platform::new(&settings(&server.url));
    let mut account = platform_account(None);
    let err = platform
        .tooling_login(&mut account, "a@b.c", &Redacted::new("pw"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Failed to authenticate: Invalid username or password. (401)"
    );
    assert!(matches!(
        err,
        crate::error::Error::Platform {
            code: Some(crate::error::PlatformCode::Number(401)),
            ..
        }
    ));
    assert!(server.seen()[0].body.contains("\"from\":\"cli\""));
}

#[tokio::test]
async fn the_service_account_flow_builds_and_stores_the_record() {
    let server = TestServer::start(|seen| match seen.path.as_str() {
        p if p.ends_with("/token") => (
            200,
            vec![],
            token_reply(json!({"email": "svc@example.com", "orgId": 100})),
        ),
        p if p.ends_with("/userinfo") => (
            200,
            vec![],
            json!({"email": "svc@example.com", "org_name": "Acme", "org_guid": "g100"}).to_string(),
        ),
        _ => (404, vec![], "{}".into()),
    })
    .await;
    let mut settings = settings(&server.url);
    settings.client_secret = Some(Redacted::new("s"));
    settings.home_dir = tempfile::tempdir().unwrap().keep();
    settings.store_kind = crate::settings::StoreKind::File;
    let request = crate::auth::LoginRequest {
        existing: crate::auth::Existing::Reuse,
        platform_session: false,
        ..Default::default()
    };
    let account = crate::auth::login(&settings, request.clone())
        .await
        .unwrap();
    assert_eq!(account.auth.authenticator, "ClientSecret");
    assert_eq!(account.auth.base_url, server.url);
    assert_eq!(account.org.as_ref().unwrap()["name"], "Acme");
    assert_eq!(
        account.hash,
        crate::auth::authenticator_hash(&settings, None, None).unwrap()
    );
    let requests = server.seen().len();
    // logged in: `Existing::Reuse` returns the stored record without a token request
    let again = crate::auth::login(&settings, request).await.unwrap();
    assert_eq!(again.auth.tokens, account.auth.tokens);
    assert_eq!(
        server.seen().len(),
        requests + 1,
        "only userinfo was read again"
    );
}

#[tokio::test]
async fn a_token_response_without_token_type_is_a_bearer_token_stored_as_sent() {
    let reply = json!({"access_token": jwt(json!({"email": "a@b.c"})), "expires_in": 60});
    let server = TestServer::start(move |_| (200, vec![], reply.to_string())).await;
    let e = Endpoints::new(&server.url, "Broker");
    let credentials = Credentials::ClientSecret(Redacted::new("s"));
    let tokens = oauth::request_token(&e, "c", Grant::Credentials(&credentials), &http())
        .await
        .unwrap();
    assert!(tokens.access_token().is_some());
    assert!(!tokens.0.contains_key("token_type"), "stored verbatim");
}
