//! The device authorization grant (RFC 8628) on top of `oauth2`'s device-code support: ask the
//! realm's device authorization endpoint for a code (section 3.1), then poll the token endpoint
//! until the user approves or refuses it, or it expires (section 3.4–3.5). `oauth2` does the
//! polling: it keeps the server's `interval`, adds 5 s on `slow_down`, keeps going on
//! `authorization_pending`, backs off on transport errors, and gives up after `expires_in`.

use std::time::Duration;

use oauth2::basic::BasicErrorResponseType;
use oauth2::{
    AuthType, ClientId, DeviceAuthorizationUrl, DeviceCodeErrorResponseType, RequestTokenError,
    Scope, StandardDeviceAuthorizationResponse, TokenUrl,
};

use super::{token_error, Endpoints, OAuthClient, Sender};
use crate::account::Tokens;
use crate::error::{Error, Result};
use crate::http::HttpConfig;

/// What the user needs to approve the login, plus the (secret) device code to poll with.
#[derive(Debug)]
pub struct DeviceCode {
    response: StandardDeviceAuthorizationResponse,
}

impl DeviceCode {
    /// The page where the user enters the code.
    pub fn verification_uri(&self) -> String {
        self.response.verification_uri().to_string()
    }

    /// The page with the code already filled in, when the server offers one.
    pub fn verification_uri_complete(&self) -> Option<String> {
        self.response
            .verification_uri_complete()
            .map(|u| u.secret().to_string())
    }

    /// The code the user types in (short-lived and single-use; shown, never logged).
    pub fn user_code(&self) -> String {
        self.response.user_code().secret().to_string()
    }

    /// How long the code stays valid.
    pub fn expires_in(&self) -> Duration {
        self.response.expires_in()
    }

    /// The minimum time between two polls.
    pub fn interval(&self) -> Duration {
        self.response.interval()
    }
}

fn client(client_id: &str, token_url: &str) -> Result<OAuthClient> {
    let token_url = TokenUrl::new(token_url.to_string())
        .map_err(|e| Error::InvalidArgument(format!("Invalid base URL: {e}")))?;
    Ok(oauth2::Client::new(ClientId::new(client_id.to_string()))
        .set_token_uri(token_url)
        .set_auth_type(AuthType::RequestBody))
}

/// `POST {device_authorization_endpoint}` for the public client, `scope=openid`.
pub async fn request_code(
    endpoints: &Endpoints,
    device_url: &str,
    client_id: &str,
    config: &HttpConfig,
) -> Result<DeviceCode> {
    let url =
        DeviceAuthorizationUrl::new(device_url.to_string()).map_err(|e| Error::BadResponse {
            url: crate::sanitize::display_url(device_url),
            detail: format!("invalid device_authorization_endpoint ({e})"),
            status: None,
        })?;
    let client = client(client_id, &endpoints.token)?.set_device_authorization_url(url);
    let send = Sender::new(config)?;
    let result = client
        .exchange_device_code()
        .add_scope(Scope::new("openid".into()))
        .request_async(&send)
        .await;
    match result {
        Ok(response) => Ok(DeviceCode { response }),
        // The server has the endpoint but will not run the flow for this client.
        Err(RequestTokenError::ServerResponse(e))
            if matches!(
                e.error(),
                BasicErrorResponseType::UnauthorizedClient
                    | BasicErrorResponseType::UnsupportedGrantType
                    | BasicErrorResponseType::InvalidClient
            ) =>
        {
            Err(Error::DeviceFlowUnsupported(format!(
                "it refuses the device login for client \"{client_id}\" ({})",
                e.error_description()
                    .map(|d| crate::sanitize::description(d))
                    .unwrap_or_else(|| e.error().to_string())
            )))
        }
        Err(e) => Err(token_error(e, device_url, config)),
    }
}

/// Polls the token endpoint with the device code until the user approved the login (the raw
/// token response), refused it (`ERR_AUTH_DENIED`), or the code expired
/// (`ERR_DEVICE_CODE_EXPIRED`). The first poll waits one interval, as RFC 8628 asks.
pub async fn poll(
    endpoints: &Endpoints,
    client_id: &str,
    code: &DeviceCode,
    config: &HttpConfig,
) -> Result<Tokens> {
    let client = client(client_id, &endpoints.token)?;
    let send = Sender::new(config)?;
    tokio::time::sleep(code.interval()).await;
    let result = client
        .exchange_device_access_token(&code.response)
        .request_async(&send, tokio::time::sleep, None)
        .await;
    match result {
        Ok(response) => send.tokens(response),
        Err(RequestTokenError::ServerResponse(e)) => {
            let description = e
                .error_description()
                .map(|d| crate::sanitize::description(d));
            Err(match e.error() {
                DeviceCodeErrorResponseType::AccessDenied => Error::AuthDenied(format!(
                    "the login was refused in the browser{}",
                    description.map(|d| format!(" ({d})")).unwrap_or_default()
                )),
                // `invalid_grant` while polling: the server no longer knows the code (servers
                // that drop expired codes answer so instead of `expired_token`)
                DeviceCodeErrorResponseType::ExpiredToken
                | DeviceCodeErrorResponseType::Basic(BasicErrorResponseType::InvalidGrant) => {
                    Error::DeviceCodeExpired
                }
                other => Error::AuthFailed {
                    detail: description.unwrap_or_else(|| other.to_string()),
                    status: None,
                },
            })
        }
        Err(RequestTokenError::Request(e)) => Err(Error::BadResponse {
            url: crate::sanitize::display_url(&endpoints.token),
            detail: e.to_string(),
            status: None,
        }),
        Err(RequestTokenError::Parse(e, _)) => Err(Error::BadResponse {
            url: crate::sanitize::display_url(&endpoints.token),
            detail: format!("malformed token response ({})", e.inner()),
            status: None,
        }),
        Err(RequestTokenError::Other(detail)) => Err(Error::BadResponse {
            url: crate::sanitize::display_url(&endpoints.token),
            detail,
            status: None,
        }),
    }
}
