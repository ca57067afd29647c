//! Token endpoint work on top of the `oauth2` crate: the grants Axway uses, the Keycloak-style
//! endpoints, and the one place where token responses and token errors are interpreted.

pub mod callback;
pub mod credentials;
pub mod device;
pub mod expiry;
#[cfg(test)]
mod response_props;

use std::future::Future;
use std::pin::Pin;

use oauth2::basic::{BasicErrorResponse, BasicErrorResponseType, BasicTokenType};
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields, HttpRequest,
    HttpResponse, RefreshToken, RequestTokenError, Scope, StandardErrorResponse,
    StandardTokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::account::Tokens;
use crate::error::{Error, Result, TokenFailure};
use crate::http::{self, HttpConfig};
use crate::{body, sanitize};

pub use credentials::{Credentials, PrivateKey};

/// The Keycloak-style endpoints under `{baseUrl}/auth/realms/{realm}` (spec 3.1).
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub auth: String,
    pub token: String,
    pub userinfo: String,
    pub logout: String,
    pub well_known: String,
}

impl Endpoints {
    /// Builds the endpoints for a base URL (one trailing slash ignored) and realm.
    pub fn new(base_url: &str, realm: &str) -> Self {
        let base = base_url.strip_suffix('/').unwrap_or(base_url);
        let oidc = format!("{base}/auth/realms/{realm}/protocol/openid-connect");
        Endpoints {
            auth: format!("{oidc}/auth"),
            token: format!("{oidc}/token"),
            userinfo: format!("{oidc}/userinfo"),
            logout: format!("{oidc}/logout"),
            well_known: format!("{base}/auth/realms/{realm}/.well-known/openid-configuration"),
        }
    }
}

/// Keeps every field of the token response that the standard ones do not cover
/// (`refresh_expires_in`, `id_token`, `not-before-policy`, `session_state`, …).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RawFields {
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}
impl ExtraTokenFields for RawFields {}

type TokenResponse = StandardTokenResponse<RawFields, BasicTokenType>;
type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    TokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Which grant to ask the token endpoint for. Its `Debug` names the grant only: the tokens,
/// code and verifier it carries never show.
pub enum Grant<'a> {
    /// A new token from the credentials alone: `client_credentials` with a service account's
    /// secret or signed assertion, `password` with an owner password.
    Credentials(&'a Credentials),
    /// `refresh_token`, authenticated like the original login when credentials are known.
    Refresh {
        refresh_token: &'a str,
        credentials: Option<&'a Credentials>,
    },
    /// `authorization_code`, with the PKCE verifier and the redirect URI the code was issued
    /// for when known (a caller exchanging a code it obtained may have neither).
    AuthorizationCode {
        code: &'a str,
        verifier: Option<&'a str>,
        redirect_uri: Option<&'a str>,
    },
}

impl std::fmt::Debug for Grant<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Grant::Credentials(_) => "Grant::Credentials([redacted])",
            Grant::Refresh { .. } => "Grant::Refresh([redacted])",
            Grant::AuthorizationCode { .. } => "Grant::AuthorizationCode([redacted])",
        })
    }
}

