//! `axway auth doctor`: checks the set-up step by step, each bounded in time, and says what to do
//! about each failure. The report is data (`--json`, JS `doctor()`); the command renders it.
//!
//! Checks: the config file; the token store (type, location, readable — for `secure`, the
//! keychain answering within its timeout); then for the base URL and the platform URL: the proxy
//! in use, DNS, TCP connect (to the proxy when there is one, through a CONNECT tunnel), the TLS
//! handshake (issuer, expiry, which trust source accepted it; done directly with rustls over the
//! same trust as the HTTP client), the OpenID configuration (or any answer from the platform)
//! through the real HTTP client; and the clock against the servers' `Date` headers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rustls::pki_types::ServerName;
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::trust::{self, CertInfo};
use super::{classify, HttpConfig};
use crate::error::Error;
use crate::settings::{AuthOptions, Settings, StoreKind};

/// Largest clock difference that is not reported.
const MAX_SKEW_SECS: i64 = 60;
/// The longest any one network check may take.
const MAX_CHECK: Duration = Duration::from_secs(10);

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    /// Works, but should be fixed (certificate verification off, expiry close).
    Warn,
    Fail,
    /// Not run because an earlier check failed.
    Skip,
}

/// One check.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `config`, `store`, `proxy`, `dns`, `tcp`, `tls`, `openid`, `http`, `clock`, `settings`.
    pub id: &'static str,
    /// The host checked, for network checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub title: String,
    pub status: Status,
    /// What was found (one line).
    pub detail: String,
    /// What to do about it (one line), for failures and warnings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
    /// The error's stable code, for failures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Structured details (addresses, issuer, expiry, trust source, skew, …).
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub data: Map<String, Value>,
}

/// Everything `doctor` found; `ok` when no check failed.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ok: bool,
    pub checks: Vec<Check>,
}

impl Check {
    fn new(
        id: &'static str,
        title: impl Into<String>,
        status: Status,
        detail: impl Into<String>,
    ) -> Self {
        Check {
            id,
            target: None,
            title: title.into(),
            status,
            detail: detail.into(),
            advice: None,
            code: None,
            data: Map::new(),
        }
    }

    fn pass(id: &'static str, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(id, title, Status::Pass, detail)
    }

    fn fail(id: &'static str, title: impl Into<String>, err: &Error) -> Self {
        let mut check = Self::new(id, title, Status::Fail, fact(err));
        check.code = Some(err.code().to_string());
        check.advice = Some(advice(err));
        check
    }

    fn skip(id: &'static str, title: impl Into<String>, why: &str) -> Self {
        Self::new(id, title, Status::Skip, format!("skipped: {why}"))
    }

    fn target(mut self, host: &str) -> Self {
        self.target = Some(host.to_string());
        self
    }

    fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.data.insert(key.to_string(), value.into());
        self
    }
}

/// What went wrong, without the advice the error's message carries (the check has its own).
fn fact(err: &Error) -> String {
    match err {
        Error::TlsUntrusted { host, issuer } => {
            format!("the certificate of {host} is issued by {issuer}, which is not trusted")
        }
        Error::TlsExpired { host, detail } => format!("the certificate of {host} {detail}"),
        Error::TlsHostname { host, names } => {
            format!("the certificate presented for {host} is only valid for {names}")
        }
        Error::ProxyAuth {
            proxy,
            setting,
            rejected,
        } => format!(
            "the proxy {proxy} (from {setting}) answered 407: {}",
            if *rejected {
                "it rejected the credentials"
            } else {
                "it requires credentials"
            }
        ),
        Error::ProxyUnreachable {
            proxy,
            setting,
            detail,
        } => format!("cannot connect to the proxy {proxy} (from {setting}): {detail}"),
        Error::Unreachable { url, detail } => format!("{url}: {detail}"),
        Error::Timeout { url, seconds } => format!("{url}: no answer within {seconds} s"),
        other => other.to_string(),
    }
}

