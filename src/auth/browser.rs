//! The browser stage, shared by the browser login, the org switch and the platform sign-out:
//! call the caller's hook with the URL, open the browser (unless told not to), wait for the
//! browser to come back to the loopback callback server, and answer it. A login with an id
//! (`loginId`, the SDK-compatible manual mode) can be cancelled from another call meanwhile
//! (`cancel_login`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use futures::future::BoxFuture;

use crate::error::{Error, Result};
use crate::oauth::callback::{CallbackServer, CancelHandle, Hit};
use crate::settings::Settings;

/// Called with the login URL before the browser opens; an `Err` cancels the login with that
/// message (the command uses it to print the URL, or to refuse headless environments).
pub type OpenBrowserHook =
    Arc<dyn Fn(String) -> BoxFuture<'static, std::result::Result<(), String>> + Send + Sync>;

/// Browser login options.
#[derive(Clone, Default)]
pub struct BrowserOptions {
    /// `Some(false)`: do not open a browser (the hook shows the URL).
    pub launch_browser: Option<bool>,
    pub on_open_browser: Option<OpenBrowserHook>,
    /// The caller's id for this login, for `cancel_login` (the SDK-compatible manual mode).
    pub login_id: Option<String>,
}

impl std::fmt::Debug for BrowserOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserOptions")
            .field("launch_browser", &self.launch_browser)
            .field("on_open_browser", &self.on_open_browser.is_some())
            .field("login_id", &self.login_id)
            .finish()
    }
}

impl BrowserOptions {
    /// Makes the login cancellable by its id (when it has one) while `server` runs: until the
    /// returned guard is dropped, `cancel_login(id)` ends the server's waits with
    /// `ERR_LOGIN_CANCELLED`.
    pub(crate) fn register(&self, server: &CallbackServer) -> Option<Registration> {
        let id = self.login_id.clone().filter(|id| !id.is_empty())?;
        lock().insert(id.clone(), server.cancel_handle());
        Some(Registration(id))
    }

    /// Shows `url`: the hook first (an `Err` from it cancels), then the web browser unless
    /// `launch_browser` is `false`.
    pub(crate) async fn show(&self, url: &str) -> Result<()> {
        if let Some(hook) = &self.on_open_browser {
            hook(url.to_string()).await.map_err(Error::Cancelled)?;
        }
        if self.launch_browser != Some(false) {
            self.open(url)?;
        }
        Ok(())
    }

    /// Opens `url` in the default browser. When that fails (no browser installed, no
    /// desktop), a caller that was handed the URL (`onOpenBrowser`: the command prints it)
    /// keeps waiting for it to be opened by hand, as `gh` does, instead of failing; only a
    /// caller that saw no URL gets `ERR_BROWSER_FAILED`. (The `webbrowser` crate reports a
    /// launcher it could not start; a graphical launcher that fails later in the background
    /// goes unnoticed, which is why the command always prints the link too.)
    fn open(&self, url: &str) -> Result<()> {
        match webbrowser::open(url) {
            Ok(()) => Ok(()),
            Err(e) if self.on_open_browser.is_some() => {
                tracing::warn!("failed to open a web browser ({e}); waiting for the link");
                crate::notices::push(format!(
                    "No web browser could be opened ({e}); the login went on through the printed link."
                ));
                Ok(())
            }
            Err(e) => Err(Error::BrowserFailed(e.to_string())),
        }
    }
}

/// Waits for the browser to come back to `id`, bounded by `interactiveLoginTimeout`.
pub(crate) async fn wait(
    settings: &Settings,
    server: &mut CallbackServer,
    id: &str,
) -> Result<Hit> {
    tokio::time::timeout(settings.interactive_login_timeout, server.next(id))
        .await
        .map_err(|_| Error::AuthTimeout)?
}

/// The logins that can be cancelled now, by caller id.
fn lock() -> std::sync::MutexGuard<'static, HashMap<String, CancelHandle>> {
    static LOGINS: OnceLock<Mutex<HashMap<String, CancelHandle>>> = OnceLock::new();
    LOGINS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Keeps a login cancellable; dropping it (the login settled) forgets the id.
pub(crate) struct Registration(String);

impl Drop for Registration {
    fn drop(&mut self) {
        lock().remove(&self.0);
    }
}

/// Cancels the running login registered under `id`: its browser wait ends with
/// `ERR_LOGIN_CANCELLED`, which stops its callback server. `false` when no such login runs
/// (it settled already, or never waited for a browser).
pub fn cancel_login(id: &str) -> bool {
    match lock().get(id) {
        Some(handle) => {
            handle.cancel();
            true
        }
        None => false,
    }
}