/// A transport-level failure, or a reply that is not a token endpoint reply at all.
#[derive(Debug, thiserror::Error)]
enum Transport {
    #[error("{0}")]
    Http(#[from] reqwest::Error),
    /// With the HTTP status of the reply.
    #[error("{0}")]
    Unexpected(String, u16),
    /// Already classified (a proxy's 407), or a reply we refused to read (too large) or could
    /// not read.
    #[error("{0}")]
    Classified(Box<Error>),
}

/// Requests tokens and returns the raw token response (stored verbatim as `auth.tokens`).
pub async fn request_token(
    endpoints: &Endpoints,
    client_id: &str,
    grant: Grant<'_>,
    config: &HttpConfig,
) -> Result<Tokens> {
    let token_url = TokenUrl::new(endpoints.token.clone())
        .map_err(|e| Error::InvalidArgument(format!("Invalid base URL: {e}")))?;
    let mut client: OAuthClient = oauth2::Client::new(ClientId::new(client_id.to_string()))
        .set_token_uri(token_url)
        .set_auth_type(AuthType::RequestBody);
    let credentials = match &grant {
        Grant::Credentials(c) => Some(*c),
        Grant::Refresh { credentials, .. } => *credentials,
        Grant::AuthorizationCode { .. } => None,
    };
    let mut extra: Vec<(&'static str, String)> = vec![];
    // Everything secret this request sends: a server that echoes one back in an error
    // description must not get it printed.
    let mut sent: Vec<String> = match &grant {
        Grant::Credentials(_) => vec![],
        Grant::Refresh { refresh_token, .. } => vec![refresh_token.to_string()],
        Grant::AuthorizationCode { code, verifier, .. } => [Some(*code), *verifier]
            .into_iter()
            .flatten()
            .map(str::to_string)
            .collect(),
    };
    match credentials {
        Some(Credentials::ClientSecret(secret)) => {
            sent.push(secret.expose().to_string());
            client = client.set_client_secret(ClientSecret::new(secret.expose().to_string()));
        }
        Some(Credentials::SignedJwt(key)) => {
            extra.push((
                "client_assertion",
                key.assertion(client_id, &endpoints.token)?,
            ));
            extra.push(("client_assertion_type", credentials::JWT_BEARER.to_string()));
        }
        // the client authenticates with its id only
        Some(Credentials::Password { password, .. }) => sent.push(password.expose().to_string()),
        None => {}
    }

    sent.extend(
        extra
            .iter()
            .filter(|(k, _)| *k == "client_assertion")
            .map(|(_, v)| v.clone()),
    );
    let send = Sender::new(config)?;
    let result = match grant {
        Grant::Credentials(Credentials::Password { username, password }) => {
            let username = oauth2::ResourceOwnerUsername::new(username.clone());
            let password = oauth2::ResourceOwnerPassword::new(password.expose().to_string());
            client
                .exchange_password(&username, &password)
                .add_scope(Scope::new("openid".into()))
                .request_async(&send)
                .await
        }
        Grant::Credentials(_) => {
            let mut req = client
                .exchange_client_credentials()
                .add_scope(Scope::new("openid".into()));
            for (k, v) in extra {
                req = req.add_extra_param(k, v);
            }
            req.request_async(&send).await
        }
        Grant::Refresh { refresh_token, .. } => {
            let token = RefreshToken::new(refresh_token.to_string());
            let mut req = client.exchange_refresh_token(&token);
            for (k, v) in extra {
                req = req.add_extra_param(k, v);
            }
            req.request_async(&send).await
        }
        Grant::AuthorizationCode {
            code,
            verifier,
            redirect_uri,
        } => {
            let mut req = client.exchange_code(oauth2::AuthorizationCode::new(code.to_string()));
            if let Some(verifier) = verifier {
                req = req.set_pkce_verifier(oauth2::PkceCodeVerifier::new(verifier.to_string()));
            }
            if let Some(redirect_uri) = redirect_uri {
                let redirect = oauth2::RedirectUrl::new(redirect_uri.to_string())
                    .map_err(|e| Error::InvalidArgument(format!("Invalid redirect URI: {e}")))?;
                req = req.set_redirect_uri(std::borrow::Cow::Owned(redirect));
            }
            req.request_async(&send).await
        }
    };
    match result {
        Ok(response) => send.tokens(response),
        Err(err) => {
            let sent: Vec<&str> = sent.iter().map(String::as_str).collect();
            let failure = token_failure(&err, send.status());
            let cause = token_error(err, &endpoints.token, config);
            let error = match failure {
                Some(failure) => Error::TokenRequest {
                    failure,
                    cause: Box::new(cause),
                },
                None => cause,
            };
            Err(error.redact_secrets(&sent))
        }
    }
}

/// What a failed token request amounts to for the SDK-compatible API (see `TokenFailure`):
/// an HTTP error status other than `invalid_grant`, or a 2xx reply that is not a token
/// response. `None` for everything else (transport failures, `invalid_grant`, a proxy's 407).
fn token_failure(
    err: &RequestTokenError<Transport, StandardErrorResponse<BasicErrorResponseType>>,
    last_status: Option<u16>,
) -> Option<TokenFailure> {
    let from_status = |status: u16| match status {
        200..=299 => TokenFailure::InvalidResponse,
        _ => TokenFailure::Status {
            status,
            description: None,
        },
    };
    match err {
        RequestTokenError::ServerResponse(response) => match response.error() {
            BasicErrorResponseType::InvalidGrant => None,
            _ => Some(TokenFailure::Status {
                status: last_status.unwrap_or(400),
                description: response
                    .error_description()
                    .map(|d| sanitize::description(d)),
            }),
        },
        RequestTokenError::Request(Transport::Unexpected(_, status)) => Some(from_status(*status)),
        RequestTokenError::Parse(..) => last_status.map(from_status),
        _ => None,
    }
}

/// A token response that was received but cannot be used (no access token, a token that does
/// not decode), as the SDK-compatible API reports it: `cause` is what the command reports.
pub fn unusable_response(cause: Error) -> Error {
    Error::TokenRequest {
        failure: TokenFailure::InvalidResponse,
        cause: Box::new(cause),
    }
}

/// Hands `oauth2`'s requests to the shared reqwest client, and turns replies that are not a
/// token endpoint's (5xx, HTML, no JSON) into transport errors that keep the status.
struct Sender {
    client: reqwest::Client,
    config: HttpConfig,
    /// The last JSON body received, kept verbatim: the reference stores the raw token response.
    last_body: std::sync::Mutex<Option<Vec<u8>>>,
    /// The HTTP status of the last JSON reply (an OAuth error response does not carry it).
    last_status: std::sync::Mutex<Option<u16>>,
}

impl Sender {
    /// A sender on the client for `config`.
    fn new(config: &HttpConfig) -> Result<Self> {
        Ok(Sender {
            client: http::client(config)?,
            config: config.clone(),
            last_body: Default::default(),
            last_status: Default::default(),
        })
    }

    /// The HTTP status of the last JSON reply.
    fn status(&self) -> Option<u16> {
        *self.last_status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The token response as received (the raw body when it is a JSON object).
    fn tokens(&self, response: TokenResponse) -> Result<Tokens> {
        let raw = self
            .last_body
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        to_tokens(response, raw)
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for Sender {
    type Error = Transport;
    type Future =
        Pin<Box<dyn Future<Output = std::result::Result<HttpResponse, Transport>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let response = send(self.client.clone(), &self.config, request).await?;
            *self.last_status.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(response.status().as_u16());
            *self.last_body.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(response.body().clone());
            Ok(normalised(response))
        })
    }
}

/// A successful token response as `oauth2`'s typed parse can take it, as the JS SDK and other
/// clients read it: no `token_type` means `Bearer` (Keycloak always sends it; some servers do
/// not), and an `expires_in` sent as a string holding a number counts as that number (one that
/// does not hold one as absent). What is stored stays the raw reply (`last_body`).
fn normalised(response: HttpResponse) -> HttpResponse {
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(&body) else {
        return HttpResponse::from_parts(parts, body);
    };
    let mut changed = false;
    if !map.contains_key("token_type") {
        map.insert("token_type".into(), Value::from("Bearer"));
        changed = true;
    }
    if map.get("expires_in").is_some_and(Value::is_string) {
        match expiry::seconds_field(&map, "expires_in").filter(|s| *s >= 0.0) {
            Some(seconds) => map.insert("expires_in".into(), Value::from(seconds as u64)),
            None => map.remove("expires_in"),
        };
        changed = true;
    }
    let body = match changed {
        true => serde_json::to_vec(&map).unwrap_or(body),
        false => body,
    };
    HttpResponse::from_parts(parts, body)
}

async fn send(
    client: reqwest::Client,
    config: &HttpConfig,
    request: HttpRequest,
) -> std::result::Result<HttpResponse, Transport> {
    let (parts, body) = request.into_parts();
    let url = parts.uri.to_string();
    let response = client
        .request(parts.method, &url)
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let status = response.status();
    if let Some(err) = crate::net::classify::proxy_status(status.as_u16(), &url, config) {
        return Err(Transport::Classified(Box::new(err)));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let is_json = content_type
        .as_deref()
        .is_some_and(|ct| ct.contains("json"));
    if status.is_server_error() || !is_json {
        return Err(Transport::Unexpected(
            http::describe_body(content_type.as_deref(), status.as_u16()),
            status.as_u16(),
        ));
    }
    let mut builder = http::response_builder(status);
    if let Some(ct) = content_type {
        builder = builder.header(reqwest::header::CONTENT_TYPE, ct);
    }
    let bytes = body::read(response, &url, config)
        .await
        .map_err(|e| Transport::Classified(Box::new(e)))?;
    builder
        .body(bytes)
        .map_err(|e| Transport::Unexpected(format!("an invalid reply ({e})"), status.as_u16()))
}

/// The raw token response when it is a JSON object, else the parsed one re-serialized.
fn to_tokens(response: TokenResponse, raw: Option<Vec<u8>>) -> Result<Tokens> {
    if let Some(Ok(Value::Object(map))) = raw.map(|b| serde_json::from_slice::<Value>(&b)) {
        return Ok(Tokens(map));
    }
    match serde_json::to_value(&response) {
        Ok(Value::Object(map)) => Ok(Tokens(map)),
        _ => Err(Error::BadResponse {
            url: String::new(),
            detail: "the token response is not an object".into(),
            status: None,
        }),
    }
}

fn token_error(
    err: RequestTokenError<Transport, StandardErrorResponse<BasicErrorResponseType>>,
    url: &str,
    config: &HttpConfig,
) -> Error {
    let url_shown = crate::sanitize::display_url(url);
    match err {
        RequestTokenError::ServerResponse(response) => {
            let description = response
                .error_description()
                .map(|d| sanitize::description(d));
            match response.error() {
                BasicErrorResponseType::InvalidGrant => Error::InvalidGrant(description),
                other => Error::AuthFailed {
                    detail: description.unwrap_or_else(|| sanitize::description(other.as_ref())),
                    status: None,
                },
            }
        }
        RequestTokenError::Request(Transport::Http(e)) => http::transport_error(&e, url, config),
        RequestTokenError::Request(Transport::Classified(e)) => *e,
        RequestTokenError::Request(Transport::Unexpected(detail, _)) => Error::BadResponse {
            url: url_shown,
            detail,
            status: None,
        },
        RequestTokenError::Parse(e, _) => Error::BadResponse {
            url: url_shown,
            detail: format!(
                "malformed token response ({})",
                sanitize::description(&e.inner().to_string())
            ),
            status: None,
        },
        RequestTokenError::Other(detail) => Error::BadResponse {
            url: url_shown,
            detail: sanitize::description(&detail),
            status: None,
        },
    }
}

/// The browser login URL (spec 3.7) with an S256 PKCE challenge and a `state` value, plus the
/// reference's extra parameters (`access_type=offline`, `grant_type=authorization_code`).
pub fn authorize_url(
    endpoints: &Endpoints,
    client_id: &str,
    redirect_uri: &str,
    challenge: oauth2::PkceCodeChallenge,
    state: oauth2::CsrfToken,
) -> Result<String> {
    let auth_url = oauth2::AuthUrl::new(endpoints.auth.clone())
        .map_err(|e| Error::InvalidArgument(format!("Invalid base URL: {e}")))?;
    let redirect = oauth2::RedirectUrl::new(redirect_uri.to_string())
        .map_err(|e| Error::InvalidArgument(format!("Invalid redirect URI: {e}")))?;
    let client = oauth2::basic::BasicClient::new(ClientId::new(client_id.to_string()))
        .set_auth_uri(auth_url)
        .set_redirect_uri(redirect);
    let (url, _) = client
        .authorize_url(move || state)
        .add_scope(Scope::new("openid".into()))
        .set_pkce_challenge(challenge)
        .add_extra_param("access_type", "offline")
        .add_extra_param("grant_type", "authorization_code")
        .url();
    Ok(url.to_string())
}

/// Decodes a JWT's claims without verifying it, as the reference does (the server is trusted;
/// the token is only read for `email`, `guid`, `orgId` and `identity_provider`).
pub fn decode_claims(token: &str) -> Result<Map<String, Value>> {
    jsonwebtoken::dangerous::insecure_decode::<Map<String, Value>>(token)
        .map(|data| data.claims)
        .map_err(|_| Error::AuthFailed {
            detail: "Invalid server response".into(),
            status: None,
        })
}

/// `GET {userinfo}` with the access token. Callers treat failures as "no extra info", as the
/// reference does.
pub async fn userinfo(
    endpoints: &Endpoints,
    access_token: &str,
    config: &HttpConfig,
) -> Result<Map<String, Value>> {
    let request = http::client(config)?
        .get(&endpoints.userinfo)
        .header("Accept", "application/json")
        .bearer_auth(access_token);
    let response = http::send(request, &endpoints.userinfo, config).await?;
    let status = response.status();
    let bytes = body::read(response, &endpoints.userinfo, config).await?;
    let body: Value = serde_json::from_slice(&bytes).map_err(|e| Error::BadResponse {
        url: crate::sanitize::display_url(&endpoints.userinfo),
        detail: format!("malformed JSON ({e})"),
        status: Some(status.as_u16()),
    })?;
    match body {
        Value::Object(map) if status.is_success() => Ok(map),
        _ => Err(Error::BadResponse {
            url: crate::sanitize::display_url(&endpoints.userinfo),
            detail: format!("HTTP {}", status.as_u16()),
            status: Some(status.as_u16()),
        }),
    }
}

/// `GET {wellKnown}`: the server's OpenID configuration.
pub async fn server_info(endpoints: &Endpoints, config: &HttpConfig) -> Result<Value> {
    let url = &endpoints.well_known;
    let request = http::client(config)?
        .get(url)
        .header("Accept", "application/json");
    let response = http::send(request, url, config).await?;
    let status = response.status();
    if !status.is_success() {
        return Err(Error::BadResponse {
            url: crate::sanitize::display_url(url),
            detail: format!("Failed to get server info (status {})", status.as_u16()),
            status: Some(status.as_u16()),
        });
    }
    let bytes = body::read(response, url, config).await?;
    serde_json::from_slice(&bytes).map_err(|e| Error::BadResponse {
        url: crate::sanitize::display_url(url),
        detail: format!("malformed JSON ({e})"),
        status: Some(status.as_u16()),
    })
}

/// Revokes a token at the RFC 7009 endpoint; `Ok(true)` when the server confirmed. The request
/// is a plain form POST (`token`, `token_type_hint`, `client_id`, plus the client's credentials
/// when known). `oauth2`'s revocation helper refuses non-HTTPS URLs outright; we allow plain HTTP
/// to loopback addresses only (local identity servers), never to other hosts.
pub async fn revoke(
    revocation_url: &str,
    client_id: &str,
    credentials: Option<&Credentials>,
    token: &str,
    hint: &str,
    config: &HttpConfig,
) -> Result<bool> {
    let url = url::Url::parse(revocation_url).map_err(|e| Error::BadResponse {
        url: crate::sanitize::display_url(revocation_url),
        detail: format!("invalid revocation endpoint ({e})"),
        status: None,
    })?;
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if url.scheme() != "https" && !loopback {
        return Ok(false);
    }
    let mut form: Vec<(&str, String)> = vec![
        ("token", token.to_string()),
        ("token_type_hint", hint.to_string()),
        ("client_id", client_id.to_string()),
    ];
    match credentials {
        Some(Credentials::ClientSecret(secret)) => {
            form.push(("client_secret", secret.expose().to_string()))
        }
        Some(Credentials::SignedJwt(key)) => {
            form.push(("client_assertion_type", credentials::JWT_BEARER.to_string()));
            form.push((
                "client_assertion",
                key.assertion(client_id, revocation_url)?,
            ));
        }
        Some(Credentials::Password { .. }) | None => {}
    }
    let request = http::client(config)?.post(url).form(&form);
    let response = http::send(request, revocation_url, config).await?;
    Ok(response.status().is_success())
}
