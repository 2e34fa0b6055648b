//! The engine: drives a module's [`Plan`] through startup and teardown.
//!
//! Startup walks the plan in its fixed topological order: construct, then
//! `post_construct`. A provider counts as *started* once both succeeded. If
//! anything fails, the started providers get their `pre_destruct` in reverse
//! order and startup returns the failure. Teardown is best effort: every
//! started provider's `pre_destruct` runs, in reverse order, whatever the
//! others did, under one overall deadline.

pub(crate) mod hook;

use std::time::Duration;

use tokio::time::Instant;

use crate::config::Settings;
use crate::error::{Cause, Error, Failures, HookFailure, Phase};
use crate::wiring::{Erased, ErasedConstruct, Plan, Slots};
use hook::Work;

/// The outcome of a successful startup.
#[derive(Debug)]
pub(crate) struct Running {
    pub(crate) slots: Slots,
    /// Slots in the order their providers started.
    pub(crate) started: Vec<usize>,
}

/// Construct and start every provider of `plan`, or roll back.
pub(crate) async fn startup(plan: &'static Plan, settings: &Settings) -> Result<Running, Error> {
    let began = Instant::now();
    tracing::info!(module = plan.module, providers = plan.entries.len(), "starting");
    let mut slots = Slots::new(plan.entries.len());
    let mut started = Vec::with_capacity(plan.entries.len());
    for (slot, entry) in plan.entries.iter().enumerate() {
        let meta = entry.step.meta;
        let timeout = meta.construct.timeout.unwrap_or(settings.hook_timeout);
        let value = match hook::catch(|| (entry.step.construct)(&slots, entry.deps)) {
            Ok(work) => hook::run(meta.name, Phase::Construct, timeout, work.into()).await,
            Err(panic) => Err(HookFailure {
                provider: meta.name,
                phase: Phase::Construct,
                elapsed: Duration::ZERO,
                cause: Cause::Panic(panic),
            }),
        };
        let value = match value {
            Ok(value) => value,
            Err(failure) => return Err(rollback(plan, slots, &started, failure, settings).await),
        };
        slots.set(slot, value);
        if let Some(spec) = meta.post_construct {
            let erased = slots.erased(slot).expect("just stored");
            if let Some(call) = (entry.step.post_construct)(erased) {
                let timeout = spec.timeout.unwrap_or(settings.hook_timeout);
                if let Err(failure) =
                    hook::run(meta.name, Phase::PostConstruct, timeout, call.into()).await
                {
                    // Not started: dropped, never torn down.
                    drop(slots.take(slot));
                    return Err(rollback(plan, slots, &started, failure, settings).await);
                }
            }
        }
        started.push(slot);
    }
    tracing::info!(module = plan.module, elapsed = ?began.elapsed(), "started");
    Ok(Running { slots, started })
}

async fn rollback(
    plan: &'static Plan,
    slots: Slots,
    started: &[usize],
    failure: HookFailure,
    settings: &Settings,
) -> Error {
    tracing::warn!(module = plan.module, "startup failed, rolling back {} provider(s)", started.len());
    let rollback = teardown(plan, &slots, started, settings).await;
    drop(slots);
    Error::Startup { module: plan.module, failure, rollback: Failures(rollback) }
}

/// Run `pre_destruct` of every started provider in reverse start order,
/// best effort, within the overall shutdown deadline.
pub(crate) async fn teardown(
    plan: &'static Plan,
    slots: &Slots,
    started: &[usize],
    settings: &Settings,
) -> Vec<HookFailure> {
    let began = Instant::now();
    let deadline = began + settings.shutdown_timeout;
    let mut failures = Vec::new();
    for &slot in started.iter().rev() {
        let entry = &plan.entries[slot];
        let meta = entry.step.meta;
        let Some(spec) = meta.pre_destruct else { continue };
        let Some(call) = slots.erased(slot).and_then(|v| (entry.step.pre_destruct)(v)) else {
            continue;
        };
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            failures.push(HookFailure {
                provider: meta.name,
                phase: Phase::ShutdownDeadline,
                elapsed: began.elapsed(),
                cause: Cause::TimedOut(settings.shutdown_timeout),
            });
            continue;
        }
        let timeout = spec.timeout.unwrap_or(settings.hook_timeout).min(remaining);
        if let Err(failure) = hook::run(meta.name, Phase::PreDestruct, timeout, call.into()).await {
            failures.push(failure);
        }
    }
    tracing::info!(module = plan.module, elapsed = ?began.elapsed(), failures = failures.len(), "stopped");
    failures
}

impl From<ErasedConstruct> for Work<Erased> {
    fn from(construct: ErasedConstruct) -> Self {
        match construct {
            ErasedConstruct::Ready(r) => Work::Ready(r),
            ErasedConstruct::Async(f) => Work::Async(f),
            ErasedConstruct::Blocking(f) => Work::Blocking(f),
        }
    }
}

impl From<crate::wiring::Hook> for Work<()> {
    fn from(hook: crate::wiring::Hook) -> Self {
        match hook {
            crate::wiring::Hook::Async(f) => Work::Async(f),
            crate::wiring::Hook::Blocking(f) => Work::Blocking(f),
        }
    }
}
