//! Which credentials a login or a refresh uses, and the account hash they make (spec 3.6).

use crate::account::{Account, Redacted};
use crate::error::{Error, Result};
use crate::hash::account_hash;
use crate::oauth::{Credentials, PrivateKey};
use crate::settings::Settings;

/// The service-account credentials the settings carry (option, else config file / SDK
/// constructor), if any.
pub(crate) fn credentials(settings: &Settings) -> Result<Option<Credentials>> {
    if let Some(secret) = &settings.client_secret {
        return Ok(Some(Credentials::ClientSecret(secret.clone())));
    }
    if let Some(pem) = &settings.private_key {
        return Ok(Some(Credentials::SignedJwt(PrivateKey::from_pem(
            pem.expose().to_string(),
            "(given key)",
        )?)));
    }
    match settings.secret_file.as_deref() {
        Some(path) => Ok(Some(Credentials::SignedJwt(PrivateKey::from_file(path)?))),
        None => Ok(None),
    }
}

/// The owner password (the SDK's `OwnerPassword` authenticator) a caller of the SDK's `Auth`
/// gives: a non-empty username with a password (which may be empty). It takes precedence over
/// a client secret or key, as in the SDK. Only where no platform tooling session is wanted:
/// for the command and `sdk.auth`, a username and password upgrade a service account instead
/// (see `login`).
fn owner_password(username: Option<&str>, password: Option<&Redacted>) -> Option<Credentials> {
    match (username.filter(|u| !u.is_empty()), password) {
        (Some(username), Some(password)) => Some(Credentials::Password {
            username: username.to_string(),
            password: password.clone(),
        }),
        _ => None,
    }
}

/// Logins and lookups by authenticator need a client id (the SDK profile has no default one).
pub(crate) fn require_client_id(settings: &Settings) -> Result<()> {
    if settings.client_id.is_empty() {
        return Err(Error::MissingParameter(
            "Expected required parameter \"clientId\" to be a non-empty string".into(),
        ));
    }
    Ok(())
}

/// The account hash (spec 3.6) for these settings and credentials.
pub(crate) fn hash_for(settings: &Settings, credentials: Option<&Credentials>) -> String {
    account_hash(
        &settings.client_id,
        &settings.base_url,
        &settings.env.name,
        &settings.realm,
        credentials.map(Credentials::hash_param),
    )
}

/// The account hash the credentials log in as: an owner password (`username` and `password`,
/// as the SDK's `Auth` and `OwnerPassword` give them), else the settings' own credentials (if
/// any).
pub fn credentials_hash(
    settings: &Settings,
    username: Option<&str>,
    password: Option<&Redacted>,
) -> Result<String> {
    let credentials = owner_password_or_settings(settings, username, password)?;
    Ok(hash_for(settings, credentials.as_ref()))
}

/// The credentials of a login without a platform tooling session: an owner password when the
/// caller gives one, else the settings' own ([`credentials`]).
pub(crate) fn owner_password_or_settings(
    settings: &Settings,
    username: Option<&str>,
    password: Option<&Redacted>,
) -> Result<Option<Credentials>> {
    match owner_password(username, password) {
        Some(owner) => Ok(Some(owner)),
        None => credentials(settings),
    }
}

/// Keeps the credentials (secret, PEM key, or username and password) with the account, so that
/// it can be re-authenticated without a refresh token (the reference's `persistSecrets`).
pub(crate) fn keep_secrets(account: &mut Account, credentials: &Credentials) {
    match credentials {
        Credentials::ClientSecret(secret) => account.auth.client_secret = Some(secret.clone()),
        Credentials::SignedJwt(_) => {
            account.auth.secret = Some(Redacted::new(credentials.hash_param().1))
        }
        Credentials::Password { username, password } => {
            account.auth.username = Some(Redacted::new(username.clone()));
            account.auth.password = Some(password.clone());
        }
    }
}

/// The credentials a stored account can refresh or re-authenticate with: persisted secrets
/// (an owner password first, as the SDK's `find` picks it), else those in the config file.
pub(crate) fn stored_credentials(
    settings: &Settings,
    account: &Account,
) -> Result<Option<Credentials>> {
    let username = account.auth.username.as_ref().map(Redacted::expose);
    if let Some(password) = owner_password(username, account.auth.password.as_ref()) {
        return Ok(Some(password));
    }
    if let Some(secret) = &account.auth.client_secret {
        return Ok(Some(Credentials::ClientSecret(secret.clone())));
    }
    if let Some(pem) = &account.auth.secret {
        return Ok(Some(Credentials::SignedJwt(PrivateKey::from_pem(
            pem.expose().to_string(),
            "(stored key)",
        )?)));
    }
    match account.auth.authenticator.as_str() {
        "ClientSecret" => Ok(settings
            .client_secret
            .clone()
            .map(Credentials::ClientSecret)),
        "SignedJWT" => settings
            .secret_file
            .as_deref()
            .map(PrivateKey::from_file)
            .transpose()
            .map(|k| k.map(Credentials::SignedJwt)),
        _ => Ok(None),
    }
}
