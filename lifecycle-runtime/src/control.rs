//! The shared control block of one app: its [`State`], the shutdown request
//! and the count of in-flight work. [`ShutdownHandle`] is its public face.
//!
//! Everything is a plain atomic read on the hot paths (the startup loop
//! asks "was shutdown requested?" between every two providers). Waiters
//! share one [`Notify`], woken on every change; the public
//! [`watch`](tokio::sync::watch) of the state is created only once someone
//! subscribes, since an app nobody watches should not pay for it.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::app::State;

#[cfg(test)]
mod tests;

#[derive(Debug)]
pub(crate) struct Control {
    /// The [`State`], as its index; written only under `transitions`.
    state: AtomicU8,
    /// Shutdown was requested; `code` holds the first request's exit code.
    requested: AtomicBool,
    code: AtomicI32,
    /// Guards and tracked tasks still running.
    in_flight: AtomicUsize,
    /// Woken on every change of the above, when someone waits.
    changed: Notify,
    /// Futures of [`until`](Self::until) that may be waiting on `changed`.
    /// An app nobody waits on (the common case until shutdown) does not pay
    /// for waking nobody: `notify_waiters` takes a lock.
    waiting: AtomicUsize,
    /// Serialises state changes, so that "start running unless shutdown
    /// was requested" and "request shutdown, draining if running" are
    /// atomic with respect to each other.
    transitions: Mutex<Transitions>,
    /// The app was registered with the signal listener (once per app).
    signals: AtomicBool,
}

#[derive(Debug, Default)]
struct Transitions {
    /// The public watch of the state, once someone subscribed.
    watch: Option<watch::Sender<State>>,
}

impl Control {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Control {
            state: AtomicU8::new(State::Starting.index()),
            requested: AtomicBool::new(false),
            code: AtomicI32::new(0),
            in_flight: AtomicUsize::new(0),
            changed: Notify::new(),
            waiting: AtomicUsize::new(0),
            transitions: Mutex::new(Transitions::default()),
            signals: AtomicBool::new(false),
        })
    }

    fn transitions(&self) -> MutexGuard<'_, Transitions> {
        self.transitions.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn state(&self) -> State {
        State::from_index(self.state.load(Ordering::Acquire))
    }

    /// Under `transitions`: make `state` current and tell every waiter.
    fn publish(&self, transitions: &mut Transitions, state: State) {
        self.state.store(state.index(), Ordering::Release);
        if let Some(watch) = &transitions.watch {
            watch.send_replace(state);
        }
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<State> {
        let mut transitions = self.transitions();
        match &transitions.watch {
            Some(watch) => watch.subscribe(),
            None => {
                let (watch, receiver) = watch::channel(self.state());
                transitions.watch = Some(watch);
                receiver
            }
        }
    }

    pub(crate) fn set_state(&self, state: State) {
        self.publish(&mut self.transitions(), state);
        self.notify();
    }

    /// Wake every [`until`](Self::until), after a change. A waiter counts
    /// itself in `waiting` before it checks its condition, and this reads
    /// `waiting` after the change, both past a `SeqCst` fence: either the
    /// waiter's check sees the change, or this sees the waiter.
    fn notify(&self) {
        std::sync::atomic::fence(Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) > 0 {
            self.changed.notify_waiters();
        }
    }

    /// Request shutdown with `code`. Returns `false` if a request was already
    /// made (the first code is kept). A running app starts draining at once;
    /// an app still starting rolls back at its next safe point.
    pub(crate) fn request(&self, code: i32) -> bool {
        let mut transitions = self.transitions();
        let first = !self.is_requested();
        if first {
            self.code.store(code, Ordering::Relaxed);
            self.requested.store(true, Ordering::Release);
        }
        if self.state() == State::Running {
            self.publish(&mut transitions, State::Draining);
        }
        drop(transitions);
        self.notify();
        first
    }

    pub(crate) fn is_requested(&self) -> bool {
        self.requested.load(Ordering::Acquire)
    }

    pub(crate) fn exit_code(&self) -> Option<i32> {
        self.is_requested()
            .then(|| self.code.load(Ordering::Relaxed))
    }

    /// Resolves once `ready` holds; checked again after every change.
    pub(crate) fn until(
        self: &Arc<Self>,
        ready: impl Fn(&Control) -> bool + Send + 'static,
    ) -> impl Future<Output = ()> + Send + 'static {
        let control = self.clone();
        async move {
            // Counted before any check, uncounted when done or dropped.
            let _waiting = Waiting::new(&control);
            loop {
                let changed = control.changed.notified();
                let mut changed = std::pin::pin!(changed);
                // Registered before the check: a change in between wakes it.
                changed.as_mut().enable();
                std::sync::atomic::fence(Ordering::SeqCst);
                if ready(&control) {
                    return;
                }
                changed.await;
            }
        }
    }

    /// Resolves once shutdown was requested.
    pub(crate) fn requested(self: &Arc<Self>) -> impl Future<Output = ()> + Send + 'static {
        self.until(Control::is_requested)
    }

    /// Move from `Starting` to `Running` unless shutdown was requested
    /// meanwhile; atomic with respect to [`request`](Self::request).
    pub(crate) fn go_running(&self) -> bool {
        let mut transitions = self.transitions();
        let go = self.state() == State::Starting && !self.is_requested();
        if go {
            self.publish(&mut transitions, State::Running);
            drop(transitions);
            self.notify();
        }
        go
    }

    /// Resolves once shutdown has begun (or the app stopped or failed).
    pub(crate) fn draining(self: &Arc<Self>) -> impl Future<Output = ()> + Send + 'static {
        self.until(|c| c.state() >= State::Draining)
    }

    pub(crate) fn in_flight(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight {
            control: self.clone(),
        }
    }

    pub(crate) fn in_flight_count(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Resolves once no guard and no tracked task is left.
    pub(crate) fn idle(self: &Arc<Self>) -> impl Future<Output = ()> + Send + 'static {
        self.until(|c| c.in_flight_count() == 0)
    }

    /// Claim signal handling for this app; `true` the first time.
    pub(crate) fn claim_signals(&self) -> bool {
        !self.signals.swap(true, Ordering::AcqRel)
    }

    /// The app claimed signal handling, see [`Self::claim_signals`].
    pub(crate) fn signals_claimed(&self) -> bool {
        self.signals.load(Ordering::Acquire)
    }
}

/// One future of [`Control::until`], counted in `waiting` while it lives.
struct Waiting<'a>(&'a Control);

impl<'a> Waiting<'a> {
    fn new(control: &'a Control) -> Self {
        control.waiting.fetch_add(1, Ordering::SeqCst);
        Waiting(control)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
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
        if self.control.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.control.notify();
        }
    }
}
