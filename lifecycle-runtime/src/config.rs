//! Settings of one app, and the builder that registers app hooks and
//! bootstraps with them.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::app::App;
use crate::control::{Control, ShutdownHandle};
use crate::engine::lifecycle::{self, Hooks};
use crate::error::Error;
use crate::hooks::{AppHook, HookOptions, HookReturn, Lifespan, LifespanHook};
use crate::wiring::{
    BoxFuture, Erased, Has, HookOutput, Injectable, IsInput, KeyOf, Module, Provider, Supplied,
};

/// Default timeout of every hook that sets none: constructors,
/// `post_construct`, `pre_destruct`, app hooks and lifespans.
pub const DEFAULT_HOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// Default overall shutdown deadline: fits inside Kubernetes' default
/// `terminationGracePeriodSeconds` of 30 s with room for a preStop delay.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(25);

/// Default time shutdown waits for in-flight work before running the
/// shutdown hooks anyway; part of the overall shutdown deadline.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) hook_timeout: Duration,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) drain_timeout: Duration,
    pub(crate) concurrent: bool,
    pub(crate) signals: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            hook_timeout: DEFAULT_HOOK_TIMEOUT,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
            concurrent: false,
            signals: true,
        }
    }
}

/// Configures and bootstraps an [`App`]; `M::builder()` returns one.
///
/// Timeouts, concurrency, signal handling, app-level hooks and lifespans
/// are set here, before the app exists: registering a hook on a running
/// app is impossible by construction.
///
/// ```
/// # use lifecycle_runtime::{module, provider};
/// # #[provider] pub struct Config;
/// # #[module(providers = [Config])] pub struct AppModule;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
/// use std::time::Duration;
/// let app = AppModule::builder()
///     .hook_timeout(Duration::from_secs(2))
///     .shutdown_timeout(Duration::from_secs(20))
///     .concurrent(true)
///     .bootstrap()
///     .await?;
/// app.shutdown().await
/// # }
/// ```
///
/// `S` lists the types of the inputs supplied so far (see
/// [`input`](Self::input)); `bootstrap` compiles only once every
/// `#[provider(input)]` of the graph is in it.
#[must_use = "a builder does nothing until `.bootstrap().await`"]
pub struct Builder<M, S = ()> {
    settings: Settings,
    control: Arc<Control>,
    hooks: Hooks,
    /// Inputs and replacements, by plan slot; a later one wins.
    supplied: Vec<(usize, Erased)>,
    module: PhantomData<fn() -> (M, S)>,
}

impl<M, S> std::fmt::Debug for Builder<M, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("settings", &self.settings)
            .field("hooks", &self.hooks)
            .field("supplied", &self.supplied.len())
            .finish()
    }
}

impl<M> Default for Builder<M> {
    fn default() -> Self {
        Builder {
            settings: Settings::default(),
            control: Control::new(),
            hooks: Hooks::default(),
            supplied: Vec::new(),
            module: PhantomData,
        }
    }
}

impl<M, S> Builder<M, S> {
    /// Supply the value of an input: a `#[provider(input)]` struct of the
    /// graph, such as parsed command-line arguments or a configuration
    /// that `main` already has. Forgetting one is a compile error at
    /// `.bootstrap()`; supplying a type that is not an input of `M`'s
    /// graph is one here.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lifecycle_runtime::{module, provider};
    ///
    /// #[provider(input)]
    /// pub struct Args { pub port: u16 }
    ///
    /// #[provider]
    /// pub struct Server { args: Arc<Args> }
    ///
    /// #[module(providers = [Args, Server])]
    /// pub struct AppModule;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
    /// let app = AppModule::builder().input(Args { port: 8080 }).bootstrap().await?;
    /// assert_eq!(app.get::<Args>().port, 8080);
    /// # app.shutdown().await }
    /// ```
    pub fn input<T>(self, value: T) -> Builder<M, (T, S)>
    where
        T: Injectable + Send + Sync + 'static,
        M: Has<T, T::Id>,
        T::Id: IsInput<T>,
    {
        let slot = const { M::PLAN.slot_of(<T::Id as KeyOf>::KEY) };
        let Builder {
            settings,
            control,
            hooks,
            mut supplied,
            ..
        } = self;
        supplied.push((slot, Erased::new(Arc::new(value))));
        Builder {
            settings,
            control,
            hooks,
            supplied,
            module: PhantomData,
        }
    }

