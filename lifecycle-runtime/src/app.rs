//! A running application: typed access to providers, state, shutdown.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Settings;
use crate::control::{Control, InFlight, ShutdownHandle};
use crate::engine::{self, Started, lifecycle::Teardown};
use crate::error::Error;
use crate::graph::Graph;
use crate::report::StartupReport;
use crate::wiring::{AppWide, Has, Injectable, KeyOf, Plan, Provider};

/// The lifecycle state of an [`App`].
///
/// ```text
/// Starting ──► Running ──► Draining ──► Stopping ──► Stopped
///    │
///    └──► Failed   (startup failed or was cancelled, and was rolled back)
/// ```
///
/// States are ordered: `state >= State::Draining` means shutdown has begun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// App hooks and providers are being started.
    Starting,
    /// Everything started; the app is ready.
    Running,
    /// Shutdown was requested; readiness is false, servers stop accepting
    /// and in-flight work drains.
    Draining,
    /// Shutdown hooks and `pre_destruct` hooks are running.
    Stopping,
    /// Every shutdown hook ran.
    Stopped,
    /// Startup failed or was cancelled and was rolled back.
    Failed,
}

impl State {
    const ALL: [State; 6] = [
        State::Starting,
        State::Running,
        State::Draining,
        State::Stopping,
        State::Stopped,
        State::Failed,
    ];

    /// For an atomic: the position in [`State::ALL`].
    pub(crate) const fn index(self) -> u8 {
        self as u8
    }

    pub(crate) fn from_index(index: u8) -> State {
        State::ALL[index as usize]
    }
}

/// A bootstrapped module: every provider constructed and started.
///
/// Cloning is cheap and every clone sees the same app. Values are released
/// in reverse construction order when the last clone is dropped.
pub struct App<M> {
    inner: Arc<Inner>,
    module: PhantomData<fn() -> M>,
}

impl<M> Clone for App<M> {
    fn clone(&self) -> Self {
        App {
            inner: self.inner.clone(),
            module: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for App<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("module", &self.inner.plan.module)
            .field("state", &self.state())
            .finish()
    }
}

/// Everything an app owns; shared by its clones and by the app hooks.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) plan: &'static Plan,
    pub(crate) settings: Settings,
    pub(crate) started: Started,
    pub(crate) control: Arc<Control>,
    /// How long startup took; the per-provider timings are in `started`.
    pub(crate) startup_total: Mutex<std::time::Duration>,
    /// Taken by the one shutdown that runs it; a later or concurrent
    /// shutdown finds it gone and waits for the app to stop.
    pub(crate) teardown: Mutex<Option<Teardown>>,
}

impl Inner {
    /// The teardown's slot; never held across an `.await`.
    pub(crate) fn teardown(&self) -> std::sync::MutexGuard<'_, Option<Teardown>> {
        self.teardown.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<M> App<M> {
    pub(crate) fn from_inner(inner: Arc<Inner>) -> Self {
        App {
            inner,
            module: PhantomData,
        }
    }

    pub(crate) fn inner(&self) -> &Arc<Inner> {
        &self.inner
    }

    /// The value of provider `T`; a `T` that `M`'s graph does not provide is a
    /// compile error.
    pub fn get<T>(&self) -> Arc<T>
    where
        T: ?Sized + Injectable + 'static,
        M: Has<T, T::Id>,
        T::Id: AppWide<T>,
    {
        let slot = const { M::PLAN.slot_of(<T::Id as KeyOf>::KEY) };
        self.inner.started.slots.get::<T>(slot as u32)
    }

    /// The value of provider fn (or type) `P`: for provider fns whose return
    /// type comes from another crate, where `get::<T>()` cannot name it.
    pub fn get_from<P>(&self) -> Arc<P::Output>
    where
        P: Provider,
        M: Has<P::Output, P::Key>,
        P::Key: AppWide<P::Output>,
    {
        let slot = const { M::PLAN.slot_of(<P::Key as KeyOf>::KEY) };
        self.inner.started.slots.get::<P::Output>(slot as u32)
    }

    /// The current lifecycle state.
    pub fn state(&self) -> State {
        self.inner.control.state()
    }

    /// `true` only after startup finished (every `post_construct`, lifespan
    /// setup and `after_startup` hook) and before shutdown starts: the
    /// answer of a readiness probe.
    pub fn is_ready(&self) -> bool {
        self.state() == State::Running
    }

    /// A watch of the state, for health endpoints that await changes.
    ///
    /// ```
    /// # use lifecycle_runtime::{module, provider, State};
    /// # #[provider] pub struct Config;
    /// # #[module(providers = [Config])] pub struct AppModule;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
    /// let app = AppModule::bootstrap().await?;
    /// let mut state = app.watch_state();
    /// assert_eq!(*state.borrow(), State::Running);
    /// app.request_shutdown();
    /// state.wait_for(|s| *s >= State::Draining).await.unwrap();
    /// app.shutdown().await?;
    /// assert_eq!(app.state(), State::Stopped);
    /// # Ok(()) }
    /// ```
    pub fn watch_state(&self) -> watch::Receiver<State> {
        self.inner.control.subscribe()
    }

    /// Resolves once shutdown has begun: pass it to a server's graceful
    /// shutdown so it stops accepting and drains in-flight requests.
    pub fn draining(&self) -> impl Future<Output = ()> + Send + 'static {
        self.inner.control.draining()
    }

