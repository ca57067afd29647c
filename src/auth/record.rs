//! The account record built from a token response (spec 3.3), and kept current after a
//! refresh: identity, expiry, org and user from the token claims and userinfo.

use serde_json::{Map, Value};

use super::stored::now_ms;
use crate::account::{Account, AuthInfo, Expires, Tokens};
use crate::error::{Error, Result};
use crate::hash::account_name;
use crate::oauth::{self, Endpoints};
use crate::settings::Settings;

/// Builds a fresh account record from a token response (spec 3.3 step 4–5). `keep` carries the
/// name and the platform fields of the record being refreshed.
pub(crate) fn build_account(
    settings: &Settings,
    authenticator: &str,
    hash: &str,
    keep: Option<&Account>,
    tokens: Tokens,
) -> Result<Account> {
    let token = tokens.id_token().or(tokens.access_token()).ok_or_else(|| {
        oauth::unusable_response(Error::BadResponse {
            url: String::new(),
            detail: "the token response has no access token".into(),
            status: None,
        })
    })?;
    let claims = oauth::decode_claims(token).map_err(oauth::unusable_response)?;
    let claim_str = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_string);
    let email = claim_str("email")
        .map(|e| e.trim().to_string())
        .unwrap_or_default();
    let now = now_ms();
    let seconds = |k: &str| oauth::expiry::seconds_field(&tokens.0, k).unwrap_or(0.0);
    let refresh_ms = seconds("refresh_expires_in");
    let expires = Expires {
        access: Some(oauth::expiry::expires_at(now, seconds("expires_in"))),
        refresh: (tokens.refresh_token().is_some() && refresh_ms > 0.0)
            .then(|| oauth::expiry::expires_at(now, refresh_ms)),
    };
    let org = claims
        .get("orgId")
        .filter(|v| !v.is_null() && v.as_str() != Some(""))
        .map(|id| {
            let mut org = Map::new();
            org.insert("name".into(), id.clone());
            org.insert("id".into(), id.clone());
            org
        });
    let mut user = Map::new();
    user.insert("email".into(), Value::from(email.clone()));
    if let Some(guid) = claims.get("guid").filter(|v| !v.is_null()) {
        user.insert("guid".into(), guid.clone());
    }
    let name = match keep {
        Some(previous) => previous.name.clone(),
        None => account_name(&settings.client_id, Some(&email), hash),
    };
    Ok(Account {
        auth: AuthInfo {
            authenticator: authenticator.into(),
            base_url: settings.base_url.clone(),
            client_id: settings.client_id.clone(),
            env: Some(settings.env.name.clone()),
            expires,
            idp: claim_str("identity_provider"),
            realm: settings.realm.clone(),
            tokens,
            ..Default::default()
        },
        hash: hash.into(),
        name,
        orgs: Some(org.clone().map(Value::Object).into_iter().collect()),
        org,
        user: Some(user),
        sid: keep.and_then(|k| k.sid.clone()),
        is_platform_tooling: keep.and_then(|k| k.is_platform_tooling),
        ..Default::default()
    })
}

/// The record after a token refresh: the new tokens with the stored identity (name, hash, env,
/// base URL, client, realm), persisted secrets, session id and unknown fields kept, and userinfo
/// re-read (as the reference does after every token request).
pub(crate) async fn refreshed_account(
    settings: &Settings,
    account: &Account,
    tokens: Tokens,
) -> Result<Account> {
    let scoped = Settings {
        base_url: account.auth.base_url.clone(),
        client_id: account.auth.client_id.clone(),
        realm: account.auth.realm.clone(),
        ..settings.clone()
    };
    let mut fresh = build_account(
        &scoped,
        &account.auth.authenticator,
        &account.hash,
        Some(account),
        tokens,
    )?;
    fresh.auth.env = account.auth.env.clone();
    fresh.auth.client_secret = account.auth.client_secret.clone();
    fresh.auth.secret = account.auth.secret.clone();
    fresh.auth.username = account.auth.username.clone();
    fresh.auth.password = account.auth.password.clone();
    fresh.auth.extra = account.auth.extra.clone();
    let endpoints = Endpoints::new(&account.auth.base_url, &account.auth.realm);
    apply_userinfo(&endpoints, &scoped, &mut fresh).await;
    Ok(fresh)
}

/// Reads userinfo into the account; failures are ignored, as in the reference.
pub(crate) async fn apply_userinfo(
    endpoints: &Endpoints,
    settings: &Settings,
    account: &mut Account,
) {
    let Some(token) = account.auth.tokens.access_token().map(str::to_string) else {
        return;
    };
    let info = match oauth::userinfo(endpoints, &token, &settings.http).await {
        Ok(info) => info,
        Err(e) => {
            tracing::warn!(code = e.code(), "userinfo failed: {e}");
            return;
        }
    };
    let field = |k: &str| info.get(k).filter(|v| !v.is_null()).cloned();
    let user = account.user.get_or_insert_with(Map::new);
    for (ours, theirs) in [
        ("email", "email"),
        ("firstName", "given_name"),
        ("lastName", "family_name"),
    ] {
        match field(theirs) {
            Some(v) => user.insert(ours.into(), v),
            None => user.shift_remove(ours),
        };
    }
    if let Some(guid) = field("guid") {
        user.insert("guid".into(), guid);
    }
    let org = account.org.get_or_insert_with(Map::new);
    for (ours, theirs) in [("name", "org_name"), ("guid", "org_guid")] {
        match field(theirs) {
            Some(v) => org.insert(ours.into(), v),
            None => org.shift_remove(ours),
        };
    }
    // The reference's `orgs[0]` is the same object as `org`, so it sees these changes too.
    let org = org.clone();
    if let Some([Value::Object(first)]) = account.orgs.as_deref_mut() {
        if first.get("id") == org.get("id") {
            *first = org;
        }
    }
}
