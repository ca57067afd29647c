//! Which certificate authorities the HTTP client trusts, and the TLS configuration built from
//! them: the OS trust store (or the OpenSSL variables `SSL_CERT_FILE`/`SSL_CERT_DIR`, which on
//! every platform replace it, as `rustls-native-certs` documents), Mozilla's roots as Node bundles
//! them, `NODE_EXTRA_CA_CERTS`, `network.caFile` and `requestOptions.ca`; a client certificate;
//! and verification on unless `strictSSL` is false.
//!
//! A failed verification is reported with the host, the certificate's issuer and names, so that
//! the error can say what to fix (see `CertProblem`).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use crate::error::{Error, Result};

/// Where trusted certificates come from, in the order they are listed to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrustOrigin {
    /// The OS trust store (`rustls-native-certs`: Linux bundle and directory, macOS keychain,
    /// Windows store).
    System,
    /// `SSL_CERT_FILE` (replaces the OS store's bundle, as for OpenSSL).
    SslCertFile,
    /// `SSL_CERT_DIR` (replaces the OS store's directory, as for OpenSSL).
    SslCertDir,
    /// Mozilla's roots, built in (what Node trusts by default).
    Bundled,
    /// `NODE_EXTRA_CA_CERTS`.
    NodeExtraCaCerts,
    /// `network.caFile` in config.json.
    CaFile,
    /// `requestOptions.ca` (JS API).
    OptionCa,
}

impl TrustOrigin {
    /// The setting's name as users write it.
    pub fn label(self) -> &'static str {
        match self {
            TrustOrigin::System => "the OS trust store",
            TrustOrigin::SslCertFile => "SSL_CERT_FILE",
            TrustOrigin::SslCertDir => "SSL_CERT_DIR",
            TrustOrigin::Bundled => "the bundled Mozilla roots",
            TrustOrigin::NodeExtraCaCerts => "NODE_EXTRA_CA_CERTS",
            TrustOrigin::CaFile => "network.caFile",
            TrustOrigin::OptionCa => "requestOptions.ca",
        }
    }

    /// Sources set by the environment for every program are best effort (a bad one is a
    /// warning, as Node treats `NODE_EXTRA_CA_CERTS`); our own settings are strict.
    fn strict(self) -> bool {
        matches!(self, TrustOrigin::CaFile | TrustOrigin::OptionCa)
    }
}

/// PEM text, by path or inline.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Pem {
    Path(PathBuf),
    Inline(Arc<str>),
}

impl std::fmt::Debug for Pem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pem::Path(p) => write!(f, "{}", p.display()),
            Pem::Inline(text) => write!(f, "<{} bytes of PEM>", text.len()),
        }
    }
}

impl Pem {
    fn describe(&self) -> String {
        match self {
            Pem::Path(p) => p.display().to_string(),
            Pem::Inline(_) => "(inline PEM)".into(),
        }
    }
}

/// One place trusted certificates come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaSource {
    pub origin: TrustOrigin,
    /// `None` for the OS store and the bundled roots.
    pub pem: Option<Pem>,
}

/// Every trust source of one configuration.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TrustConfig {
    pub sources: Vec<CaSource>,
}

impl TrustConfig {
    /// The sources for these settings: the OS store (or `SSL_CERT_FILE`/`SSL_CERT_DIR` in its
    /// place), the bundled roots, then the extra CAs.
    pub fn resolve(
        env: &dyn Fn(&str) -> Option<String>,
        ca_file: Option<PathBuf>,
        option_ca: &[String],
    ) -> Self {
        let mut sources = vec![];
        let cert_file = env("SSL_CERT_FILE");
        let cert_dir = env("SSL_CERT_DIR");
        if cert_file.is_none() && cert_dir.is_none() {
            sources.push(CaSource {
                origin: TrustOrigin::System,
                pem: None,
            });
        }
        if let Some(file) = cert_file {
            sources.push(CaSource {
                origin: TrustOrigin::SslCertFile,
                pem: Some(Pem::Path(file.into())),
            });
        }
        if let Some(dirs) = cert_dir {
            for dir in std::env::split_paths(&dirs).filter(|d| !d.as_os_str().is_empty()) {
                sources.push(CaSource {
                    origin: TrustOrigin::SslCertDir,
                    pem: Some(Pem::Path(dir)),
                });
            }
        }
        sources.push(CaSource {
            origin: TrustOrigin::Bundled,
            pem: None,
        });
        if let Some(file) = env("NODE_EXTRA_CA_CERTS") {
            sources.push(CaSource {
                origin: TrustOrigin::NodeExtraCaCerts,
                pem: Some(Pem::Path(file.into())),
            });
        }
        if let Some(file) = ca_file {
            sources.push(CaSource {
                origin: TrustOrigin::CaFile,
                pem: Some(Pem::Path(file)),
            });
        }
        for pem in option_ca {
            sources.push(CaSource {
                origin: TrustOrigin::OptionCa,
                pem: Some(Pem::Inline(pem.as_str().into())),
            });
        }
        TrustConfig { sources }
    }

