//! The napi boundary: JS options → core structs, core results → JS values, core errors → JS
//! `Error`s with a stable `code` (plus `account` for `EAUTHENTICATED`). Nothing else.
//!
//! Last line of defence: the synchronous part of every entry point runs under [`guard`] and
//! every spawned future under [`guard_future`], so a panic (a bug) becomes a JS `Error` with
//! code `ERR_INTERNAL` instead of aborting the Node process (`panic = "unwind"`).

mod device;
mod js_store;
mod lenient;
mod options;
mod store_ops;

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde::Serialize;

use crate::auth::{self, LogoutTarget, SwitchRequest};
use crate::error::{Error as CoreError, PlatformCode, TokenFailure};
use crate::sanitize;
use crate::settings::{Profile, Settings, StoreKind};
use options::{JsOptions, Parsed};

type JsResult<'env> = Result<PromiseRaw<'env, Unknown<'env>>>;

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

/// Runs a core future on napi's tokio runtime and settles a Promise with its result. Results
/// cross as JSON text (serialised on the runtime's thread) turned into objects by V8's
/// `JSON.parse` (much faster than building them property by property through napi).
fn settle<'env, T, F>(env: &'env Env, profile: Profile, fut: F) -> JsResult<'env>
where
    T: Serialize + Send + 'static,
    F: Future<Output = crate::Result<T>> + Send + 'static,
{
    // Boxed first: an operation's future is large, and each layer that wraps it by value would
    // copy it on the JS thread's stack, which V8 counts against the JS stack limit.
    let fut = Box::pin(fut);
    settle_json(env, profile, async move {
        let value = fut.await?;
        serde_json::to_string(&value).map_err(|e| CoreError::Internal(e.to_string()))
    })
}

/// [`settle`] for a future that answers JSON text itself.
fn settle_json<'env, F>(env: &'env Env, profile: Profile, fut: F) -> JsResult<'env>
where
    F: Future<Output = crate::Result<String>> + Send + 'static,
{
    let fut = Box::pin(fut);
    env.spawn_future_with_callback(
        async move { Ok(guard_future(fut).await) },
        move |env, outcome| match outcome {
            Ok(text) => json_to_js(env, text),
            Err(err) => Err(to_js_error(env, profile, err)),
        },
    )
}

/// A value as a JS value (via `JSON.parse`).
fn to_js<'env, T: Serialize>(env: &'env Env, value: &T) -> Result<Unknown<'env>> {
    let text = serde_json::to_string(value).map_err(|e| Error::from_reason(e.to_string()))?;
    json_to_js(env, text)
}

/// JSON text as a JS value (via `JSON.parse`). ASCII text, the common case, is handed to V8 as
/// Latin-1, which it copies without decoding.
fn json_to_js(env: &Env, text: String) -> Result<Unknown<'_>> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<napi::JsString, Unknown> = json.get_named_property("parse")?;
    let text = match text.is_ascii() {
        true => env.create_string_latin1(text.as_bytes())?,
        false => env.create_string_from_std(text)?,
    };
    parse.call(text)
}