    /// Put `value` in place of the provider of `T`, e.g. a fake in a
    /// test, without editing any module: the provider is not constructed
    /// and its hooks do not run (the value belongs to the caller); its
    /// dependents receive `value`. Replacing a type that `M`'s graph does
    /// not provide is a compile error.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lifecycle_runtime::{module, provider};
    ///
    /// pub trait Mailer: Send + Sync { fn send(&self, to: &str) -> String; }
    ///
    /// #[provider]
    /// pub fn mailer() -> Arc<dyn Mailer> {
    ///     struct Smtp;
    ///     impl Mailer for Smtp { fn send(&self, to: &str) -> String { format!("smtp: {to}") } }
    ///     Arc::new(Smtp)
    /// }
    ///
    /// #[module(providers = [mailer])]
    /// pub struct AppModule;
    ///
    /// struct Fake;
    /// impl Mailer for Fake { fn send(&self, to: &str) -> String { format!("fake: {to}") } }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
    /// let app = AppModule::builder().replace::<dyn Mailer>(Arc::new(Fake)).bootstrap().await?;
    /// assert_eq!(app.get::<dyn Mailer>().send("ada"), "fake: ada");
    /// # app.shutdown().await }
    /// ```
    pub fn replace<T>(mut self, value: Arc<T>) -> Self
    where
        T: ?Sized + Injectable + Send + Sync + 'static,
        M: Has<T, T::Id>,
    {
        let slot = const { M::PLAN.slot_of(<T::Id as KeyOf>::KEY) };
        self.supplied.push((slot, Erased::new(value)));
        self
    }

    /// [`replace`](Self::replace) for a provider fn `P` whose type comes
    /// from another crate (where `replace::<T>` cannot name it), as
    /// [`App::get_from`] is to [`App::get`].
    pub fn replace_from<P>(mut self, value: Arc<P::Output>) -> Self
    where
        P: Provider,
        M: Has<P::Output, P::Key>,
    {
        let slot = const { M::PLAN.slot_of(<P::Key as KeyOf>::KEY) };
        self.supplied.push((slot, Erased::new(value)));
        self
    }

    /// The timeout of every hook, constructor and app hook that sets none
    /// (`timeout = "…"`, [`HookOptions::timeout`]). Default:
    /// [`DEFAULT_HOOK_TIMEOUT`]. A hook that times out is abandoned and
    /// reported with its name and elapsed time.
    pub fn hook_timeout(mut self, timeout: Duration) -> Self {
        self.settings.hook_timeout = timeout;
        self
    }

