//! Debug logging to stderr, off unless asked for:
//!
//! - `AXWAY_AUTH_LOG` takes a `tracing` filter. A bare level (`trace`, `debug`, `info`, …)
//!   applies to this crate only; directives (`axway_auth=trace,reqwest=debug`) are used as
//!   given, for when a dependency's own logs are wanted too.
//! - otherwise `DEBUG=*`, or a `DEBUG` that mentions `axway` (the `debug` npm package's
//!   convention, which the JS CLI honours), turns on this crate's debug logs.
//!
//! The core logs names, codes and paths, never a value: secrets live in redacting types
//! (`account::Redacted`, `Tokens`, the store `Key`), whose `Debug` prints `[redacted]`.

use std::sync::Once;

use tracing_subscriber::EnvFilter;

const CRATE: &str = "axway_auth";

/// The filter the environment asks for, `None` when logging is off.
pub fn filter_from(axway_auth_log: Option<&str>, debug: Option<&str>) -> Option<String> {
    if let Some(value) = axway_auth_log.map(str::trim).filter(|v| !v.is_empty()) {
        let lower = value.to_ascii_lowercase();
        return Some(match lower.as_str() {
            "off" | "0" | "false" | "none" => return None,
            "1" | "true" | "on" => format!("{CRATE}=debug"),
            "trace" | "debug" | "info" | "warn" | "error" => format!("{CRATE}={lower}"),
            _ => value.to_string(),
        });
    }
    let debug = debug.map(str::trim).filter(|v| !v.is_empty())?;
    let wanted = debug
        .split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with('-'))
        .any(|p| p == "*" || p.to_ascii_lowercase().contains("axway"));
    wanted.then(|| format!("{CRATE}=debug"))
}

/// Installs the stderr subscriber once per process, when the environment asks for it.
/// Called when the addon loads; harmless to call again.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let directives = filter_from(
            std::env::var("AXWAY_AUTH_LOG").ok().as_deref(),
            std::env::var("DEBUG").ok().as_deref(),
        );
        let Some(directives) = directives else {
            return;
        };
        let filter = EnvFilter::builder()
            .parse(&directives)
            .unwrap_or_else(|_| EnvFilter::new(format!("{CRATE}=debug")));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .with_target(true)
            .try_init();
    });
}

#[cfg(test)]
mod tests {
    use super::filter_from;

    #[test]
    fn off_unless_asked() {
        assert_eq!(filter_from(None, None), None);
        assert_eq!(filter_from(Some(""), Some("")), None);
        assert_eq!(filter_from(None, Some("express:*")), None);
        assert_eq!(filter_from(Some("off"), Some("*")), None);
    }

    #[test]
    fn levels_apply_to_this_crate_and_directives_pass_through() {
        assert_eq!(
            filter_from(Some("trace"), None).as_deref(),
            Some("axway_auth=trace")
        );
        assert_eq!(
            filter_from(Some("TRACE"), Some("*")).as_deref(),
            Some("axway_auth=trace")
        );
        assert_eq!(
            filter_from(Some("axway_auth=trace,zbus=debug"), None).as_deref(),
            Some("axway_auth=trace,zbus=debug")
        );
    }

    #[test]
    fn debug_star_or_axway_turns_on_debug() {
        for value in ["*", "axway*", "foo,axway-auth", "AXWAY:*"] {
            assert_eq!(
                filter_from(None, Some(value)).as_deref(),
                Some("axway_auth=debug"),
                "{value}"
            );
        }
        assert_eq!(filter_from(None, Some("-axway,express")), None);
    }
}
