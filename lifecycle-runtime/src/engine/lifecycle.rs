//! The whole life of an app, around the providers: app-level hooks,
//! lifespans, drain, the state machine, rollback.
//!
//! Startup: `on_startup` hooks → providers (construct, `post_construct`) →
//! lifespans up to `running()` → `after_startup` hooks → `Running`.
//! Shutdown: `Draining` (wait for in-flight work) → `Stopping` →
//! `on_shutdown` hooks → lifespans after `running()`, in reverse →
//! `pre_destruct` in reverse → `after_shutdown` hooks → `Stopped`.
//! A failed startup undoes exactly the stages that completed (never
//! `on_shutdown`: the app was never running), then ends in `Failed`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tracing::Instrument;

use super::hook::{self, CatchUnwind, Work};
use super::{Boxed, Deadline, StartFailed, Timing, cold};
use crate::app::{Inner, State};
use crate::config::Settings;
use crate::control::Control;
use crate::error::{Cause, Error, Failures, HookFailure, Phase};
use crate::hooks::{AppHook, Lifespan, LifespanHook};
use crate::report::{ProviderTiming, StartupReport};
use crate::wiring::{Erased, Plan};

/// The app-level hooks registered on the builder, in registration order.
#[derive(Debug, Default)]
pub(crate) struct Hooks {
    pub(crate) on_startup: Vec<AppHook<()>>,
    pub(crate) lifespans: Vec<LifespanHook<Arc<Inner>>>,
    pub(crate) after_startup: Vec<AppHook<Arc<Inner>>>,
    pub(crate) on_shutdown: Vec<AppHook<Arc<Inner>>>,
    pub(crate) after_shutdown: Vec<AppHook<()>>,
}

/// What shutdown still has to run.
#[derive(Debug)]
pub(crate) struct Teardown {
    on_shutdown: Vec<AppHook<Arc<Inner>>>,
    lifespans: Vec<RunningLifespan>,
    after_shutdown: Vec<AppHook<()>>,
}

/// A lifespan parked at its `running()` point.
#[derive(Debug)]
struct RunningLifespan {
    name: &'static str,
    timeout: Duration,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), Cause>>,
}

/// Start the app, or roll back what had started.
///
/// Boxed here, in a function generic over nothing, like every future the
/// generic API awaits ([`shutdown`], [`run_until_signal`]): the engine's
/// futures and the tokio code they drive are then compiled once, into
/// this crate. Awaited unboxed from `Builder::bootstrap`, generic over the
/// module, each of them would be compiled again in every crate that
/// bootstraps one.
pub(crate) fn start(
    plan: &'static Plan,
    settings: Settings,
    control: Arc<Control>,
    hooks: Hooks,
    supplied: Vec<(usize, Erased)>,
) -> Boxed<'static, Result<Arc<Inner>, Error>> {
    Box::pin(async move {
        // Boxed apart: each allocation stays a small one (see
        // `wiring/table.rs` for why that matters).
        let started = Box::pin(start_or_roll_back(
            plan,
            settings,
            control.clone(),
            hooks,
            supplied,
        ))
        .await;
        if started.is_err() {
            crate::signal::release(&control);
        }
        started
    })
}

/// The start sequence. Every stage but the plain sequence of steps is an
/// `async fn` of its own, boxed where it is awaited: the box of the whole
/// bootstrap stays a small allocation (see `wiring/table.rs` for why that
/// matters), and stages an app does not use cost nothing.
async fn start_or_roll_back(
    plan: &'static Plan,
    settings: Settings,
    control: Arc<Control>,
    hooks: Hooks,
    supplied: Vec<(usize, Erased)>,
) -> Result<Arc<Inner>, Error> {
    let began = Instant::now();
    if settings.signals {
        crate::signal::install(&control);
    }
    tracing::info!(module = plan.module, providers = plan.len(), "starting");
    let Hooks {
        on_startup,
        lifespans,
        after_startup,
        on_shutdown,
        after_shutdown,
    } = hooks;
    if !on_startup.is_empty() {
        let hooks = cold(run_on_startup(plan, &control, on_startup, &settings));
        if let Err(failure) = hooks.await {
            let rollback = cold(roll_back_hooks(after_shutdown, &settings));
            return Err(failed(plan, &control, failure, rollback.await));
        }
    }
    let starting = Box::pin(super::start(plan, &settings, &control, supplied));
    let started = match starting.await {
        Ok(started) => started,
        Err(failed) => {
            let rollback = cold(roll_back_providers(
                plan,
                &control,
                failed,
                after_shutdown,
                &settings,
            ));
            return Err(rollback.await);
        }
    };
    tracing::info!(module = plan.module, elapsed = ?began.elapsed(), "providers started");
    let inner = Arc::new(Inner {
        plan,
        settings,
        started,
        control,
        startup_total: Mutex::new(began.elapsed()),
        teardown: Mutex::new(None),
    });
    let mut teardown = Teardown {
        on_shutdown,
        lifespans: Vec::new(),
        after_shutdown,
    };
    if !lifespans.is_empty() || !after_startup.is_empty() {
        let stages = cold(after_providers(&inner, teardown, lifespans, after_startup));
        teardown = stages.await?;
    }
    // From here on `App::shutdown` may run the teardown.
    *inner.teardown() = Some(teardown);
    if !inner.control.go_running() {
        let teardown = inner
            .teardown()
            .take()
            .expect("only shutdown takes it, once running");
        let failure = cancelled(plan.module, Phase::Startup);
        let rolling_back = cold(rollback(&inner, teardown, failure));
        return Err(rolling_back.await);
    }
    let total = began.elapsed();
    *inner
        .startup_total
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = total;
    tracing::info!(module = plan.module, elapsed = ?total, "ready");
    Ok(inner)
}

