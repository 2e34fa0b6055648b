//! The shared control block of one app: its [`State`], the shutdown request
//! and the count of in-flight work. [`ShutdownHandle`] is its public face.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::State;

#[cfg(test)]
mod tests;

#[derive(Debug)]
pub(crate) struct Control {
    state: watch::Sender<State>,
    /// `Some(exit code)` once shutdown was requested; the first request wins.
    request: watch::Sender<Option<i32>>,
    /// Guards and tracked tasks still running.
    in_flight: watch::Sender<usize>,
    /// Signal listeners are installed (once per app).
    signals: AtomicBool,
    /// `request` is `Some`: read between every two providers at startup,
    /// so a plain flag rather than the watch's lock.
    requested: AtomicBool,
    /// The task that listens for signals, once installed.
    signal_task: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Control {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Control {
            state: watch::channel(State::Starting).0,
            request: watch::channel(None).0,
            in_flight: watch::channel(0).0,
            signals: AtomicBool::new(false),
            requested: AtomicBool::new(false),
            signal_task: std::sync::Mutex::new(None),
        })
    }

    pub(crate) fn state(&self) -> State {
        *self.state.borrow()
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<State> {
        self.state.subscribe()
    }

    pub(crate) fn set_state(&self, state: State) {
        self.state.send_replace(state);
    }

    /// Request shutdown with `code`. Returns `false` if a request was already
    /// made (the first code is kept). A running app starts draining at once;
    /// an app still starting rolls back at its next safe point.
    pub(crate) fn request(&self, code: i32) -> bool {
        let first = self.request.send_if_modified(|r| {
            let first = r.is_none();
            if first {
                *r = Some(code);
            }
            first
        });
        self.requested.store(true, Ordering::Release);
        self.state.send_if_modified(|s| {
            let drain = *s == State::Running;
            if drain {
                *s = State::Draining;
            }
            drain
        });
        first
    }

    pub(crate) fn is_requested(&self) -> bool {
        self.requested.load(Ordering::Acquire)
    }

    pub(crate) fn exit_code(&self) -> Option<i32> {
        *self.request.borrow()
    }

    /// Resolves once shutdown was requested.
    pub(crate) fn requested(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut request = self.request.subscribe();
        async move {
            let _ = request.wait_for(Option::is_some).await;
        }
    }

    /// Move from `Starting` to `Running` unless shutdown was requested
    /// meanwhile; atomic with respect to [`request`](Self::request).
    pub(crate) fn go_running(&self) -> bool {
        self.state.send_if_modified(|s| {
            let go = *s == State::Starting && self.request.borrow().is_none();
            if go {
                *s = State::Running;
            }
            go
        })
    }

    /// Resolves once shutdown has begun (or the app stopped or failed).
    pub(crate) fn draining(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut state = self.state.subscribe();
        async move {
            let _ = state.wait_for(|s| *s >= State::Draining).await;
        }
    }

    pub(crate) fn in_flight(self: &Arc<Self>) -> InFlight {
        self.in_flight.send_modify(|n| *n += 1);
        InFlight {
            control: self.clone(),
        }
    }

    pub(crate) fn in_flight_count(&self) -> usize {
        *self.in_flight.borrow()
    }

    /// Resolves once no guard and no tracked task is left.
    pub(crate) fn idle(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut count = self.in_flight.subscribe();
        async move {
            let _ = count.wait_for(|n| *n == 0).await;
        }
    }

    /// Claim the right to install signal listeners; `true` the first time.
    pub(crate) fn claim_signals(&self) -> bool {
        !self.signals.swap(true, Ordering::AcqRel)
    }

    /// Keep the signal listener's task, for [`Self::release_signals`].
    pub(crate) fn keep_signal_task(&self, task: JoinHandle<()>) {
        *self.signal_task.lock().unwrap_or_else(|e| e.into_inner()) = Some(task);
    }

    /// Once the app is stopped or failed: wait for the signal listener,
    /// which then ends on its own, so that no task of the app outlives it
    /// (on a current-thread runtime nothing else may ever poll it).
    pub(crate) async fn release_signals(&self) {
        let task = self
            .signal_task
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

/// A cloneable handle that requests a graceful shutdown of one app from
/// anywhere: a request handler, a background task, a test.
///
/// A request made while the app is running starts the same path as
/// SIGTERM: readiness goes false, [`draining`](Self::draining) resolves,
/// and [`App::run_until_signal`](crate::App::run_until_signal) wakes up and
/// shuts down. A request made while the app is still starting (see
/// [`Builder::shutdown_handle`](crate::Builder::shutdown_handle)) makes
/// `bootstrap` stop at the next provider boundary and roll back with
/// [`Cause::Cancelled`](crate::Cause::Cancelled).
///
/// ```
/// # use lifecycle_runtime::{module, provider};
/// # #[provider] pub struct Config;
/// # #[module(providers = [Config])] pub struct AppModule;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
/// let app = AppModule::bootstrap().await?;
/// let handle = app.shutdown_handle();
/// tokio::spawn(async move { handle.shutdown_with_code(3) });
/// app.run_until_signal().await?;
/// assert_eq!(app.exit_code(), 3);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ShutdownHandle {
    pub(crate) control: Arc<Control>,
}

impl ShutdownHandle {
    /// Request a graceful shutdown with exit code 0. Returns `true` if this
    /// was the first request.
    pub fn shutdown(&self) -> bool {
        self.control.request(0)
    }

    /// Request a graceful shutdown and record `code` as the app's
    /// [`exit_code`](crate::App::exit_code). Only the first request's code
    /// is kept. Returns `true` if this was the first request.
    pub fn shutdown_with_code(&self, code: i32) -> bool {
        self.control.request(code)
    }

    /// `true` once shutdown was requested, by a signal or a handle.
    pub fn is_shutdown_requested(&self) -> bool {
        self.control.is_requested()
    }

    /// Resolves once shutdown has begun: pass it to a server's graceful
    /// shutdown so it stops accepting and finishes in-flight requests.
    pub fn draining(&self) -> impl Future<Output = ()> + Send + 'static {
        self.control.draining()
    }

    /// Mark one unit of in-flight work (a request, a job): shutdown waits,
    /// up to the drain timeout, until every guard is dropped before it runs
    /// any shutdown hook.
    pub fn in_flight(&self) -> InFlight {
        self.control.in_flight()
    }

    /// Spawn a task that shutdown waits for (up to the drain timeout), like
    /// holding an [`InFlight`] guard for the task's whole life.
    pub fn spawn<F>(&self, task: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let guard = self.in_flight();
        tokio::spawn(async move {
            let output = task.await;
            drop(guard);
            output
        })
    }
}

/// A guard for one unit of in-flight work; see [`ShutdownHandle::in_flight`].
/// Shutdown's drain step waits until every guard is dropped.
#[derive(Debug)]
#[must_use = "the work counts as in flight only while the guard lives"]
pub struct InFlight {
    control: Arc<Control>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.control.in_flight.send_modify(|n| *n -= 1);
    }
}