    /// Loads every source once per process (cached by configuration).
    pub fn load(&self) -> Result<Arc<Trust>> {
        static CACHE: OnceLock<Mutex<HashMap<TrustConfig, Arc<Trust>>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(trust) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(self) {
            return Ok(trust.clone());
        }
        let trust = Arc::new(Trust::load(self)?);
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(self.clone(), trust.clone());
        Ok(trust)
    }
}

/// The certificates of one source, loaded.
#[derive(Debug)]
pub struct LoadedSource {
    pub origin: TrustOrigin,
    /// The path, or a description.
    pub detail: String,
    /// Its certificates (none for the bundled roots, which are already parsed). Parsed into a
    /// root store of its own only by `accepted_by` (doctor): parsing is most of the load time.
    pub certs: Vec<CertificateDer<'static>>,
}

impl LoadedSource {
    fn roots(&self) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        match self.origin {
            TrustOrigin::Bundled => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            _ => {
                roots.add_parsable_certificates(self.certs.iter().cloned());
            }
        }
        roots
    }
}

/// Loaded trust: every source on its own (to tell which one accepted a server) and together.
#[derive(Debug)]
pub struct Trust {
    pub sources: Vec<LoadedSource>,
    pub combined: Arc<RootCertStore>,
}

impl Trust {
    fn load(config: &TrustConfig) -> Result<Self> {
        let mut seen_files: HashSet<PathBuf> = HashSet::new();
        let mut seen_certs: HashSet<Vec<u8>> = HashSet::new();
        let mut combined = RootCertStore::empty();
        let mut sources = vec![];
        for source in &config.sources {
            let started = std::time::Instant::now();
            let (certs, detail) = match load_source(source, &mut seen_files) {
                Ok(loaded) => loaded,
                Err(problem) if source.origin.strict() => {
                    return Err(Error::InvalidArgument(format!(
                        "{} {}: {problem}. Point it at a PEM file of CA certificates",
                        source.origin.label(),
                        source.pem.as_ref().map(Pem::describe).unwrap_or_default()
                    )))
                }
                Err(problem) => {
                    crate::notices::push(format!(
                        "Warning: ignoring the certificates of {} {}: {problem}",
                        source.origin.label(),
                        source.pem.as_ref().map(Pem::describe).unwrap_or_default()
                    ));
                    continue;
                }
            };
            if source.origin == TrustOrigin::Bundled {
                combined.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            } else {
                if source.origin.strict() {
                    let (usable, _) =
                        RootCertStore::empty().add_parsable_certificates(certs.iter().cloned());
                    if usable == 0 {
                        return Err(Error::InvalidArgument(format!(
                            "{} {}: no usable CA certificate in it. Point it at a PEM file of CA certificates",
                            source.origin.label(),
                            source.pem.as_ref().map(Pem::describe).unwrap_or_default()
                        )));
                    }
                }
                // Each certificate is parsed once, however many sources list it.
                combined.add_parsable_certificates(
                    certs
                        .iter()
                        .filter(|c| seen_certs.insert(c.as_ref().to_vec()))
                        .cloned(),
                );
            }
            tracing::debug!(
                source = source.origin.label(),
                detail = %detail,
                certificates = certs.len(),
                ms = started.elapsed().as_secs_f64() * 1000.0,
                "trust source loaded"
            );
            sources.push(LoadedSource {
                origin: source.origin,
                detail,
                certs,
            });
        }
        Ok(Trust {
            sources,
            combined: Arc::new(combined),
        })
    }
}

/// Reads one source's certificates. A file already read for an earlier source (the same
/// bundle in `SSL_CERT_FILE` and `NODE_EXTRA_CA_CERTS`) is not read again: its certificates
/// are already trusted.
fn load_source(
    source: &CaSource,
    seen_files: &mut HashSet<PathBuf>,
) -> std::result::Result<(Vec<CertificateDer<'static>>, String), String> {
    match (&source.origin, &source.pem) {
        (TrustOrigin::Bundled, _) => Ok((vec![], "Mozilla".into())),
        (TrustOrigin::System, _) => {
            let result = rustls_native_certs::load_native_certs();
            if result.certs.is_empty() {
                if let Some(err) = result.errors.first() {
                    return Err(err.to_string());
                }
            }
            let count = result.certs.len();
            Ok((result.certs, format!("{count} certificates")))
        }
        (TrustOrigin::SslCertDir, Some(Pem::Path(dir))) => {
            if !dir.is_dir() {
                return Err("not a directory".into());
            }
            let result = rustls_native_certs::load_certs_from_paths(None, Some(dir));
            Ok((result.certs, dir.display().to_string()))
        }
        (_, Some(Pem::Path(path))) => {
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            if !seen_files.insert(canonical) {
                return Ok((vec![], path.display().to_string()));
            }
            let bytes = std::fs::read(path).map_err(|e| describe_io(&e))?;
            Ok((pem_certificates(&bytes)?, path.display().to_string()))
        }
        (_, Some(Pem::Inline(text))) => {
            Ok((pem_certificates(text.as_bytes())?, "(inline PEM)".into()))
        }
        (_, None) => Ok((vec![], String::new())),
    }
}