/// The one place core errors become JS errors: `message`, a stable `code` (the platform's own
/// code for platform API errors in the SDK profile, as the SDK copies it), `statusCode`, and
/// the existing `account` for `EAUTHENTICATED`. In the SDK profile the class is the SDK's
/// (`TypeError` for argument errors) and argument errors the SDK raises without a code have
/// none; the stable code is then on `axwayCode`.
fn to_js_error(env: &Env, profile: Profile, err: CoreError) -> Error {
    let build = || -> Result<Error> {
        let sdk = profile == Profile::Sdk;
        let message = match &err {
            CoreError::InvalidEnvironment(name) if sdk => format!("Invalid environment \"{name}\""),
            // as Node's (got's) error reads in the SDK
            CoreError::ConnectionRefused { address, .. } if sdk => {
                format!("connect ECONNREFUSED {address}")
            }
            CoreError::TokenRequest { failure, .. } if sdk => sdk_token_failure(failure),
            // the SDK's getToken: `Invalid Grant[: <error_description>]`
            CoreError::InvalidGrant(description) if sdk => sanitize::message(&format!(
                "Invalid Grant{}",
                description
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            )),
            _ => sanitize::message(&err.to_string()),
        };
        let mut object = match &err {
            CoreError::MissingParameter(_)
            | CoreError::InvalidParameter(_)
            | CoreError::ToolingArgument(_)
            | CoreError::AuthCodeRequired
                if sdk =>
            {
                type_error(env, &message)?
            }
            _ => env.create_error(Error::new(Status::GenericFailure, message))?,
        };
        object.set_named_property("axwayCode", err.code())?;
        match &err {
            CoreError::ConnectionRefused { .. } if sdk => {
                object.set_named_property("code", "ECONNREFUSED")?
            }
            CoreError::TokenRequest { .. } if sdk => {
                object.set_named_property("code", "ERR_AUTH_FAILED")?
            }
            CoreError::ToolingArgument(_) | CoreError::Conflict(_) if sdk => {
                object.set_named_property("code", ())?
            }
            CoreError::Platform {
                code: Some(PlatformCode::Text(code)),
                ..
            } if sdk => object.set_named_property("code", code.as_str())?,
            CoreError::Platform {
                code: Some(PlatformCode::Number(code)),
                ..
            } if sdk => object.set_named_property("code", *code)?,
            _ => object.set_named_property("code", err.code())?,
        }
        if let Some(status) = err.status() {
            object.set_named_property("statusCode", status)?;
        }
        if let CoreError::AlreadyAuthenticated(account) = &err {
            object.set_named_property("account", to_js(env, account.as_ref())?)?;
        }
        Ok(Error::from(object.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

/// A failed token request as the SDK's callers see it (its `getToken`): `Authentication
/// failed: [<error_description>: ]Response code <status> (<reason>)`, or `Authentication
/// failed: Invalid server response`.
fn sdk_token_failure(failure: &TokenFailure) -> String {
    match failure {
        TokenFailure::Status {
            status,
            description,
        } => {
            let reason = reqwest::StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Unknown");
            let description = description
                .as_deref()
                .map(|d| format!("{d}: "))
                .unwrap_or_default();
            sanitize::message(&format!(
                "Authentication failed: {description}Response code {status} ({reason})"
            ))
        }
        TokenFailure::InvalidResponse => "Authentication failed: Invalid server response".into(),
    }
}

/// A JS `TypeError` with this message.
fn type_error<'env>(env: &'env Env, message: &str) -> Result<Object<'env>> {
    let text = env.create_string(message)?;
    let mut raw = std::ptr::null_mut();
    // SAFETY: `env` is the live environment of this call; `text` is a string value in it.
    let status = unsafe {
        napi::sys::napi_create_type_error(env.raw(), std::ptr::null_mut(), text.raw(), &mut raw)
    };
    if status != napi::sys::Status::napi_ok {
        return Err(Error::from_reason("cannot create a TypeError"));
    }
    // SAFETY: `raw` was just created by napi in this environment.
    Ok(Object::from_raw(env.raw(), raw))
}

/// Copies the plain-data properties of the options object (functions and `undefined` skipped:
/// callbacks are taken separately).
fn options_json(env: &Env, options: Option<&Object>) -> Result<Option<serde_json::Value>> {
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
        // Buffers (requestOptions.ca, cert, key) become their text.
        map.insert(key, env.from_js_value::<lenient::Lenient, _>(value)?.0);
    }
    Ok(Some(serde_json::Value::Object(map)))
}

/// One call's settings and options.
struct Call {
    settings: Settings,
    parsed: Parsed,
}

/// Parses the options and resolves the settings, on the JS thread.
fn resolve(env: &Env, options: Option<Object>) -> (Profile, crate::Result<Call>) {
    let profile = options
        .as_ref()
        .and_then(|o| {
            o.get_named_property::<Option<String>>("profile")
                .ok()
                .flatten()
        })
        .map_or(Profile::Cli, |p| {
            if p == "sdk" {
                Profile::Sdk
            } else {
                Profile::Cli
            }
        });
    let prepared = guard(|| {
        let invalid = |what: &str, e: Error| {
            CoreError::InvalidArgument(format!("Invalid {what}: {}", e.reason))
        };
        let device = device::device_options(options.as_ref())?;
        let json = options_json(env, options.as_ref()).map_err(|e| invalid("options", e))?;
        let mut parsed = JsOptions::parse(json)?;
        if let Ok(version) = env.get_node_version() {
            parsed.auth.runtime = Some(format!(
                "node:v{}.{}.{}",
                version.major, version.minor, version.patch
            ));
        }
        let mut settings = Settings::resolve(&parsed.auth)?;
        // the SDK-compatible `Auth`'s `tokenStore` written in JavaScript (lib/stores.js)
        let custom: Option<js_store::DispatchFn> = match options.as_ref() {
            Some(o) => o
                .get_named_property("customTokenStore")
                .map_err(|e| invalid("customTokenStore", e))?,
            None => None,
        };
        if let Some(dispatch) = custom {
            let store = js_store::JsStore::new(&dispatch, settings.js_store_timeout)
                .map_err(|e| invalid("tokenStore", e))?;
            settings = settings.with_custom_store(std::sync::Arc::new(store));
        }
        // the browser stage's time limit goes with the URL, for the command's "time left"
        let expires_in = settings.interactive_login_timeout.as_secs();
        parsed.login.browser.on_open_browser = options
            .as_ref()
            .map(|o| open_browser_hook(o, expires_in))
            .transpose()
            .map_err(|e| invalid("onOpenBrowser", e))?
            .flatten();
        parsed.login.device = auth::DeviceOptions {
            org: parsed.org.clone(),
            ..device
        };
        Ok(Call { settings, parsed })
    });
    (profile, prepared)
}

/// Declares a napi operation: resolves the options on the JS thread, runs the body on the
/// runtime, and settles the Promise.
macro_rules! operation {
    ($env:ident, $options:ident, |$call:ident| $body:expr) => {{
        let (profile, prepared) = resolve($env, $options);
        settle($env, profile, async move {
            let $call = prepared?;
            $body
        })
    }};
    // The body answers JSON text itself.
    ($env:ident, $options:ident, json, |$call:ident| $body:expr) => {{
        let (profile, prepared) = resolve($env, $options);
        settle_json($env, profile, async move {
            let $call = prepared?;
            $body
        })
    }};
}

/// Logs in: a service account (client secret or private key), optionally upgraded to a
/// platform tooling session with `username` and `password`, or a platform user in the browser.
/// Rejects with `code: 'EAUTHENTICATED'` and the existing `account` when already logged in
/// (unless `force`).
#[napi(
    ts_args_type = "options?: LoginOptions",
    ts_return_type = "Promise<Account>"
)]
pub fn login<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        let exposure = call.parsed.result_exposure;
        let shown = |a: Box<crate::account::Account>| Box::new(a.exposed(exposure));
        match auth::login(&call.settings, call.parsed.login).await {
            Ok(account) => Ok(account.exposed(exposure)),
            Err(CoreError::AlreadyAuthenticated(a)) => {
                Err(CoreError::AlreadyAuthenticated(shown(a)))
            }
            Err(e) => Err(e),
        }
    })
}