/// The `on_startup` hooks, in order, until one fails.
async fn run_on_startup(
    plan: &'static Plan,
    control: &Control,
    hooks: Vec<AppHook<()>>,
    settings: &Settings,
) -> Result<(), HookFailure> {
    for hook in hooks {
        let result = run_startup_hook(control, hook, (), Phase::OnStartup, settings).await;
        if let Err(failure) = result {
            tracing::warn!(module = plan.module, "startup failed, rolling back");
            return Err(failure);
        }
    }
    Ok(())
}

/// After a failed `on_startup` hook: only `after_shutdown` hooks to run.
async fn roll_back_hooks(
    after_shutdown: Vec<AppHook<()>>,
    settings: &Settings,
) -> Vec<HookFailure> {
    let deadline = Deadline::after(settings.shutdown_timeout);
    run_hooks(
        after_shutdown,
        (),
        Phase::AfterShutdown,
        settings,
        &deadline,
    )
    .await
}

/// After a provider failed to start: stop those that started, then the
/// `after_shutdown` hooks.
async fn roll_back_providers(
    plan: &'static Plan,
    control: &Control,
    failed_start: StartFailed,
    after_shutdown: Vec<AppHook<()>>,
    settings: &Settings,
) -> Error {
    let StartFailed {
        failure,
        others,
        started,
    } = failed_start;
    tracing::warn!(
        module = plan.module,
        "startup failed, rolling back {} provider(s)",
        started.count()
    );
    let deadline = Deadline::after(settings.shutdown_timeout);
    let mut rollback = others;
    rollback.extend(super::stop(&started, settings, &deadline).await);
    drop(started);
    rollback.extend(
        run_hooks(
            after_shutdown,
            (),
            Phase::AfterShutdown,
            settings,
            &deadline,
        )
        .await,
    );
    failed(plan, control, failure, rollback)
}

/// Once the providers started: lifespans up to `running()` and the
/// `after_startup` hooks; or roll back.
async fn after_providers(
    inner: &Arc<Inner>,
    mut teardown: Teardown,
    lifespans: Vec<LifespanHook<Arc<Inner>>>,
    after_startup: Vec<AppHook<Arc<Inner>>>,
) -> Result<Teardown, Error> {
    let control = &inner.control;
    for lifespan in lifespans {
        let result = if control.is_requested() {
            Err(cancelled(lifespan.name, Phase::LifespanStartup))
        } else {
            start_lifespan(lifespan, inner.clone(), inner.settings.hook_timeout).await
        };
        match result {
            Ok(Some(running)) => teardown.lifespans.push(running),
            Ok(None) => {}
            Err(failure) => return Err(rollback(inner, teardown, failure).await),
        }
    }
    for hook in after_startup {
        let result = run_startup_hook(
            control,
            hook,
            inner.clone(),
            Phase::AfterStartup,
            &inner.settings,
        )
        .await;
        if let Err(failure) = result {
            return Err(rollback(inner, teardown, failure).await);
        }
    }
    Ok(teardown)
}

/// Wait for SIGINT or SIGTERM or a programmatic request, then shut down
/// (boxed, as [`start`] explains).
pub(crate) fn run_until_signal(inner: &Arc<Inner>) -> Boxed<'_, Result<(), Error>> {
    Box::pin(async move {
        crate::signal::install(&inner.control);
        inner.control.requested().await;
        shutdown_now(inner).await
    })
}

/// Graceful shutdown of a running app; `Ok` at once if it already ran
/// (boxed, as [`start`] explains).
pub(crate) fn shutdown(inner: &Arc<Inner>) -> Boxed<'_, Result<(), Error>> {
    Box::pin(shutdown_now(inner))
}