fn describe_io(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

/// The certificates in PEM text; an error when there is none.
fn pem_certificates(bytes: &[u8]) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(bytes)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| format!("not valid PEM ({e})"))?;
    if certs.is_empty() {
        return Err("no PEM certificate in it".into());
    }
    Ok(certs)
}

/// A client certificate and its private key (mutual TLS).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    /// Which settings named them: `network.certFile`/`network.keyFile` or `requestOptions`.
    pub origin: &'static str,
    pub cert: Pem,
    pub key: Pem,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("origin", &self.origin)
            .field("cert", &self.cert)
            .field(
                "key",
                &match &self.key {
                    Pem::Path(p) => p.display().to_string(),
                    Pem::Inline(_) => "[redacted]".into(),
                },
            )
            .finish()
    }
}

impl Identity {
    fn load(&self) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
        let (cert_name, key_name) = match self.origin {
            "requestOptions" => ("requestOptions.cert", "requestOptions.key"),
            _ => ("network.certFile", "network.keyFile"),
        };
        let read = |pem: &Pem, name: &str| -> Result<Vec<u8>> {
            match pem {
                Pem::Path(path) => std::fs::read(path).map_err(|e| {
                    Error::InvalidArgument(format!(
                        "{name} {}: {}",
                        path.display(),
                        describe_io(&e)
                    ))
                }),
                Pem::Inline(text) => Ok(text.as_bytes().to_vec()),
            }
        };
        let cert_bytes = read(&self.cert, cert_name)?;
        let certs = pem_certificates(&cert_bytes).map_err(|problem| {
            Error::InvalidArgument(format!(
                "{cert_name} {}: {problem}. Give the client certificate as PEM",
                self.cert.describe()
            ))
        })?;
        let key_bytes = read(&self.key, key_name)?;
        // The key's parse error could quote key material: never show it.
        let key = PrivateKeyDer::from_pem_slice(&key_bytes).map_err(|_| {
            Error::InvalidArgument(format!(
                "{key_name} {}: no PEM private key in it. Give the client certificate's key as PEM (PKCS#8, PKCS#1 or SEC1)",
                self.key.describe()
            ))
        })?;
        Ok((certs, key))
    }
}

/// rustls' crypto: ring, as reqwest's `rustls-tls` uses.
pub fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
        .clone()
}

/// The TLS client configuration for a trust, a client identity and `strictSSL`.
pub fn client_config(
    trust: &Trust,
    identity: Option<&Identity>,
    strict_ssl: bool,
) -> Result<ClientConfig> {
    client_config_with(Verifier::new(trust, strict_ssl, false)?, identity)
}

/// The TLS client configuration for a verifier and a client identity.
pub fn client_config_with(
    verifier: Arc<Verifier>,
    identity: Option<&Identity>,
) -> Result<ClientConfig> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::InvalidArgument(format!("TLS set-up failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match identity {
        Some(identity) => {
            let (certs, key) = identity.load()?;
            builder.with_client_auth_cert(certs, key).map_err(|e| {
                Error::InvalidArgument(format!(
                    "The client certificate ({}) cannot be used: {e}",
                    identity.origin
                ))
            })
        }
        None => Ok(builder.with_no_client_auth()),
    }
}

/// Why a server certificate was refused, with what the user needs to fix it.
#[derive(Debug, Clone)]
pub struct CertProblem {
    pub kind: CertificateError,
    /// The server name the client asked for.
    pub host: String,
    pub issuer: Option<String>,
    /// The names (DNS and IP) the certificate is valid for.
    pub names: Vec<String>,
    /// `notAfter`, as `YYYY-MM-DD`.
    pub not_after: Option<String>,
}

impl std::fmt::Display for CertProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "certificate of {} refused ({:?})", self.host, self.kind)
    }
}

impl std::error::Error for CertProblem {}

impl CertProblem {
    fn new(kind: CertificateError, end_entity: &CertificateDer<'_>, host: &ServerName) -> Self {
        let info = CertInfo::parse(end_entity.as_ref());
        CertProblem {
            kind,
            host: server_name(host),
            issuer: info.as_ref().map(|i| i.issuer.clone()),
            names: info.as_ref().map(|i| i.names.clone()).unwrap_or_default(),
            not_after: info.map(|i| i.not_after),
        }
    }
}

