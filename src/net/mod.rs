//! Corporate networks: the one HTTP client configuration (trust, proxy, client certificate,
//! `strictSSL`, timeout), resolved once in `Settings` and used by every request the core makes;
//! the classification of transport failures into errors that say what to fix; and the checks of
//! `axway auth doctor`.
//!
//! Order, as everywhere in `settings.rs`: options (`requestOptions` in the JS API) >
//! config.json (`network.*`, the Axway CLI's keys) > variables every program shares
//! (`HTTPS_PROXY`, `NO_PROXY`, `NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE`, `SSL_CERT_DIR`). Trust
//! sources add up; for the proxy, the client certificate and `strictSSL` the first one set wins.

pub mod classify;
pub mod doctor;
pub mod proxy;
pub mod trust;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::account::Redacted;
use crate::config::Config;
use crate::error::{Error, Result};

pub use proxy::{ProxyConfig, ProxyOption, ProxyUrl};
pub use trust::{Identity, Pem, TrustConfig, TrustOrigin};

/// The JS API's `requestOptions` (the JS SDK's names): `ca` (PEM string or Buffer, or an array
/// of them), `cert` and `key` (PEM), `proxy` (URL, or `false` for none), `strictSSL`. Other
/// keys (got options the SDK passed through) are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
pub struct RequestOptions {
    #[serde(default, deserialize_with = "pem_list")]
    pub ca: Vec<String>,
    #[serde(default, deserialize_with = "pem_opt")]
    pub cert: Option<String>,
    #[serde(default, deserialize_with = "pem_secret")]
    pub key: Option<Redacted>,
    #[serde(default, deserialize_with = "proxy_opt")]
    pub proxy: Option<ProxyOption>,
    #[serde(default, rename = "strictSSL")]
    pub strict_ssl: Option<bool>,
}

impl std::hash::Hash for Redacted {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.expose().hash(state)
    }
}

/// A PEM text as JS may give it: a string, a Buffer (as JSON: `{"type":"Buffer","data":[…]}`).
#[derive(Deserialize)]
#[serde(untagged)]
enum PemValue {
    Text(String),
    Buffer {
        #[serde(rename = "type")]
        _kind: BufferTag,
        data: Vec<u8>,
    },
}

#[derive(Deserialize)]
enum BufferTag {
    Buffer,
}

impl PemValue {
    fn text(self) -> String {
        match self {
            PemValue::Text(s) => s,
            PemValue::Buffer { data, .. } => String::from_utf8_lossy(&data).into_owned(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PemOrList {
    One(PemValue),
    Many(Vec<PemValue>),
}

fn pem_list<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    Ok(
        match Option::<PemOrList>::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "requestOptions.ca must be a PEM string, a Buffer or an array of them",
            )
        })? {
            None => vec![],
            Some(PemOrList::One(pem)) => vec![pem.text()],
            Some(PemOrList::Many(list)) => list.into_iter().map(PemValue::text).collect(),
        },
    )
}

fn pem_opt<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Option::<PemValue>::deserialize(d)
        .map(|v| v.map(PemValue::text))
        .map_err(|_| {
            serde::de::Error::custom("requestOptions.cert must be a PEM string or a Buffer")
        })
}

fn pem_secret<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Redacted>, D::Error> {
    Option::<PemValue>::deserialize(d)
        .map(|v| v.map(|v| Redacted::new(v.text())))
        .map_err(|_| {
            serde::de::Error::custom("requestOptions.key must be a PEM string or a Buffer")
        })
}

fn proxy_opt<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<ProxyOption>, D::Error> {
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Bool(false)) => Ok(Some(ProxyOption::Off)),
        Some(serde_json::Value::String(s)) => Ok(Some(ProxyOption::Url(s))),
        Some(_) => Err(serde::de::Error::custom(
            "requestOptions.proxy must be a URL string or false",
        )),
    }
}

/// Everything that decides how a request travels. Resolved once per call in `Settings`;
/// clients are built once per distinct configuration and shared (one connection pool).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpConfig {
    /// One request, connect to last byte.
    pub timeout: Duration,
    pub trust: TrustConfig,
    pub proxy: ProxyConfig,
    pub identity: Option<Identity>,
    /// `false`: certificates are not verified (a warning says so once per process).
    pub strict_ssl: bool,
    /// Which setting turned verification off, for the warning.
    pub strict_ssl_setting: Option<&'static str>,
}