/// One line of advice per error code.
pub fn advice(err: &Error) -> String {
    match err.code() {
        "ERR_TLS_UNTRUSTED" => "Trust the CA that issued it: NODE_EXTRA_CA_CERTS=<pem file>, `axway config set network.caFile <pem file>`, or add it to the OS trust store".into(),
        "ERR_TLS_EXPIRED" => "The server (or the TLS-inspecting proxy) must renew its certificate; if the date looks wrong, fix this computer's clock".into(),
        "ERR_TLS_HOSTNAME" => "Check auth.baseUrl and auth.platformUrl, and the certificate of any proxy that intercepts TLS".into(),
        "ERR_TLS_FAILED" => "If the server needs a client certificate, set network.certFile and network.keyFile".into(),
        "ERR_PROXY_AUTH" => "Put the proxy's user name and password in its URL: http://user:password@host:port (network.proxy or HTTPS_PROXY)".into(),
        "ERR_PROXY_UNREACHABLE" => "Check the proxy URL (network.proxy or HTTPS_PROXY), or list the host in NO_PROXY to go direct".into(),
        "ERR_TIMEOUT" | "ERR_UNREACHABLE" => "Check the URL and the network; if a firewall only lets a proxy out, set network.proxy or HTTPS_PROXY".into(),
        "ERR_BAD_RESPONSE" => "Check that auth.baseUrl points at an Axway identity server".into(),
        "ERR_CONFIG_INVALID" => "Fix the JSON of the config file or move it aside".into(),
        "ERR_STORE_CORRUPT" => "Move the store aside with `axway auth logout --reset`, then log in again".into(),
        "ERR_SECURE_STORE_UNAVAILABLE" => "Unlock the OS keychain, or use the file store: axway config set auth.tokenStoreType file".into(),
        _ => "See the message above".into(),
    }
}

/// Runs every check.
pub async fn run(options: &AuthOptions) -> Report {
    let mut checks = vec![];
    let settings = match config_and_settings(options, &mut checks) {
        Some(settings) => settings,
        None => return finish(checks),
    };
    checks.push(store_check(&settings).await);

    let budget = settings.request_timeout.min(MAX_CHECK);
    let mut targets = vec![(settings.base_url.clone(), true)];
    if origin(&settings.platform_url) != origin(&settings.base_url) {
        targets.push((settings.platform_url.clone(), false));
    }
    let mut server_date = None;
    for (url, identity) in targets {
        let date = url_checks(&settings, &url, identity, budget, &mut checks).await;
        server_date = server_date.or(date);
    }
    checks.push(clock_check(server_date));
    finish(checks)
}

fn finish(checks: Vec<Check>) -> Report {
    Report {
        ok: checks.iter().all(|c| c.status != Status::Fail),
        checks,
    }
}

