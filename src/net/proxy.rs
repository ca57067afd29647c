//! The proxy the HTTP client uses: `requestOptions.proxy`, else config.json's `network.proxy`,
//! `network.httpsProxy`, `network.httpProxy` (the first set wins, as in the Axway CLI), else the
//! environment's `https_proxy`, `HTTPS_PROXY`, `http_proxy`, `HTTP_PROXY`, `all_proxy`,
//! `ALL_PROXY` (the first set wins, for every request, as npm does). `NO_PROXY`/`no_proxy`
//! lists the hosts that go direct (host suffixes, IPs, CIDR ranges, `*`).
//!
//! reqwest is given exactly this proxy (and no other: it never reads the environment or the
//! system's settings itself), and the error classification asks the same matcher
//! (`hyper-util`'s, which reqwest uses inside) whether a request went through it.

use hyper_util::client::proxy::matcher::Matcher;

use crate::config::Config;
use crate::error::{Error, Result};

/// The proxy setting of the JS API: a URL, or `false` for none (ignoring config and env).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProxyOption {
    Url(String),
    Off,
}

/// A proxy URL and the setting it came from. `Debug` and `redacted()` never show the password.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ProxyUrl {
    url: url::Url,
    pub setting: &'static str,
}

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.redacted(), self.setting)
    }
}

impl ProxyUrl {
    /// Parses `[http[s]://][user[:password]@]host[:port]`. Only HTTP(S) proxies are supported.
    pub fn parse(value: &str, setting: &'static str) -> Result<Self> {
        let value = value.trim();
        let with_scheme = if value.contains("://") {
            value.to_string()
        } else {
            format!("http://{value}")
        };
        // Never quote the value: it may hold a password.
        let invalid = |why: &str| {
            Error::InvalidArgument(format!(
                "Invalid proxy URL in {setting}: {why}. Use http://[user:password@]host:port"
            ))
        };
        let url = url::Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(&format!(
                "the {} scheme is not supported",
                url.scheme()
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("no host"));
        }
        Ok(ProxyUrl { url, setting })
    }

    /// `scheme://[user:***@]host:port`: for messages, logs and `doctor`.
    pub fn redacted(&self) -> String {
        let mut shown = self.url.clone();
        if shown.password().is_some() {
            let _ = shown.set_password(Some("***"));
        }
        shown.set_path("");
        shown.to_string().trim_end_matches('/').to_string()
    }

    /// Whether the URL carries credentials.
    pub fn has_credentials(&self) -> bool {
        !self.url.username().is_empty() || self.url.password().is_some()
    }

    /// Host and port to connect to.
    pub fn host_port(&self) -> (String, u16) {
        (
            self.url.host_str().unwrap_or_default().to_string(),
            self.url.port_or_known_default().unwrap_or(80),
        )
    }

    /// The `Proxy-Authorization` header value for its credentials (percent-decoded), if any.
    pub fn basic_auth(&self) -> Option<http_header::HeaderValue> {
        Matcher::builder()
            .all(self.url.to_string())
            .build()
            .intercept(&"http://x/".parse().ok()?)?
            .basic_auth()
            .cloned()
    }
}

/// `http` types, as reqwest re-exports them.
pub mod http_header {
    pub use reqwest::header::HeaderValue;
}

/// The resolved proxy set-up.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ProxyConfig {
    pub proxy: Option<ProxyUrl>,
    /// `NO_PROXY` as given.
    pub no_proxy: Option<String>,
}

const CONFIG_KEYS: [&str; 3] = ["network.proxy", "network.httpsProxy", "network.httpProxy"];
const ENV_VARS: [&str; 6] = [
    "https_proxy",
    "HTTPS_PROXY",
    "http_proxy",
    "HTTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
];

impl ProxyConfig {
    /// Resolves the proxy: the option, else config.json, else the environment.
    pub fn resolve(
        option: Option<&ProxyOption>,
        config: &Config,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        let no_proxy = env("NO_PROXY").or_else(|| env("no_proxy"));
        let proxy = match option {
            Some(ProxyOption::Off) => None,
            Some(ProxyOption::Url(url)) if !url.trim().is_empty() => {
                Some(ProxyUrl::parse(url, "requestOptions.proxy")?)
            }
            _ => match config_proxy(config)? {
                Some(proxy) => Some(proxy),
                None => ENV_VARS
                    .iter()
                    .find_map(|name| env(name).map(|value| (*name, value)))
                    .map(|(name, value)| ProxyUrl::parse(&value, name))
                    .transpose()?,
            },
        };
        Ok(ProxyConfig { proxy, no_proxy })
    }

    /// The proxy a request to `url` goes through (`None`: direct, or bypassed by `NO_PROXY`).
    pub fn for_url(&self, url: &str) -> Option<&ProxyUrl> {
        let proxy = self.proxy.as_ref().filter(|_| !self.bypass_all())?;
        let uri: reqwest::Url = url.parse().ok()?;
        let uri: hyper::Uri = uri.as_str().parse().ok()?;
        self.matcher().intercept(&uri).map(|_| proxy)
    }

    /// `NO_PROXY=*`: nothing is proxied (hyper-util's matcher applies `*` to names, not IPs).
    fn bypass_all(&self) -> bool {
        self.no_proxy
            .as_deref()
            .is_some_and(|list| list.split(',').any(|entry| entry.trim() == "*"))
    }

