//! Axway's platform API (spec 6.1): session lookup, orgs, teams, the tooling login and the
//! sign-out. Requests carry the platform User-Agent and authenticate with the `connect.sid`
//! cookie when the account has one, else with the Bearer access token.

use std::time::Duration;

use serde_json::{json, Value};

use crate::account::{Account, Redacted};
use crate::error::{Error, PlatformCode, Result};
use crate::http::HttpConfig;
use crate::settings::Settings;
use crate::{body, http, sanitize};

/// The SDK version whose User-Agent we present (the platform checks the product name).
const SDK_COMPAT_VERSION: &str = "3.2.16";

/// The platform User-Agent: `AMPLIFY SDK/<ver> (<os>; <arch>; <runtime>)[ Axway CLI/<ver>]`.
pub fn user_agent(runtime: &str) -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    let mut ua = format!("AMPLIFY SDK/{SDK_COMPAT_VERSION} ({os}; {arch}; {runtime})");
    if let Ok(cli) = std::env::var("AXWAY_CLI") {
        if !cli.is_empty() {
            ua.push_str(&format!(" Axway CLI/{cli}"));
        }
    }
    ua
}

/// A client for one platform URL.
#[derive(Debug, Clone)]
pub struct Platform {
    base: String,
    user_agent: String,
    http: HttpConfig,
}

/// How a request authenticates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// Cookie when a sid is stored, else Bearer.
    Session,
    /// Bearer only (the retry after an invalidated session).
    Bearer,
}

impl Platform {
    /// A client for the settings' platform URL.
    pub fn new(settings: &Settings) -> Self {
        Platform {
            base: settings.platform_url.clone(),
            user_agent: user_agent(&settings.runtime),
            http: settings.http.clone(),
        }
    }

