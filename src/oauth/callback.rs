//! The one-shot loopback server that receives the browser's redirects during a browser login
//! (spec 3.7). The redirect URI says `localhost` (what the platform whitelists), so the server
//! binds the same port on both loopback addresses, 127.0.0.1 and ::1, or moves both to another
//! port together: a process squatting on `[::1]:<port>` can never receive the code. It prefers
//! port 3000 and answers `/callback/<ID>` for the IDs the flow registered.
//!
//! Hardening: only `Host` values naming a loopback address and the bound port are served; a
//! request with a wrong host, path, ID or `state` gets a 400 page and the login keeps waiting,
//! up to [`MAX_REJECTED`] such requests; request headers must arrive within
//! [`HEADER_READ_TIMEOUT`]; every connection is closed when the server closes (in-flight
//! replies get [`CLOSE_GRACE`] to be written). Dropping the server stops it and frees the port.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CACHE_CONTROL, CONNECTION, CONTENT_TYPE, HOST, LOCATION};
use hyper::{Request, Response, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};

use crate::error::{Error, Result};
use crate::sanitize;

/// The port the platform whitelists for `http://localhost:<port>/callback/…`.
pub const PREFERRED_PORT: u16 = 3000;
/// How long a client may take to send a request's headers before its connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long replies already handed to the browser may take once the login settles.
pub const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// Rejected requests (foreign `Host`, unknown path or ID, wrong `state`) after which the
/// login gives up with `ERR_STATE_MISMATCH`.
pub const MAX_REJECTED: usize = 20;
/// The largest request head accepted (request line and headers, cookies included).
const MAX_REQUEST_HEAD: usize = 64 * 1024;
/// Free ports tried when the preferred one is taken on either loopback address.
const BIND_ATTEMPTS: usize = 10;

/// A request the browser made to a registered callback.
#[derive(Debug)]
pub struct Hit {
    /// The registered ID the browser came back to.
    pub id: String,
    /// Query parameters (`code`, `state`, `error`, …), see [`parse_query`].
    pub query: HashMap<String, String>,
    respond: oneshot::Sender<Reply>,
}

impl Hit {
    /// Answers the browser.
    pub fn reply(self, reply: Reply) {
        let _ = self.respond.send(reply);
    }
}

/// What the browser gets back.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The success page ("Authorization Successful!").
    Success,
    /// The error page with a message.
    Failure(String),
    /// A redirect (to the platform's org selection).
    Redirect(String),
}

enum Event {
    Hit(Hit),
    /// Too many rejected requests: someone is probing the callback.
    GaveUp,
}

/// What every connection of one server shares.
struct Shared {
    port: u16,
    ids: Vec<String>,
    /// The `state` each ID must come back with (the code callback).
    states: Mutex<HashMap<String, String>>,
    rejected: AtomicUsize,
    events: mpsc::Sender<Event>,
}

/// Ends a callback server's waits with `ERR_LOGIN_CANCELLED` (a manual login's `cancel()`),
/// from any thread.
#[derive(Clone, Debug)]
pub struct CancelHandle(Arc<watch::Sender<bool>>);

impl CancelHandle {
    /// Cancels: the wait in progress, or the next one, fails.
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }
}

/// A running callback server.
pub struct CallbackServer {
    shared: Arc<Shared>,
    events: mpsc::Receiver<Event>,
    cancel: CancelHandle,
    cancelled: watch::Receiver<bool>,
    listeners: Vec<JoinHandle<()>>,
    connections: Arc<Mutex<JoinSet<()>>>,
    shutdown: watch::Sender<bool>,
}

impl std::fmt::Debug for CallbackServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackServer")
            .field("port", &self.shared.port)
            .finish()
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        for task in &self.listeners {
            task.abort();
        }
        lock(&self.connections).abort_all();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The address family is missing on this machine (no IPv6 loopback): nothing can squat there.
fn family_unavailable(err: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        err.kind(),
        ErrorKind::AddrNotAvailable | ErrorKind::Unsupported
    ) || {
        #[cfg(unix)]
        {
            err.raw_os_error() == Some(libc::EAFNOSUPPORT)
        }
        #[cfg(not(unix))]
        {
            false
        }
    }
}

/// Binds `port` on 127.0.0.1 and the same port on ::1 (unless this machine has no IPv6
/// loopback). Fails when either address is taken, so both move to another port together.
async fn bind(port: u16) -> std::io::Result<Vec<TcpListener>> {
    let v4 = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let port = v4.local_addr()?.port();
    match TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).await {
        Ok(v6) => Ok(vec![v4, v6]),
        Err(e) if family_unavailable(&e) => Ok(vec![v4]),
        Err(e) => Err(e),
    }
}