fn origin(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

/// The config file check, then the settings (which need a readable config file).
fn config_and_settings(options: &AuthOptions, checks: &mut Vec<Check>) -> Option<Settings> {
    const TITLE: &str = "Config file";
    let home = match Settings::home_dir_of(options) {
        Ok(home) => home,
        Err(err) => {
            checks.push(Check::fail("config", TITLE, &err));
            return None;
        }
    };
    let path = crate::config::config_path(&home);
    match crate::config::Config::load(&home) {
        Ok(_) if path.exists() => checks.push(
            Check::pass("config", TITLE, format!("{} is readable", path.display()))
                .with("path", path.display().to_string()),
        ),
        Ok(_) => checks.push(
            Check::pass(
                "config",
                TITLE,
                format!("{} does not exist (defaults apply)", path.display()),
            )
            .with("path", path.display().to_string()),
        ),
        Err(err) => {
            checks
                .push(Check::fail("config", TITLE, &err).with("path", path.display().to_string()));
            return None;
        }
    }
    match Settings::resolve(options) {
        Ok(settings) => Some(settings),
        Err(err) => {
            checks.push(Check::fail("settings", "Settings", &err));
            None
        }
    }
}

/// Token store: type, location, readable (the keychain answering, for `secure`).
async fn store_check(settings: &Settings) -> Check {
    const TITLE: &str = "Token store";
    let settings = settings.clone();
    let work = tokio::task::spawn_blocking(move || -> crate::Result<(String, usize)> {
        let (home, keychain) = (&settings.home_dir, settings.keychain_timeout);
        let service = match settings.secure_service_name.as_str() {
            "" => crate::settings::DEFAULT_SECURE_SERVICE_NAME,
            name => name,
        };
        // `secure`: the keychain must answer (within its own timeout); reading an absent store
        // would succeed without it.
        let secure_path = match settings.store_kind {
            StoreKind::Secure => match crate::store::SecureStore::probe(home, service, keychain) {
                Ok(secure) => Some(secure.path().to_path_buf()),
                Err(reason) => {
                    return Err(Error::SecureStoreUnavailable(format!(
                        "The OS keychain did not answer ({reason})"
                    )))
                }
            },
            _ => None,
        };
        let store = crate::auth::open_store(&settings)?;
        let Some(store) = store else {
            return Ok((
                "no token store (tokenStoreType null): nothing is kept".into(),
                0,
            ));
        };
        let auto = if settings.store_kind == StoreKind::Auto {
            "auto: "
        } else {
            ""
        };
        let (kind, path) = match settings.store_kind {
            StoreKind::Memory => ("memory".to_string(), None),
            _ if store.is_secure() => (
                format!("{auto}secure (key in the OS keychain, service \"{service}\")"),
                secure_path.or_else(|| {
                    crate::store::SecureStore::probe(home, service, keychain)
                        .ok()
                        .map(|s| s.path().to_path_buf())
                }),
            ),
            StoreKind::Auto => (
                "auto: file (the OS keychain is not available)".into(),
                Some(crate::store::FileStore::file(home).path().to_path_buf()),
            ),
            _ => (
                "file".into(),
                Some(crate::store::FileStore::file(home).path().to_path_buf()),
            ),
        };
        let accounts = store.load()?.len();
        let at = path
            .map(|p| format!(" at {}", p.display()))
            .unwrap_or_default();
        Ok((
            format!(
                "{kind}{at}, readable ({accounts} account{})",
                if accounts == 1 { "" } else { "s" }
            ),
            accounts,
        ))
    });
    match tokio::time::timeout(Duration::from_secs(15), work).await {
        Ok(Ok(Ok((detail, accounts)))) => {
            Check::pass("store", TITLE, detail).with("accounts", accounts)
        }
        Ok(Ok(Err(err))) => Check::fail("store", TITLE, &err),
        Ok(Err(join)) => Check::fail(
            "store",
            TITLE,
            &Error::Unsupported(format!("the store check failed ({join})")),
        ),
        Err(_) => Check::fail(
            "store",
            TITLE,
            &Error::SecureStoreUnavailable("The token store did not answer within 15 s".into()),
        ),
    }
}

/// Proxy, DNS, TCP, TLS and HTTP checks for one URL; returns the server's clock when it
/// answered. `openid`: the URL is the identity server (check its OpenID configuration).
async fn url_checks(
    settings: &Settings,
    url: &str,
    openid: bool,
    budget: Duration,
    checks: &mut Vec<Check>,
) -> Option<SystemTime> {
    let http = &settings.http;
    let parsed = match url::Url::parse(url) {
        Ok(u) if u.host_str().is_some() => u,
        _ => {
            checks.push(Check::fail(
                "dns",
                format!("URL {url}"),
                &Error::InvalidArgument(format!(
                    "\"{url}\" is not a URL: check auth.baseUrl and auth.platformUrl"
                )),
            ));
            return None;
        }
    };
    let host = parsed
        .host_str()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_string();
    let port = parsed.port_or_known_default().unwrap_or(443);
    let shown = classify::host_of(url);
    let https = parsed.scheme() == "https";

    // Proxy in use.
    let proxy = http.proxy.for_url(url);
    checks.push(
        match (proxy, &http.proxy.proxy) {
            (Some(p), _) => Check::pass(
                "proxy",
                format!("Proxy for {shown}"),
                format!("{} (from {})", p.redacted(), p.setting),
            )
            .with("proxy", p.redacted())
            .with("setting", p.setting),
            (None, Some(p)) => Check::pass(
                "proxy",
                format!("Proxy for {shown}"),
                format!("none: NO_PROXY bypasses {}", p.redacted()),
            )
            .with("bypassed", true),
            (None, None) => Check::pass(
                "proxy",
                format!("Proxy for {shown}"),
                "none (direct connection)",
            ),
        }
        .target(&shown),
    );

    // DNS: the proxy's name when there is one (the proxy resolves the target's).
    let (dns_host, dns_port) = match proxy {
        Some(p) => p.host_port(),
        None => (host.clone(), port),
    };
    let dns_title = match proxy {
        Some(_) => format!("DNS {dns_host} (proxy)"),
        None => format!("DNS {dns_host}"),
    };
    let addresses: Vec<SocketAddr> = match tokio::time::timeout(
        budget,
        tokio::net::lookup_host((dns_host.as_str(), dns_port)),
    )
    .await
    {
        Ok(Ok(addrs)) => addrs.collect(),
        Ok(Err(e)) => {
            checks.push(dns_failure(
                &dns_title,
                &shown,
                &dns_host,
                &e.to_string(),
                proxy.is_some(),
            ));
            return skip_rest(checks, &shown, openid, "DNS failed");
        }
        Err(_) => {
            checks.push(dns_failure(
                &dns_title,
                &shown,
                &dns_host,
                "no answer in time",
                proxy.is_some(),
            ));
            return skip_rest(checks, &shown, openid, "DNS failed");
        }
    };
    let ips: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
    checks.push(
        Check::pass("dns", dns_title, ips.join(", "))
            .target(&shown)
            .with("addresses", ips.clone()),
    );

    // TCP connect.
    let tcp_title = match proxy {
        Some(p) => format!("TCP connect to the proxy {}", p.redacted()),
        None => format!("TCP connect to {shown}"),
    };
    let started = Instant::now();
    let stream = match tokio::time::timeout(budget, connect_any(&addresses)).await {
        Ok(Ok(stream)) => stream,
        failure => {
            let detail = match failure {
                Ok(Err(e)) => e.to_string(),
                _ => format!("no answer within {} s", budget.as_secs().max(1)),
            };
            let err = match proxy {
                Some(p) => Error::ProxyUnreachable {
                    proxy: p.redacted(),
                    setting: p.setting.into(),
                    detail,
                },
                None => Error::Unreachable {
                    url: crate::sanitize::display_url(url),
                    detail,
                },
            };
            checks.push(Check::fail("tcp", tcp_title, &err).target(&shown));
            return skip_rest(checks, &shown, openid, "no connection");
        }
    };
    let peer = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    checks.push(
        Check::pass(
            "tcp",
            tcp_title,
            format!(
                "connected to {peer} in {} ms",
                started.elapsed().as_millis()
            ),
        )
        .target(&shown)
        .with("address", peer),
    );

    // TLS handshake (through a CONNECT tunnel when proxied).
    if https {
        let tls = tokio::time::timeout(budget, tls_check(http, stream, proxy, &host, port)).await;
        let check = match tls {
            Ok(check) => check,
            Err(_) => Check::fail(
                "tls",
                format!("TLS {shown}"),
                &Error::Timeout {
                    url: crate::sanitize::display_url(url),
                    seconds: budget.as_secs().max(1),
                },
            ),
        }
        .target(&shown);
        let failed = check.status == Status::Fail;
        checks.push(check);
        if failed {
            return skip_rest(checks, &shown, openid, "TLS failed");
        }
    } else {
        drop(stream);
        checks.push(
            Check::new(
                "tls",
                format!("TLS {shown}"),
                Status::Skip,
                "plain HTTP: no TLS (tokens travel unencrypted)",
            )
            .target(&shown),
        );
    }

    // Through the real HTTP client.
    let (id, title, target) = if openid {
        let endpoints = crate::oauth::Endpoints::new(url, &settings.realm);
        (
            "openid",
            format!("OpenID configuration of {shown}"),
            endpoints.well_known,
        )
    } else {
        ("http", format!("HTTP {shown}"), url.to_string())
    };
    let result = async {
        let request = crate::http::client(http)?
            .get(&target)
            .header("Accept", "application/json");
        crate::http::send(request, &target, http).await
    }
    .await;
    match result {
        Ok(response) => {
            let status = response.status().as_u16();
            let date = response
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|d| d.to_str().ok())
                .and_then(httpdate);
            if openid {
                let body: Option<Value> = response.json().await.ok();
                match body
                    .as_ref()
                    .and_then(|b| b.get("issuer"))
                    .and_then(Value::as_str)
                {
                    Some(issuer) if status == 200 => checks.push(
                        Check::pass(id, title, format!("issuer {issuer}"))
                            .target(&shown)
                            .with("issuer", issuer),
                    ),
                    _ => checks.push(
                        Check::fail(
                            id,
                            title,
                            &Error::BadResponse {
                                url: target.clone(),
                                detail: format!("HTTP {status} without an OpenID configuration"),
                                status: Some(status),
                            },
                        )
                        .target(&shown),
                    ),
                }
            } else {
                checks.push(
                    Check::pass(id, title, format!("HTTP {status}"))
                        .target(&shown)
                        .with("status", status),
                );
            }
            date
        }
        Err(err) => {
            checks.push(Check::fail(id, title, &err).target(&shown));
            None
        }
    }
}

