//! The napi boundary: JS options → core structs, core results → JS values, core errors → JS
//! `Error`s with a stable `code` (plus `account` for `EAUTHENTICATED`). Nothing else.
//!
//! Last line of defence: the synchronous part of every entry point runs under [`guard`] and
//! every spawned future under [`guard_future`], so a panic (a bug) becomes a JS `Error` with
//! code `ERR_INTERNAL` instead of aborting the Node process (`panic = "unwind"`).

mod options;
mod sdk;

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde::Serialize;

use crate::account::Account;
use crate::auth::{self, LogoutTarget, SwitchRequest};
use crate::error::Error as CoreError;
use crate::sanitize;
use crate::settings::Settings;
use options::{JsOptions, Parsed};

type JsResult<'env> = Result<PromiseRaw<'env, serde_json::Value>>;

/// A panic's payload as an `ERR_INTERNAL` error.
fn panic_error(payload: Box<dyn std::any::Any + Send>) -> CoreError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into());
    CoreError::Internal(sanitize::clean(&what, 200))
}

/// Runs the synchronous part of an entry point; a panic becomes `ERR_INTERNAL`.
pub(crate) fn guard<T>(f: impl FnOnce() -> crate::Result<T>) -> crate::Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(panic_error(p)))
}

/// Runs a core future; a panic while it is polled becomes `ERR_INTERNAL`.
pub(crate) async fn guard_future<T>(
    fut: impl Future<Output = crate::Result<T>>,
) -> crate::Result<T> {
    AssertUnwindSafe(fut)
        .catch_unwind()
        .await
        .unwrap_or_else(|p| Err(panic_error(p)))
}

/// Runs a core future on napi's tokio runtime and settles a Promise with its result.
fn settle<'env, T, F>(env: &'env Env, fut: F) -> JsResult<'env>
where
    T: Serialize + Send + 'static,
    F: Future<Output = crate::Result<T>> + Send + 'static,
{
    env.spawn_future_with_callback(
        async move { Ok(guard_future(fut).await) },
        |env, outcome| {
            let outcome = outcome.and_then(|value| {
                guard(|| {
                    serde_json::to_value(value).map_err(|e| CoreError::Internal(e.to_string()))
                })
            });
            outcome.map_err(|err| to_js_error(env, err))
        },
    )
}

/// The one place core errors become JS errors. The message passes the sanitiser: one line, no
/// control or bidi character, bounded, whatever server text it carries.
fn to_js_error(env: &Env, err: CoreError) -> Error {
    let build = || -> Result<Error> {
        let message = sanitize::message(&err.to_string());
        let mut object = env.create_error(Error::new(Status::GenericFailure, message))?;
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
    guard(|| resolve_unguarded(env, options))
}

fn resolve_unguarded(
    env: &Env,
    options: Option<Object>,
) -> std::result::Result<(Settings, Parsed), CoreError> {
    let hook = options
        .as_ref()
        .map(open_browser_hook)
        .transpose()
        .map_err(|e| CoreError::InvalidArgument(format!("Invalid onOpenBrowser: {}", e.reason)))?
        .flatten();
    let json = options_json(env, options)
        .map_err(|e| CoreError::InvalidArgument(format!("Invalid options: {}", e.reason)))?;
    let mut parsed = JsOptions::parse(json.as_ref())?;
    parsed.login.browser.on_open_browser = hook;
    let mut auth_options = parsed.auth.clone();
    if let Ok(version) = env.get_node_version() {
        auth_options.runtime = Some(format!(
            "node:v{}.{}.{}",
            version.major, version.minor, version.patch
        ));
    }
    Ok((Settings::resolve(&auth_options)?, parsed))
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
            tsfn.call_async_catch(serde_json::json!({ "url": url }))
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
            .accounts
            .into_iter()
            .map(access_only)
            .collect::<Vec<_>>())
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
        Ok(auth::whoami(&settings, parsed.account_name.as_deref())
            .await?
            .map(access_only))
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

/// The tokens `list()` and `whoami()` hand out: the access token and its expiry
/// (`expires_in`, `token_type`; `auth.expires` stays). Never the refresh or id token, which
/// are long-lived credentials that would end up in error reports and logs.
fn access_only(mut account: Account) -> Account {
    account
        .auth
        .tokens
        .0
        .retain(|key, _| matches!(key.as_str(), "access_token" | "expires_in" | "token_type"));
    account
}

/// Takes the notices queued by earlier calls (for example "the keychain did not answer; using
/// the file token store"). The `axway` command prints them on stderr. Each is one sanitised
/// line (notices carry account names, which may come from a store written by something else).
#[napi]
pub fn take_notices() -> Vec<String> {
    crate::notices::take()
        .iter()
        .map(|n| sanitize::message(n))
        .collect()
}

/// Makes text from outside (a server, a store written by something else) safe for one line of
/// a terminal: control and bidi characters replaced by U+FFFD, line breaks collapsed to a
/// space, at most `maxLength` characters (default 200). The `axway` command renders names
/// through it; JSON output keeps exact values.
#[napi]
pub fn sanitize(text: String, max_length: Option<u32>) -> String {
    let limit = max_length.map_or(sanitize::NAME_LIMIT, |n| n as usize);
    sanitize::clean(&text, limit)
}

/// Test hook, not part of the API: panics in the synchronous part (`"sync"`) or in the
/// spawned future (`"async"`) of a call, to check that no panic crosses the napi boundary.
/// Does nothing unless the environment variable `AXWAY_AUTH_TEST_PANIC` is `1`.
#[napi(js_name = "__testPanic", skip_typescript)]
pub fn test_panic<'env>(env: &'env Env, place: String) -> JsResult<'env> {
    let armed = std::env::var("AXWAY_AUTH_TEST_PANIC").as_deref() == Ok("1");
    let prepared = guard(|| {
        if armed && place == "sync" {
            panic!("forced panic in the synchronous part (test hook)");
        }
        Ok(())
    });
    settle(env, async move {
        prepared?;
        if armed && place == "async" {
            panic!("forced panic in the future (test hook)");
        }
        Ok(serde_json::Value::Null)
    })
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