    /// The overall deadline of shutdown (and of a rollback), drain
    /// included: each hook's timeout is capped by what is left of it, and
    /// hooks still waiting when it passes are skipped and reported.
    /// Default: [`DEFAULT_SHUTDOWN_TIMEOUT`].
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.settings.shutdown_timeout = timeout;
        self
    }

    /// How long shutdown waits for in-flight work ([`App::in_flight`],
    /// [`App::spawn`]) before it runs the shutdown hooks anyway. Default:
    /// [`DEFAULT_DRAIN_TIMEOUT`].
    pub fn drain_timeout(mut self, timeout: Duration) -> Self {
        self.settings.drain_timeout = timeout;
        self
    }

    /// Start every provider as soon as its dependencies started, and stop
    /// them level by level in reverse, so startup takes about as long as
    /// the dependency graph's critical path. Default `false`: one provider
    /// at a time, in the fixed, deterministic order.
    pub fn concurrent(mut self, concurrent: bool) -> Self {
        self.settings.concurrent = concurrent;
        self
    }

    /// Listen for SIGINT/SIGTERM from the start of `bootstrap` (default
    /// `true`), so that a signal during startup rolls it back cleanly
    /// instead of killing the process. With `false`, signals are listened
    /// for only once [`App::run_until_signal`] is called.
    ///
    /// One listener serves the whole process: a thread named
    /// `lifecycle-signals`, started by the first app that handles signals
    /// and shared by every app after it, whichever runtime each runs on.
    /// A signal requests a graceful shutdown of every app registered then.
    pub fn handle_signals(mut self, handle: bool) -> Self {
        self.settings.signals = handle;
        self
    }

    /// A handle that can request shutdown before the app exists: a request
    /// made while `bootstrap` runs stops it at the next provider boundary
    /// and rolls back what had started.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            control: self.control.clone(),
        }
    }

    /// Run `hook` first, before any provider is constructed. Sync hooks
    /// (returning `()` or `Result<(), E>`) run on a thread of their own;
    /// async hooks return a future. Hooks of one kind run in registration
    /// order.
    pub fn on_startup<F, R, K>(self, hook: F) -> Self
    where
        F: FnOnce() -> R + Send + 'static,
        R: HookReturn<K>,
    {
        self.on_startup_with(HookOptions::default(), hook)
    }

    /// [`on_startup`](Self::on_startup) with a name and a timeout.
    pub fn on_startup_with<F, R, K>(mut self, options: HookOptions, hook: F) -> Self
    where
        F: FnOnce() -> R + Send + 'static,
        R: HookReturn<K>,
    {
        self.hooks
            .on_startup
            .push(AppHook::new::<F>(options, move |()| R::into_hook(hook)));
        self
    }

    /// Run `hook` with the app once every provider and lifespan started,
    /// before the app becomes ready.
    pub fn after_startup<F, R, K>(self, hook: F) -> Self
    where
        F: FnOnce(App<M>) -> R + Send + 'static,
        R: HookReturn<K>,
    {
        self.after_startup_with(HookOptions::default(), hook)
    }

    /// [`after_startup`](Self::after_startup) with a name and a timeout.
    pub fn after_startup_with<F, R, K>(mut self, options: HookOptions, hook: F) -> Self
    where
        F: FnOnce(App<M>) -> R + Send + 'static,
        R: HookReturn<K>,
    {
        let hook = AppHook::new::<F>(options, move |inner| {
            R::into_hook(move || hook(App::from_inner(inner)))
        });
        self.hooks.after_startup.push(hook);
        self
    }

    /// Run `hook` with the app when shutdown begins, after in-flight work
    /// drained and before any lifespan teardown or `pre_destruct`: every
    /// provider is still up. Not run when startup is rolled back.
    pub fn on_shutdown<F, R, K>(self, hook: F) -> Self
    where
        F: FnOnce(App<M>) -> R + Send + 'static,
        R: HookReturn<K>,
    {
        self.on_shutdown_with(HookOptions::default(), hook)
    }

    /// [`on_shutdown`](Self::on_shutdown) with a name and a timeout.
    pub fn on_shutdown_with<F, R, K>(mut self, options: HookOptions, hook: F) -> Self
    where
        F: FnOnce(App<M>) -> R + Send + 'static,
        R: HookReturn<K>,
    {
        let hook = AppHook::new::<F>(options, move |inner| {
            R::into_hook(move || hook(App::from_inner(inner)))
        });
        self.hooks.on_shutdown.push(hook);
        self
    }

    /// Run `hook` last, after every `pre_destruct`: at the end of every
    /// shutdown and of every rollback.
    pub fn after_shutdown<F, R, K>(self, hook: F) -> Self
    where
        F: FnOnce() -> R + Send + 'static,
        R: HookReturn<K>,
    {
        self.after_shutdown_with(HookOptions::default(), hook)
    }

    /// [`after_shutdown`](Self::after_shutdown) with a name and a timeout.
    pub fn after_shutdown_with<F, R, K>(mut self, options: HookOptions, hook: F) -> Self
    where
        F: FnOnce() -> R + Send + 'static,
        R: HookReturn<K>,
    {
        self.hooks
            .after_shutdown
            .push(AppHook::new::<F>(options, move |()| R::into_hook(hook)));
        self
    }

    /// Register a lifespan: one async fn that sets up, awaits
    /// [`Lifespan::running`], then tears down. Setup runs after the
    /// providers started (in registration order), teardown before their
    /// `pre_destruct` (in reverse), each half under the hook timeout.
    pub fn lifespan<F, Fut>(self, lifespan: F) -> Self
    where
        F: FnOnce(App<M>, Lifespan) -> Fut + Send + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HookOutput,
    {
        self.lifespan_with(HookOptions::default(), lifespan)
    }

    /// [`lifespan`](Self::lifespan) with a name and a timeout for each half.
    pub fn lifespan_with<F, Fut>(mut self, options: HookOptions, lifespan: F) -> Self
    where
        F: FnOnce(App<M>, Lifespan) -> Fut + Send + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HookOutput,
    {
        self.hooks.lifespans.push(LifespanHook {
            name: options.name.unwrap_or(std::any::type_name::<F>()),
            timeout: options.timeout,
            call: Box::new(move |inner, running| {
                let future = lifespan(App::from_inner(inner), running);
                Box::pin(async move { future.await.into_result() })
            }),
        });
        self
    }
}

