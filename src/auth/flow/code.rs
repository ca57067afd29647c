//! Exchanging an authorization code the caller obtained itself (`login({ code })`, the SDK's
//! `getToken(code)` for an interactive authenticator): no browser, no callback server, no org
//! selection. The record is the browser login's (`PKCE`), stored; the platform session is
//! loaded only when the caller asks for one (not the SDK's `Auth`).

use crate::account::{Account, Redacted};
use crate::auth::commit::{complete, previous_record, store_and_load_session};
use crate::auth::credentials::hash_for;
use crate::auth::record::{apply_userinfo, build_account};
use crate::error::{Error, Result};
use crate::oauth::{self, Endpoints, Grant};
use crate::platform::Platform;
use crate::settings::Settings;
use crate::store::{self, TokenStore};

/// A code the caller obtained from the authorization endpoint, and what the token request
/// must repeat of that authorization.
#[derive(Debug, Clone, Default)]
pub struct AuthCode {
    /// The code; `None` when the caller gave something that is not a string.
    pub code: Option<Redacted>,
    /// The redirect URI the code was issued for (`redirect_uri`), when the caller gave one.
    pub redirect_uri: Option<String>,
    /// The PKCE verifier of the challenge the authorization carried, when it carried one.
    pub code_verifier: Option<Redacted>,
}

impl AuthCode {
    /// The code, when a usable one (a non-empty string) was given.
    fn given(&self) -> Option<&Redacted> {
        self.code.as_ref().filter(|c| !c.expose().is_empty())
    }

    /// Whether a usable code was given (the SDK skips the stored token only then).
    pub fn is_given(&self) -> bool {
        self.given().is_some()
    }
}

/// Exchanges the code and stores the account; with `platform_session`, also loads its
/// platform session (and puts back the record it replaced when that fails).
pub(crate) async fn login(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    code: &AuthCode,
    platform_session: bool,
) -> Result<Account> {
    let value = code.given().ok_or(Error::AuthCodeRequired)?;
    let hash = hash_for(settings, None);
    let endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    let grant = Grant::AuthorizationCode {
        code: value.expose(),
        verifier: code.code_verifier.as_ref().map(Redacted::expose),
        redirect_uri: code.redirect_uri.as_deref().filter(|r| !r.is_empty()),
    };
    let tokens =
        oauth::request_token(&endpoints, &settings.client_id, grant, &settings.http).await?;
    let mut account = build_account(settings, "PKCE", &hash, None, tokens)?;
    apply_userinfo(&endpoints, settings, &mut account).await;
    if !platform_session {
        if let Some(store) = store {
            store::set(store, &account)?;
        }
        return Ok(account);
    }
    let previous = previous_record(store, &hash)?;
    let platform = Platform::new(settings);
    let teams = settings.default_teams();
    let outcome = store_and_load_session(store, &platform, &mut account, None, &teams).await;
    complete(settings, store, account, previous, outcome)
}
