//! The one sanitiser for text that comes from outside (server replies, callback parameters,
//! names from the platform, account names from a store written by something else) before it
//! reaches a terminal or an error message: control and bidi characters replaced, line breaks
//! collapsed, length bounded. JSON output keeps exact values (JSON escaping makes them safe).
//! Also the redaction of secrets a server may echo back.

use crate::error::{Error, PlatformCode, TokenFailure};

/// Longest server-provided description (`error_description`, a platform error message) kept
/// in an error message, in characters.
pub const DESCRIPTION_LIMIT: usize = 300;
/// Longest name (account, org, team, email) rendered for a terminal, in characters.
pub const NAME_LIMIT: usize = 200;
/// Longest whole error message or notice, in characters.
pub const MESSAGE_LIMIT: usize = 1000;

/// What replaces a control or bidi character: visible, and harmless in a terminal.
pub const REPLACEMENT: char = '\u{FFFD}';
/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// Line and paragraph breaks: a run of them becomes one space.
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Characters a terminal interprets (C0, DEL, C1: ESC sequences, BEL, NUL, backspace) and the
/// bidi controls that reorder what is displayed (U+202E "right-to-left override" and friends).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Makes `text` safe for one line of a terminal: every run of line breaks becomes one space,
/// a tab one space, every other control or bidi character U+FFFD, and the result is at most
/// `limit` characters (cut text ends with `…`). Idempotent.
pub fn clean(text: &str, limit: usize) -> String {
    let limit = limit.max(1);
    let mut out: Vec<char> = Vec::with_capacity(text.len().min(limit + 1));
    let mut in_break = false;
    for c in text.chars() {
        if is_break(c) {
            if !in_break {
                out.push(' ');
            }
            in_break = true;
        } else {
            in_break = false;
            out.push(match c {
                '\t' => ' ',
                c if is_unsafe(c) => REPLACEMENT,
                c => c,
            });
        }
        if out.len() > limit {
            out.truncate(limit - 1);
            out.push('…');
            break;
        }
    }
    out.into_iter().collect()
}

/// A server-provided description for an error message (at most [`DESCRIPTION_LIMIT`]).
pub fn description(text: &str) -> String {
    clean(text, DESCRIPTION_LIMIT)
}

/// A whole message or notice (at most [`MESSAGE_LIMIT`]).
pub fn message(text: &str) -> String {
    clean(text, MESSAGE_LIMIT)
}

/// Replaces every occurrence of each secret (and its URL-encoded forms, as a server may echo a
/// form field) with `[redacted]`. Empty secrets are ignored.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        forms.push(secret.to_string());
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        forms.push(form.replace('+', "%20"));
        forms.push(form);
    }
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    let mut out = text.to_string();
    for form in &forms {
        if out.contains(form.as_str()) {
            out = out.replace(form.as_str(), REDACTED);
        }
    }
    out
}

/// A URL for a message: without its userinfo (`user:pass@`) and without its query string
/// (which may carry a token hint). Text that is not a URL is returned up to its `?`.
pub fn display_url(url: &str) -> String {
    let without_query = match url.split_once('?') {
        Some((before, _)) => before,
        None => url,
    };
    strip_userinfo(without_query)
}

/// `scheme://user:pass@host/…` → `scheme://***@host/…`.
pub fn strip_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// The userinfo (`user:pass`, decoded parts) of a URL, for redaction: the password and the
/// whole userinfo, when present.
pub fn userinfo_secrets(url: &str) -> Vec<String> {
    let Ok(parsed) = url::Url::parse(url) else {
        return vec![];
    };
    let mut secrets = vec![];
    if let Some(password) = parsed.password() {
        secrets.push(password.to_string());
        if let Ok(decoded) = urlencoding_decode(password) {
            secrets.push(decoded);
        }
    }
    secrets
}

fn urlencoding_decode(text: &str) -> Result<String, std::str::Utf8Error> {
    let bytes: Vec<u8> = url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())
        .unwrap_or_default();
    std::str::from_utf8(&bytes).map(str::to_string)
}

