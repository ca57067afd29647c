//! The napi boundary: JS options → core structs, core results → JS values, core errors → JS
//! `Error`s with a stable `code` (plus `account` for `EAUTHENTICATED`). Nothing else.

mod device;
mod options;
mod sdk;

use std::future::Future;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde::Serialize;

use crate::auth::{self, LogoutTarget, SwitchRequest};
use crate::error::Error as CoreError;
use crate::settings::Settings;
use options::{JsOptions, Parsed};

type JsResult<'env> = Result<PromiseRaw<'env, serde_json::Value>>;

/// Runs a core future on napi's tokio runtime and settles a Promise with its result.
fn settle<'env, T, F>(env: &'env Env, fut: F) -> JsResult<'env>
where
    T: Serialize + Send + 'static,
    F: Future<Output = crate::Result<T>> + Send + 'static,
{
    env.spawn_future_with_callback(async move { Ok(fut.await) }, |env, outcome| match outcome {
        Ok(value) => serde_json::to_value(value).map_err(|e| Error::from_reason(e.to_string())),
        Err(err) => Err(to_js_error(env, err)),
    })
}

/// The one place core errors become JS errors.
fn to_js_error(env: &Env, err: CoreError) -> Error {
    let build = || -> Result<Error> {
        let mut object = env.create_error(Error::new(Status::GenericFailure, err.to_string()))?;
        object.set_named_property("code", err.code())?;
        if let Some(status) = err.status() {
            object.set_named_property("statusCode", status)?;
        }
        if let CoreError::AlreadyAuthenticated(account) = &err {
            object.set_named_property("account", env.to_js_value(account.as_ref())?)?;
        }
        Ok(Error::from(object.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

/// Copies the plain-data properties of the options object (functions and `undefined` skipped:
/// callbacks are taken separately).
fn options_json(env: &Env, options: Option<Object>) -> Result<Option<serde_json::Value>> {
    let Some(object) = options else {
        return Ok(None);
    };
    let names = object.get_property_names()?;
    let mut map = serde_json::Map::new();
    for index in 0..names.get_array_length()? {
        let key: String = names.get_element(index)?;
        let value: Unknown = object.get_named_property(&key)?;
        if matches!(
            value.get_type()?,
            ValueType::Function | ValueType::Undefined
        ) {
            continue;
        }
        map.insert(key, env.from_js_value(value)?);
    }
    Ok(Some(serde_json::Value::Object(map)))
}

fn resolve(
    env: &Env,
    options: Option<Object>,
) -> std::result::Result<(Settings, Parsed), CoreError> {
    let device = device::device_options(options.as_ref())?;
    let json = options_json(env, options)
        .map_err(|e| CoreError::InvalidArgument(format!("Invalid options: {}", e.reason)))?;
    let mut parsed = JsOptions::parse(json.as_ref())?;
    let mut auth_options = parsed.auth.clone();
    if let Ok(version) = env.get_node_version() {
        auth_options.runtime = Some(format!(
            "node:v{}.{}.{}",
            version.major, version.minor, version.patch
        ));
    }
    let settings = Settings::resolve(&auth_options)?;
    // the browser stage's time limit goes with the URL, for the command's "time left"
    let expires_in = settings.interactive_login_timeout.as_secs();
    let hook = options
        .as_ref()
        .map(|o| open_browser_hook_with(o, Some(expires_in)))
        .transpose()
        .map_err(|e| CoreError::InvalidArgument(format!("Invalid onOpenBrowser: {}", e.reason)))?
        .flatten();
    parsed.login.browser.on_open_browser = hook;
    parsed.login.device = auth::DeviceOptions {
        org: parsed.org.clone(),
        ..device
    };
    Ok((settings, parsed))
}

/// Logs in a service account (client secret or private key), optionally upgraded to a platform
/// tooling session with `username` and `password`. Rejects with `code: 'EAUTHENTICATED'` and the
/// existing `account` when already logged in (unless `force`).
#[napi(
    ts_args_type = "options?: LoginOptions",
    ts_return_type = "Promise<Account>"
)]
pub fn login<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    let prepared = resolve(env, options);
    settle(env, async move {
        let (settings, parsed) = prepared?;
        auth::login(&settings, parsed.login).await
    })
}

/// Turns `options.onOpenBrowser` into a hook the core can await from any thread. A throw in the
/// callback cancels the login with the thrown message.
fn open_browser_hook(options: &Object) -> Result<Option<auth::OpenBrowserHook>> {
    open_browser_hook_with(options, None)
}

/// `open_browser_hook`, with `expiresIn` (seconds the login waits for the browser) in the info.
fn open_browser_hook_with(
    options: &Object,
    expires_in: Option<u64>,
) -> Result<Option<auth::OpenBrowserHook>> {
    let callback: Option<Function<serde_json::Value, ()>> =
        options.get_named_property("onOpenBrowser")?;
    let Some(callback) = callback else {
        return Ok(None);
    };
    let tsfn = std::sync::Arc::new(
        callback
            .build_threadsafe_function()
            .callee_handled::<false>()
            .build()?,
    );
    Ok(Some(std::sync::Arc::new(move |url: String| {
        let tsfn = tsfn.clone();
        Box::pin(async move {
            let info = match expires_in {
                Some(secs) => serde_json::json!({ "url": url, "expiresIn": secs }),
                None => serde_json::json!({ "url": url }),
            };
            tsfn.call_async_catch(info)
                .await
                .map_err(|e| e.reason.clone())
        })
    })))
}

/// Lists the authenticated accounts of the current environment, sorted by name, each with
/// `default`. Validates (refreshes and re-reads the platform session of) every account
/// concurrently unless `validate: false`.
#[napi(
    ts_args_type = "options?: ListOptions",
    ts_return_type = "Promise<Account[]>"
)]
pub fn list<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    let prepared = resolve(env, options);
    settle(env, async move {
        let (settings, parsed) = prepared?;
        Ok(auth::list(&settings, parsed.validate.unwrap_or(true))
            .await?
            .accounts)
    })
}