fn dns_failure(title: &str, shown: &str, host: &str, why: &str, proxied: bool) -> Check {
    let mut check = Check::new(
        "dns",
        title,
        Status::Fail,
        format!("cannot resolve {host}: {why}"),
    )
    .target(shown);
    check.code = Some(
        if proxied {
            "ERR_PROXY_UNREACHABLE"
        } else {
            "ERR_UNREACHABLE"
        }
        .into(),
    );
    check.advice = Some(if proxied {
        "Check the proxy's host name (network.proxy or HTTPS_PROXY)".into()
    } else {
        "Check the host name (auth.baseUrl, auth.platformUrl) and DNS; behind a proxy, set network.proxy or HTTPS_PROXY".into()
    });
    check
}

/// Marks the remaining checks of a host as skipped.
fn skip_rest(checks: &mut Vec<Check>, shown: &str, openid: bool, why: &str) -> Option<SystemTime> {
    let done: Vec<&str> = checks
        .iter()
        .filter(|c| c.target.as_deref() == Some(shown))
        .map(|c| c.id)
        .collect();
    let last = if openid {
        ("openid", "OpenID configuration of")
    } else {
        ("http", "HTTP")
    };
    for (id, title) in [("tcp", "TCP connect to"), ("tls", "TLS"), last] {
        if !done.contains(&id) {
            checks.push(Check::skip(id, format!("{title} {shown}"), why).target(shown));
        }
    }
    None
}

