//! Waiting synchronously, on a thread that is not the one that will answer, for a future
//! another thread completes (the JavaScript token store's replies), with a deadline.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// Wakes the thread that waits in [`block_until`].
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `fut` on this thread until it is ready or `deadline` passes (`None`).
pub fn block_until<F: Future>(fut: F, deadline: Instant) -> Option<F::Output> {
    let mut fut = pin!(fut);
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(value) = fut.as_mut().poll(&mut cx) {
            return Some(value);
        }
        let left = deadline.checked_duration_since(Instant::now())?;
        if left.is_zero() {
            return None;
        }
        thread::park_timeout(left);
    }
}

/// Waits for `fut` for at most `timeout`; on a worker of a multi-threaded runtime the worker's
/// other tasks move to another thread meanwhile (the JS side may call the addon back).
pub fn wait<F: Future>(fut: F, timeout: Duration) -> Option<F::Output> {
    let deadline = Instant::now() + timeout;
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| block_until(fut, deadline))
        }
        _ => block_until(fut, deadline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ready_future_is_returned_and_a_pending_one_times_out() {
        let soon = Instant::now() + Duration::from_millis(50);
        assert_eq!(block_until(async { 7 }, soon), Some(7));
        let started = Instant::now();
        assert_eq!(block_until(std::future::pending::<()>(), soon), None);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_wake_from_another_thread_ends_the_wait() {
        let (tx, rx) = futures::channel::oneshot::channel();
        let sender = thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            tx.send(5).unwrap();
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        assert_eq!(block_until(rx, deadline), Some(Ok(5)));
        sender.join().unwrap();
    }

    /// The only worker waits for a task spawned after it: that task still runs.
    #[test]
    fn a_waiting_worker_does_not_starve_the_runtime() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        let got = runtime.block_on(async {
            let (tx, rx) = futures::channel::oneshot::channel();
            let waiter = tokio::spawn(async move { wait(rx, Duration::from_secs(10)) });
            tokio::task::yield_now().await;
            tokio::spawn(async move { tx.send(3) });
            waiter.await.unwrap()
        });
        assert_eq!(got, Some(Ok(3)));
    }
}
