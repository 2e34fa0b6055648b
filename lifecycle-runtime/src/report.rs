//! The startup report: how long each provider took to start.

use std::fmt;
use std::time::Duration;

/// How long one provider took to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderTiming {
    /// The provider's type name.
    pub name: &'static str,
    /// Time spent in its constructor. Zero for a provider that runs no
    /// code of the user: a `#[provider] struct` built from its injected
    /// fields, or a binding or group member; those are not timed, as their
    /// construction is an allocation at most.
    pub construct: Duration,
    /// Time spent in its `#[post_construct]` hook, if it has one.
    pub post_construct: Option<Duration>,
}

impl ProviderTiming {
    /// Constructor plus `post_construct`.
    pub fn total(&self) -> Duration {
        self.construct + self.post_construct.unwrap_or_default()
    }
}

/// How long startup took, provider by provider, slowest first; returned by
/// [`App::startup_report`](crate::App::startup_report). Its `Display` is a
/// table fit for a log line.
///
/// ```
/// # use lifecycle_runtime::{module, provider};
/// # #[provider] pub struct Config;
/// # #[module(providers = [Config])] pub struct AppModule;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
/// let app = AppModule::bootstrap().await?;
/// let report = app.startup_report();
/// assert_eq!(report.providers()[0].name, "Config");
/// println!("{report}");
/// # app.shutdown().await }
/// ```
#[derive(Debug, Clone)]
pub struct StartupReport {
    pub(crate) module: &'static str,
    pub(crate) total: Duration,
    pub(crate) providers: Vec<ProviderTiming>,
}

impl StartupReport {
    pub(crate) fn new(
        module: &'static str,
        total: Duration,
        mut providers: Vec<ProviderTiming>,
    ) -> Self {
        // Stable: ties keep the construction order.
        providers.sort_by_key(|p| std::cmp::Reverse(p.total()));
        StartupReport {
            module,
            total,
            providers,
        }
    }

    /// The module that was bootstrapped.
    pub fn module(&self) -> &'static str {
        self.module
    }

    /// Wall-clock time of the whole startup, app hooks included.
    pub fn total(&self) -> Duration {
        self.total
    }

    /// Every provider, slowest first.
    pub fn providers(&self) -> &[ProviderTiming] {
        &self.providers
    }
}

impl fmt::Display for StartupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "startup of `{}` took {:?} ({} providers, slowest first)",
            self.module,
            self.total,
            self.providers.len()
        )?;
        let width = self
            .providers
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(0);
        for p in &self.providers {
            let total = format!("{:?}", p.total());
            write!(
                f,
                "\n  {:<width$}  {total:>12}  construct {:?}",
                p.name, p.construct
            )?;
            if let Some(post) = p.post_construct {
                write!(f, ", post_construct {post:?}")?;
            }
        }
        Ok(())
    }
}