async fn connect_any(addresses: &[SocketAddr]) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
    for address in addresses {
        match TcpStream::connect(address).await {
            Ok(stream) => return Ok(stream),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// `CONNECT host:port` through the proxy; the proxy's status on failure.
async fn tunnel(
    stream: &mut TcpStream,
    proxy: &super::ProxyUrl,
    host: &str,
    port: u16,
) -> Result<(), Error> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if let Some(auth) = proxy.basic_auth() {
        request.push_str("Proxy-Authorization: ");
        request.push_str(auth.to_str().unwrap_or_default());
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    let unreachable = |detail: String| Error::ProxyUnreachable {
        proxy: proxy.redacted(),
        setting: proxy.setting.into(),
        detail,
    };
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| unreachable(e.to_string()))?;
    let mut head = Vec::with_capacity(512);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 {
            return Err(unreachable(
                "the proxy's answer to CONNECT is too long".into(),
            ));
        }
        match stream.read(&mut byte).await {
            Ok(0) => return Err(unreachable("the proxy closed the connection".into())),
            Ok(_) => head.push(byte[0]),
            Err(e) => return Err(unreachable(e.to_string())),
        }
    }
    let status: u16 = String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    match status {
        200..=299 => Ok(()),
        407 => Err(Error::ProxyAuth {
            proxy: proxy.redacted(),
            setting: proxy.setting.into(),
            rejected: proxy.has_credentials(),
        }),
        other => Err(Error::Unreachable {
            url: format!("https://{authority}"),
            detail: format!(
                "the proxy {} answered CONNECT with HTTP {other}",
                proxy.redacted()
            ),
        }),
    }
}