    /// A cloneable handle that requests shutdown from anywhere, and tracks
    /// in-flight work; see [`ShutdownHandle`].
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            control: self.inner.control.clone(),
        }
    }

    /// Request a graceful shutdown; returns at once. `run_until_signal`
    /// wakes up and shuts down. Same as `shutdown_handle().shutdown()`.
    pub fn request_shutdown(&self) {
        self.inner.control.request(0);
    }

    /// The exit code the first shutdown request asked for:
    /// [`ShutdownHandle::shutdown_with_code`]'s, else 0.
    pub fn exit_code(&self) -> i32 {
        self.inner.control.exit_code().unwrap_or(0)
    }

    /// Mark one unit of in-flight work; shutdown drains (waits for every
    /// guard to drop, up to [`drain_timeout`](crate::Builder::drain_timeout))
    /// before it runs any shutdown hook.
    pub fn in_flight(&self) -> InFlight {
        self.inner.control.in_flight()
    }

    /// Spawn a task that shutdown drains like an [`InFlight`] guard.
    ///
    /// ```
    /// # use lifecycle_runtime::{module, provider};
    /// # #[provider] pub struct Config;
    /// # #[module(providers = [Config])] pub struct AppModule;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
    /// use std::sync::{Arc, atomic::{AtomicBool, Ordering}};
    /// let app = AppModule::bootstrap().await?;
    /// let done = Arc::new(AtomicBool::new(false));
    /// let flag = done.clone();
    /// app.spawn(async move {
    ///     tokio::task::yield_now().await;
    ///     flag.store(true, Ordering::SeqCst);
    /// });
    /// app.shutdown().await?; // drains: waits for the task first
    /// assert!(done.load(Ordering::SeqCst));
    /// # Ok(()) }
    /// ```
    pub fn spawn<F>(&self, task: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.shutdown_handle().spawn(task)
    }

    /// How long startup took, provider by provider, slowest first.
    pub fn startup_report(&self) -> StartupReport {
        engine::lifecycle::report(&self.inner)
    }

    /// The module's dependency graph with how long each provider took to
    /// start: its [critical path](Graph::critical_path) is the chain whose
    /// startup took longest. Timeouts not set on a hook read as this app's
    /// [`hook_timeout`](crate::Builder::hook_timeout).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lifecycle_runtime::{module, provider};
    /// # #[provider] pub struct Config;
    /// # #[provider] pub struct Pool { config: Arc<Config> }
    /// # #[module(providers = [Config, Pool])] pub struct AppModule;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
    /// let app = AppModule::bootstrap().await?;
    /// let graph = app.graph();
    /// assert_eq!(graph.critical_path(), [0, 1]); // Config, then Pool
    /// assert!(graph.nodes().iter().all(|n| n.startup().is_some()));
    /// assert!(graph.critical_path_time().is_some());
    /// println!("{}", graph.to_mermaid());
    /// # app.shutdown().await }
    /// ```
    pub fn graph(&self) -> Graph {
        Graph::from_plan(self.inner.plan, self.inner.settings.hook_timeout)
            .with_timings(self.inner.started.timings())
    }

    /// Shut down gracefully now: readiness goes false, in-flight work
    /// drains, then `on_shutdown` hooks, lifespan teardowns (reverse),
    /// every started provider's `pre_destruct` (reverse order, best effort)
    /// and `after_shutdown` hooks run, all within the shutdown deadline.
    /// Calling it again (or concurrently) waits for the first call and
    /// returns `Ok`.
    pub async fn shutdown(&self) -> Result<(), Error> {
        engine::lifecycle::shutdown(&self.inner).await
    }

    /// Wait for SIGINT or SIGTERM (Ctrl-C on Windows) or a programmatic
    /// request ([`ShutdownHandle`], [`request_shutdown`](Self::request_shutdown)),
    /// then shut down gracefully as [`shutdown`](Self::shutdown) does.
    /// A second signal during shutdown exits the process at once with
    /// code 130.
    pub async fn run_until_signal(&self) -> Result<(), Error> {
        engine::lifecycle::run_until_signal(&self.inner).await
    }
}

/// Typed access to a provided value, for code generic over the module:
/// `App<M>: Resolve<T>` exactly when `M`'s graph provides `T`. Use it as a
/// bound where `app.get::<T>()` cannot name the module, e.g. in a web
/// framework's extractor.
///
/// ```
/// use std::sync::Arc;
/// use lifecycle_runtime::{module, provider, Resolve};
///
/// #[provider] pub struct Config;
/// #[module(providers = [Config])] pub struct AppModule;
///
/// fn config_of<A: Resolve<Config>>(app: &A) -> Arc<Config> {
///     app.resolve()
/// }
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let app = AppModule::bootstrap().await.unwrap();
/// let _config = config_of(&app);
/// # app.shutdown().await.unwrap(); }
/// ```
pub trait Resolve<T: ?Sized> {
    /// The provided value; the same as `app.get::<T>()`.
    fn resolve(&self) -> Arc<T>;
}

impl<M, T> Resolve<T> for App<M>
where
    M: Has<T, T::Id>,
    T: ?Sized + Injectable + 'static,
    T::Id: AppWide<T>,
{
    fn resolve(&self) -> Arc<T> {
        self.get::<T>()
    }
}