impl HttpConfig {
    /// A configuration from the process environment only (no options, no config file).
    pub fn from_env(timeout: Duration) -> Result<Self> {
        Self::resolve(
            &RequestOptions::default(),
            &Config::default(),
            timeout,
            &env_var,
        )
    }

    /// Resolves options > config.json > environment (see the module doc).
    pub fn resolve(
        options: &RequestOptions,
        config: &Config,
        timeout: Duration,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        let path_setting = |key: &str| -> Result<Option<PathBuf>> {
            match config.get(key) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(PathBuf::from(s))),
                Some(_) => Err(Error::InvalidArgument(format!(
                    "Invalid {key} in config.json: expected a file path (axway config set {key} <path>)"
                ))),
            }
        };
        let trust = TrustConfig::resolve(env, path_setting("network.caFile")?, &options.ca);

        let identity = match (&options.cert, &options.key) {
            (Some(cert), Some(key)) => Some(Identity {
                origin: "requestOptions",
                cert: Pem::Inline(cert.as_str().into()),
                key: Pem::Inline(key.expose().into()),
            }),
            (Some(_), None) | (None, Some(_)) => {
                return Err(Error::InvalidArgument(
                    "requestOptions.cert and requestOptions.key go together: give both or neither"
                        .into(),
                ))
            }
            (None, None) => match (
                path_setting("network.certFile")?,
                path_setting("network.keyFile")?,
            ) {
                (Some(cert), Some(key)) => Some(Identity {
                    origin: "network.certFile",
                    cert: Pem::Path(cert),
                    key: Pem::Path(key),
                }),
                (None, None) => None,
                (Some(_), None) => {
                    return Err(Error::InvalidArgument(
                        "network.certFile is set but network.keyFile is not: set both (axway config set network.keyFile <path>)".into(),
                    ))
                }
                (None, Some(_)) => {
                    return Err(Error::InvalidArgument(
                        "network.keyFile is set but network.certFile is not: set both (axway config set network.certFile <path>)".into(),
                    ))
                }
            },
        };

        let (strict_ssl, strict_ssl_setting) = match options.strict_ssl {
            Some(value) => (value, Some("requestOptions.strictSSL")),
            None => match config.get("network.strictSSL") {
                None | Some(serde_json::Value::Null) => (true, None),
                Some(serde_json::Value::Bool(b)) => (*b, Some("network.strictSSL")),
                Some(serde_json::Value::String(s)) if s == "true" || s == "false" => {
                    (s == "true", Some("network.strictSSL"))
                }
                Some(_) => {
                    return Err(Error::InvalidArgument(
                        "Invalid network.strictSSL in config.json: expected true or false".into(),
                    ))
                }
            },
        };

        Ok(HttpConfig {
            timeout,
            trust,
            proxy: ProxyConfig::resolve(options.proxy.as_ref(), config, env)?,
            identity,
            strict_ssl,
            strict_ssl_setting,
        })
    }

    /// This configuration with another timeout (the best-effort sign-out's shorter one).
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        HttpConfig {
            timeout,
            ..self.clone()
        }
    }

    /// The shared client for this configuration, built on first use.
    pub fn client(&self) -> Result<reqwest::Client> {
        static CLIENTS: OnceLock<Mutex<HashMap<HttpConfig, reqwest::Client>>> = OnceLock::new();
        let clients = CLIENTS.get_or_init(Default::default);
        if let Some(client) = clients.lock().unwrap_or_else(|e| e.into_inner()).get(self) {
            return Ok(client.clone());
        }
        let client = self.build()?;
        clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(self.clone(), client.clone());
        Ok(client)
    }

    fn build(&self) -> Result<reqwest::Client> {
        let trust = self.trust.load()?;
        let tls = trust::client_config(&trust, self.identity.as_ref(), self.strict_ssl)?;
        if !self.strict_ssl {
            warn_insecure(self.strict_ssl_setting.unwrap_or("strictSSL"));
        }
        if let Some(proxy) = &self.proxy.proxy {
            tracing::debug!(proxy = %proxy.redacted(), from = proxy.setting, no_proxy = ?self.proxy.no_proxy, "HTTP proxy");
        }
        let builder = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(self.timeout.min(Duration::from_secs(10)))
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none());
        self.proxy
            .apply(builder)?
            .build()
            .map_err(|e| Error::InvalidArgument(format!("The HTTP client cannot be set up: {e}")))
    }
}

