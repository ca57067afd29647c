//! The native half of the SDK-compatible API (`lib/sdk.js` is the JS half, which gives it the
//! SDK's exact shapes: the `Auth` class, the `sdk.auth` object, argument checks, the
//! `auth.expired` getter). One `SdkClient` per `Auth`, holding the constructor's options.
//! Options, accounts and results cross the boundary as JSON text: the JS side parses each
//! result once with `JSON.parse`, which is faster than building objects property by property.

use std::future::Future;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::account::Account;
use crate::auth::sdk::{self, Accounts, ListRequest, Lookup, SdkOptions};
use crate::auth::BrowserOptions;
use crate::error::Error as CoreError;
use crate::settings::Settings;

type Text<'env> = Result<PromiseRaw<'env, String>>;

/// Runs a core future and settles a Promise with its result as JSON text.
fn settle_text<'env, T, F>(env: &'env Env, fut: F) -> Text<'env>
where
    T: Serialize + Send + 'static,
    F: Future<Output = crate::Result<T>> + Send + 'static,
{
    env.spawn_future_with_callback(async move { Ok(fut.await) }, |env, outcome| match outcome {
        Ok(value) => serde_json::to_string(&value).map_err(|e| Error::from_reason(e.to_string())),
        Err(err) => Err(sdk_error(env, err)),
    })
}

