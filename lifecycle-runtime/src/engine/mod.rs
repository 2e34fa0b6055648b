//! The engine: drives a module's [`Plan`] through startup and teardown.
//!
//! [`start`] walks the plan in its fixed topological order (or, opted in,
//! starts every provider whose dependencies are up at once): construct,
//! then `post_construct`. A provider counts as *started* once both
//! succeeded. [`stop`] runs `pre_destruct` of every started provider in
//! reverse, best effort, under one overall [`Deadline`]. [`lifecycle`]
//! wraps both with the app-level hooks, lifespans and the state machine.

pub(crate) mod hook;
pub(crate) mod lifecycle;
mod scope;
mod start;
mod stop;

#[cfg(test)]
mod tests;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::{Cause, HookFailure, Phase};
use crate::wiring::{Entry, Erased, ErasedConstruct, List, Plan, Slots};
use hook::Work;

/// A stage that most apps skip or run rarely (hooks, lifespans, rollback,
/// a timed wait), boxed and polled through a pointer. Awaited directly,
/// every stage's poll would be inlined into the one of startup or
/// shutdown, and the common path's few instructions would lie scattered
/// over tens of kilobytes of code: more instruction-cache misses than
/// instructions saved.
pub(crate) fn cold<'a, T>(stage: impl Future<Output = T> + Send + 'a) -> Boxed<'a, T> {
    Box::pin(stage)
}

/// A boxed future that may borrow for `'a`.
pub(crate) type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub(crate) use scope::{Held, ScopeState};
pub(crate) use start::start;
pub(crate) use stop::stop;

/// Providers that started, and how.
#[derive(Debug)]
pub(crate) struct Started {
    pub(crate) slots: Slots,
    /// Started concurrently: stop concurrently too, by reverse levels.
    pub(crate) concurrent: bool,
    /// Slots that held a value before startup (inputs, replacements),
    /// sorted: startup builds none of them.
    supplied: Vec<u32>,
    /// Started in order: every slot below this one whose provider startup
    /// builds has started, and nothing else (no list to keep).
    started_below: usize,
    /// Started concurrently: slots in the order their providers started.
    order: List<u32, 64>,
    /// One per started provider that was timed, in start order.
    timings: List<Timing, 16>,
    /// The plan's entries.
    pub(crate) entries: &'static [Entry],
}

impl Started {
    /// Nothing started yet; the values given to the builder (inputs and
    /// replacements) already in their slots.
    fn new(plan: &'static Plan, concurrent: bool, supplied: Vec<(usize, Erased)>) -> Self {
        let mut slots = Slots::new(plan.len());
        let mut supplied_slots: Vec<u32> = supplied.iter().map(|&(slot, _)| slot as u32).collect();
        supplied_slots.sort_unstable();
        supplied_slots.dedup();
        // In the order given: a later value for a slot replaces an earlier one.
        for (slot, value) in supplied {
            slots.set(slot, value);
        }
        Started {
            slots,
            concurrent,
            supplied: supplied_slots,
            started_below: 0,
            order: if concurrent {
                List::with_capacity(plan.len())
            } else {
                List::default()
            },
            timings: List::default(),
            entries: plan.unpacked(),
        }
    }

    /// Whether startup builds the entry at `slot`: it lives as long as the
    /// app and no value was supplied for it.
    #[inline]
    fn builds(&self, slot: usize) -> bool {
        self.entries[slot].app_wide && !self.is_supplied(slot)
    }

    /// Whether a value for `slot` was given before startup.
    #[inline]
    fn is_supplied(&self, slot: usize) -> bool {
        // Empty unless the app has inputs or replacements.
        !self.supplied.is_empty() && self.supplied.binary_search(&(slot as u32)).is_ok()
    }

    /// Record that the provider at `slot` started, and its timing if it
    /// was timed. In order, providers start by ascending slot.
    #[inline]
    fn record(&mut self, slot: usize, timing: Option<Timing>) {
        if self.concurrent {
            self.order.push(slot as u32);
        } else {
            debug_assert!(slot >= self.started_below, "in order, slots ascend");
            self.started_below = slot + 1;
        }
        if let Some(timing) = timing {
            self.timings.push(timing);
        }
    }