/// A JS callback of the options (`name`: `onOpenBrowser`, `onDeviceCode`) as a hook the core
/// can await from any thread: called with `info(value)`; a throw in the callback cancels the
/// login with the thrown message.
#[allow(clippy::type_complexity)]
fn notify_hook<T: 'static>(
    options: &Object,
    name: &str,
    info: impl Fn(T) -> std::result::Result<serde_json::Value, String> + Send + Sync + 'static,
) -> Result<Option<std::sync::Arc<dyn Fn(T) -> NotifyFuture + Send + Sync>>> {
    let callback: Option<Function<serde_json::Value, ()>> = options.get_named_property(name)?;
    let Some(callback) = callback else {
        return Ok(None);
    };
    let tsfn = std::sync::Arc::new(
        callback
            .build_threadsafe_function()
            .callee_handled::<false>()
            .build()?,
    );
    Ok(Some(std::sync::Arc::new(move |value: T| {
        let (tsfn, info) = (tsfn.clone(), info(value));
        Box::pin(async move {
            tsfn.call_async_catch(info?)
                .await
                .map_err(|e| e.reason.clone())
        })
    })))
}

/// What a notification hook returns: done, or the message that cancels the login.
type NotifyFuture = futures::future::BoxFuture<'static, std::result::Result<(), String>>;

