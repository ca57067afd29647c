//! The browser stage, shared by the browser login, the org switch and the platform sign-out:
//! call the caller's hook with the URL, open the browser (unless told not to), wait for the
//! browser to come back to the loopback callback server, and answer it.

use std::sync::Arc;

use futures::future::BoxFuture;

use crate::error::{Error, Result};
use crate::oauth::callback::{CallbackServer, Hit};
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
}

impl std::fmt::Debug for BrowserOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserOptions")
            .field("launch_browser", &self.launch_browser)
            .field("on_open_browser", &self.on_open_browser.is_some())
            .finish()
    }
}

impl BrowserOptions {
    /// Shows `url`: the hook first (an `Err` from it cancels), then the web browser unless
    /// `launch_browser` is `false`.
    pub(crate) async fn show(&self, url: &str) -> Result<()> {
        if let Some(hook) = &self.on_open_browser {
            hook(url.to_string()).await.map_err(Error::Cancelled)?;
        }
        if self.launch_browser != Some(false) {
            webbrowser::open(url).map_err(|e| Error::BrowserFailed(e.to_string()))?;
        }
        Ok(())
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
