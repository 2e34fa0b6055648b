//! Starting the providers of a plan: in the fixed order, or concurrently.

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use super::hook::{self, Work};
use super::{StartFailed, Started, Timing};
use crate::config::Settings;
use crate::control::Control;
use crate::error::{Cause, HookFailure, Phase};
use crate::wiring::{Deps, Entry, Erased, ErasedConstruct, Plan, Slots};

/// Construct and start every provider of `plan`, checking for a shutdown
/// request between providers (the safe points). On failure the providers
/// that started are handed back for rollback.
pub(crate) async fn start(
    plan: &'static Plan,
    settings: &Settings,
    control: &Control,
    supplied: Vec<(usize, Erased)>,
) -> Result<Started, StartFailed> {
    let started = Started::new(plan, settings.concurrent, supplied);
    if settings.concurrent {
        super::cold(concurrent(plan, settings, control, started)).await
    } else {
        sequential(settings, control, started).await
    }
}

async fn sequential(
    settings: &Settings,
    control: &Control,
    mut started: Started,
) -> Result<Started, StartFailed> {
    // At most one clock read per provider: a timed provider's time runs
    // from the end of the previous one (see `run_ready`).
    let mut last = Instant::now();
    let mut next = 0;
    loop {
        let (slot, made) = match run_ready(&mut started, control, next, &mut last) {
            Batch::Done => return Ok(started),
            Batch::Cancelled(slot) => {
                let failure = cancelled(started.entries[slot]);
                return Err(StartFailed {
                    failure,
                    others: Vec::new(),
                    started,
                });
            }
            Batch::Pending(slot, made) => (slot, made),
        };
        let entry = started.entries[slot];
        // Boxed: the rare path keeps the common one's future small.
        let finishing = super::cold(finish_start(slot, entry, last, made, settings.hook_timeout));
        match finishing.await {
            Ok((value, timing)) => {
                last = Instant::now();
                started.slots.set(slot, value);
                started.record(slot, Some(timing));
            }
            Err(failure) => {
                return Err(StartFailed {
                    failure,
                    others: Vec::new(),
                    started,
                });
            }
        }
        next = slot + 1;
    }
}

/// Where [`run_ready`] stopped.
enum Batch {
    /// Every provider started.
    Done,
    /// A shutdown was requested before the provider at this slot.
    Cancelled(usize),
    /// The provider at this slot was constructed, and its start goes on
    /// through the async machinery: its constructor is async, blocking
    /// or failed, or it has a `post_construct`.
    Pending(usize, Result<ErasedConstruct, String>),
}

/// Start providers from slot `from` on, in plan order, for as long as each
/// is done once its sync constructor returned: the common case, kept off
/// the async machinery (a plain loop, its values in registers rather than
/// in the future's state).
///
/// Providers that run no code of the user (a struct built from its
/// injected fields, a binding) are not timed: they report zero, and the
/// clock is read again before the next provider that is timed, so that
/// its time is its own.
///
/// One `catch_unwind` around the whole loop rather than one per
/// constructor: a panicking constructor ends the batch, pending at its
/// slot, with nothing of it stored.
fn run_ready(started: &mut Started, control: &Control, from: usize, last: &mut Instant) -> Batch {
    let mut at = from;
    match hook::catch(|| ready_loop(started, control, &mut at, last)) {
        Ok(batch) => batch,
        Err(panic) => Batch::Pending(at, Err(panic)),
    }
}

/// [`run_ready`]'s loop; `at` is the slot being constructed.
fn ready_loop(
    started: &mut Started,
    control: &Control,
    at: &mut usize,
    last: &mut Instant,
) -> Batch {
    // `last` was read when the previous provider ended.
    let mut fresh = true;
    let entries = started.entries;
    for (slot, entry) in entries.iter().enumerate().skip(*at) {
        // `Started::builds`, with the entry at hand.
        if !entry.app_wide || started.is_supplied(slot) {
            continue;
        }
        if control.is_requested() {
            return Batch::Cancelled(slot);
        }
        if entry.timed && !fresh {
            *last = Instant::now();
        }
        *at = slot;
        let made = (entry.step.construct)(Deps::new(&started.slots, entry.deps, entry.counts));
        let value = match made {
            ErasedConstruct::Ready(Ok(value)) if !entry.has_post_construct => value,
            made => return Batch::Pending(slot, Ok(made)),
        };
        tracing::trace!(provider = entry.step.meta.name, "constructed");
        let constructed = if entry.timed {
            let now = Instant::now();
            fresh = true;
            now
        } else {
            fresh = false;
            *last
        };
        started.slots.set(slot, value);
        let timing = entry.timed.then_some(Timing {
            slot,
            began: *last,
            constructed,
            post_construct: None,
        });
        started.record(slot, timing);
        *last = constructed;
    }
    Batch::Done
}

