//! Read-modify-writes of the token store and of `config.json` from several *processes* at once
//! lose nothing: each holds the cross-process lock for its whole read-modify-write. The test
//! binary runs copies of itself as the writers (`worker` below, selected by an environment
//! variable).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use axway_auth::account::Account;
use axway_auth::config::{set_path, Config};
use axway_auth::store::{self, FileStore, TokenStore};

const PROCESSES: usize = 6;
const WRITES: usize = 15;
const WORKER_ENV: &str = "AXWAY_AUTH_CROSS_PROCESS_WORKER";

fn account(name: &str) -> Account {
    serde_json::from_value(serde_json::json!({
        "auth": {"authenticator": "ClientSecret", "baseUrl": "http://x", "clientId": "c",
                 "realm": "Broker", "expires": {"access": i64::MAX, "refresh": null},
                 "tokens": {"access_token": "a"}},
        "hash": format!("c:{name}"), "name": name, "org": {"id": 100, "name": "Acme"},
        "orgs": [{"id": 100, "name": "Acme"}]
    }))
    .unwrap()
}

/// One writer process: WRITES accounts into the store and WRITES keys into config.json.
#[test]
fn worker() {
    let Ok(spec) = std::env::var(WORKER_ENV) else {
        return; // only runs as a child of `no_update_is_lost_across_processes`
    };
    let (home, id) = spec.split_once('|').expect("home|id");
    let home = PathBuf::from(home);
    let store = FileStore::file(&home);
    for n in 0..WRITES {
        store::set(&store, &account(&format!("p{id}-{n}"))).unwrap();
        let mut config = Config::load(&home).unwrap();
        config
            .update(|data| {
                set_path(
                    data,
                    &format!("test.p{id}.k{n}"),
                    serde_json::Value::from(n),
                );
                true
            })
            .unwrap();
    }
}

fn spawn_worker(home: &Path, id: usize) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "worker", "--quiet", "--test-threads=1"])
        .env(WORKER_ENV, format!("{}|{id}", home.display()))
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn no_update_is_lost_across_processes() {
    if std::env::var_os(WORKER_ENV).is_some() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..PROCESSES)
        .map(|id| spawn_worker(home.path(), id))
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a worker failed");
    }

    let stored = FileStore::file(home.path()).load().unwrap();
    assert_eq!(
        stored.len(),
        PROCESSES * WRITES,
        "every account of every process is in the store"
    );
    let config = Config::load(home.path()).unwrap();
    for id in 0..PROCESSES {
        for n in 0..WRITES {
            assert_eq!(
                config.get(&format!("test.p{id}.k{n}")),
                Some(&serde_json::Value::from(n)),
                "config key p{id}.k{n} survived"
            );
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(home.path().join("axway-cli"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temp files left: {leftovers:?}");
}
