//! Errors: every failure names the provider, the phase and the elapsed time.

use std::fmt;
use std::time::Duration;

use crate::wiring::BoxError;

/// The lifecycle phase a failure happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Phase {
    /// The provider's constructor.
    Construct,
    /// The provider's `#[post_construct]` hook.
    PostConstruct,
    /// The provider's `#[pre_destruct]` hook.
    PreDestruct,
    /// An app-level hook that runs before the providers start.
    OnStartup,
    /// An app-level hook that runs after every provider started.
    AfterStartup,
    /// An app-level hook that runs when shutdown begins.
    OnShutdown,
    /// An app-level hook that runs after every provider stopped.
    AfterShutdown,
    /// Setup of a lifespan, up to its `running()` point.
    LifespanStartup,
    /// Teardown of a lifespan, after its `running()` point.
    LifespanShutdown,
    /// Waiting for in-flight work (guards and tracked tasks) at shutdown.
    Drain,
    /// Startup as a whole, e.g. cancelled right before the app became ready.
    Startup,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Construct => "construct",
            Phase::PostConstruct => "post_construct",
            Phase::PreDestruct => "pre_destruct",
            Phase::OnStartup => "on_startup",
            Phase::AfterStartup => "after_startup",
            Phase::OnShutdown => "on_shutdown",
            Phase::AfterShutdown => "after_shutdown",
            Phase::LifespanStartup => "lifespan startup",
            Phase::LifespanShutdown => "lifespan shutdown",
            Phase::Drain => "drain",
            Phase::Startup => "startup",
        })
    }
}

/// Why a hook failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Cause {
    /// The hook returned an error.
    Error(BoxError),
    /// The hook panicked; the panic message.
    Panic(String),
    /// The hook did not finish within its timeout and was abandoned.
    TimedOut(Duration),
    /// The hook was not run: shutdown was requested while startup was running.
    Cancelled,
    /// The hook was not run: the overall shutdown deadline (the duration)
    /// had passed.
    DeadlinePassed(Duration),
    /// Not built: a scope asked for it after the app began tearing down
    /// its providers.
    AppStopping,
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Error(e) => write!(f, "returned an error: {e}"),
            Cause::Panic(msg) => write!(f, "panicked: {msg}"),
            Cause::TimedOut(t) => write!(f, "timed out after {t:?} and was abandoned"),
            Cause::Cancelled => f.write_str("was cancelled: shutdown was requested during startup"),
            Cause::DeadlinePassed(t) => {
                write!(f, "was skipped: the shutdown deadline of {t:?} had passed")
            }
            Cause::AppStopping => f.write_str(
                "was not built: the app is tearing down the providers it would depend on",
            ),
        }
    }
}

/// One failed hook: which provider, which phase, how long it ran and why.
#[derive(Debug)]
pub struct HookFailure {
    /// The provider's type name (`Database`), or the app hook's name.
    pub provider: &'static str,
    /// The phase.
    pub phase: Phase,
    /// How long the hook ran before it failed.
    pub elapsed: Duration,
    /// Why it failed.
    pub cause: Cause,
}

impl fmt::Display for HookFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` {} {} (after {:?})",
            self.provider, self.phase, self.cause, self.elapsed
        )
    }
}

impl std::error::Error for HookFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Error(e) => Some(&**e),
            _ => None,
        }
    }
}

/// A list of failures, displayed one per line.
#[derive(Debug, Default)]
pub struct Failures(pub Vec<HookFailure>);

impl fmt::Display for Failures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for failure in &self.0 {
            write!(f, "\n  - {failure}")?;
        }
        Ok(())
    }
}

/// The error of `bootstrap`, `shutdown` and `run_until_signal`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Startup failed; the providers that had started were torn down in
    /// reverse order. `rollback` lists the teardown hooks that failed too.
    #[error("startup of `{module}` failed: {failure}{}", rollback_note(rollback))]
    Startup {
        /// The module being bootstrapped.
        module: &'static str,
        /// The failure that stopped startup.
        failure: HookFailure,
        /// Teardown hooks that failed during the rollback.
        rollback: Failures,
    },
    /// Shutdown ran every teardown hook; these failed.
    #[error("shutdown of `{module}` finished with {} failure(s):{failures}", failures.0.len())]
    Shutdown {
        /// The module being shut down.
        module: &'static str,
        /// Every failed hook, in the order they ran.
        failures: Failures,
    },
    /// Building a request-scoped or transient value in a
    /// [`Scope`](crate::Scope) failed. What the scope had already built
    /// stays in it and is torn down when it closes.
    #[error("building `{provider}` in a scope of `{module}` failed: {failure}")]
    Scope {
        /// The module of the app the scope belongs to.
        module: &'static str,
        /// The type that was asked for.
        provider: &'static str,
        /// The failure: that provider's or one of its scoped dependencies'.
        failure: HookFailure,
    },
    /// Closing a [`Scope`](crate::Scope) ran every `pre_destruct`; these
    /// failed.
    #[error("closing a scope of `{module}` finished with {} failure(s):{failures}", failures.0.len())]
    ScopeClose {
        /// The module of the app the scope belongs to.
        module: &'static str,
        /// Every failed hook, in the order they ran.
        failures: Failures,
    },
}

fn rollback_note(rollback: &Failures) -> String {
    if rollback.0.is_empty() {
        String::new()
    } else {
        format!(
            "; during rollback {} more failed:{rollback}",
            rollback.0.len()
        )
    }
}

impl Error {
    /// `true` if startup stopped because shutdown was requested (a signal
    /// or a [`ShutdownHandle`](crate::ShutdownHandle)) while it ran: a
    /// clean rollback rather than a fault.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Startup { failure, .. } if matches!(failure.cause, Cause::Cancelled))
    }

    /// The module whose startup or shutdown failed.
    pub fn module(&self) -> &'static str {
        match self {
            Error::Startup { module, .. }
            | Error::Shutdown { module, .. }
            | Error::Scope { module, .. }
            | Error::ScopeClose { module, .. } => module,
        }
    }

    /// Every hook failure this error carries, the primary one first.
    pub fn failures(&self) -> impl Iterator<Item = &HookFailure> {
        let (first, rest): (Option<&HookFailure>, &[HookFailure]) = match self {
            Error::Startup {
                failure, rollback, ..
            } => (Some(failure), &rollback.0),
            Error::Scope { failure, .. } => (Some(failure), &[]),
            Error::Shutdown { failures, .. } | Error::ScopeClose { failures, .. } => {
                (None, &failures.0)
            }
        };
        first.into_iter().chain(rest)
    }
}
