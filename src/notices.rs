//! Things the user should be told that are not errors (an `auto` store falling back to the file
//! store, accounts that expired and were removed). The core queues them; the command prints
//! them once on stderr (`takeNotices()` in JS); library callers may ignore them.

use std::sync::Mutex;

static NOTICES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Queues a one-line notice (duplicates are dropped).
pub fn push(notice: impl Into<String>) {
    let notice = notice.into();
    let mut queue = NOTICES.lock().unwrap_or_else(|e| e.into_inner());
    if !queue.contains(&notice) {
        queue.push(notice);
    }
}

/// Takes every queued notice.
pub fn take() -> Vec<String> {
    std::mem::take(&mut *NOTICES.lock().unwrap_or_else(|e| e.into_inner()))
}