async fn shutdown_now(inner: &Arc<Inner>) -> Result<(), Error> {
    let control = &inner.control;
    loop {
        let taken = match control.state() {
            State::Starting => {
                // Called from an app hook while starting: startup rolls back.
                control.request(0);
                control.until(|c| c.state() != State::Starting).await;
                continue;
            }
            State::Stopped | State::Failed => return Ok(()),
            State::Running | State::Draining | State::Stopping => inner.teardown().take(),
        };
        let Some(stages) = taken else {
            // Another call runs the teardown (or a failed startup rolls
            // back): wait for it to end.
            control
                .until(|c| matches!(c.state(), State::Stopped | State::Failed))
                .await;
            return Ok(());
        };
        let module = inner.plan.module;
        let began = Instant::now();
        let deadline = Deadline::starting(began, inner.settings.shutdown_timeout);
        control.request(0);
        tracing::info!(module, in_flight = control.in_flight_count(), "draining");
        let mut failures = Vec::new();
        // The drain starts with the deadline: capped by all of it.
        let drain = inner.settings.drain_timeout.min(deadline.total);
        // Nothing in flight (the common case): no timer to set up.
        let busy = control.in_flight_count() > 0;
        if busy
            && cold(tokio::time::timeout(drain, control.idle()))
                .await
                .is_err()
        {
            let cause = Cause::TimedOut(drain);
            let left = control.in_flight_count();
            tracing::error!(
                module,
                in_flight = left,
                "{left} unit(s) of in-flight work did not finish in {drain:?}"
            );
            failures.push(hook::failed("in-flight work", Phase::Drain, drain, cause));
        }
        control.set_state(State::Stopping);
        tracing::info!(module, "stopping");
        failures.extend(stop_stages(inner, stages, true, &deadline).await);
        control.set_state(State::Stopped);
        crate::signal::release(control);
        tracing::info!(module, elapsed = ?began.elapsed(), failures = failures.len(), "stopped");
        return if failures.is_empty() {
            Ok(())
        } else {
            Err(Error::Shutdown {
                module,
                failures: Failures(failures),
            })
        };
    }
}

/// Undo the stages that completed after the providers started.
async fn rollback(inner: &Arc<Inner>, teardown: Teardown, failure: HookFailure) -> Error {
    let plan = inner.plan;
    tracing::warn!(
        module = plan.module,
        "startup failed, rolling back {} provider(s)",
        inner.started.count()
    );
    let deadline = Deadline::after(inner.settings.shutdown_timeout);
    let rollback = stop_stages(inner, teardown, false, &deadline).await;
    failed(plan, &inner.control, failure, rollback)
}

fn failed(
    plan: &'static Plan,
    control: &Control,
    failure: HookFailure,
    rollback: Vec<HookFailure>,
) -> Error {
    control.set_state(State::Failed);
    let error = Error::Startup {
        module: plan.module,
        failure,
        rollback: Failures(rollback),
    };
    tracing::warn!(module = plan.module, "{error}");
    error
}

async fn stop_stages(
    inner: &Arc<Inner>,
    teardown: Teardown,
    on_shutdown: bool,
    deadline: &Deadline,
) -> Vec<HookFailure> {
    let Teardown {
        on_shutdown: on_shutdown_hooks,
        lifespans,
        after_shutdown,
    } = teardown;
    let settings = &inner.settings;
    let mut failures = Vec::new();
    if on_shutdown && !on_shutdown_hooks.is_empty() {
        let hooks = run_hooks(
            on_shutdown_hooks,
            inner.clone(),
            Phase::OnShutdown,
            settings,
            deadline,
        );
        failures.extend(cold(hooks).await);
    }
    if !lifespans.is_empty() {
        failures.extend(cold(stop_lifespans(lifespans, deadline)).await);
    }
    failures.extend(super::stop(&inner.started, settings, deadline).await);
    if !after_shutdown.is_empty() {
        let hooks = run_hooks(after_shutdown, (), Phase::AfterShutdown, settings, deadline);
        failures.extend(cold(hooks).await);
    }
    failures
}

/// Stop the lifespans parked at `running()`, the last started first.
async fn stop_lifespans(lifespans: Vec<RunningLifespan>, deadline: &Deadline) -> Vec<HookFailure> {
    let mut failures = Vec::new();
    for lifespan in lifespans.into_iter().rev() {
        if let Err(failure) = stop_lifespan(lifespan, deadline).await {
            failures.push(failure);
        }
    }
    failures
}

async fn run_startup_hook<A>(
    control: &Control,
    hook: AppHook<A>,
    arg: A,
    phase: Phase,
    settings: &Settings,
) -> Result<(), HookFailure> {
    if control.is_requested() {
        return Err(cancelled(hook.name, phase));
    }
    let timeout = hook.timeout.unwrap_or(settings.hook_timeout);
    let work = hook::catch(|| (hook.call)(arg)).map_or_else(Work::Panicked, Into::into);
    hook::run(hook.name, phase, timeout, work).await
}