impl CallbackServer {
    /// Starts listening and accepts callbacks for `ids` only.
    pub async fn start(preferred_port: u16, ids: &[String]) -> Result<Self> {
        let mut bound = bind(preferred_port).await;
        for _ in 0..BIND_ATTEMPTS {
            if bound.is_ok() {
                break;
            }
            bound = bind(0).await;
        }
        let listeners = bound.map_err(|e| Error::Io {
            action: "listen on",
            path: "127.0.0.1 and ::1".into(),
            detail: e.to_string(),
            source: Some(e),
        })?;
        let port = listeners
            .first()
            .and_then(|l| l.local_addr().ok())
            .map_or(preferred_port, |a| a.port());
        let (sender, events) = mpsc::channel(8);
        let shared = Arc::new(Shared {
            port,
            ids: ids.to_vec(),
            states: Mutex::new(HashMap::new()),
            rejected: AtomicUsize::new(0),
            events: sender,
        });
        let connections = Arc::new(Mutex::new(JoinSet::new()));
        let (shutdown, closing) = watch::channel(false);
        let (cancel, cancelled) = watch::channel(false);
        let listeners = listeners
            .into_iter()
            .map(|listener| {
                tokio::spawn(accept_loop(
                    listener,
                    shared.clone(),
                    connections.clone(),
                    closing.clone(),
                ))
            })
            .collect();
        tracing::debug!(port, "callback server listening on loopback");
        Ok(CallbackServer {
            shared,
            events,
            cancel: CancelHandle(Arc::new(cancel)),
            cancelled,
            listeners,
            connections,
            shutdown,
        })
    }

    /// Requests to `id` must carry this `state`: others get a 400 page and are not handed to
    /// the flow (the login keeps waiting).
    pub fn expect_state(&self, id: &str, state: &str) {
        lock(&self.shared.states).insert(id.to_string(), state.to_string());
    }

    /// Stops listening, lets replies already handed to the browser be written (up to
    /// [`CLOSE_GRACE`]), then closes every connection, so that neither the port nor a socket
    /// is left open when this returns.
    pub async fn close(mut self) {
        for task in self.listeners.drain(..) {
            task.abort();
            let _ = task.await;
        }
        let _ = self.shutdown.send(true);
        let mut connections = std::mem::take(&mut *lock(&self.connections));
        let drained = async { while connections.join_next().await.is_some() {} };
        let _ = tokio::time::timeout(CLOSE_GRACE, drained).await;
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }

    /// A handle that cancels this server's waits.
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.shared.port
    }

    /// The redirect URI for a registered ID.
    pub fn url(&self, id: &str) -> String {
        format!("http://localhost:{}/callback/{id}", self.shared.port)
    }

    /// Waits for the next accepted browser request to `id`. Requests to the other registered
    /// IDs that arrive meanwhile are answered as out of order. Fails with
    /// `ERR_STATE_MISMATCH` after [`MAX_REJECTED`] rejected requests, with
    /// `ERR_LOGIN_CANCELLED` once cancelled (see [`CancelHandle`]).
    pub async fn next(&mut self, id: &str) -> Result<Hit> {
        loop {
            let event = tokio::select! {
                biased;
                // the sender lives in `self.cancel`: this only ends when cancelled
                Ok(_) = self.cancelled.wait_for(|cancelled| *cancelled) => {
                    return Err(Error::LoginCancelled)
                }
                event = self.events.recv() => event,
            };
            match event.ok_or(Error::AuthTimeout)? {
                Event::GaveUp => return Err(Error::StateMismatch),
                Event::Hit(hit) if hit.id == id => return Ok(hit),
                Event::Hit(hit) => hit.reply(Reply::Failure(
                    "Unexpected request: start the login again".into(),
                )),
            }
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    connections: Arc<Mutex<JoinSet<()>>>,
    closing: watch::Receiver<bool>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let mut set = lock(&connections);
        while set.try_join_next().is_some() {}
        set.spawn(serve(stream, shared.clone(), closing.clone()));
    }
}