    fn matcher(&self) -> Matcher {
        let mut builder = Matcher::builder();
        if let Some(proxy) = &self.proxy {
            builder = builder.all(proxy.url.to_string());
        }
        builder
            .no(self.no_proxy.clone().unwrap_or_default())
            .build()
    }

    /// Gives reqwest this proxy and nothing else (no environment or system proxies).
    pub fn apply(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
        let Some(proxy) = self.proxy.as_ref().filter(|_| !self.bypass_all()) else {
            return Ok(builder.no_proxy());
        };
        let matcher = self.matcher();
        let target = proxy.url.clone();
        // `Proxy::custom` over the same matcher: reqwest then proxies exactly the requests that
        // `for_url` says it does, with the credentials percent-decoded into Basic auth.
        let proxy = reqwest::Proxy::custom(move |url| {
            let uri: hyper::Uri = url.as_str().parse().ok()?;
            matcher.intercept(&uri).map(|_| target.clone())
        });
        Ok(builder.proxy(proxy))
    }
}

/// `network.proxy`, `network.httpsProxy`, `network.httpProxy`: the first one set.
fn config_proxy(config: &Config) -> Result<Option<ProxyUrl>> {
    for key in CONFIG_KEYS {
        match config.get(key) {
            None | Some(serde_json::Value::Null) => continue,
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => continue,
            Some(serde_json::Value::String(s)) => return ProxyUrl::parse(s, key).map(Some),
            Some(_) => {
                return Err(Error::InvalidArgument(format!(
                    "Invalid {key} in config.json: expected a URL string (axway config set {key} http://host:port)"
                )))
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn config(json: &str) -> Config {
        let home = tempfile::tempdir().unwrap();
        crate::files::write_atomic(&crate::config::config_path(home.path()), json.as_bytes())
            .unwrap();
        Config::load(home.path()).unwrap()
    }

    #[test]
    fn option_beats_config_which_beats_the_environment() {
        let env = env_of(&[
            ("HTTPS_PROXY", "http://env:1"),
            ("HTTP_PROXY", "http://h:2"),
        ]);
        let cfg =
            config(r#"{"network":{"httpProxy":"http://cfg-http:3","httpsProxy":"cfg-https:4"}}"#);
        let p = ProxyConfig::resolve(None, &cfg, &env).unwrap();
        assert_eq!(p.proxy.as_ref().unwrap().setting, "network.httpsProxy");
        assert_eq!(p.proxy.unwrap().redacted(), "http://cfg-https:4");
        let p = ProxyConfig::resolve(Some(&ProxyOption::Url("https://opt:5".into())), &cfg, &env)
            .unwrap();
        assert_eq!(p.proxy.unwrap().setting, "requestOptions.proxy");
        let p = ProxyConfig::resolve(None, &config("{}"), &env).unwrap();
        assert_eq!(p.proxy.unwrap().setting, "HTTPS_PROXY");
        let p = ProxyConfig::resolve(Some(&ProxyOption::Off), &cfg, &env).unwrap();
        assert!(p.proxy.is_none());
        let env = env_of(&[("all_proxy", "http://all:1")]);
        let p = ProxyConfig::resolve(None, &config("{}"), &env).unwrap();
        assert_eq!(p.proxy.unwrap().setting, "all_proxy");
    }

    #[test]
    fn passwords_are_redacted_and_bad_values_name_the_setting() {
        let p = ProxyUrl::parse("http://us%40er:p%3Ass@proxy.corp:3128", "network.proxy").unwrap();
        assert_eq!(p.redacted(), "http://us%40er:***@proxy.corp:3128");
        assert!(!format!("{p:?}").contains("p%3Ass"));
        let header = p.basic_auth().unwrap();
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(header.to_str().unwrap().strip_prefix("Basic ").unwrap())
            .unwrap();
        assert_eq!(decoded, b"us@er:p:ss");
        let err = ProxyUrl::parse("socks5://secret@h:1", "HTTPS_PROXY").unwrap_err();
        assert_eq!(err.code(), "ERR_INVALID_ARGUMENT");
        assert!(err.to_string().contains("HTTPS_PROXY"));
        assert!(!err.to_string().contains("secret"));
        let err = ProxyConfig::resolve(None, &config(r#"{"network":{"proxy":3128}}"#), &|_| None)
            .unwrap_err();
        assert!(err.to_string().contains("network.proxy"));
    }

    #[test]
    fn no_proxy_matches_suffixes_ips_and_star() {
        let env = env_of(&[
            ("HTTPS_PROXY", "http://proxy:1"),
            ("NO_PROXY", "corp.example, 10.0.0.0/8,127.0.0.1"),
        ]);
        let p = ProxyConfig::resolve(None, &config("{}"), &env).unwrap();
        assert!(p.for_url("https://login.axway.com/x").is_some());
        assert!(p.for_url("https://a.corp.example/").is_none());
        assert!(p.for_url("https://corp.example/").is_none());
        assert!(p.for_url("https://notcorp.example/").is_some());
        assert!(p.for_url("http://10.1.2.3:8080/").is_none());
        assert!(p.for_url("http://127.0.0.1:8080/").is_none());
        assert!(p.for_url("http://localhost:8080/").is_some());
        let env = env_of(&[("HTTPS_PROXY", "http://proxy:1"), ("no_proxy", "*")]);
        let p = ProxyConfig::resolve(None, &config("{}"), &env).unwrap();
        assert!(p.for_url("https://login.axway.com/").is_none());
        assert!(p.for_url("https://127.0.0.1:8443/").is_none());
    }
}