/// Certificate verification off: said once per process, on stderr, never silently.
fn warn_insecure(setting: &str) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        eprintln!(
            "Warning: TLS certificate verification is off ({setting}=false): anyone on the network path can read and change this traffic. Trust your CA instead (network.caFile or NODE_EXTRA_CA_CERTS) and remove {setting}."
        );
    });
}

/// A non-empty environment variable.
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> (tempfile::TempDir, Config) {
        let home = tempfile::tempdir().unwrap();
        crate::files::write_atomic(&crate::config::config_path(home.path()), json.as_bytes())
            .unwrap();
        let config = Config::load(home.path()).unwrap();
        (home, config)
    }

    fn resolve(options: &RequestOptions, json: &str, env: &[(&str, &str)]) -> Result<HttpConfig> {
        let (_home, config) = config(json);
        let lookup = |name: &str| {
            env.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        HttpConfig::resolve(options, &config, Duration::from_secs(5), &lookup)
    }

    fn origins(c: &HttpConfig) -> Vec<TrustOrigin> {
        c.trust.sources.iter().map(|s| s.origin).collect()
    }

    #[test]
    fn trust_sources_add_up_and_ssl_cert_vars_stand_in_for_the_os_store() {
        let c = resolve(&RequestOptions::default(), "{}", &[]).unwrap();
        assert_eq!(origins(&c), [TrustOrigin::System, TrustOrigin::Bundled]);
        assert!(c.strict_ssl && c.identity.is_none() && c.proxy.proxy.is_none());
        let options = RequestOptions {
            ca: vec!["PEM".into()],
            ..Default::default()
        };
        let c = resolve(
            &options,
            r#"{"network":{"caFile":"/ca.pem"}}"#,
            &[
                ("SSL_CERT_FILE", "/f.pem"),
                ("NODE_EXTRA_CA_CERTS", "/x.pem"),
            ],
        )
        .unwrap();
        assert_eq!(
            origins(&c),
            [
                TrustOrigin::SslCertFile,
                TrustOrigin::Bundled,
                TrustOrigin::NodeExtraCaCerts,
                TrustOrigin::CaFile,
                TrustOrigin::OptionCa
            ]
        );
    }

    #[test]
    fn strict_ssl_and_client_certificates_are_parsed_strictly() {
        let c = resolve(
            &RequestOptions::default(),
            r#"{"network":{"strictSSL":"false"}}"#,
            &[],
        )
        .unwrap();
        assert_eq!(
            (c.strict_ssl, c.strict_ssl_setting),
            (false, Some("network.strictSSL"))
        );
        let options = RequestOptions {
            strict_ssl: Some(true),
            ..Default::default()
        };
        assert!(
            resolve(&options, r#"{"network":{"strictSSL":false}}"#, &[])
                .unwrap()
                .strict_ssl
        );
        let err = resolve(
            &RequestOptions::default(),
            r#"{"network":{"strictSSL":0}}"#,
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("network.strictSSL"));
        let err = resolve(
            &RequestOptions::default(),
            r#"{"network":{"keyFile":"/k"}}"#,
            &[],
        )
        .unwrap_err();
        assert!(err.to_string().contains("network.certFile"));
        let c = resolve(
            &RequestOptions::default(),
            r#"{"network":{"certFile":"/c","keyFile":"/k"}}"#,
            &[],
        )
        .unwrap();
        assert_eq!(c.identity.unwrap().origin, "network.certFile");
        let options: RequestOptions = serde_json::from_value(serde_json::json!({
            "ca": [{"type": "Buffer", "data": [80, 69, 77]}, "PEM2"],
            "key": "secret key",
            "cert": "cert",
            "proxy": false,
            "strictSSL": true,
            "agent": {}
        }))
        .unwrap();
        assert_eq!(options.ca, ["PEM", "PEM2"]);
        assert_eq!(options.proxy, Some(ProxyOption::Off));
        assert!(!format!("{options:?}").contains("secret key"));
        let c = resolve(&options, "{}", &[]).unwrap();
        assert!(!format!("{c:?}").contains("secret key"));
        assert!(serde_json::from_value::<RequestOptions>(serde_json::json!({"ca": 1})).is_err());
    }
}