/// `onOpenBrowser({ url, expiresIn })`: `expiresIn` is how long the login waits for the
/// browser, for the command's "time left".
fn open_browser_hook(options: &Object, expires_in: u64) -> Result<Option<auth::OpenBrowserHook>> {
    notify_hook(options, "onOpenBrowser", move |url: String| {
        Ok(serde_json::json!({ "url": url, "expiresIn": expires_in }))
    })
}

/// Cancels the running login started with this `loginId` (the SDK-compatible manual login's
/// `cancel()`): its wait for the browser ends, its callback server stops, and the login rejects
/// with `code: 'ERR_LOGIN_CANCELLED'`. `false` when no such login is waiting (it settled
/// already).
#[napi]
pub fn cancel_login(login_id: String) -> bool {
    auth::cancel_login(&login_id)
}

/// Lists the authenticated accounts of the current environment, sorted by name, each with
/// `default`. Validates (refreshes and re-reads the platform session of) every account
/// concurrently unless `validate: false`.
#[napi(
    ts_args_type = "options?: ListOptions",
    ts_return_type = "Promise<Account[]>"
)]
pub fn list<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, json, |call| {
        if let Some(json) = auth::list_stored_json(&call.settings, &call.parsed.list)? {
            return Ok(json);
        }
        let accounts = auth::list(&call.settings, &call.parsed.list).await?;
        serde_json::to_string(&accounts).map_err(|e| CoreError::Internal(e.to_string()))
    })
}

/// Logs out the named accounts (`accounts`, names or hashes), or all of them (`all: true`, or
/// no `accounts`). Resolves the removed accounts (persisted secrets stripped), each with
/// `revoked: "server" | "local"`.
#[napi(
    ts_args_type = "options?: LogoutOptions",
    ts_return_type = "Promise<Account[]>"
)]
pub fn logout<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        let Call { settings, parsed } = call;
        let base_url = match parsed.same_base_url {
            true => Some(settings.base_url.clone()),
            false => parsed.only_base_url,
        };
        let request = auth::LogoutRequest {
            target: parsed.target.unwrap_or(LogoutTarget::All),
            browser: parsed.login.browser,
            base_url,
            all_envs: parsed.all_envs,
        };
        let removed = auth::logout(&settings, request).await?;
        Ok(removed
            .into_iter()
            .map(|a| a.exposed(parsed.result_exposure))
            .collect::<Vec<_>>())
    })
}

/// Makes an account the default, with its org and team, in `config.json`.
#[napi(
    js_name = "switchAccount",
    ts_args_type = "options?: SwitchOptions",
    ts_return_type = "Promise<Account>"
)]
pub fn switch_account<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        let Call { settings, parsed } = call;
        let request = SwitchRequest {
            account: parsed.account,
            org: parsed.org,
            team: parsed.team,
            browser: parsed.login.browser,
        };
        Ok(auth::switch(&settings, request)
            .await?
            .exposed(parsed.result_exposure))
    })
}