    async fn request(
        &self,
        path: &str,
        account: &mut Account,
        context: &str,
        body: Option<Value>,
        auth: Auth,
    ) -> Result<Value> {
        let url = format!("{}{}", self.base, path);
        let client = http::client(&self.http)?;
        let mut req = match &body {
            Some(body) => client.post(&url).json(body),
            None => client.get(&url),
        }
        .header("Accept", "application/json")
        .header("User-Agent", &self.user_agent);
        let token = account.auth.tokens.access_token().map(str::to_string);
        match (&account.sid, auth, &token) {
            (Some(sid), Auth::Session, _) => {
                req = req.header("Cookie", format!("connect.sid={}", sid.expose()))
            }
            (_, _, Some(token)) => req = req.bearer_auth(token),
            _ => {
                return Err(Error::InvalidArgument(
                    "Invalid/expired account: log in again".into(),
                ))
            }
        }
        let response = http::send(req, &url, &self.http).await?;
        let status = response.status();
        if let Some(sid) = session_cookie(&response) {
            account.sid = Some(Redacted::new(sid));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = body::read(response, &url, &self.http).await?;
        let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
        if !status.is_success() {
            let message = parsed
                .as_ref()
                .and_then(|b| b.get("message").or_else(|| b.get("description")))
                .and_then(Value::as_str)
                .map(sanitize::description)
                .unwrap_or_else(|| {
                    format!(
                        "Response code {} ({})",
                        status.as_u16(),
                        status.canonical_reason().unwrap_or("Error")
                    )
                });
            let code = parsed
                .as_ref()
                .and_then(|b| b.get("code"))
                .and_then(|c| match c {
                    Value::Number(n) => n.as_i64().map(PlatformCode::Number),
                    Value::String(s) => Some(PlatformCode::Text(sanitize::clean(s, 100))),
                    _ => None,
                });
            return Err(Error::Platform {
                context: context.into(),
                message,
                status: Some(status.as_u16()),
                code,
            });
        }
        match parsed {
            Some(Value::Object(mut body)) => Ok(body.remove("result").unwrap_or(Value::Null)),
            _ => Err(Error::BadResponse {
                url: crate::sanitize::display_url(&url),
                detail: http::describe_body(content_type.as_deref(), status.as_u16()),
                status: Some(status.as_u16()),
            }),
        }
    }

    /// `GET /api/v1/auth/findSession`; `None` for a service account. A stale `sid` is retried
    /// once with the Bearer token, as the reference does.
    pub async fn find_session(&self, account: &mut Account) -> Result<Option<Value>> {
        const PATH: &str = "/api/v1/auth/findSession";
        const CONTEXT: &str = "Failed to find session";
        let first = self
            .request(PATH, account, CONTEXT, None, Auth::Session)
            .await;
        let had_sid = account.sid.is_some();
        match first {
            Ok(Value::Null) if had_sid => {}
            Err(Error::Platform {
                status: Some(s), ..
            }) if had_sid && s > 400 => {}
            Ok(Value::Null) => return Ok(None),
            Ok(result) => return Ok(Some(result)),
            Err(e) => return Err(e),
        }
        match self
            .request(PATH, account, CONTEXT, None, Auth::Bearer)
            .await
        {
            Ok(Value::Null) => Ok(None),
            Ok(result) => Ok(Some(result)),
            Err(_) => Err(Error::SessionInvalidated),
        }
    }

    /// `GET /api/v1/org/<id>`.
    pub async fn org(&self, account: &mut Account, id: &str) -> Result<Value> {
        self.request(
            &format!("/api/v1/org/{id}"),
            account,
            "Failed to get organization",
            None,
            Auth::Session,
        )
        .await
    }

    /// `GET /api/v1/team[?org_id=<id>]`.
    pub async fn teams(&self, account: &mut Account, org_id: Option<&str>) -> Result<Vec<Value>> {
        let path = match org_id {
            Some(id) => format!("/api/v1/team?org_id={id}"),
            None => "/api/v1/team".into(),
        };
        match self
            .request(
                &path,
                account,
                "Failed to get organization teams",
                None,
                Auth::Session,
            )
            .await?
        {
            Value::Array(teams) => Ok(teams),
            _ => Ok(vec![]),
        }
    }

    /// `POST /api/v1/auth/login` with the service account's token: upgrades it to a platform
    /// tooling session (the `connect.sid` cookie is captured into `account.sid`).
    pub async fn tooling_login(
        &self,
        account: &mut Account,
        username: &str,
        password: &Redacted,
    ) -> Result<()> {
        let body = json!({ "from": "cli", "username": username, "password": password.expose() });
        account.sid = None;
        self.request(
            "/api/v1/auth/login",
            account,
            "Failed to authenticate",
            Some(body),
            Auth::Bearer,
        )
        .await
        .map_err(|e| e.redact_secrets(&[password.expose()]))?;
        Ok(())
    }

    /// `POST /api/v1/auth/switchLoggedInOrg` (`{org_id}`, Bearer): makes `org_id` the user's
    /// selected org on the platform, as the org-selection page does in the browser; the next
    /// token refresh then carries it. Used after a device login, which has no browser here.
    pub async fn switch_logged_in_org(&self, account: &mut Account, org_id: &str) -> Result<()> {
        self.request(
            "/api/v1/auth/switchLoggedInOrg",
            account,
            "Failed to switch organization",
            Some(json!({ "org_id": org_id })),
            Auth::Bearer,
        )
        .await?;
        Ok(())
    }

    /// Best-effort `GET {platformUrl}/auth/signout?id_token_hint=…` for a service account.
    pub async fn sign_out(&self, id_token: Option<&str>) -> bool {
        let mut url = format!("{}/auth/signout", self.base);
        if let Some(hint) = id_token {
            url.push_str("?id_token_hint=");
            url.push_str(&url_encode(hint));
        }
        let http = self
            .http
            .with_timeout(self.http.timeout.min(Duration::from_secs(5)));
        let Ok(client) = http::client(&http) else {
            return false;
        };
        client
            .get(&url)
            .header("Accept", "application/json")
            .header("User-Agent", &self.user_agent)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success() || r.status().is_redirection())
    }

    /// The platform URL.
    pub fn url(&self) -> &str {
        &self.base
    }
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|cookie| cookie.split(';').next())
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == "connect.sid" && !value.is_empty())
        .map(|(_, value)| value.to_string())
}

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
