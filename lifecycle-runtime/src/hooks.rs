//! App-level hooks, not tied to a provider, and the lifespan form.
//!
//! Registered on the [`Builder`](crate::Builder) only, so registering one
//! after the app started is impossible by construction.

use std::future::Future;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::wiring::{BoxError, BoxFuture, Hook, HookOutput};

/// Options of one app-level hook or lifespan: its name in errors and logs,
/// and its timeout.
///
/// ```
/// use std::time::Duration;
/// use lifecycle_runtime::HookOptions;
/// let options = HookOptions::named("warm caches").timeout(Duration::from_secs(2));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HookOptions {
    pub(crate) name: Option<&'static str>,
    pub(crate) timeout: Option<Duration>,
}

impl HookOptions {
    /// Options with a name; without one, a hook is named by its Rust type
    /// (`my_app::init_db`, or `my_app::main::{{closure}}` for a closure).
    pub fn named(name: &'static str) -> Self {
        HookOptions {
            name: Some(name),
            timeout: None,
        }
    }

    /// This hook's own timeout instead of the app's
    /// [`hook_timeout`](crate::Builder::hook_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// The return type of an app-level hook: `()` or `Result<(), E>` for a sync
/// hook (which runs on a thread of its own), or a future of either for an
/// async hook. The marker `K` tells the two apart; it is always inferred.
#[diagnostic::on_unimplemented(
    message = "an app hook must return `()`, `Result<(), E>`, or a future of either, not `{Self}`",
    label = "returns `{Self}`",
    note = "`E` is any error convertible into `Box<dyn Error + Send + Sync>`"
)]
pub trait HookReturn<K>: Sized {
    #[doc(hidden)]
    fn into_hook<F: FnOnce() -> Self + Send + 'static>(f: F) -> Hook;
}

/// Marker: a sync hook. See [`HookReturn`].
#[derive(Debug)]
pub enum Blocking {}

/// Marker: an async hook. See [`HookReturn`].
#[derive(Debug)]
pub enum Awaited {}

impl<R: HookOutput> HookReturn<Blocking> for R {
    fn into_hook<F: FnOnce() -> Self + Send + 'static>(f: F) -> Hook {
        Hook::Blocking(Box::new(move || f().into_result()))
    }
}

impl<Fut> HookReturn<Awaited> for Fut
where
    Fut: Future + Send + 'static,
    Fut::Output: HookOutput,
{
    fn into_hook<F: FnOnce() -> Self + Send + 'static>(f: F) -> Hook {
        Hook::Async(Box::pin(async move { f().await.into_result() }))
    }
}

/// One registered app hook taking `A` (`()` or the app).
pub(crate) struct AppHook<A> {
    pub(crate) name: &'static str,
    pub(crate) timeout: Option<Duration>,
    pub(crate) call: Box<dyn FnOnce(A) -> Hook + Send>,
}

impl<A> AppHook<A> {
    pub(crate) fn new<F>(
        options: HookOptions,
        call: impl FnOnce(A) -> Hook + Send + 'static,
    ) -> Self {
        AppHook {
            name: options.name.unwrap_or(std::any::type_name::<F>()),
            timeout: options.timeout,
            call: Box::new(call),
        }
    }
}

impl<A> std::fmt::Debug for AppHook<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppHook")
            .field("name", &self.name)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A lifespan fn, boxed: the app and the running point in, its whole life out.
pub(crate) type LifespanFn<A> =
    Box<dyn FnOnce(A, Lifespan) -> BoxFuture<Result<(), BoxError>> + Send>;

/// A registered lifespan taking `A` (the app).
pub(crate) struct LifespanHook<A> {
    pub(crate) name: &'static str,
    pub(crate) timeout: Option<Duration>,
    pub(crate) call: LifespanFn<A>,
}

impl<A> std::fmt::Debug for LifespanHook<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LifespanHook")
            .field("name", &self.name)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The "running" point of a lifespan: everything a lifespan fn does before
/// `lifespan.running().await` is setup, everything after is teardown.
///
/// Rust's idiom for Python's `@asynccontextmanager` with one `yield`:
///
/// ```
/// # use lifecycle_runtime::{module, provider, App, Lifespan};
/// # #[provider] pub struct Config;
/// # #[module(providers = [Config])] pub struct AppModule;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
/// let app = AppModule::builder()
///     .lifespan(|app: App<AppModule>, lifespan: Lifespan| async move {
///         let _config = app.get::<Config>();   // setup: providers are running
///         let ticker = tokio::spawn(async { /* background work */ });
///         lifespan.running().await;            // the app is ready until shutdown
///         ticker.abort();                      // teardown
///         Ok::<(), std::io::Error>(())
///     })
///     .bootstrap()
///     .await?;
/// app.shutdown().await
/// # }
/// ```
#[derive(Debug)]
pub struct Lifespan {
    pub(crate) ready: oneshot::Sender<()>,
    pub(crate) stop: oneshot::Receiver<()>,
}

impl Lifespan {
    /// Report setup as done, then wait until shutdown (or a rollback)
    /// reaches this lifespan's teardown.
    pub async fn running(self) {
        let Lifespan { ready, stop } = self;
        let _ = ready.send(());
        let _ = stop.await;
    }
}
