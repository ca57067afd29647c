//! Logins from credentials alone: a service account's `client_credentials` grant with a client
//! secret or an RS256 client assertion signed with a PEM key, or a user's `password` grant (the
//! SDK's `OwnerPassword`). The record is named `clientId:email` from the token either way.

use crate::account::Account;
use crate::auth::credentials::keep_secrets;
use crate::auth::record::{apply_userinfo, build_account};
use crate::error::Result;
use crate::oauth::{self, Credentials, Endpoints, Grant};
use crate::settings::Settings;
use crate::store::TokenStore;

/// Gets tokens with the credentials and builds the account (not stored). The credentials are
/// kept with it when the store is keychain-backed (or `persistSecrets` says so).
pub async fn login(
    settings: &Settings,
    store: Option<&dyn TokenStore>,
    credentials: &Credentials,
    hash: &str,
) -> Result<Account> {
    let endpoints = Endpoints::new(&settings.base_url, &settings.realm);
    let tokens = oauth::request_token(
        &endpoints,
        &settings.client_id,
        Grant::Credentials(credentials),
        &settings.http,
    )
    .await?;
    let mut account = build_account(settings, credentials.authenticator(), hash, None, tokens)?;
    apply_userinfo(&endpoints, settings, &mut account).await;
    if settings.persist_secrets_in(store) {
        keep_secrets(&mut account, credentials);
    }
    Ok(account)
}