/// Every provider starts as soon as all its dependencies started, so startup
/// takes about as long as the graph's critical path. After a failure (or a
/// shutdown request) nothing new starts; providers already in flight finish
/// under their own timeouts, and those that start are rolled back too.
async fn concurrent(
    plan: &'static Plan,
    settings: &Settings,
    control: &Control,
    mut started: Started,
) -> Result<Started, StartFailed> {
    // Only what startup builds; supplied values count as started.
    let builds: Vec<bool> = (0..plan.len()).map(|s| started.builds(s)).collect();
    let mut waiting_on: Vec<usize> = vec![0; plan.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); plan.len()];
    for (slot, entry) in started.entries.iter().enumerate() {
        for &dep in entry.deps {
            if builds[dep as usize] {
                dependents[dep as usize].push(slot);
                waiting_on[slot] += 1;
            }
        }
    }
    let mut ready: Vec<usize> = (0..plan.len())
        .filter(|&s| builds[s] && waiting_on[s] == 0)
        .collect();
    let mut tasks = JoinSet::new();
    let mut in_flight = std::collections::HashMap::new();
    let mut failure: Option<HookFailure> = None;
    let mut others = Vec::new();
    loop {
        if failure.is_none() && control.is_requested() {
            let next = ready
                .first()
                .copied()
                .or_else(|| (0..plan.len()).find(|s| builds[*s] && waiting_on[*s] > 0));
            if let Some(next) = next {
                failure = Some(cancelled(started.entries[next]));
            }
        }
        if failure.is_none() {
            // Plan order within a batch: deterministic launches.
            ready.sort_unstable();
            for slot in ready.drain(..) {
                let work = start_one(
                    slot,
                    started.entries[slot],
                    &started.slots,
                    settings.hook_timeout,
                );
                let id = tasks.spawn(async move { (slot, work.await) }).id();
                in_flight.insert(id, slot);
            }
        }
        let Some(joined) = tasks.join_next_with_id().await else {
            break;
        };
        let (slot, result) = match joined {
            Ok((id, (slot, result))) => {
                in_flight.remove(&id);
                (slot, result)
            }
            Err(e) => {
                let slot = in_flight.remove(&e.id()).expect("every task is tracked");
                let cause = Cause::Panic(format!("start task failed: {e}"));
                (
                    slot,
                    Err(hook::failed(
                        started.entries[slot].step.meta.name,
                        Phase::Construct,
                        Duration::ZERO,
                        cause,
                    )),
                )
            }
        };
        match result {
            Ok((value, timing)) => {
                started.slots.set(slot, value);
                started.record(slot, Some(timing));
                for &dependent in &dependents[slot] {
                    waiting_on[dependent] -= 1;
                    if builds[dependent] && waiting_on[dependent] == 0 {
                        ready.push(dependent);
                    }
                }
            }
            Err(f) if failure.is_none() => failure = Some(f),
            Err(f) => others.push(f),
        }
    }
    match failure {
        None => Ok(started),
        Some(failure) => Err(StartFailed {
            failure,
            others,
            started,
        }),
    }
}

fn cancelled(entry: Entry) -> HookFailure {
    let name = entry.step.meta.name;
    tracing::info!(
        provider = name,
        "shutdown requested during startup; not starting `{name}`"
    );
    HookFailure {
        provider: name,
        phase: Phase::Construct,
        elapsed: Duration::ZERO,
        cause: Cause::Cancelled,
    }
}

/// Construct one provider (a sync constructor runs right here, inline) and
/// return the rest of its start: awaiting the constructor, then its
/// `post_construct`. A provider whose `post_construct` fails is dropped.
pub(crate) fn start_one(
    slot: usize,
    entry: Entry,
    slots: &Slots,
    hook_timeout: Duration,
) -> impl Future<Output = Result<(Erased, Timing), HookFailure>> + Send + 'static {
    let began = Instant::now();
    let made = hook::catch(|| (entry.step.construct)(Deps::new(slots, entry.deps, entry.counts)));
    finish_start(slot, entry, began, made, hook_timeout)
}

/// The rest of [`start_one`] once the constructor was called at `began`.
fn finish_start(
    slot: usize,
    entry: Entry,
    began: Instant,
    made: Result<ErasedConstruct, String>,
    hook_timeout: Duration,
) -> impl Future<Output = Result<(Erased, Timing), HookFailure>> + Send + 'static {
    let meta = entry.step.meta;
    async move {
        let timeout = meta.construct.timeout.unwrap_or(hook_timeout);
        let work = made.map_or_else(Work::Panicked, Into::into);
        let value = hook::run(meta.name, Phase::Construct, timeout, work).await?;
        let constructed = Instant::now();
        let call = match hook::catch(|| (entry.step.post_construct)(&value)) {
            Ok(call) => call.map(Into::into),
            Err(panic) => Some(Work::Panicked(panic)),
        };
        let post_construct = match call {
            None => None,
            Some(work) => {
                let timeout = meta
                    .post_construct
                    .and_then(|s| s.timeout)
                    .unwrap_or(hook_timeout);
                // On failure `value` is dropped here: not started, never torn down.
                hook::run(meta.name, Phase::PostConstruct, timeout, work).await?;
                Some(constructed.elapsed())
            }
        };
        Ok((
            value,
            Timing {
                slot,
                began,
                constructed,
                post_construct,
            },
        ))
    }
}