/// The TLS handshake with our own rustls set-up, recording the server's chain.
async fn tls_check(
    http: &HttpConfig,
    mut stream: TcpStream,
    proxy: Option<&super::ProxyUrl>,
    host: &str,
    port: u16,
) -> Check {
    let shown = if port == 443 {
        host.to_string()
    } else {
        format!("{host}:{port}")
    };
    let title = format!("TLS {shown}");
    if let Some(proxy) = proxy {
        if let Err(err) = tunnel(&mut stream, proxy, host, port).await {
            return Check::fail("tls", title, &err);
        }
    }
    let trust = match http.trust.load() {
        Ok(trust) => trust,
        Err(err) => return Check::fail("tls", title, &err),
    };
    let recorder = match trust::Verifier::new(&trust, http.strict_ssl, true) {
        Ok(verifier) => verifier,
        Err(err) => return Check::fail("tls", title, &err),
    };
    let config = match trust::client_config_with(recorder.clone(), http.identity.as_ref()) {
        Ok(config) => config,
        Err(err) => return Check::fail("tls", title, &err),
    };
    let Ok(name) = ServerName::try_from(host.to_string()) else {
        return Check::fail(
            "tls",
            title,
            &Error::InvalidArgument(format!("\"{host}\" is not a valid server name")),
        );
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let outcome = connector.connect(name.clone(), stream).await;
    let recorded = recorder.take_chain();
    match outcome {
        Err(e) => {
            let err = classify::tls_error(&classify::chain(&e), &shown).unwrap_or_else(|| {
                Error::TlsFailed {
                    host: shown.clone(),
                    detail: e.to_string(),
                }
            });
            let mut check = Check::fail("tls", title, &err);
            if let Some(info) = recorded
                .as_ref()
                .and_then(|(leaf, _)| CertInfo::parse(leaf.as_ref()))
            {
                check = check
                    .with("issuer", info.issuer)
                    .with("expires", info.not_after);
            }
            check
        }
        Ok(_) => {
            let Some((leaf, intermediates)) = recorded else {
                return Check::pass("tls", title, "handshake done");
            };
            let info = CertInfo::parse(leaf.as_ref());
            let now = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or_default();
            let (issuer, expires, days) = match &info {
                Some(i) => (
                    i.issuer.clone(),
                    i.not_after.clone(),
                    (i.not_after_unix - now) / 86_400,
                ),
                None => (
                    "an unknown issuer".into(),
                    "an unknown date".into(),
                    i64::MAX,
                ),
            };
            let source = trust::accepted_by(&trust, &leaf, &intermediates, &name);
            let trusted = match (http.strict_ssl, source) {
                (false, _) => "NOT verified (strictSSL is false)".to_string(),
                (true, Some(origin)) => format!("trusted through {}", origin.label()),
                (true, None) => "trusted".to_string(),
            };
            let detail =
                format!("issued by \"{issuer}\", expires {expires} ({days} days), {trusted}");
            let mut check = Check::pass("tls", title, detail)
                .with("issuer", issuer)
                .with("expires", expires)
                .with("daysLeft", days)
                .with("verified", http.strict_ssl);
            if let Some(origin) = source {
                check = check.with("trustSource", origin.label());
            }
            if let Some(identity) = &http.identity {
                check = check.with("clientCertificate", identity.origin);
            }
            if !http.strict_ssl {
                check.status = Status::Warn;
                check.advice = Some(format!(
                    "Certificate verification is off ({}=false): trust the CA instead (network.caFile or NODE_EXTRA_CA_CERTS)",
                    http.strict_ssl_setting.unwrap_or("strictSSL")
                ));
            } else if days < 14 {
                check.status = Status::Warn;
                check.advice =
                    Some("The certificate expires soon: the server must renew it".into());
            }
            check
        }
    }
}

/// Clock skew against the first server that sent a `Date`.
fn clock_check(server: Option<SystemTime>) -> Check {
    const TITLE: &str = "Clock";
    let Some(server) = server else {
        return Check::skip("clock", TITLE, "no server answered with a Date header");
    };
    let now = SystemTime::now();
    let skew = match now.duration_since(server) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    };
    let detail = match skew {
        0 => "in step with the server".to_string(),
        s if s > 0 => format!("{s} s ahead of the server"),
        s => format!("{} s behind the server", -s),
    };
    let mut check = Check::new(
        "clock",
        TITLE,
        if skew.abs() > MAX_SKEW_SECS {
            Status::Fail
        } else {
            Status::Pass
        },
        detail,
    )
    .with("skewSeconds", skew);
    if check.status == Status::Fail {
        check.code = Some("ERR_CLOCK_SKEW".into());
        check.advice = Some("Set this computer's clock (turn on network time): tokens look expired or not yet valid when it is more than a minute off".into());
    }
    check
}

/// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn httpdate(text: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as u8
        + 1;
    let mut hms = time.split(':').map(|p| p.parse::<u8>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let date = time::Date::from_calendar_date(
        year.parse().ok()?,
        time::Month::try_from(month).ok()?,
        day.parse().ok()?,
    )
    .ok()?;
    let at = date.with_hms(h, m, s).ok()?.assume_utc();
    let secs = u64::try_from(at.unix_timestamp()).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_parse_and_skew_is_judged() {
        let t = httpdate("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            784111777
        );
        assert!(httpdate("yesterday").is_none());
        assert_eq!(clock_check(Some(SystemTime::now())).status, Status::Pass);
        let off = clock_check(Some(SystemTime::now() - Duration::from_secs(600)));
        assert_eq!(off.status, Status::Fail);
        assert!(off.advice.unwrap().contains("clock"));
    }
}
