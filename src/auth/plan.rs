//! What a login will use, known before it runs: the command asks, so that it prompts only for
//! what no flag, standard input, environment variable or config key gives (the client secret
//! of a `DOSA_` service account, the tooling password) and refuses a browser login on a
//! headless machine only when it really is one.

use serde::Serialize;

use super::credentials::credentials;
use super::login::LoginRequest;
use crate::error::Result;
use crate::settings::Settings;

/// How a login would authenticate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginPlan {
    /// `ClientSecret`, `SignedJWT` (service accounts) or `PKCE` (browser).
    pub authenticator: &'static str,
    /// Whether a tooling password is at hand (the request's, or `AXWAY_AUTH_PASSWORD`).
    pub password: bool,
}

/// The plan for `request` under `settings`: the credentials `login` would pick (the settings
/// carry them, option > environment > config.json).
pub fn login_plan(settings: &Settings, request: &LoginRequest) -> Result<LoginPlan> {
    let authenticator = credentials(settings)?.map_or("PKCE", |c| c.authenticator());
    let password = request
        .password
        .as_ref()
        .or(settings.password.as_ref())
        .is_some_and(|p| !p.expose().is_empty());
    Ok(LoginPlan {
        authenticator,
        password,
    })
}
