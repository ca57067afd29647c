/*!
The Secret Service (gnome-keyring, KWallet, KeePassXC) over D-Bus, through the `secret-service`
crate that `keyring` builds on. `keyring`'s own entries search on `service`/`username`/`target`,
so they cannot see keytar's item; this module reads and writes exactly keytar's item instead.

keytar 7.9.0, `src/keytar_posix.cc`:

```c
static const SecretSchema schema = {
  "org.freedesktop.Secret.Generic", SECRET_SCHEMA_NONE, {
    { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING }
  }
};
secret_password_store_sync(&schema, SECRET_COLLECTION_DEFAULT,
    (service + "/" + account).c_str(),  // The label.
    password.c_str(), NULL, &error,
    "service", service.c_str(), "account", account.c_str(), NULL);
```

libsecret adds the schema name as the attribute `xdg:schema` when it stores, and (the schema
has no `SECRET_SCHEMA_DONT_MATCH_NAME` flag) also matches on it when keytar looks the item up,
so the item we write carries it too. The secret is `text/plain`, as libsecret stores passwords.

The calls never unlock anything: unlocking may open a password prompt, which would hang a
headless command. A locked keyring is reported as such.
*/

use std::collections::HashMap;

use secret_service::{EncryptionType, Error, Item, SecretService};

use super::entry::{KeyEntry, KeychainError};

/// libsecret's schema name for keytar's items.
pub const SCHEMA: &str = "org.freedesktop.Secret.Generic";
const CONTENT_TYPE: &str = "text/plain";

fn block_on<T>(
    fut: impl std::future::Future<Output = Result<T, KeychainError>>,
) -> Result<T, KeychainError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| KeychainError::Failed(format!("cannot start the keychain runtime: {e}")))?;
    runtime.block_on(fut)
}

fn classify(error: Error) -> KeychainError {
    match error {
        Error::Unavailable => KeychainError::Unavailable(
            "no D-Bus session bus or Secret Service provider was found".into(),
        ),
        Error::Locked => KeychainError::Locked("the keyring is locked".into()),
        Error::Prompt | Error::PromptDisconnected => {
            KeychainError::Locked("the keyring asked for a password that was not given".into())
        }
        Error::NoResult => {
            KeychainError::Unavailable("the Secret Service has no default keyring".into())
        }
        Error::Zbus(e) => KeychainError::Unavailable(format!("the Secret Service failed: {e}")),
        Error::ZbusFdo(e) => KeychainError::Unavailable(format!("the Secret Service failed: {e}")),
        other => KeychainError::Failed(format!("the Secret Service failed: {other}")),
    }
}

async fn connect<'a>() -> Result<SecretService<'a>, KeychainError> {
    SecretService::connect(EncryptionType::Dh)
        .await
        .map_err(classify)
}

fn search_attributes(entry: &KeyEntry) -> HashMap<&str, &str> {
    HashMap::from([
        ("service", entry.service.as_str()),
        ("account", entry.account.as_str()),
    ])
}

fn item_attributes(entry: &KeyEntry) -> HashMap<&str, &str> {
    let mut attributes = search_attributes(entry);
    attributes.insert("xdg:schema", SCHEMA);
    attributes
}

/// The unlocked items with the entry's service and account, keytar's (schema match) first.
/// `Err(Locked)` when the only matches are locked.
async fn matching<'a>(
    ss: &'a SecretService<'a>,
    entry: &KeyEntry,
) -> Result<Vec<Item<'a>>, KeychainError> {
    let found = ss
        .search_items(search_attributes(entry))
        .await
        .map_err(classify)?;
    if found.unlocked.is_empty() && !found.locked.is_empty() {
        return Err(KeychainError::Locked(format!(
            "the keyring holding \"{}\" is locked",
            entry.label()
        )));
    }
    let mut items = Vec::with_capacity(found.unlocked.len());
    let mut others = vec![];
    for item in found.unlocked {
        let schema = item.get_attributes().await.map_err(classify)?;
        if schema.get("xdg:schema").map(String::as_str) == Some(SCHEMA) {
            items.push(item);
        } else {
            others.push(item);
        }
    }
    items.extend(others);
    Ok(items)
}