impl<M: Module, S> Builder<M, S> {
    /// Run the app hooks and start every provider; on failure (or a
    /// shutdown request meanwhile) roll back what had started. Compiles
    /// once every input of the graph was supplied (`I` is inferred).
    pub fn bootstrap<I>(self) -> BoxFuture<Result<App<M>, Error>>
    where
        M: Supplied<S, I>,
    {
        // Set in order at startup: the last value given for a slot wins.
        let Builder {
            settings,
            control,
            hooks,
            supplied,
            ..
        } = self;
        Box::pin(async move {
            let inner = lifecycle::start(&M::PLAN, settings, control, hooks, supplied).await?;
            Ok(App::from_inner(inner))
        })
    }
}

impl<M: Module> App<M> {
    /// A builder to configure the app before bootstrapping; the same as
    /// `M::builder()`.
    pub fn builder() -> Builder<M> {
        Builder::default()
    }
}

/// The future `M::bootstrap()` returns: [`Builder::bootstrap`] with the
/// default settings, started on first poll.
///
/// A named type rather than `impl Future`, so that a module whose graph
/// failed to compile does not also fail at its own `bootstrap` definition:
/// the error stays at the mistake.
#[must_use = "futures do nothing unless awaited"]
pub struct Bootstrap<M> {
    builder: Option<Builder<M>>,
    running: Option<BoxFuture<Result<App<M>, Error>>>,
}

impl<M> Bootstrap<M> {
    #[doc(hidden)]
    pub fn new(builder: Builder<M>) -> Self {
        Bootstrap {
            builder: Some(builder),
            running: None,
        }
    }
}

impl<M> std::fmt::Debug for Bootstrap<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bootstrap")
            .field("started", &self.running.is_some())
            .finish()
    }
}

impl<M: Module + Supplied<(), ()>> Future for Bootstrap<M> {
    type Output = Result<App<M>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(builder) = self.builder.take() {
            self.running = Some(builder.bootstrap());
        }
        match &mut self.running {
            Some(running) => running.as_mut().poll(cx),
            None => panic!("`Bootstrap` polled after completion"),
        }
    }
}