/// The account `accountName` names (its name or hash, or a case-insensitive regular
/// expression over its name, email and org name), else the account in use (`account`,
/// `AXWAY_AUTH_ACCOUNT`, else the default), else the first; `null` when none. With `all: true`,
/// every match (`axway auth whoami` prints them all with `--json`).
#[napi(
    ts_args_type = "options?: WhoamiOptions",
    ts_return_type = "Promise<Account | Account[] | null>"
)]
pub fn whoami<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        let Call { settings, parsed } = call;
        let found = auth::whoami(&settings, parsed.account_name.as_deref()).await?;
        let mut found: Vec<_> = found
            .into_iter()
            .map(|a| a.exposed(parsed.exposure))
            .collect();
        if parsed.all {
            return Ok(Whoami::All(found));
        }
        let first = found
            .iter()
            .position(|a| a.default == Some(true))
            .unwrap_or(0);
        Ok(Whoami::One(
            (!found.is_empty()).then(|| Box::new(found.swap_remove(first))),
        ))
    })
}

/// `whoami`'s answer: every match (`all: true`), or the one to show (`null` when none).
#[derive(Serialize)]
#[serde(untagged)]
enum Whoami {
    All(Vec<crate::account::Account>),
    One(Option<Box<crate::account::Account>>),
}

/// A valid access token for an account (`account`, else `AXWAY_AUTH_ACCOUNT`, else the default
/// account, else the only one) with at least `minValidity` left (default 5 minutes): the
/// stored token without any network request when it lives long enough, else renewed once
/// (refresh token; a service account logs in again with its persisted secret, else
/// `AXWAY_AUTH_CLIENT_SECRET` / `AXWAY_AUTH_SECRET_FILE`), single-flight across processes.
/// Rejects with `code: 'ERR_LOGIN_REQUIRED'` when not logged in or when the account needs an
/// interactive login.
#[napi(
    ts_args_type = "options?: TokenOptions",
    ts_return_type = "Promise<AccessToken>"
)]
pub fn token<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        auth::token(&call.settings, &call.parsed.token).await
    })
}

/// `token()`'s answer when the stored token lives long enough, else `null` (then call
/// `token()`, which renews it). Synchronous, no network: the `axway auth token` command's fast
/// path. It blocks while it reads the store (and, for the secure store, asks the OS keychain
/// for its key, at most `AXWAY_AUTH_KEYCHAIN_TIMEOUT`); prefer `token()` in a server. Throws
/// what `token()` rejects with.
#[napi(
    ts_args_type = "options?: TokenOptions",
    ts_return_type = "AccessToken | null"
)]
pub fn stored_token<'env>(env: &'env Env, options: Option<Object>) -> Result<Unknown<'env>> {
    let (profile, call) = resolve(env, options);
    let stored = call.and_then(|call| auth::token::stored(&call.settings, &call.parsed.token));
    sync_result(env, profile, stored)
}

/// What a login with these options would use: the authenticator its credentials select and
/// whether a tooling password is at hand (the `axway` command prompts only for what is
/// missing). Synchronous; reads the secret file when one is given.
#[napi(ts_args_type = "options?: LoginOptions", ts_return_type = "LoginPlan")]
pub fn login_plan<'env>(env: &'env Env, options: Option<Object>) -> Result<Unknown<'env>> {
    let (profile, call) = resolve(env, options);
    let plan = call.and_then(|call| auth::login_plan(&call.settings, &call.parsed.login));
    sync_result(env, profile, plan)
}

/// A synchronous call's result as a JS value, or its error thrown with its `code`.
fn sync_result<'env, T: Serialize>(
    env: &'env Env,
    profile: Profile,
    result: crate::Result<T>,
) -> Result<Unknown<'env>> {
    match result {
        Ok(value) => to_js(env, &value),
        Err(err) => Err(to_js_error(env, profile, err)),
    }
}

