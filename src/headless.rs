//! Whether a browser opened by this process can reach the user: not over SSH, not in a
//! container, not on a Linux (or BSD) machine without a display. A platform login on such a
//! machine uses the device login (RFC 8628) when the identity server offers it, else it shows
//! the browser login's link instead of trying to open a browser.
//!
//! Spec 1.2 (the JS CLI) checks `SSH_TTY`, `DISPLAY` and `/proc/1/cgroup`; this adds
//! `SSH_CONNECTION`, `WAYLAND_DISPLAY` (a display too) and the usual container markers. A
//! `BROWSER` variable wins over all of them: someone configured how to open a browser from here
//! (VS Code sets it in dev containers and remote SSH sessions, to open the local browser).

use std::path::Path;

/// Why this machine is headless (for messages), or `None` when a browser can be opened here.
pub fn detect() -> Option<String> {
    detect_with(
        std::env::consts::OS,
        |name| std::env::var(name).ok(),
        |path| Path::new(path).exists(),
        || std::fs::read_to_string("/proc/1/cgroup").ok(),
    )
}

/// `detect` with its inputs given: the OS (`std::env::consts::OS`), environment variables,
/// whether a file exists, and the contents of `/proc/1/cgroup`.
pub fn detect_with(
    os: &str,
    var: impl Fn(&str) -> Option<String>,
    exists: impl Fn(&str) -> bool,
    cgroup: impl Fn() -> Option<String>,
) -> Option<String> {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
    if set("BROWSER") {
        return None;
    }
    for name in ["SSH_CONNECTION", "SSH_TTY"] {
        if set(name) {
            return Some(format!("an SSH session: {name} is set"));
        }
    }
    if os == "windows" || os == "macos" {
        return None;
    }
    if set("container") {
        return Some("a container: the container variable is set".into());
    }
    for marker in ["/.dockerenv", "/run/.containerenv"] {
        if exists(marker) {
            return Some(format!("a container: {marker} exists"));
        }
    }
    if cgroup().is_some_and(|c| c.contains("docker") || c.contains("lxc")) {
        return Some("a container: /proc/1/cgroup names docker or lxc".into());
    }
    if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
        return Some("no display: DISPLAY and WAYLAND_DISPLAY are not set".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::detect_with;

    fn check(os: &str, vars: &[(&str, &str)], files: &[&str], cgroup: &str) -> Option<String> {
        detect_with(
            os,
            |name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            },
            |path| files.contains(&path),
            || Some(cgroup.to_string()),
        )
    }

    #[test]
    fn a_linux_desktop_is_not_headless() {
        assert_eq!(check("linux", &[("DISPLAY", ":0")], &[], "0::/\n"), None);
        assert_eq!(
            check("linux", &[("WAYLAND_DISPLAY", "wayland-0")], &[], "0::/"),
            None
        );
    }

    #[test]
    fn each_marker_makes_it_headless_and_says_which() {
        let display = ("DISPLAY", ":0");
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str], &'a str, &'a str);
        let cases: [Case; 7] = [
            (&[display, ("SSH_TTY", "/dev/pts/1")], &[], "", "SSH_TTY"),
            (
                &[display, ("SSH_CONNECTION", "10.0.0.2 5122 10.0.0.1 22")],
                &[],
                "",
                "SSH_CONNECTION",
            ),
            (
                &[display, ("container", "podman")],
                &[],
                "",
                "container variable",
            ),
            (&[display], &["/.dockerenv"], "", "/.dockerenv"),
            (
                &[display],
                &["/run/.containerenv"],
                "",
                "/run/.containerenv",
            ),
            (&[display], &[], "1:name=systemd:/docker/abc", "cgroup"),
            (&[("DISPLAY", "")], &[], "", "DISPLAY and WAYLAND_DISPLAY"),
        ];
        for (vars, files, cgroup, why) in cases {
            let reason = check("linux", vars, files, cgroup).expect("headless");
            assert!(reason.contains(why), "{reason} should mention {why}");
        }
    }

    #[test]
    fn a_configured_browser_launcher_wins() {
        let vars = [
            ("BROWSER", "/vscode/bin/helpers/browser.sh"),
            ("SSH_TTY", "x"),
        ];
        assert_eq!(check("linux", &vars, &["/.dockerenv"], "docker"), None);
    }

    #[test]
    fn macos_and_windows_only_check_ssh() {
        assert_eq!(check("macos", &[], &["/.dockerenv"], "docker"), None);
        assert_eq!(check("windows", &[], &[], ""), None);
        assert!(check("macos", &[("SSH_CONNECTION", "a b c d")], &[], "").is_some());
    }
}