/// What users want to know about a certificate.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// The issuer's common name (else its whole distinguished name).
    pub issuer: String,
    pub subject: String,
    pub names: Vec<String>,
    /// `YYYY-MM-DD`.
    pub not_after: String,
    /// Seconds since the epoch.
    pub not_after_unix: i64,
}

impl CertInfo {
    /// Parses a DER certificate; `None` when it is not one.
    pub fn parse(der: &[u8]) -> Option<Self> {
        use x509_parser::extensions::GeneralName;
        let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
        let name = |n: &x509_parser::x509::X509Name| {
            n.iter_common_name()
                .next()
                .and_then(|cn| cn.as_str().ok())
                .map(str::to_string)
                .unwrap_or_else(|| n.to_string())
        };
        let mut names = vec![];
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for general in &san.value.general_names {
                match general {
                    GeneralName::DNSName(dns) => names.push(dns.to_string()),
                    GeneralName::IPAddress(bytes) => {
                        if let Ok(v4) = <[u8; 4]>::try_from(*bytes) {
                            names.push(std::net::Ipv4Addr::from(v4).to_string());
                        } else if let Ok(v6) = <[u8; 16]>::try_from(*bytes) {
                            names.push(std::net::Ipv6Addr::from(v6).to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
        let not_after = cert.validity().not_after;
        let date = not_after.to_datetime().date();
        Some(CertInfo {
            issuer: name(cert.issuer()),
            subject: name(cert.subject()),
            names,
            not_after: format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            ),
            not_after_unix: not_after.timestamp(),
        })
    }
}

fn server_name(name: &ServerName) -> String {
    match name {
        ServerName::DnsName(dns) => dns.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => format!("{name:?}"),
    }
}

/// The chain a server presented: its certificate, then the intermediates.
pub type Chain = (CertificateDer<'static>, Vec<CertificateDer<'static>>);

/// Verifies the server's certificate: webpki over the trust's roots, whose certificate errors
/// become a `CertProblem` (in `CertificateError::Other`) so that the transport error can name
/// the issuer; or, with `strictSSL: false`, any certificate (the handshake's signatures are still
/// checked, so the connection is encrypted — but to whoever answers). Optionally keeps the last
/// chain it was shown (what `axway auth doctor` reports).
#[derive(Debug)]
pub struct Verifier {
    /// `None`: any certificate is accepted.
    webpki: Option<Arc<WebPkiServerVerifier>>,
    /// `Some`: the last chain shown is kept here.
    shown: Option<Mutex<Option<Chain>>>,
}

impl Verifier {
    /// A verifier for `trust` (all its sources) and `strictSSL`; `keep_chain`: remember the
    /// chain each handshake shows.
    pub fn new(trust: &Trust, strict_ssl: bool, keep_chain: bool) -> Result<Arc<Self>> {
        let webpki = match strict_ssl {
            true => Some(
                WebPkiServerVerifier::builder_with_provider(trust.combined.clone(), provider())
                    .build()
                    .map_err(|e| {
                        Error::InvalidArgument(format!("No usable trusted certificate ({e})"))
                    })?,
            ),
            false => None,
        };
        let shown = keep_chain.then(|| Mutex::new(None));
        Ok(Arc::new(Verifier { webpki, shown }))
    }

    /// The last chain shown (with `keep_chain`).
    pub fn take_chain(&self) -> Option<Chain> {
        let shown = self.shown.as_ref()?;
        shown.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if let Some(shown) = &self.shown {
            let chain = intermediates.iter().map(|c| c.clone().into_owned());
            *shown.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((end_entity.clone().into_owned(), chain.collect()));
        }
        let Some(webpki) = &self.webpki else {
            return Ok(ServerCertVerified::assertion());
        };
        webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map_err(|err| match err {
                rustls::Error::InvalidCertificate(kind) => {
                    let problem = CertProblem::new(kind, end_entity, server_name);
                    rustls::Error::InvalidCertificate(CertificateError::Other(rustls::OtherError(
                        Arc::new(problem),
                    )))
                }
                other => other,
            })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &provider().signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &provider().signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Which loaded source accepts this chain for this name (for `axway auth doctor`).
pub fn accepted_by(
    trust: &Trust,
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    name: &ServerName<'_>,
) -> Option<TrustOrigin> {
    let now = UnixTime::now();
    trust.sources.iter().find_map(|source| {
        let roots = source.roots();
        if roots.is_empty() {
            return None;
        }
        let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .ok()?;
        verifier
            .verify_server_cert(end_entity, intermediates, name, &[], now)
            .ok()
            .map(|_| source.origin)
    })
}
