//! A running application: typed access to providers, state, shutdown.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use tokio::sync::watch;

use crate::config::Settings;
use crate::engine::{self, Running};
use crate::error::{Error, Failures};
use crate::wiring::{Has, Injectable, Module, Plan, Provider};

/// The lifecycle state of an [`App`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Providers are being constructed and started.
    Starting,
    /// Every provider started; the app is ready.
    Running,
    /// Shutdown was requested; servers stop accepting and finish in-flight work.
    Draining,
    /// `pre_destruct` hooks are running.
    Stopping,
    /// Every hook ran.
    Stopped,
    /// Startup failed and was rolled back.
    Failed,
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
        App { inner: self.inner.clone(), module: PhantomData }
    }
}

impl<M> std::fmt::Debug for App<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("module", &self.inner.plan.module)
            .field("state", &*self.inner.state.borrow())
            .finish()
    }
}

struct Inner {
    plan: &'static Plan,
    settings: Settings,
    running: Running,
    state: watch::Sender<State>,
    /// Held while teardown runs; `true` once it ran.
    torn_down: tokio::sync::Mutex<bool>,
}

impl<M: Module> App<M> {
    /// A builder to configure timeouts before bootstrapping.
    pub fn builder() -> crate::Builder<M> {
        crate::Builder::default()
    }

    pub(crate) async fn start(settings: Settings) -> Result<Self, Error> {
        let plan = &M::PLAN;
        let running = engine::startup(plan, &settings).await?;
        let (state, _) = watch::channel(State::Running);
        let inner = Inner { plan, settings, running, state, torn_down: tokio::sync::Mutex::new(false) };
        Ok(App { inner: Arc::new(inner), module: PhantomData })
    }

    /// The value of provider `T`; a `T` that `M`'s graph does not provide is a
    /// compile error.
    pub fn get<T>(&self) -> Arc<T>
    where
        T: ?Sized + Injectable + 'static,
        M: Has<T, T::Id>,
    {
        self.inner.running.slots.get::<T>(<M as Has<T, T::Id>>::SLOT as u32)
    }

    /// The value of provider fn (or type) `P`: for provider fns whose return
    /// type comes from another crate, where `get::<T>()` cannot name it.
    pub fn get_from<P>(&self) -> Arc<P::Output>
    where
        P: Provider,
        M: Has<P::Output, P::Key>,
    {
        self.inner.running.slots.get::<P::Output>(<M as Has<P::Output, P::Key>>::SLOT as u32)
    }
}

impl<M> App<M> {
    /// The current lifecycle state.
    pub fn state(&self) -> State {
        *self.inner.state.borrow()
    }

    /// `true` only after every `post_construct` finished and before shutdown
    /// starts: the answer of a readiness probe.
    pub fn is_ready(&self) -> bool {
        self.state() == State::Running
    }

    /// A watch of the state, for health endpoints that await changes.
    pub fn watch_state(&self) -> watch::Receiver<State> {
        self.inner.state.subscribe()
    }

    /// Resolves once shutdown has begun: pass it to a server's graceful
    /// shutdown so it stops accepting and drains in-flight requests.
    pub fn draining(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut state = self.inner.state.subscribe();
        async move {
            let _ = state.wait_for(|s| *s >= State::Draining).await;
        }
    }

    /// Request a graceful shutdown; returns at once. `run_until_signal`
    /// wakes up and shuts down.
    pub fn request_shutdown(&self) {
        self.inner.state.send_if_modified(|s| {
            let starts = *s == State::Running;
            if starts {
                *s = State::Draining;
            }
            starts
        });
    }

    /// Shut down gracefully now: readiness goes false, then every started
    /// provider's `pre_destruct` runs in reverse order, best effort. Calling
    /// it again (or concurrently) waits for the first call and returns `Ok`.
    pub async fn shutdown(&self) -> Result<(), Error> {
        let mut torn_down = self.inner.torn_down.lock().await;
        if *torn_down {
            return Ok(());
        }
        self.inner.state.send_replace(State::Stopping);
        let inner = &*self.inner;
        let failures =
            engine::teardown(inner.plan, &inner.running.slots, &inner.running.started, &inner.settings).await;
        *torn_down = true;
        self.inner.state.send_replace(State::Stopped);
        if failures.is_empty() {
            Ok(())
        } else {
            Err(Error::Shutdown { module: inner.plan.module, failures: Failures(failures) })
        }
    }

    /// Wait for SIGINT or SIGTERM (Ctrl-C on Windows) or
    /// [`request_shutdown`](Self::request_shutdown), then shut down
    /// gracefully. A second signal during shutdown exits the process at once
    /// with code 130.
    pub async fn run_until_signal(&self) -> Result<(), Error> {
        let requested = self.draining();
        tokio::select! {
            () = crate::signal::any() => tracing::info!("shutdown signal received"),
            () = requested => tracing::info!("shutdown requested"),
        }
        self.request_shutdown();
        let force = tokio::spawn(async {
            crate::signal::any().await;
            tracing::error!("second signal during shutdown, exiting now");
            std::process::exit(130);
        });
        let result = self.shutdown().await;
        force.abort();
        result
    }
}