    /// How many providers started.
    pub(crate) fn count(&self) -> usize {
        self.order().count()
    }

    /// Slots in the order their providers started.
    pub(crate) fn order(&self) -> impl DoubleEndedIterator<Item = usize> + '_ {
        if self.concurrent {
            Order::Listed(self.order.iter())
        } else {
            Order::Ascending {
                slots: 0..self.started_below,
                started: self,
            }
        }
    }

    /// Every started provider in start order, with its timing unless it was
    /// not timed (it runs no code of the user).
    pub(crate) fn timings(&self) -> impl Iterator<Item = (usize, Option<&Timing>)> + '_ {
        let mut timings = self.timings.iter().peekable();
        self.order()
            .map(move |slot| (slot, timings.next_if(|t| t.slot == slot)))
    }
}

/// [`Started::order`]: the slots below `started_below` that startup
/// builds, or the list a concurrent start kept.
enum Order<'a, L> {
    Ascending {
        slots: std::ops::Range<usize>,
        started: &'a Started,
    },
    Listed(L),
}

impl<'a, L: Iterator<Item = &'a u32>> Iterator for Order<'a, L> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        match self {
            Order::Ascending { slots, started } => slots.find(|&s| started.builds(s)),
            Order::Listed(list) => list.next().map(|&slot| slot as usize),
        }
    }
}

impl<'a, L: DoubleEndedIterator<Item = &'a u32>> DoubleEndedIterator for Order<'a, L> {
    #[inline]
    fn next_back(&mut self) -> Option<usize> {
        match self {
            Order::Ascending { slots, started } => slots.rfind(|&s| started.builds(s)),
            Order::Listed(list) => list.next_back().map(|&slot| slot as usize),
        }
    }
}

/// How long one provider took to start. Its constructor's time is kept
/// as the two clock readings, subtracted only when a report asks for it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) slot: usize,
    pub(crate) began: Instant,
    pub(crate) constructed: Instant,
    pub(crate) post_construct: Option<Duration>,
}

impl Timing {
    /// Time spent in the constructor.
    pub(crate) fn construct(&self) -> Duration {
        self.constructed.saturating_duration_since(self.began)
    }

    /// Constructor plus `post_construct`.
    pub(crate) fn total(&self) -> Duration {
        self.construct() + self.post_construct.unwrap_or_default()
    }
}

/// Startup of the providers stopped at `failure`; `started` must be rolled back.
#[derive(Debug)]
pub(crate) struct StartFailed {
    pub(crate) failure: HookFailure,
    /// Concurrent mode: providers in flight at the failure that failed too.
    pub(crate) others: Vec<HookFailure>,
    pub(crate) started: Started,
}

/// The overall shutdown deadline: caps each hook's own timeout; hooks that
/// would start after it are skipped and reported.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    at: Instant,
    pub(crate) total: Duration,
}

impl Deadline {
    pub(crate) fn after(total: Duration) -> Self {
        Self::starting(Instant::now(), total)
    }

    /// The deadline `total` after `began`, a clock reading the caller has.
    pub(crate) fn starting(began: Instant, total: Duration) -> Self {
        Deadline {
            at: began + total,
            total,
        }
    }

    /// What is left of it.
    pub(crate) fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// Run one teardown hook under `timeout`, capped by the deadline.
    pub(crate) async fn run(
        &self,
        name: &'static str,
        phase: Phase,
        timeout: Duration,
        work: Work<()>,
    ) -> Result<(), HookFailure> {
        let remaining = self.remaining();
        if remaining.is_zero() {
            return Err(hook::failed(
                name,
                phase,
                Duration::ZERO,
                Cause::DeadlinePassed(self.total),
            ));
        }
        hook::run(name, phase, timeout.min(remaining), work).await
    }
}

/// The level of each entry: 0 without dependencies, else one more than its
/// highest dependency. Entries of one level never depend on each other.
pub(crate) fn levels(entries: &[Entry]) -> Vec<u32> {
    let mut levels: Vec<u32> = Vec::with_capacity(entries.len());
    for entry in entries {
        let level = entry
            .deps
            .iter()
            .map(|&d| levels[d as usize] + 1)
            .max()
            .unwrap_or(0);
        levels.push(level);
    }
    levels
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
