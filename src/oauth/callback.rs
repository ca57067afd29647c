//! The one-shot loopback server that receives the browser's redirects during a browser login
//! (spec 3.7). It listens on the loopback interfaces only (127.0.0.1 and, when available, ::1),
//! on port 3000 when free (the redirect the platform whitelists) or else on a free port, and
//! answers `/callback/<ID>` for the IDs the flow registered. The flow decides every reply.
//! Dropping the server stops it and frees the port.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::error::{Error, Result};

/// The port the platform whitelists for `http://localhost:<port>/callback/…`.
pub const PREFERRED_PORT: u16 = 3000;

/// A request the browser made to a registered callback.
#[derive(Debug)]
pub struct Hit {
    /// The registered ID the browser came back to.
    pub id: String,
    /// Query parameters (`code`, `state`, `error`, …).
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

/// A running callback server.
#[derive(Debug)]
pub struct CallbackServer {
    port: u16,
    hits: mpsc::Receiver<Hit>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn bind(port: u16) -> std::io::Result<(TcpListener, Option<TcpListener>)> {
    let v4 = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let port = v4.local_addr()?.port();
    let v6 = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port)))
        .await
        .ok();
    Ok((v4, v6))
}

impl CallbackServer {
    /// Starts listening and accepts callbacks for `ids` only.
    pub async fn start(preferred_port: u16, ids: &[String]) -> Result<Self> {
        let (v4, v6) = match bind(preferred_port).await {
            Ok(listeners) => listeners,
            Err(_) => bind(0).await.map_err(|e| Error::Io {
                action: "listen on",
                path: "127.0.0.1".into(),
                detail: e.to_string(),
            })?,
        };
        let port = v4.local_addr().map(|a| a.port()).unwrap_or(preferred_port);
        let (sender, hits) = mpsc::channel(8);
        let ids: Arc<Vec<String>> = Arc::new(ids.to_vec());
        let tasks = std::iter::once(v4)
            .chain(v6)
            .map(|listener| tokio::spawn(accept_loop(listener, sender.clone(), ids.clone())))
            .collect();
        tracing::debug!(port, "callback server listening on loopback");
        Ok(CallbackServer { port, hits, tasks })
    }

    /// Stops listening and waits until the listeners are closed, so the port is free when this
    /// returns. Replies already handed to the browser are still delivered.
    pub async fn close(mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
            let _ = task.await;
        }
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI for a registered ID.
    pub fn url(&self, id: &str) -> String {
        format!("http://localhost:{}/callback/{id}", self.port)
    }

    /// Waits for the next browser request to `id`. Requests to the other registered IDs that
    /// arrive meanwhile are answered as out of order.
    pub async fn next(&mut self, id: &str) -> Result<Hit> {
        loop {
            let hit = self.hits.recv().await.ok_or(Error::AuthTimeout)?;
            if hit.id == id {
                return Ok(hit);
            }
            hit.reply(Reply::Failure(
                "Unexpected request: start the login again".into(),
            ));
        }
    }
}

async fn accept_loop(listener: TcpListener, hits: mpsc::Sender<Hit>, ids: Arc<Vec<String>>) {
    while let Ok((stream, _)) = listener.accept().await {
        let (hits, ids) = (hits.clone(), ids.clone());
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |req| handle(req, hits.clone(), ids.clone()));
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        });
    }
}

async fn handle(
    req: Request<Incoming>,
    hits: mpsc::Sender<Hit>,
    ids: Arc<Vec<String>>,
) -> std::result::Result<Response<Full<Bytes>>, Infallible> {
    let Some(id) = req.uri().path().strip_prefix("/callback/").filter(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    }) else {
        return Ok(page(
            StatusCode::BAD_REQUEST,
            &Reply::Failure("Bad Request".into()),
        ));
    };
    if !ids.iter().any(|known| known == id) {
        return Ok(page(
            StatusCode::BAD_REQUEST,
            &Reply::Failure("Invalid Request ID".into()),
        ));
    }
    let query = req
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let (respond, reply) = oneshot::channel();
    let hit = Hit {
        id: id.to_string(),
        query,
        respond,
    };
    if hits.send(hit).await.is_err() {
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
    let (title, color, message) = match reply {
        Reply::Success => (
            "Authorization Successful!",
            "#2e7d32",
            "Please return to the console.".to_string(),
        ),
        Reply::Failure(message) => ("Error", "#c62828", message.clone()),
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
    let mut builder = Response::builder()
        .status(status)
        .header("Content-Type", "text/html; charset=utf-8")
        .header("Cache-Control", "no-store")
        .header("Connection", "close");
    if let Reply::Redirect(location) = reply {
        builder = builder.header("Location", location);
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response")
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
