//! A token store written in JavaScript: the SDK-compatible `Auth`'s `tokenStore` instance (a
//! user's `TokenStore` subclass), behind the core's [`TokenStore`] trait, so every operation
//! (login, find, list, logout, refresh, updateAccount) runs over it as over the core's stores.
//!
//! `lib/stores.js` wraps the instance in one dispatcher, `(op, argsJson) => Promise<replyJson>`
//! (`{ "ok": value }` or `{ "error": message }`). The trait is synchronous and is called from the
//! async part of an operation, on a runtime worker: the call goes to the JS thread through a
//! `ThreadsafeFunction` and the worker waits for the reply (moved out of the runtime's worker
//! set while it waits, so other futures keep running). It must never be called on the JS thread
//! itself, which would wait for itself: that is refused with an error instead.
//!
//! `update(change)` is `list()`, then `change`, then one `delete(name, baseUrl)` per record gone
//! and one `set(record)` per record added or changed ([`crate::store::diff`]), the calls the SDK
//! would make. There is no cross-process lock: refreshes are serialised in this process only.

use std::thread::{self, ThreadId};
use std::time::Duration;

use napi::bindgen_prelude::{FnArgs, Function, Promise};
use napi::threadsafe_function::ThreadsafeFunction;
use napi::Status;
use serde_json::{json, Value};

use crate::account::Account;
use crate::error::{Error, Result};
use crate::store::diff::{writes, Write};
use crate::store::{StoreLocation, TokenStore};
use crate::wait::wait;

/// The dispatcher as JS gives it: `(op, argsJson) => Promise<replyJson>`.
pub type DispatchFn<'env> = Function<'env, FnArgs<(String, String)>, Promise<String>>;

type Dispatch = ThreadsafeFunction<
    FnArgs<(String, String)>,
    Promise<String>,
    FnArgs<(String, String)>,
    Status,
    false,
>;

/// A `TokenStore` whose records live in a JavaScript object.
pub struct JsStore {
    dispatch: Dispatch,
    js_thread: ThreadId,
    timeout: Duration,
}

impl std::fmt::Debug for JsStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsStore").finish_non_exhaustive()
    }
}

impl JsStore {
    /// Wraps the dispatcher; called on the JS thread. One call may take `timeout`
    /// (`AXWAY_AUTH_JS_STORE_TIMEOUT`).
    pub fn new(dispatch: &DispatchFn, timeout: Duration) -> napi::Result<Self> {
        Ok(JsStore {
            dispatch: dispatch
                .build_threadsafe_function()
                .callee_handled::<false>()
                .build()?,
            js_thread: thread::current().id(),
            timeout,
        })
    }

    /// Calls the store's method `op` with `args` and waits for its reply.
    fn call(&self, op: &'static str, args: Value) -> Result<Value> {
        let fail = |detail: String| Error::CustomStore { op, detail };
        if thread::current().id() == self.js_thread {
            return Err(fail(
                "it cannot be called synchronously from JavaScript (use the async API)".into(),
            ));
        }
        let reply = async {
            let promise = self
                .dispatch
                .call_async_catch(FnArgs::from((op.to_string(), args.to_string())))
                .await?;
            promise.await
        };
        let reply = match wait(reply, self.timeout) {
            None => {
                return Err(fail(format!(
                    "no answer within {} ms (AXWAY_AUTH_JS_STORE_TIMEOUT)",
                    self.timeout.as_millis()
                )))
            }
            Some(Err(e)) => return Err(fail(e.reason.clone())),
            Some(Ok(text)) => text,
        };
        let mut reply: Value = serde_json::from_str(&reply)
            .map_err(|e| fail(format!("its reply is not JSON ({e})")))?;
        if let Some(message) = reply.get("error") {
            let message = message
                .as_str()
                .map_or_else(|| message.to_string(), String::from);
            return Err(fail(message));
        }
        Ok(reply.get_mut("ok").map(Value::take).unwrap_or(Value::Null))
    }
}

impl TokenStore for JsStore {
    fn load(&self) -> Result<Vec<Account>> {
        let list = match self.call("list", json!([]))? {
            Value::Null => return Ok(vec![]),
            list => list,
        };
        serde_json::from_value(list).map_err(|e| Error::CustomStore {
            op: "list",
            detail: format!("it resolved something that is not a list of account records ({e})"),
        })
    }

    fn update(&self, change: &mut dyn FnMut(&mut Vec<Account>) -> Result<bool>) -> Result<()> {
        let before = self.load()?;
        let mut after = before.clone();
        if !change(&mut after)? {
            return Ok(());
        }
        for write in writes(&before, &after) {
            match write {
                Write::Delete { name, base_url } => self.call("delete", json!([name, base_url]))?,
                Write::Set(record) => self.call("set", json!([record]))?,
            };
        }
        Ok(())
    }

    fn location(&self) -> StoreLocation {
        StoreLocation {
            kind: "custom",
            path: None,
        }
    }
}
