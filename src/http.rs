//! The one HTTP client (reqwest + rustls), built lazily on first use and shared per timeout so
//! that every call in a process reuses one connection pool. Redirects are not followed (as
//! oauth2 advises). Transport failures become typed errors here, once.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::error::Error;

/// Returns the shared client for a request timeout.
pub fn client(timeout: Duration) -> reqwest::Client {
    static CLIENTS: OnceLock<Mutex<HashMap<Duration, reqwest::Client>>> = OnceLock::new();
    let mut clients = CLIENTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    clients
        .entry(timeout)
        .or_insert_with(|| {
            reqwest::Client::builder()
                .connect_timeout(timeout.min(Duration::from_secs(10)))
                .timeout(timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("the HTTP client builds")
        })
        .clone()
}

/// Maps a transport error to the core error, naming the URL (never a query string, which may
/// carry a token hint).
pub fn transport_error(err: &reqwest::Error, url: &str, timeout: Duration) -> Error {
    let url = display_url(url);
    if err.is_timeout() {
        Error::Timeout {
            url,
            seconds: timeout.as_secs().max(1),
        }
    } else {
        let mut detail = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(inner) = source {
            detail = inner.to_string();
            source = inner.source();
        }
        Error::Unreachable {
            url,
            detail: display_url(&detail),
        }
    }
}

/// A URL without its userinfo and query string.
pub fn display_url(url: &str) -> String {
    crate::sanitize::display_url(url)
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
