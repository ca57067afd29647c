//! The HTTP entry points of the core. Every request goes through a client built from the one
//! `HttpConfig` in `Settings` (trust, proxy, client certificate, `strictSSL`, timeout; see
//! `net`), shared per configuration so that every call in a process reuses one connection pool.
//! Redirects are not followed (as oauth2 advises). Transport failures become typed errors here,
//! once (`net::classify`).

use crate::error::{Error, Result};

pub use crate::net::HttpConfig;

/// The shared client for a configuration.
pub fn client(config: &HttpConfig) -> Result<reqwest::Client> {
    config.client()
}

/// Sends a request and maps transport failures (and a proxy's 407) to the core error.
pub async fn send(
    request: reqwest::RequestBuilder,
    url: &str,
    config: &HttpConfig,
) -> Result<reqwest::Response> {
    let response = request
        .send()
        .await
        .map_err(|e| transport_error(&e, url, config))?;
    match crate::net::classify::proxy_status(response.status().as_u16(), url, config) {
        Some(err) => Err(err),
        None => Ok(response),
    }
}

/// Maps a transport error to the core error, naming the URL (never a query string, which may
/// carry a token hint) or the proxy (never its password).
pub fn transport_error(err: &reqwest::Error, url: &str, config: &HttpConfig) -> Error {
    crate::net::classify::transport_error(err, url, config)
}

/// Describes a non-JSON body for an error message, without echoing it.
pub fn describe_body(content_type: Option<&str>, status: u16) -> String {
    let kind = match content_type {
        Some(ct) if ct.contains("html") => "an HTML page",
        Some(ct) if ct.contains("json") => "malformed JSON",
        Some(_) | None => "a non-JSON body",
    };
    format!("HTTP {status} with {kind}")
}

/// An `http::Response` builder with the given status (for handing replies to `oauth2`).
pub fn response_builder(status: reqwest::StatusCode) -> oauth2::http::response::Builder {
    oauth2::http::Response::builder().status(status.as_u16())
}
