//! Stopping the started providers: `pre_destruct` in reverse, best effort.

use tokio::task::JoinSet;

use super::hook::Work;
use super::{Deadline, Started, levels};
use crate::config::Settings;
use crate::error::{HookFailure, Phase};

/// Run `pre_destruct` of every started provider, each exactly once: in
/// reverse start order, or (after a concurrent start) level by level from
/// the top, a level's hooks together. A failure, panic or timeout never
/// stops the others; every failure is returned.
pub(crate) async fn stop(
    started: &Started,
    settings: &Settings,
    deadline: &Deadline,
) -> Vec<HookFailure> {
    if started.concurrent {
        super::cold(by_levels(started, settings, deadline)).await
    } else {
        let mut failures = Vec::new();
        for slot in started.order().rev() {
            if let Some((name, timeout, call)) = pre_destruct(started, slot, settings)
                && let Err(failure) =
                    super::cold(deadline.run(name, Phase::PreDestruct, timeout, call)).await
            {
                failures.push(failure);
            }
        }
        failures
    }
}

async fn by_levels(
    started: &Started,
    settings: &Settings,
    deadline: &Deadline,
) -> Vec<HookFailure> {
    let levels = levels(started.entries);
    let order: Vec<usize> = started.order().collect();
    let mut failures = Vec::new();
    let top = order.iter().map(|&s| levels[s]).max().unwrap_or(0);
    for level in (0..=top).rev() {
        let mut tasks = JoinSet::new();
        // Reverse start order within a level, for deterministic reports.
        for (rank, &slot) in order.iter().enumerate().rev() {
            if levels[slot] != level {
                continue;
            }
            if let Some((name, timeout, call)) = pre_destruct(started, slot, settings) {
                let deadline = *deadline;
                tasks.spawn(async move {
                    (
                        rank,
                        deadline.run(name, Phase::PreDestruct, timeout, call).await,
                    )
                });
            }
        }
        let mut level_failures: Vec<(usize, HookFailure)> = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            if let Ok((rank, Err(failure))) = joined {
                level_failures.push((rank, failure));
            }
        }
        level_failures.sort_by_key(|f| std::cmp::Reverse(f.0));
        failures.extend(level_failures.into_iter().map(|(_, f)| f));
    }
    failures
}

/// The `pre_destruct` call of the provider at `slot`, if it has one.
#[inline]
fn pre_destruct(
    started: &Started,
    slot: usize,
    settings: &Settings,
) -> Option<(&'static str, std::time::Duration, Work<()>)> {
    // Most providers have no hook: skip them without a call.
    if !started.entries[slot].has_pre_destruct {
        return None;
    }
    call_pre_destruct(started, slot, settings)
}

#[inline(never)]
fn call_pre_destruct(
    started: &Started,
    slot: usize,
    settings: &Settings,
) -> Option<(&'static str, std::time::Duration, Work<()>)> {
    let entry = started.entries[slot];
    let meta = entry.step.meta;
    let value = started.slots.erased(slot)?;
    let call = match super::hook::catch(|| (entry.step.pre_destruct)(value)) {
        Ok(call) => call?.into(),
        Err(panic) => Work::Panicked(panic),
    };
    let timeout = meta
        .pre_destruct
        .and_then(|s| s.timeout)
        .unwrap_or(settings.hook_timeout);
    Some((meta.name, timeout, call))
}