/// Run teardown-side app hooks in registration order, best effort.
async fn run_hooks<A: Clone>(
    hooks: Vec<AppHook<A>>,
    arg: A,
    phase: Phase,
    settings: &Settings,
    deadline: &Deadline,
) -> Vec<HookFailure> {
    let mut failures = Vec::new();
    for hook in hooks {
        let timeout = hook.timeout.unwrap_or(settings.hook_timeout);
        let arg = arg.clone();
        let work = hook::catch(|| (hook.call)(arg)).map_or_else(Work::Panicked, Into::into);
        if let Err(failure) = deadline.run(hook.name, phase, timeout, work).await {
            failures.push(failure);
        }
    }
    failures
}

fn cancelled(name: &'static str, phase: Phase) -> HookFailure {
    hook::failed(name, phase, Duration::ZERO, Cause::Cancelled)
}

/// Run a lifespan up to its `running()` point, on a task of its own.
/// `Ok(None)`: it finished without reaching `running()`, nothing to undo.
async fn start_lifespan(
    lifespan: LifespanHook<Arc<Inner>>,
    inner: Arc<Inner>,
    hook_timeout: Duration,
) -> Result<Option<RunningLifespan>, HookFailure> {
    let name = lifespan.name;
    let timeout = lifespan.timeout.unwrap_or(hook_timeout);
    let (ready, mut reached) = oneshot::channel();
    let (stop, stopped) = oneshot::channel();
    let began = Instant::now();
    let future = match hook::catch(|| {
        (lifespan.call)(
            inner,
            Lifespan {
                ready,
                stop: stopped,
            },
        )
    }) {
        Ok(future) => future,
        Err(panic) => {
            return Err(hook::failed(
                name,
                Phase::LifespanStartup,
                Duration::ZERO,
                Cause::Panic(panic),
            ));
        }
    };
    let span = tracing::info_span!("lifecycle.lifespan", provider = name);
    let mut task = tokio::spawn(
        async move {
            match CatchUnwind(future).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(error)) => Err(Cause::Error(error)),
                Err(panic) => Err(Cause::Panic(panic)),
            }
        }
        .instrument(span),
    );
    let setup = async {
        match (&mut reached).await {
            Ok(()) => None,
            Err(_) => Some((&mut task).await),
        }
    };
    let fail = |cause| hook::failed(name, Phase::LifespanStartup, began.elapsed(), cause);
    match tokio::time::timeout(timeout, setup).await {
        Ok(None) => {
            tracing::debug!(provider = name, elapsed = ?began.elapsed(), "lifespan running");
            Ok(Some(RunningLifespan {
                name,
                timeout,
                stop,
                task,
            }))
        }
        Ok(Some(Ok(Ok(())))) => Ok(None),
        Ok(Some(Ok(Err(cause)))) => Err(fail(cause)),
        Ok(Some(Err(join))) => Err(fail(Cause::Panic(join.to_string()))),
        Err(_) => {
            task.abort();
            Err(fail(Cause::TimedOut(timeout)))
        }
    }
}

/// Let a lifespan past its `running()` point run its teardown.
async fn stop_lifespan(lifespan: RunningLifespan, deadline: &Deadline) -> Result<(), HookFailure> {
    let RunningLifespan {
        name,
        timeout,
        stop,
        mut task,
    } = lifespan;
    let phase = Phase::LifespanShutdown;
    let remaining = deadline.remaining();
    if remaining.is_zero() {
        task.abort();
        return Err(hook::failed(
            name,
            phase,
            Duration::ZERO,
            Cause::DeadlinePassed(deadline.total),
        ));
    }
    let timeout = timeout.min(remaining);
    let began = Instant::now();
    let _ = stop.send(());
    let cause = match tokio::time::timeout(timeout, &mut task).await {
        Ok(Ok(Ok(()))) => return Ok(()),
        Ok(Ok(Err(cause))) => cause,
        Ok(Err(join)) => Cause::Panic(join.to_string()),
        Err(_) => {
            task.abort();
            Cause::TimedOut(timeout)
        }
    };
    Err(hook::failed(name, phase, began.elapsed(), cause))
}

/// The startup report of a running app, built when asked for.
pub(crate) fn report(inner: &Inner) -> StartupReport {
    let providers = inner
        .started
        .timings()
        .map(|(slot, timing)| ProviderTiming {
            name: inner.started.entries[slot].step.meta.name,
            construct: timing.map_or(Duration::ZERO, Timing::construct),
            post_construct: timing.and_then(|t| t.post_construct),
        })
        .collect();
    let total = *inner
        .startup_total
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    StartupReport::new(inner.plan.module, total, providers)
}
