//! Opening the browser for a login. When that fails (no browser installed, no desktop), a
//! caller that was handed the URL (`onOpenBrowser`: the command prints it) keeps waiting for
//! it to be opened by hand, as `gh` does, instead of failing; only a caller that saw no URL
//! gets `ERR_BROWSER_FAILED`.
//!
//! The `webbrowser` crate reports a launcher it could not start, or a foreground (text)
//! browser that exited with an error. A graphical launcher (`$BROWSER`, `xdg-open`) runs in
//! the background, so one that exits with an error afterwards goes unnoticed: the printed link
//! is what keeps that case from stranding the user.

use super::login::BrowserOptions;
use crate::error::{Error, Result};

/// Opens `url` in the default browser (see the module doc for failures).
pub(super) fn open(browser: &BrowserOptions, url: &str) -> Result<()> {
    match webbrowser::open(url) {
        Ok(()) => Ok(()),
        Err(e) if browser.on_open_browser.is_some() => {
            tracing::warn!(
                "failed to open a web browser ({e}); waiting for the link to be opened by hand"
            );
            crate::notices::push(format!(
                "No web browser could be opened ({e}); the login went on through the printed link."
            ));
            Ok(())
        }
        Err(e) => Err(Error::BrowserFailed(e.to_string())),
    }
}