pub fn get(entry: &KeyEntry) -> Result<Option<String>, KeychainError> {
    block_on(async {
        let ss = connect().await?;
        let items = matching(&ss, entry).await?;
        let Some(item) = items.first() else {
            return Ok(None);
        };
        let secret = item.get_secret().await.map_err(classify)?;
        String::from_utf8(secret).map(Some).map_err(|_| {
            KeychainError::Failed(format!(
                "the keychain item \"{}\" is not text",
                entry.label()
            ))
        })
    })
}

pub fn set(entry: &KeyEntry, value: &str) -> Result<(), KeychainError> {
    block_on(async {
        let ss = connect().await?;
        // Update keytar's existing item wherever it is (as libsecret would find it), so there
        // is never a second, ambiguous one; otherwise create it in the default collection.
        if let Some(item) = matching(&ss, entry).await?.first() {
            return item
                .set_secret(value.as_bytes(), CONTENT_TYPE)
                .await
                .map_err(classify);
        }
        let collection = ss.get_default_collection().await.map_err(classify)?;
        if collection.is_locked().await.map_err(classify)? {
            return Err(KeychainError::Locked(
                "the default keyring is locked".into(),
            ));
        }
        collection
            .create_item(
                &entry.label(),
                item_attributes(entry),
                value.as_bytes(),
                true,
                CONTENT_TYPE,
            )
            .await
            .map_err(classify)?;
        Ok(())
    })
}

pub fn delete(entry: &KeyEntry) -> Result<bool, KeychainError> {
    block_on(async {
        let ss = connect().await?;
        let items = matching(&ss, entry).await?;
        for item in &items {
            item.delete().await.map_err(classify)?;
        }
        Ok(!items.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With no session bus at all the Secret Service is reported unavailable, immediately.
    /// (`npm test` runs the plain `cargo test` outside the Secret Service session.)
    #[test]
    fn no_session_bus_is_unavailable() {
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
            return eprintln!("skipped: this process has a session bus");
        }
        let started = std::time::Instant::now();
        match get(&KeyEntry::new("axway-auth-no-bus")) {
            Err(KeychainError::Unavailable(_)) => {}
            Ok(_) => return eprintln!("skipped: a session bus at the default path answered"),
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
    }

    /// The item has keytar's attributes, schema and label, in the default collection.
    #[test]
    #[ignore = "needs a Secret Service: npm test runs it inside scripts/with-secret-service.sh"]
    fn writes_keytars_item() {
        let entry = KeyEntry::new(&format!("axway-auth-attrs-{:08x}", rand::random::<u32>()));
        set(&entry, "0123456789abcdef0123456789abcdef").unwrap();
        let (attributes, label, in_default) = block_on(async {
            let ss = connect().await?;
            let items = matching(&ss, &entry).await?;
            let item = items.first().expect("the item exists");
            let default = ss.get_default_collection().await.map_err(classify)?;
            let default_items = default
                .search_items(search_attributes(&entry))
                .await
                .map_err(classify)?;
            Ok((
                item.get_attributes().await.map_err(classify)?,
                item.get_label().await.map_err(classify)?,
                default_items.len(),
            ))
        })
        .unwrap();
        delete(&entry).unwrap();
        assert_eq!(
            attributes,
            HashMap::from([
                ("service".to_string(), entry.service.clone()),
                ("account".to_string(), entry.account.clone()),
                ("xdg:schema".to_string(), SCHEMA.to_string()),
            ])
        );
        assert_eq!(label, format!("{0}/{0}", entry.service));
        assert_eq!(in_default, 1);
    }
}
