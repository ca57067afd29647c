//! The one place transport failures become errors that say what to fix: untrusted, expired or
//! wrong-host certificates, other TLS failures, a proxy that wants credentials or cannot be
//! reached, timeouts, and everything else as "unreachable".
//!
//! reqwest nests the cause several levels deep (hyper-util's connect error, an `io::Error`
//! wrapping rustls' error, hyper-util's private tunnel error), so the whole chain is walked,
//! descending into `io::Error`s by `get_ref` (their `source()` skips the wrapped error).

use std::error::Error as StdError;

use rustls::CertificateError;

use super::trust::CertProblem;
use super::HttpConfig;
use crate::error::Error;

/// Every error in the chain, outermost first.
pub fn chain<'a>(err: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = vec![];
    let mut next = Some(err);
    while let Some(e) = next {
        out.push(e);
        if out.len() > 32 {
            break;
        }
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn StdError + 'static)),
                None => None,
            },
            None => e.source(),
        };
    }
    out
}

/// The host part of a URL, for messages.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| url.to_string())
}

/// A TLS failure in the chain, as an error (`None`: not a TLS failure).
pub fn tls_error(chain: &[&(dyn StdError + 'static)], host: &str) -> Option<Error> {
    for e in chain {
        if let Some(problem) = e.downcast_ref::<CertProblem>() {
            return Some(cert_error(problem));
        }
        if let Some(rustls::Error::InvalidCertificate(CertificateError::Other(other))) =
            e.downcast_ref::<rustls::Error>()
        {
            if let Some(problem) = other.0.downcast_ref::<CertProblem>() {
                return Some(cert_error(problem));
            }
        }
    }
    chain.iter().find_map(|e| {
        e.downcast_ref::<rustls::Error>().map(|tls| {
            let detail = match tls {
                rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired)
                | rustls::Error::AlertReceived(rustls::AlertDescription::HandshakeFailure)
                | rustls::Error::AlertReceived(rustls::AlertDescription::BadCertificate)
                | rustls::Error::AlertReceived(rustls::AlertDescription::UnknownCA) => format!(
                    "{tls}. If the server requires a client certificate, set network.certFile and network.keyFile"
                ),
                other => other.to_string(),
            };
            Error::TlsFailed {
                host: host.to_string(),
                detail,
            }
        })
    })
}

/// The error for a refused server certificate.
pub fn cert_error(problem: &CertProblem) -> Error {
    let host = problem.host.clone();
    match &problem.kind {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => Error::TlsExpired {
            host,
            detail: match &problem.not_after {
                Some(date) => format!("expired on {date}"),
                None => "has expired".into(),
            },
        },
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            Error::TlsExpired {
                host,
                detail: "is not valid yet (check this computer's clock)".into(),
            }
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            Error::TlsHostname {
                host,
                names: if problem.names.is_empty() {
                    "other names".into()
                } else {
                    problem.names.join(", ")
                },
            }
        }
        CertificateError::UnknownIssuer => Error::TlsUntrusted {
            host,
            issuer: describe_issuer(problem),
        },
        other => Error::TlsUntrusted {
            host,
            issuer: format!("{} ({other:?})", describe_issuer(problem)),
        },
    }
}

fn describe_issuer(problem: &CertProblem) -> String {
    match &problem.issuer {
        Some(issuer) => format!("\"{issuer}\""),
        None => "a certificate authority".into(),
    }
}

/// Maps a reqwest failure to the core error, naming the URL (never its query string, which may
/// carry a token hint) or the proxy (never its password).
pub fn transport_error(err: &reqwest::Error, url: &str, config: &HttpConfig) -> Error {
    let shown = crate::sanitize::display_url(url);
    let chain = chain(err);
    if let Some(tls) = tls_error(&chain, &host_of(url)) {
        return tls;
    }
    let text = |needle: &str| chain.iter().any(|e| e.to_string().contains(needle));
    if let Some(proxy) = config.proxy.for_url(url) {
        // hyper-util's tunnel error is private: its messages are the only handle.
        if text("proxy authorization required") {
            return proxy_auth(proxy);
        }
        if text("tunnel error: unsuccessful") {
            return Error::Unreachable {
                url: shown,
                detail: format!("the proxy {} would not connect to it", proxy.redacted()),
            };
        }
        if err.is_connect() && !err.is_timeout() {
            return Error::ProxyUnreachable {
                proxy: proxy.redacted(),
                setting: proxy.setting.to_string(),
                detail: innermost(&chain),
            };
        }
    }
    let refused = chain.iter().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
    });
    if err.is_timeout() {
        Error::Timeout {
            url: shown,
            seconds: config.timeout.as_secs().max(1),
        }
    } else if refused {
        let address = url::Url::parse(url)
            .ok()
            .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
            .unwrap_or_default();
        Error::ConnectionRefused {
            url: shown,
            address,
        }
    } else {
        Error::Unreachable {
            url: shown,
            detail: crate::sanitize::display_url(&innermost(&chain)),
        }
    }
}

/// A 407 from a forward proxy (plain-HTTP targets are not tunnelled).
pub fn proxy_status(status: u16, url: &str, config: &HttpConfig) -> Option<Error> {
    (status == 407)
        .then(|| config.proxy.for_url(url))
        .flatten()
        .map(proxy_auth)
}

fn proxy_auth(proxy: &super::ProxyUrl) -> Error {
    Error::ProxyAuth {
        proxy: proxy.redacted(),
        setting: proxy.setting.to_string(),
        rejected: proxy.has_credentials(),
    }
}

fn innermost(chain: &[&(dyn StdError + 'static)]) -> String {
    chain.last().map(|e| e.to_string()).unwrap_or_default()
}
