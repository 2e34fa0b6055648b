//! Settings of one app: timeouts, and the builder that bootstraps with them.

use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

use crate::app::App;
use crate::error::Error;
use crate::wiring::Module;

/// Default timeout of every hook that sets none: constructors,
/// `post_construct` and `pre_destruct`.
pub const DEFAULT_HOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// Default overall shutdown deadline: fits inside Kubernetes' default
/// `terminationGracePeriodSeconds` of 30 s with room for a preStop delay.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(25);

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) hook_timeout: Duration,
    pub(crate) shutdown_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { hook_timeout: DEFAULT_HOOK_TIMEOUT, shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT }
    }
}

/// Configures and bootstraps an [`App`]; `M::builder()` returns one.
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
///     .bootstrap()
///     .await?;
/// app.shutdown().await
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a builder does nothing until `.bootstrap().await`"]
pub struct Builder<M> {
    settings: Settings,
    module: PhantomData<fn() -> M>,
}

impl<M: Module> Default for Builder<M> {
    fn default() -> Self {
        Builder { settings: Settings::default(), module: PhantomData }
    }
}

impl<M: Module> Builder<M> {
    /// The timeout of every hook and constructor that sets none with
    /// `timeout = "…"`. Default: [`DEFAULT_HOOK_TIMEOUT`].
    pub fn hook_timeout(mut self, timeout: Duration) -> Self {
        self.settings.hook_timeout = timeout;
        self
    }

    /// The overall deadline of shutdown; hooks still waiting when it passes
    /// are skipped and reported. Default: [`DEFAULT_SHUTDOWN_TIMEOUT`].
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.settings.shutdown_timeout = timeout;
        self
    }

    /// Construct and start every provider in the fixed order.
    pub fn bootstrap(self) -> impl Future<Output = Result<App<M>, Error>> + Send {
        App::start(self.settings)
    }
}
