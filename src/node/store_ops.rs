//! The methods of the SDK-compatible store classes (`lib/stores.js`: `FileStore`, `SecureStore`,
//! `MemoryStore`) over the core's stores: the JS classes only pass their arguments here, so the
//! store format, the purge and the matching stay the core's (`crate::store`).

use serde_json::Value;

use super::options::StringOrList;
use crate::account::Account;
use crate::auth::{now_ms, open_store, Lookup};
use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::store;

/// `get`'s parameters.
#[derive(Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    account_name: Option<String>,
    base_url: Option<String>,
    hash: Option<String>,
}

/// A string argument (`baseUrl`), ignoring anything else as the SDK does (a falsy value).
fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Runs `op` with the JSON-encoded argument list `args` and returns the SDK method's result.
pub fn run(settings: &Settings, op: &str, args: Option<&str>) -> Result<Value> {
    let args: Vec<Value> = match args {
        None => vec![],
        Some(text) => serde_json::from_str(text)
            .map_err(|e| Error::InvalidArgument(format!("Invalid token store arguments: {e}")))?,
    };
    let store = open_store(settings)?.ok_or_else(|| {
        Error::InvalidArgument("This token store type keeps nothing (tokenStoreType null)".into())
    })?;
    let store = store.as_ref();
    let records = |accounts: Vec<Account>| serde_json::to_value(accounts);
    let value = match op {
        "list" => records(store::list(store, now_ms())?.accounts),
        "get" => {
            let params: GetParams = match args.first() {
                None | Some(Value::Null) => GetParams::default(),
                Some(v) => serde_json::from_value(v.clone())
                    .map_err(|e| Error::InvalidArgument(format!("Invalid parameters: {e}")))?,
            };
            let given = |v: Option<String>| v.filter(|s| !s.is_empty());
            let lookup = Lookup {
                name: given(params.account_name),
                hash: given(params.hash),
                base_url: params.base_url,
            };
            if lookup.name.is_none() && lookup.hash.is_none() {
                return Err(Error::MissingParameter(
                    "Must specify either the account name or authenticator hash".into(),
                ));
            }
            let live = store::list(store, now_ms())?.accounts;
            serde_json::to_value(live.into_iter().find(|a| lookup.matches(a)))
        }
        "set" => {
            let record: Account = args
                .first()
                .cloned()
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| Error::InvalidArgument(format!("Invalid account record: {e}")))?
                .ok_or_else(|| Error::MissingParameter("Account object is required".into()))?;
            store::set(store, &record)?;
            Ok(Value::Null)
        }
        "delete" => {
            let names = match args.first() {
                None | Some(Value::Null) => vec![],
                Some(v) => match serde_json::from_value::<StringOrList>(v.clone()) {
                    Ok(names) => names.into_vec(),
                    Err(_) => {
                        return Err(Error::InvalidArgument(
                            "Expected accounts to be an account name or a list of names".into(),
                        ))
                    }
                },
            };
            // the SDK's `_delete` lists (and so purges) first
            store::list(store, now_ms())?;
            records(store::delete(store, &names, text(args.get(1)))?)
        }
        "clear" => {
            store::list(store, now_ms())?;
            records(store::clear(store, text(args.first()))?)
        }
        other => {
            return Err(Error::InvalidArgument(format!(
                "Unknown token store operation \"{other}\""
            )))
        }
    };
    value.map_err(|e| Error::Internal(format!("cannot serialise the records: {e}")))
}