/// The identity server's OpenID configuration (`url` overrides its address).
#[napi(
    ts_args_type = "options?: AuthOptions & { url?: string }",
    ts_return_type = "Promise<Record<string, unknown>>"
)]
pub fn server_info<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        auth::server_info(&call.settings, call.parsed.url.as_deref()).await
    })
}

/// One stored account (`account`: name or hash; else `accountName` and the account of the
/// credentials given), refreshed when needed; with `session: true` its platform session is
/// loaded too (`defaultTeams`). `null` when there is none.
#[napi(
    ts_args_type = "options?: FindOptions",
    ts_return_type = "Promise<Account | null>"
)]
pub fn find<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        let Call { settings, parsed } = call;
        if settings.store_kind == StoreKind::Null {
            return Ok(None); // nothing is stored: nothing to find (before the client id check)
        }
        let hash = match parsed.account {
            Some(_) => None,
            None => Some(auth::authenticator_hash(
                &settings,
                parsed.login.username.as_deref(),
                parsed.login.password.as_ref(),
            )?),
        };
        let lookup = parsed.lookup(hash, &settings.base_url);
        let teams = parsed.session.then_some(&parsed.default_teams);
        let found = auth::find(&settings, &lookup, teams).await?;
        Ok(found.map(|a| a.exposed(parsed.exposure)))
    })
}

/// The platform session, org, orgs, roles, user and team of `record` (nothing stored); with
/// `store: true` (loadSession) the record is stored too, and `null` means its platform session
/// has ended (the account was removed).
#[napi(
    ts_args_type = "options: AuthOptions & { record: Account; defaultTeams?: Record<string, string>; store?: boolean }",
    ts_return_type = "Promise<Account | null>"
)]
pub fn find_session<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        let Call { settings, parsed } = call;
        let record = parsed
            .record
            .ok_or_else(|| CoreError::MissingParameter("Account required".into()))?;
        if parsed.session {
            auth::load_session(&settings, record, &parsed.default_teams).await
        } else {
            auth::find_session(&settings, record, &parsed.default_teams)
                .await
                .map(Some)
        }
    })
}

/// Stores `record` as it is (replacing the one with the same base URL and name).
#[napi(
    ts_args_type = "options: AuthOptions & { record: Account }",
    ts_return_type = "Promise<null>"
)]
pub fn update_account<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        let record = call
            .parsed
            .record
            .ok_or_else(|| CoreError::MissingParameter("Account object is required".into()))?;
        auth::update_account(&call.settings, &record)
    })
}

/// Moves a platform account (`record`) to another of its orgs (`org`) through the platform's
/// org-selection page; a missing or expired account logs in through the browser.
#[napi(
    ts_args_type = "options: AuthOptions & { record?: Account | null; org?: string | null }",
    ts_return_type = "Promise<Account>"
)]
pub fn switch_org<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    operation!(env, options, |call| {
        let Call { settings, parsed } = call;
        auth::switch_org(
            &settings,
            parsed.record,
            parsed.org.as_deref(),
            parsed.login.browser,
        )
        .await
    })
}

