//! Credentials that get tokens without a browser: a service account's client secret, or an RSA
//! private key that signs a client assertion (RFC 7523, spec 3.5), or a user's name and password
//! (the resource owner password grant, the SDK's `OwnerPassword`). Secrets are held in
//! redacting types.

use std::path::Path;

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde::Serialize;

use crate::account::Redacted;
use crate::error::{Error, Result};

/// `client_assertion_type` for a signed JWT.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How a caller proves who it is without a browser.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// `client_secret` in the form body.
    ClientSecret(Redacted),
    /// An RS256 client assertion signed with this key.
    SignedJwt(PrivateKey),
    /// A user's name and password (`grant_type=password`); the client authenticates with its
    /// id only, as the SDK's `OwnerPassword` does.
    Password {
        username: String,
        password: Redacted,
    },
}

impl Credentials {
    /// The reference's authenticator name.
    pub fn authenticator(&self) -> &'static str {
        match self {
            Credentials::ClientSecret(_) => "ClientSecret",
            Credentials::SignedJwt(_) => "SignedJWT",
            Credentials::Password { .. } => "OwnerPassword",
        }
    }

    /// The hash parameter (spec 3.6): `clientSecret`, `secret` (the PEM text) or `username`.
    pub fn hash_param(&self) -> (&'static str, &str) {
        match self {
            Credentials::ClientSecret(secret) => ("clientSecret", secret.expose()),
            Credentials::SignedJwt(key) => ("secret", key.pem.expose()),
            Credentials::Password { username, .. } => ("username", username),
        }
    }
}

/// A PEM private key and the path it came from (for messages).
#[derive(Debug, Clone)]
pub struct PrivateKey {
    pem: Redacted,
    path: String,
}

#[derive(Serialize)]
struct AssertionClaims<'a> {
    aud: &'a str,
    exp: u64,
    iat: u64,
    iss: &'a str,
    jti: String,
    sub: &'a str,
}

impl PrivateKey {
    /// Reads and checks a PEM file with the reference's checks and messages.
    pub fn from_file(path: &str) -> Result<Self> {
        let p = Path::new(path);
        let meta = std::fs::metadata(p).map_err(|_| Error::SecretFileMissing(path.to_string()))?;
        if !meta.is_file() {
            return Err(Error::SecretFileNotFile(path.to_string()));
        }
        let pem = std::fs::read_to_string(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => Error::SecretFileNotPem(path.to_string()),
            _ => Error::io("read", p, e),
        })?;
        Self::from_pem(pem, path)
    }

    /// Wraps PEM text (for example a key persisted in the secure store).
    pub fn from_pem(pem: String, path: &str) -> Result<Self> {
        let is_pem = pem.starts_with("-----BEGIN PRIVATE KEY-----")
            || pem.starts_with("-----BEGIN RSA PRIVATE KEY-----");
        if !is_pem || EncodingKey::from_rsa_pem(pem.as_bytes()).is_err() {
            return Err(Error::SecretFileNotPem(path.to_string()));
        }
        Ok(PrivateKey {
            pem: Redacted::new(pem),
            path: path.to_string(),
        })
    }

    /// Signs a fresh client assertion for `client_id` at the token endpoint `audience`.
    pub fn assertion(&self, client_id: &str, audience: &str) -> Result<String> {
        let bad = |reason: String| Error::BadSecretFile {
            path: self.path.clone(),
            reason,
        };
        let key = EncodingKey::from_rsa_pem(self.pem.expose().as_bytes())
            .map_err(|e| bad(e.to_string()))?;
        let iat = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let claims = AssertionClaims {
            aud: audience,
            exp: iat + 3600,
            iat,
            iss: client_id,
            jti: uuid::Uuid::new_v4().to_string(),
            sub: client_id,
        };
        encode(&Header::new(Algorithm::RS256), &claims, &key).map_err(|e| bad(e.to_string()))
    }
}