/// A core error as the SDK raises it: `to_js_error`'s error, except that a platform API error
/// carries the platform's own `code` from the response body (often the HTTP status, a
/// number), as the SDK copies it (spec 2.5).
fn sdk_error(env: &Env, err: CoreError) -> Error {
    let platform_code = match &err {
        CoreError::Platform {
            code: Some(code), ..
        } => Some(code.clone()),
        _ => None,
    };
    let Some(code) = platform_code else {
        return super::to_js_error(env, err);
    };
    let build = || -> Result<Error> {
        let mut object = env.create_error(Error::new(Status::GenericFailure, err.to_string()))?;
        match code.parse::<i64>() {
            Ok(number) => object.set_named_property("code", number)?,
            Err(_) => object.set_named_property("code", code.as_str())?,
        }
        if let Some(status) = err.status() {
            object.set_named_property("statusCode", status)?;
        }
        Ok(Error::from(object.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

/// Runs a core future that yields JSON text and settles a Promise with it.
fn settle_json<'env, F>(env: &'env Env, fut: F) -> Text<'env>
where
    F: Future<Output = crate::Result<String>> + Send + 'static,
{
    env.spawn_future_with_callback(async move { Ok(fut.await) }, |env, outcome| match outcome {
        Ok(text) => Ok(text),
        Err(err) => Err(sdk_error(env, err)),
    })
}

/// Parses JSON text from `lib/sdk.js`; nothing (or `null`) is the default value.
fn parse<T: DeserializeOwned + Default>(text: Option<&str>, what: &str) -> crate::Result<T> {
    match text {
        None | Some("null") => Ok(T::default()),
        Some(text) => serde_json::from_str(text)
            .map_err(|e| CoreError::InvalidArgument(format!("Invalid {what}: {e}"))),
    }
}

fn account(text: &str) -> crate::Result<Account> {
    serde_json::from_str(text)
        .map_err(|e| CoreError::InvalidArgument(format!("Invalid account object: {e}")))
}

/// `onOpenBrowser` and `launchBrowser` from a hooks object.
fn browser(hooks: Option<&Object>) -> crate::Result<BrowserOptions> {
    let invalid =
        |e: Error| CoreError::InvalidArgument(format!("Invalid onOpenBrowser: {}", e.reason));
    let hook = hooks
        .map(super::open_browser_hook)
        .transpose()
        .map_err(invalid)?
        .flatten();
    let launch_browser = match hooks {
        Some(hooks) => hooks
            .get_named_property::<Option<bool>>("launchBrowser")
            .map_err(invalid)?,
        None => None,
    };
    Ok(BrowserOptions {
        launch_browser,
        on_open_browser: hook,
    })
}

/// The native `Auth`: internal, used by `lib/sdk.js` (use `Auth` and `createSdkAuth`). Every
/// method takes and resolves JSON text.
#[napi]
pub struct SdkClient {
    options: SdkOptions,
    runtime: Option<String>,
}

#[napi]
impl SdkClient {
    /// Checks the constructor options (environment, token store) as the SDK's constructor does.
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<String>) -> Result<Self> {
        let runtime = env
            .get_node_version()
            .ok()
            .map(|v| format!("node:v{}.{}.{}", v.major, v.minor, v.patch));
        let checked = parse::<SdkOptions>(options.as_deref(), "options").and_then(|options| {
            options.settings(runtime.as_deref())?;
            Ok(options)
        });
        match checked {
            Ok(options) => Ok(SdkClient { options, runtime }),
            Err(e) => Err(sdk_error(&env, e)),
        }
    }

    /// The settings for one call: its options merged over the constructor's.
    fn prepare(&self, call: Option<&str>) -> crate::Result<(Settings, SdkOptions)> {
        let call: SdkOptions = parse(call, "options")?;
        let merged = self.options.merged(&call);
        Ok((merged.settings(self.runtime.as_deref())?, merged))
    }

    /// A file store's decrypted records (the JSON array as stored), read in place; `null` when
    /// this is not a file store or it cannot be read (then use `list` / `listAccounts`).
    #[napi]
    pub fn read_file_store(&self) -> Option<String> {
        let (settings, _) = self.prepare(None).ok()?;
        sdk::read_file_store(&settings)
    }

    /// `Auth.list()`.
    #[napi]
    pub fn list<'env>(&self, env: &'env Env) -> Text<'env> {
        let prepared = self.prepare(None);
        settle_json(env, async move { sdk::list(&prepared?.0).await })
    }

    /// `Auth.find(nameOrHash)` when `name` is given, else `Auth.find(options)`.
    #[napi]
    pub fn find<'env>(
        &self,
        env: &'env Env,
        name: Option<String>,
        options: Option<String>,
    ) -> Text<'env> {
        let prepared = self.prepare(options.as_deref());
        settle_text(env, async move {
            let (settings, merged) = prepared?;
            let lookup = match name {
                Some(name) => Lookup {
                    name: Some(name.clone()),
                    hash: Some(name),
                    base_url: Some(settings.base_url.clone()),
                },
                None => Lookup {
                    name: merged.account_name.clone(),
                    hash: Some(sdk::authenticator_hash(&settings, &merged)?),
                    base_url: Some(settings.base_url.clone()),
                },
            };
            sdk::find(&settings, &lookup).await
        })
    }

    /// `Auth.login(options)`.
    #[napi]
    pub fn login<'env>(
        &self,
        env: &'env Env,
        options: Option<String>,
        hooks: Option<Object>,
    ) -> Text<'env> {
        let prepared = self.prepare(options.as_deref());
        let browser = browser(hooks.as_ref());
        let device = super::device::device_options(hooks.as_ref());
        settle_text(env, async move {
            let (settings, merged) = prepared?;
            sdk::login(&settings, &merged, browser?, device?).await
        })
    }

    /// `Auth.logout({ accounts, all, baseUrl })` (arguments already checked by the JS side).
    #[napi]
    pub fn logout<'env>(
        &self,
        env: &'env Env,
        accounts: Option<Vec<String>>,
        all: bool,
        base_url: Option<String>,
    ) -> Text<'env> {
        let prepared = self.prepare(None);
        settle_text(env, async move {
            let target = if all {
                Accounts::All
            } else {
                Accounts::Named(accounts.unwrap_or_default())
            };
            sdk::logout(&prepared?.0, &target, base_url.as_deref()).await
        })
    }

    /// `Auth.serverInfo(options)`; `url` overrides the well-known URL.
    #[napi]
    pub fn server_info<'env>(
        &self,
        env: &'env Env,
        options: Option<String>,
        url: Option<String>,
    ) -> Text<'env> {
        let prepared = self.prepare(options.as_deref());
        settle_text(env, async move {
            sdk::server_info(&prepared?.0, url.as_deref()).await
        })
    }

    /// `Auth.updateAccount(account)`.
    #[napi]
    pub fn update_account<'env>(&self, env: &'env Env, account_json: String) -> Text<'env> {
        let prepared = self.prepare(None);
        settle_text(env, async move {
            sdk::update_account(&prepared?.0, &account(&account_json)?)
        })
    }

    /// `sdk.auth.findSession(account, defaultTeams)`.
    #[napi]
    pub fn find_session<'env>(
        &self,
        env: &'env Env,
        account_json: String,
        default_teams: Option<String>,
    ) -> Text<'env> {
        let prepared = self.prepare(None);
        settle_text(env, async move {
            let teams: Map<String, Value> = parse(default_teams.as_deref(), "default teams")?;
            sdk::find_session(&prepared?.0, account(&account_json)?, &teams).await
        })
    }

    /// `sdk.auth.loadSession(account, defaultTeams)`.
    #[napi]
    pub fn load_session<'env>(
        &self,
        env: &'env Env,
        account_json: String,
        default_teams: Option<String>,
    ) -> Text<'env> {
        let prepared = self.prepare(None);
        settle_text(env, async move {
            let teams: Map<String, Value> = parse(default_teams.as_deref(), "default teams")?;
            sdk::load_session(&prepared?.0, account(&account_json)?, &teams).await
        })
    }

    /// `sdk.auth.find(nameOrHash, defaultTeams)`.
    #[napi]
    pub fn find_account<'env>(
        &self,
        env: &'env Env,
        name: String,
        default_teams: Option<String>,
    ) -> Text<'env> {
        let prepared = self.prepare(None);
        settle_text(env, async move {
            let teams: Map<String, Value> = parse(default_teams.as_deref(), "default teams")?;
            sdk::find_account(&prepared?.0, &name, &teams).await
        })
    }

    /// `sdk.auth.list({ validate, skip, defaultTeams })`.
    #[napi]
    pub fn list_accounts<'env>(
        &self,
        env: &'env Env,
        validate: bool,
        skip: Option<Vec<String>>,
        default_teams: Option<String>,
    ) -> Text<'env> {
        let prepared = self.prepare(None);
        settle_json(env, async move {
            let request = ListRequest {
                validate,
                skip: skip.unwrap_or_default(),
                default_teams: parse(default_teams.as_deref(), "default teams")?,
            };
            sdk::list_accounts(&prepared?.0, &request).await
        })
    }

    /// `sdk.auth.login(options)`.
    #[napi]
    pub fn sdk_login<'env>(
        &self,
        env: &'env Env,
        options: Option<String>,
        hooks: Option<Object>,
    ) -> Text<'env> {
        let prepared = self.prepare(options.as_deref());
        let browser = browser(hooks.as_ref());
        settle_text(env, async move {
            let (settings, merged) = prepared?;
            sdk::sdk_login(&settings, &merged, browser?).await
        })
    }

    /// `sdk.auth.logout({ accounts, all, baseUrl })` (arguments already checked by the JS side).
    #[napi]
    pub fn sdk_logout<'env>(
        &self,
        env: &'env Env,
        accounts: Option<Vec<String>>,
        all: bool,
        base_url: Option<String>,
        hooks: Option<Object>,
    ) -> Text<'env> {
        let prepared = self.prepare(None);
        let browser = browser(hooks.as_ref());
        settle_text(env, async move {
            let target = if all {
                Accounts::All
            } else {
                Accounts::Named(accounts.unwrap_or_default())
            };
            sdk::sdk_logout(&prepared?.0, &target, base_url.as_deref(), browser?).await
        })
    }

    /// `sdk.auth.switchOrg(account, org, { onOpenBrowser })`.
    #[napi]
    pub fn switch_org<'env>(
        &self,
        env: &'env Env,
        account_json: Option<String>,
        org: Option<String>,
        hooks: Option<Object>,
    ) -> Text<'env> {
        let prepared = self.prepare(None);
        let browser = browser(hooks.as_ref());
        settle_text(env, async move {
            let account = account_json.as_deref().map(account).transpose()?;
            sdk::switch_org(&prepared?.0, account, org.as_deref(), browser?).await
        })
    }
}