/// What options resolve to, without doing anything: `env` (and its table entry as
/// `environment`), `persistSecrets`, `tokenStoreType`, `homeDir`, `baseUrl`, `platformUrl`,
/// `realm`, `clientId`, the OpenID `endpoints`, and the account `hash` these options log in
/// as (`null` without a client id or when the credentials cannot be read). The SDK-compatible
/// constructors call it. Throws what an operation would reject with (unknown environment,
/// token store without a directory, …).
#[napi(
    ts_args_type = "options?: AuthOptions",
    ts_return_type = "ResolvedOptions"
)]
pub fn describe_options<'env>(env: &'env Env, options: Option<Object>) -> Result<Unknown<'env>> {
    let (profile, call) = resolve(env, options);
    let described = call.map(|Call { settings, parsed }| {
        let secure = matches!(settings.store_kind, StoreKind::Secure | StoreKind::Auto);
        let endpoints = crate::oauth::Endpoints::new(&settings.base_url, &settings.realm);
        let (username, password) = (&parsed.login.username, &parsed.login.password);
        let hash = (!settings.client_id.is_empty())
            .then(|| auth::credentials_hash(&settings, username.as_deref(), password.as_ref()).ok())
            .flatten();
        serde_json::json!({
            "env": settings.env.name,
            "environment": {
                "name": settings.env.name,
                "baseUrl": settings.env.base_url,
                "platformUrl": settings.env.platform_url,
                "realm": crate::settings::DEFAULT_REALM,
            },
            "persistSecrets": settings.persist_secrets_explicit.or(secure.then_some(true)),
            "tokenStoreType": settings.store_kind.name(),
            "homeDir": settings.home_dir,
            "baseUrl": settings.base_url,
            "platformUrl": settings.platform_url,
            "realm": settings.realm,
            "clientId": settings.client_id,
            "endpoints": {
                "auth": endpoints.auth,
                "certs": format!("{}/certs", endpoints.auth.trim_end_matches("/auth")),
                "logout": endpoints.logout,
                "token": endpoints.token,
                "userinfo": endpoints.userinfo,
                "wellKnown": endpoints.well_known,
            },
            "hash": hash,
        })
    });
    sync_result(env, profile, described)
}

/// Checks the set-up (`axway auth doctor`): config file, token store, and for the base and
/// platform URLs the proxy, DNS, TCP, TLS (issuer, expiry, trust source) and HTTP, then the
/// clock. Every check is bounded in time. Resolves the report (`ok` is false when a check
/// failed); never rejects for what it checks.
#[napi(
    ts_args_type = "options?: AuthOptions",
    ts_return_type = "Promise<DoctorReport>"
)]
pub fn doctor<'env>(env: &'env Env, options: Option<Object>) -> JsResult<'env> {
    let prepared = options_json(env, options.as_ref())
        .map_err(|e| CoreError::InvalidArgument(format!("Invalid options: {}", e.reason)))
        .and_then(JsOptions::parse);
    let runtime = env
        .get_node_version()
        .ok()
        .map(|v| format!("node:v{}.{}.{}", v.major, v.minor, v.patch));
    settle(env, Profile::Cli, async move {
        let mut options = prepared?.auth;
        options.runtime = runtime;
        Ok(crate::net::doctor::run(&options).await)
    })
}

/// Internal (used by `lib/stores.js`): one method of the SDK-compatible `FileStore`,
/// `SecureStore` or `MemoryStore` (`op`: `list`, `get`, `set`, `delete`, `clear`) over the
/// store `options` select; `args` is the method's arguments as JSON text. Resolves what the
/// SDK's method resolves (records as stored).
#[napi(skip_typescript)]
pub fn token_store<'env>(
    env: &'env Env,
    op: String,
    options: Option<Object>,
    args: Option<String>,
) -> JsResult<'env> {
    operation!(env, options, |call| {
        store_ops::run(&call.settings, &op, args.as_deref())
    })
}

/// Internal (used by `lib/sdk.js`): forgets the in-process token store `name`, whose
/// SDK-compatible `Auth` was garbage-collected.
#[napi(skip_typescript)]
pub fn drop_memory_store(name: String) {
    auth::drop_memory_store(&name);
}

/// Takes the notices queued by earlier calls (for example "the keychain did not answer; using
/// the file token store"). The `axway` command prints them on stderr.
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

/// Internal test hook, not part of the API: panics in the synchronous part (`"sync"`) or in the
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
    settle(env, Profile::Cli, async move {
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
    operation!(env, options, |call| {
        let moved = auth::reset_store(&call.settings)?;
        Ok(serde_json::json!({ "movedTo": moved.map(|p| p.display().to_string()) }))
    })
}

/// Debug logging (`AXWAY_AUTH_LOG`, `DEBUG`), set up once when the addon loads.
#[napi_derive::module_init]
fn init_logging() {
    crate::logging::init();
}