/// Serves one connection: one request (no keep-alive), headers within the timeout; a graceful
/// shutdown (finish the reply being written, accept nothing more) when the server closes.
async fn serve(
    stream: tokio::net::TcpStream,
    shared: Arc<Shared>,
    mut closing: watch::Receiver<bool>,
) {
    let service = hyper::service::service_fn(move |req| handle(req, shared.clone()));
    let io = hyper_util::rt::TokioIo::new(stream);
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .keep_alive(false)
        .max_buf_size(MAX_REQUEST_HEAD)
        .serve_connection(io, service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = closing.wait_for(|closed| *closed) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

/// Parses a callback's query string. `code` and `state` are kept exactly; the text the server
/// (or anyone) may put there for display (`error`, `error_description`, `error_uri`) is
/// sanitised and bounded before it can reach a message.
pub fn parse_query(query: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| {
            let value = match key.as_ref() {
                "error" | "error_description" | "error_uri" => sanitize::description(&value),
                _ => value.into_owned(),
            };
            (key.into_owned(), value)
        })
        .collect()
}

/// Whether `Host` names a loopback address with our port (what the redirect URI and the
/// browser use); anything else (DNS rebinding, a foreign page) is refused.
fn host_allowed(req: &Request<Incoming>, port: u16) -> bool {
    let Some(host) = req.headers().get(HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}"))
}

/// A 400 page for a request we refuse; the login keeps waiting until too many arrive.
fn reject(shared: &Shared, message: &str) -> Response<Full<Bytes>> {
    let count = shared.rejected.fetch_add(1, Ordering::SeqCst) + 1;
    tracing::debug!(count, "callback server rejected a request: {message}");
    if count >= MAX_REJECTED {
        let _ = shared.events.try_send(Event::GaveUp);
    }
    page(StatusCode::BAD_REQUEST, &Reply::Failure(message.into()))
}

async fn handle(
    req: Request<Incoming>,
    shared: Arc<Shared>,
) -> std::result::Result<Response<Full<Bytes>>, Infallible> {
    if !host_allowed(&req, shared.port) {
        return Ok(reject(&shared, "Bad Request"));
    }
    let Some(id) = req.uri().path().strip_prefix("/callback/").filter(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    }) else {
        return Ok(reject(&shared, "Bad Request"));
    };
    if !shared.ids.iter().any(|known| known == id) {
        return Ok(reject(&shared, "Invalid Request ID"));
    }
    let query = parse_query(req.uri().query().unwrap_or_default());
    let expected = lock(&shared.states).get(id).cloned();
    if let Some(expected) = expected {
        if query.get("state") != Some(&expected) {
            return Ok(reject(
                &shared,
                "Authentication failed: the browser returned an unexpected state",
            ));
        }
    }
    let (respond, reply) = oneshot::channel();
    let hit = Hit {
        id: id.to_string(),
        query,
        respond,
    };
    if shared.events.send(Event::Hit(hit)).await.is_err() {
        return Ok(page(
            StatusCode::GONE,
            &Reply::Failure("The login is over: return to the console".into()),
        ));
    }
    let reply = reply
        .await
        .unwrap_or(Reply::Failure("The login was cancelled".into()));
    let status = match reply {
        Reply::Success => StatusCode::OK,
        Reply::Failure(_) => StatusCode::BAD_REQUEST,
        Reply::Redirect(_) => StatusCode::FOUND,
    };
    Ok(page(status, &reply))
}

fn page(status: StatusCode, reply: &Reply) -> Response<Full<Bytes>> {
    // A redirect target that is not a valid header value (a control character in the platform
    // URL) becomes an error page instead of a panic.
    let location = match reply {
        Reply::Redirect(target) => match HeaderValue::from_str(target) {
            Ok(value) => Some(value),
            Err(_) => {
                return page(
                    StatusCode::BAD_REQUEST,
                    &Reply::Failure("The platform URL is not valid".into()),
                )
            }
        },
        _ => None,
    };
    let (title, color, message) = match reply {
        Reply::Success => (
            "Authorization Successful!",
            "#2e7d32",
            "Please return to the console.".to_string(),
        ),
        Reply::Failure(message) => ("Error", "#c62828", sanitize::message(message)),
        Reply::Redirect(_) => (
            "Redirecting",
            "#555",
            "Continuing in the platform…".to_string(),
        ),
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title><style>\
         body{{font-family:sans-serif;background:#f4f4f4}}\
         .box{{max-width:32em;margin:4em auto;padding:2em;background:#fff;border-radius:6px;\
         box-shadow:0 1px 4px rgba(0,0,0,.2)}}h1{{color:{color}}}</style></head>\
         <body><div class=\"box\"><h1>{title}</h1><p>{message}</p></div></body></html>",
        message = html_escape(&message)
    );
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(CONNECTION, HeaderValue::from_static("close"));
    if let Some(location) = location {
        headers.insert(LOCATION, location);
    }
    response
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A new callback ID: 4 random bytes as 8 uppercase hex characters.
pub fn new_id() -> String {
    hex::encode_upper(rand::random::<[u8; 4]>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_redirect_to_an_invalid_url_is_an_error_page_not_a_panic() {
        let response = page(StatusCode::FOUND, &Reply::Redirect("http://p\x07/x".into()));
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.headers().get(LOCATION).is_none());
    }

    #[test]
    fn code_and_state_are_exact_and_descriptions_are_sanitised() {
        let q = parse_query("code=a%0Ab&state=s%1B&error=x&error_description=%1B%5B2Jhi%0Athere");
        assert_eq!(q["code"], "a\nb");
        assert_eq!(q["state"], "s\x1b");
        assert_eq!(q["error_description"], "\u{FFFD}[2Jhi there");
    }

    proptest! {
        #[test]
        fn query_parser_never_panics_and_descriptions_are_safe(query in ".{0,400}") {
            let q = parse_query(&query);
            for key in ["error", "error_description", "error_uri"] {
                if let Some(v) = q.get(key) {
                    prop_assert!(!v.chars().any(|c| c.is_control() || sanitize::is_unsafe(c)));
                    prop_assert!(v.chars().count() <= sanitize::DESCRIPTION_LIMIT);
                }
            }
        }

        #[test]
        fn code_and_state_round_trip(code in ".{0,100}", state in ".{0,100}") {
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("code", &code)
                .append_pair("state", &state)
                .finish();
            let q = parse_query(&query);
            prop_assert_eq!(&q["code"], &code);
            prop_assert_eq!(&q["state"], &state);
        }
    }
}