impl Error {
    /// The same error with every secret of `secrets` (sent by this call: client secret,
    /// password, URL userinfo) replaced in its text, before any server text becomes a message.
    pub fn redact_secrets(self, secrets: &[&str]) -> Error {
        if secrets.iter().all(|s| s.is_empty()) {
            return self;
        }
        let r = |s: String| redact(&s, secrets);
        match self {
            Error::AuthFailed { detail, status } => Error::AuthFailed {
                detail: r(detail),
                status,
            },
            Error::InvalidGrant(detail) => Error::InvalidGrant(detail.map(r)),
            Error::BadResponse {
                url,
                detail,
                status,
            } => Error::BadResponse {
                url: r(url),
                detail: r(detail),
                status,
            },
            Error::Unreachable { url, detail } => Error::Unreachable {
                url: r(url),
                detail: r(detail),
            },
            Error::Timeout { url, seconds } => Error::Timeout {
                url: r(url),
                seconds,
            },
            Error::AuthDenied(detail) => Error::AuthDenied(r(detail)),
            Error::Platform {
                context,
                message,
                status,
                code,
            } => Error::Platform {
                context,
                message: r(message),
                status,
                code: code.map(|c| match c {
                    PlatformCode::Text(text) => PlatformCode::Text(r(text)),
                    number => number,
                }),
            },
            Error::InvalidArgument(detail) => Error::InvalidArgument(r(detail)),
            Error::TokenRequest { failure, cause } => Error::TokenRequest {
                failure: match failure {
                    TokenFailure::Status {
                        status,
                        description,
                    } => TokenFailure::Status {
                        status,
                        description: description.map(r),
                    },
                    other => other,
                },
                cause: Box::new(cause.redact_secrets(secrets)),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terminal_controls_become_visible_and_lines_collapse() {
        assert_eq!(
            clean("a\x1b[2Jb\x07c\0d\u{202E}e", 100),
            "a\u{FFFD}[2Jb\u{FFFD}c\u{FFFD}d\u{FFFD}e"
        );
        assert_eq!(
            clean("one\r\n\r\ntwo\nthree\tfour", 100),
            "one two three four"
        );
        assert_eq!(clean("abcdef", 4), "abc…");
        assert_eq!(clean("abcd", 4), "abcd");
        assert_eq!(clean("", 4), "");
    }

    #[test]
    fn secrets_and_their_encoded_forms_are_redacted() {
        assert_eq!(
            redact("bad secret s3cr et+/ (s3cr+et%2B%2F)", &["s3cr et+/"]),
            "bad secret [redacted] ([redacted])"
        );
        assert_eq!(redact("nothing", &[""]), "nothing");
    }

    #[test]
    fn urls_lose_userinfo_and_query() {
        assert_eq!(
            display_url("http://user:pa@ss@host:1/p?token=x"),
            "http://***@host:1/p"
        );
        assert_eq!(display_url("http://host/p@x"), "http://host/p@x");
        assert_eq!(userinfo_secrets("http://u:p%40ss@h/"), ["p%40ss", "p@ss"]);
    }

    proptest! {
        #[test]
        fn never_a_control_or_bidi_char_and_idempotent(text in any::<String>(), limit in 1usize..400) {
            let once = clean(&text, limit);
            prop_assert!(!once.chars().any(|c| is_unsafe(c) || is_break(c)), "{once:?}");
            prop_assert!(once.chars().count() <= limit);
            prop_assert_eq!(clean(&once, limit), once.clone());
        }

        #[test]
        fn short_clean_text_is_kept(text in "[a-zA-Z0-9 .,:;!?'-]{0,50}") {
            prop_assert_eq!(clean(&text, 100), text);
        }

        #[test]
        fn redaction_removes_every_secret(prefix in ".{0,20}", secret in "[0-9A-Z+/ ]{4,20}", suffix in ".{0,20}") {
            let text = format!("{prefix}{secret}{suffix}");
            prop_assert!(!redact(&text, &[&secret]).contains(&secret));
        }
    }
}
