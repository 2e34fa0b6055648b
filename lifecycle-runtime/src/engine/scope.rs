//! Building request-scoped and transient values on demand, and tearing
//! them down when their scope closes.
//!
//! A scope has slots of its own that fall back to the app's. Asking for a
//! value builds what it needs that is not there yet, depth first in the
//! plan's order: a request-scoped value once per scope, a transient one
//! afresh for every dependent and every request. Each is constructed and
//! `post_construct`ed like a singleton at startup (timeouts, panics, sync
//! hooks on their own threads); every value built is torn down in reverse
//! when the scope closes.

use std::sync::Arc;

use super::Boxed;
use super::start::start_one;
use crate::app::Inner;
use crate::error::{HookFailure, Phase};
use crate::wiring::{Erased, ParentSlots, ScopeKind, Slots};

/// Where a scope's value is, for [`ScopeState::read`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Held {
    /// In the scope's slots (its own or the app's).
    Slot(usize),
    /// A transient value, at this index of what the scope built.
    Created(usize),
}

/// What one scope built.
#[derive(Debug)]
pub(crate) struct ScopeState {
    pub(crate) slots: Slots,
    /// In build order: the slot, and the value unless it stays in `slots`
    /// (request-scoped values do; transient ones are kept here).
    created: Vec<(usize, Option<Erased>)>,
}

impl ParentSlots for Inner {
    fn slots(&self) -> &Slots {
        &self.started.slots
    }
}

impl ScopeState {
    pub(crate) fn new(inner: &Arc<Inner>) -> Self {
        ScopeState {
            slots: Slots::scoped(inner.plan.len(), inner.clone()),
            created: Vec::new(),
        }
    }

    /// Whether anything needs tearing down.
    pub(crate) fn is_empty(&self) -> bool {
        self.created.is_empty()
    }

    /// Where the value of `slot` for the scope is: the app's (singletons,
    /// inputs, replacements), the scope's cached one, or a new one, built
    /// now. Generic over nothing, like the boxed future of `Scope::get`
    /// that awaits it (see `lifecycle::start`); [`read`](Self::read) then
    /// takes the value out by type.
    pub(crate) async fn locate(&mut self, inner: &Inner, slot: usize) -> Result<Held, HookFailure> {
        if self.slots.inherited(slot) {
            return Ok(Held::Slot(slot));
        }
        match inner.started.entries[slot].step.meta.scope {
            ScopeKind::Transient => {
                let value = self.build(inner, slot).await?;
                self.created.push((slot, Some(value)));
                Ok(Held::Created(self.created.len() - 1))
            }
            _ => {
                if self.slots.own(slot).is_none() {
                    let value = self.build(inner, slot).await?;
                    self.slots.set(slot, value);
                    self.created.push((slot, None));
                }
                Ok(Held::Slot(slot))
            }
        }
    }

    /// The value [`locate`](Self::locate) found, as the `T` its slot holds.
    pub(crate) fn read<T: ?Sized + 'static>(&self, held: Held) -> Arc<T> {
        match held {
            Held::Slot(slot) => self.slots.get::<T>(slot as u32),
            Held::Created(i) => crate::wiring::this::<T>(
                self.created[i]
                    .1
                    .as_ref()
                    .expect("a transient value stays with its scope"),
            ),
        }
    }

    /// Build one value of `slot`, and first whatever it needs that the
    /// scope does not hold: request-scoped dependencies once (cached),
    /// transient ones afresh, lent to this constructor alone.
    fn build<'a>(
        &'a mut self,
        inner: &'a Inner,
        slot: usize,
    ) -> Boxed<'a, Result<Erased, HookFailure>> {
        Box::pin(async move {
            let entry = inner.started.entries[slot];
            // Transient values lent to this constructor, each with what
            // its slot held before (a value lent to an outer one).
            let mut lent: Vec<(usize, Option<Erased>)> = Vec::new();
            let mut ready = Ok(());
            for &dep in entry.deps {
                let dep = dep as usize;
                if self.slots.inherited(dep) {
                    continue;
                }
                let transient = inner.started.entries[dep].step.meta.scope == ScopeKind::Transient;
                if !transient && self.slots.own(dep).is_some() {
                    continue;
                }
                match self.build(inner, dep).await {
                    Ok(value) if transient => {
                        lent.push((dep, self.slots.take(dep)));
                        self.slots.set(dep, value);
                    }
                    Ok(value) => {
                        self.slots.set(dep, value);
                        self.created.push((dep, None));
                    }
                    Err(failure) => {
                        ready = Err(failure);
                        break;
                    }
                }
            }
            let started =
                ready.map(|()| start_one(slot, entry, &self.slots, inner.settings.hook_timeout));
            // The constructor has read its dependencies (or never ran):
            // keep the lent values for teardown, give back what was there.
            for (dep, before) in lent.into_iter().rev() {
                if let Some(value) = self.slots.take(dep) {
                    self.created.push((dep, Some(value)));
                }
                if let Some(before) = before {
                    self.slots.set(dep, before);
                }
            }
            started?.await.map(|(value, _)| value)
        })
    }

    /// Run every `pre_destruct` in reverse build order, best effort; then
    /// drop the values.
    pub(crate) async fn close(mut self, inner: &Inner) -> Vec<HookFailure> {
        let mut failures = Vec::new();
        while let Some((slot, value)) = self.created.pop() {
            let Some(value) = value.or_else(|| self.slots.take(slot)) else {
                continue;
            };
            let entry = inner.started.entries[slot];
            let meta = entry.step.meta;
            let work = match super::hook::catch(|| (entry.step.pre_destruct)(&value)) {
                Ok(None) => continue,
                Ok(Some(call)) => call.into(),
                Err(panic) => super::hook::Work::Panicked(panic),
            };
            let timeout = meta
                .pre_destruct
                .and_then(|s| s.timeout)
                .unwrap_or(inner.settings.hook_timeout);
            if let Err(failure) =
                super::hook::run(meta.name, Phase::PreDestruct, timeout, work).await
            {
                failures.push(failure);
            }
        }
        failures
    }
}
