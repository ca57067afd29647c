//! Bounded reads of HTTP response bodies: every reply is read in chunks up to a limit, so a
//! server that streams forever (or sends a huge reply) costs at most that much memory and ends
//! in `ERR_BAD_RESPONSE` instead of exhausting the machine.

use crate::http::HttpConfig;

use crate::error::{Error, Result};
use crate::http;

/// The largest body accepted from the identity server or the platform API (token, userinfo,
/// OpenID configuration, platform replies): 4 MiB. Real replies are a few kilobytes; a
/// platform session with many orgs and teams stays far below this.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Reads the whole body of `response`, failing with `ERR_BAD_RESPONSE` as soon as it exceeds
/// `limit` bytes (a `Content-Length` above the limit fails before anything is read). Transport
/// failures while reading map as `http::transport_error` does.
pub async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
    url: &str,
    config: &HttpConfig,
) -> Result<Vec<u8>> {
    let status = response.status().as_u16();
    let too_large = || Error::BadResponse {
        url: crate::sanitize::display_url(url),
        detail: format!(
            "HTTP {status} with a body larger than the {} limit",
            describe_limit(limit)
        ),
        status: Some(status),
    };
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| http::transport_error(&e, url, config))?
    {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a body with the default limit ([`MAX_BODY_BYTES`]).
pub async fn read(response: reqwest::Response, url: &str, config: &HttpConfig) -> Result<Vec<u8>> {
    read_limited(response, MAX_BODY_BYTES, url, config).await
}

fn describe_limit(limit: usize) -> String {
    if limit >= 1024 * 1024 && limit.is_multiple_of(1024 * 1024) {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{limit} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Asks a server that answers once with `head` and then streams `chunk` forever; returns
    /// its response (head read), its URL and the client configuration.
    async fn endless(
        head: &'static str,
        chunk: &'static [u8],
    ) -> (reqwest::Response, String, HttpConfig) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 1024];
            let _ = socket.read(&mut buf).await;
            socket.write_all(head.as_bytes()).await.unwrap();
            while socket.write_all(chunk).await.is_ok() {}
        });
        let config = HttpConfig::from_env(std::time::Duration::from_secs(10)).unwrap();
        let client = http::client(&config).unwrap();
        let response = client.get(&url).send().await.unwrap();
        (response, url, config)
    }

    #[tokio::test]
    async fn an_endless_body_stops_at_the_limit() {
        let (response, url, config) = endless(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
            &[b'x'; 8192],
        )
        .await;
        let err = read_limited(response, 64 * 1024, &url, &config)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "ERR_BAD_RESPONSE");
        assert!(err.to_string().contains("65536 bytes limit"), "{err}");
    }

    #[tokio::test]
    async fn a_large_content_length_fails_before_reading() {
        let (response, url, config) = endless(
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 99999999999\r\n\r\n",
            b"y",
        )
        .await;
        let err = read(response, &url, &config).await.unwrap_err();
        assert!(err.to_string().contains("4 MiB limit"), "{err}");
        assert_eq!(err.status(), Some(400));
    }
}