/// Logs out the named accounts, or all of them (`all: true`, or no `accounts`). Resolves the
/// removed accounts (persisted secrets stripped), each with `revoked: "server" | "local"`.
#[napi(
    ts_args_type = "options?: LogoutOptions",
    ts_return_type = "Promise<Account[]>"
)]
pub fn logout<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    let prepared = resolve(env, options);
    settle(env, async move {
        let (settings, parsed) = prepared?;
        let target = match (parsed.all, parsed.accounts) {
            (Some(true), _) | (_, None) => LogoutTarget::All,
            (_, Some(names)) => LogoutTarget::Named(names),
        };
        let browser = parsed.login.browser;
        auth::logout(&settings, auth::LogoutRequest { target, browser }).await
    })
}

/// Makes an account the default, with its org and team, in `config.json`.
#[napi(
    js_name = "switchAccount",
    ts_args_type = "options?: SwitchOptions",
    ts_return_type = "Promise<Account>"
)]
pub fn switch_account<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    let prepared = resolve(env, options);
    settle(env, async move {
        let (settings, parsed) = prepared?;
        let request = SwitchRequest {
            account: parsed.account,
            org: parsed.org,
            team: parsed.team,
            browser: parsed.login.browser,
        };
        auth::switch(&settings, request).await
    })
}

/// The named account (`accountName`), else the default account, else the first; `null` when
/// not logged in.
#[napi(
    ts_args_type = "options?: WhoamiOptions",
    ts_return_type = "Promise<Account | null>"
)]
pub fn whoami<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    let prepared = resolve(env, options);
    settle(env, async move {
        let (settings, parsed) = prepared?;
        auth::whoami(&settings, parsed.account_name.as_deref()).await
    })
}

/// The identity server's OpenID configuration (the hidden `axway auth server-info`).
#[napi(
    ts_args_type = "options?: AuthOptions",
    ts_return_type = "Promise<Record<string, unknown>>"
)]
pub fn server_info<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    let prepared = resolve(env, options);
    settle(env, async move {
        let (settings, _) = prepared?;
        auth::server_info(&settings).await
    })
}

/// Takes the notices queued by earlier calls (for example "the keychain did not answer; using
/// the file token store"). The `axway` command prints them on stderr.
#[napi]
pub fn take_notices() -> Vec<String> {
    crate::notices::take()
}

/// Moves an unreadable token store (corrupt, foreign, or whose keychain key is gone) aside to
/// `<file>.<UTC timestamp>.corrupt`, so the next login starts afresh (`axway auth logout
/// --reset`). Resolves `{ movedTo }`: the new path, or `null` when the store is readable or
/// absent and nothing was moved. Never deletes anything.
#[napi(
    ts_args_type = "options?: AuthOptions",
    ts_return_type = "Promise<{ movedTo: string | null }>"
)]
pub fn reset_store<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    let prepared = resolve(env, options);
    settle(env, async move {
        let (settings, _) = prepared?;
        let moved = auth::reset_store(&settings)?;
        Ok(serde_json::json!({ "movedTo": moved.map(|p| p.display().to_string()) }))
    })
}

/// Debug logging (`AXWAY_AUTH_LOG`, `DEBUG`), set up once when the addon loads.
#[napi_derive::module_init]
fn init_logging() {
    crate::logging::init();
}
