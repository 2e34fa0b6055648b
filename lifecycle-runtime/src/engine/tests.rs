//! Fault injection over random graphs: for every provider, every startup
//! phase and every fault, exactly the started providers are torn down, in
//! reverse, once each; teardown faults at every position never stop the
//! rest. Timeouts run on tokio's paused clock, so they are exact and fast.

mod fixture;

use std::sync::Arc;
use std::time::Duration;

use fixture::{
    Event, Fault, Graph, HOOK_TIMEOUT, Kind, NAMES, Rng, Script, Stage, install, plan, settings,
};
use tokio::time::Instant;

use super::lifecycle::{self, Hooks};
use crate::app::{Inner, State};
use crate::config::Settings;
use crate::control::Control;
use crate::error::{Cause, Error, HookFailure, Phase};

const GRAPHS: usize = 40;

fn phase(stage: Stage) -> Phase {
    match stage {
        Stage::Construct => Phase::Construct,
        Stage::PostConstruct => Phase::PostConstruct,
        Stage::PreDestruct => Phase::PreDestruct,
    }
}

#[track_caller]
fn assert_cause(failure: &HookFailure, fault: Fault, timeout: Duration) {
    match (fault, &failure.cause) {
        (Fault::Error, Cause::Error(e)) => assert!(e.to_string().contains("failed"), "{failure}"),
        (Fault::Panic, Cause::Panic(msg)) => assert!(msg.contains("panicked"), "{failure}"),
        (Fault::Timeout, Cause::TimedOut(t)) => {
            assert_eq!(*t, timeout, "{failure}");
            assert!(failure.elapsed >= timeout, "{failure}");
        }
        _ => panic!("expected {fault:?}, got {failure}"),
    }
}

async fn start(
    graph: &Graph,
    settings: Settings,
    script: &Arc<Script>,
) -> Result<Arc<Inner>, Error> {
    install(script);
    lifecycle::start(
        plan(graph),
        settings,
        Control::new(),
        Hooks::default(),
        Vec::new(),
    )
    .await
}

fn startup_failure(result: Result<Arc<Inner>, Error>) -> (HookFailure, Vec<HookFailure>) {
    match result {
        Err(Error::Startup {
            failure, rollback, ..
        }) => (failure, rollback.0),
        Err(other) => panic!("expected a startup error, got {other}"),
        Ok(_) => panic!("expected startup to fail"),
    }
}

/// Every (provider, startup phase, fault) of `graph`.
fn startup_cases(graph: &Graph) -> Vec<(usize, Stage, Fault)> {
    let mut cases = Vec::new();
    for i in 0..graph.len() {
        for stage in [Stage::Construct, Stage::PostConstruct] {
            if stage == Stage::PostConstruct && !graph.post[i] {
                continue;
            }
            for fault in [Fault::Error, Fault::Panic, Fault::Timeout] {
                cases.push((i, stage, fault));
            }
        }
    }
    cases
}

#[tokio::test(start_paused = true)]
async fn sequential_startup_faults_roll_back_exactly_the_started_providers() {
    let mut rng = Rng::new(1);
    let mut cases = 0;
    for _ in 0..GRAPHS {
        let graph = Graph::random(&mut rng, &[Kind::Inline, Kind::Async]);
        for (i, stage, fault) in startup_cases(&graph) {
            let script = Script::new(graph.clone(), vec![(i, stage, fault)]);
            let (failure, rollback) =
                startup_failure(start(&graph, settings(false), &script).await);
            let case = format!("{graph:?} fault {fault:?} in {stage:?} of P{i}");
            assert_eq!(failure.provider, NAMES[i], "{case}");
            assert_eq!(failure.phase, phase(stage), "{case}");
            assert_cause(&failure, fault, HOOK_TIMEOUT);
            assert!(rollback.is_empty(), "{case}");
            // Started: every provider before `i`, nothing after. `i` itself
            // is dropped, never torn down, even if it was constructed.
            let expected: Vec<usize> = (0..i).rev().filter(|&j| graph.pre[j]).collect();
            assert_eq!(script.pre_destructs(), expected, "{case}");
            let constructed = script
                .events()
                .iter()
                .filter(|e| matches!(e, Event::Constructed(_)))
                .count();
            assert_eq!(
                constructed,
                i + usize::from(stage == Stage::PostConstruct),
                "{case}"
            );
            cases += 1;
        }
    }
    assert!(cases > 300, "only {cases} cases");
}

#[tokio::test(start_paused = true)]
async fn concurrent_startup_faults_roll_back_every_started_provider_once_in_dependency_order() {
    let mut rng = Rng::new(2);
    for _ in 0..GRAPHS {
        let graph = Graph::random(&mut rng, &[Kind::Inline, Kind::Async]);
        for (i, stage, fault) in startup_cases(&graph) {
            let script = Script::new(graph.clone(), vec![(i, stage, fault)]);
            let (failure, rollback) = startup_failure(start(&graph, settings(true), &script).await);
            let case = format!("{graph:?} fault {fault:?} in {stage:?} of P{i}");
            assert_eq!(failure.provider, NAMES[i], "{case}");
            assert_eq!(failure.phase, phase(stage), "{case}");
            assert_cause(&failure, fault, HOOK_TIMEOUT);
            assert!(rollback.is_empty(), "{case}");
            assert_rolled_back(&graph, &script, i, &case);
        }
    }
}

/// Exactly the providers that started (constructed, and post-constructed
/// if they have the hook) are torn down, once each, dependents first.
fn assert_rolled_back(graph: &Graph, script: &Script, failed: usize, case: &str) {
    let events = script.events();
    let started = |j: usize| {
        events.contains(&Event::Constructed(j))
            && (!graph.post[j] || events.contains(&Event::PostConstructed(j)))
    };
    let torn_down = script.pre_destructs();
    let mut expected: Vec<usize> = (0..graph.len())
        .filter(|&j| started(j) && graph.pre[j])
        .collect();
    let mut actual = torn_down.clone();
    actual.sort_unstable();
    expected.sort_unstable();
    assert_eq!(actual, expected, "{case}: torn down once each");
    assert!(!torn_down.contains(&failed), "{case}");
    let position = |j: usize| torn_down.iter().position(|&k| k == j);
    for (j, deps) in graph.deps.iter().enumerate() {
        if deps.contains(&(failed as u32)) {
            assert!(
                !events.contains(&Event::Constructed(j)),
                "{case}: a dependent of the failed provider started"
            );
        }
        for &d in deps {
            if let (Some(pj), Some(pd)) = (position(j), position(d as usize)) {
                assert!(pj < pd, "{case}: P{j} must stop before its dependency P{d}");
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_teardown_fault_at_any_position_never_stops_the_rest() {
    let mut rng = Rng::new(3);
    for _ in 0..GRAPHS {
        let graph = Graph::random(&mut rng, &[Kind::Inline, Kind::Async]);
        for k in (0..graph.len()).filter(|&k| graph.pre[k]) {
            for fault in [Fault::Error, Fault::Panic, Fault::Timeout] {
                let script = Script::new(graph.clone(), vec![(k, Stage::PreDestruct, fault)]);
                let inner = start(&graph, settings(false), &script)
                    .await
                    .expect("no startup fault");
                let failures = match lifecycle::shutdown(&inner).await {
                    Err(Error::Shutdown { failures, .. }) => failures.0,
                    other => panic!("expected a shutdown error, got {other:?}"),
                };
                let case = format!("{graph:?} fault {fault:?} in pre_destruct of P{k}");
                assert_eq!(failures.len(), 1, "{case}");
                assert_eq!(failures[0].provider, NAMES[k], "{case}");
                assert_eq!(failures[0].phase, Phase::PreDestruct, "{case}");
                assert_cause(&failures[0], fault, HOOK_TIMEOUT);
                let expected: Vec<usize> =
                    (0..graph.len()).rev().filter(|&j| graph.pre[j]).collect();
                assert_eq!(script.pre_destructs(), expected, "{case}");
                assert_eq!(inner.control.state(), State::Stopped);
                // Twice is harmless: nothing runs again.
                lifecycle::shutdown(&inner)
                    .await
                    .expect("second shutdown is a no-op");
                assert_eq!(script.pre_destructs(), expected, "{case}");
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn every_teardown_failure_is_reported_together_in_order() {
    let mut rng = Rng::new(4);
    for concurrent in [false, true] {
        for _ in 0..GRAPHS {
            let graph = Graph::random(&mut rng, &[Kind::Inline, Kind::Async]);
            let with_hook: Vec<usize> = (0..graph.len()).filter(|&k| graph.pre[k]).collect();
            // Error and panic only: timeouts would run into the deadline.
            let faults = with_hook
                .iter()
                .map(|&k| {
                    (
                        k,
                        Stage::PreDestruct,
                        if k % 2 == 0 {
                            Fault::Error
                        } else {
                            Fault::Panic
                        },
                    )
                })
                .collect();
            let script = Script::new(graph.clone(), faults);
            let inner = start(&graph, settings(concurrent), &script)
                .await
                .expect("no startup fault");
            let failures = match lifecycle::shutdown(&inner).await {
                Err(e @ Error::Shutdown { .. }) => {
                    e.failures().map(|f| f.provider).collect::<Vec<_>>()
                }
                Ok(()) if with_hook.is_empty() => Vec::new(),
                other => panic!("expected a shutdown error, got {other:?}"),
            };
            let torn_down: Vec<&str> = script
                .pre_destructs()
                .into_iter()
                .map(|j| NAMES[j])
                .collect();
            assert_eq!(
                failures, torn_down,
                "{graph:?}: all reported, in the order they ran"
            );
            assert_eq!(script.pre_destructs().len(), with_hook.len());
            if !concurrent {
                let expected: Vec<&str> = with_hook.iter().rev().map(|&j| NAMES[j]).collect();
                assert_eq!(failures, expected);
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn rollback_failures_are_reported_with_the_startup_failure() {
    let mut rng = Rng::new(5);
    for _ in 0..GRAPHS {
        let graph = Graph::random(&mut rng, &[Kind::Inline, Kind::Async]);
        let last = graph.len() - 1;
        let mut faults = vec![(last, Stage::Construct, Fault::Error)];
        faults.extend((0..last).map(|j| (j, Stage::PreDestruct, Fault::Panic)));
        let script = Script::new(graph.clone(), faults);
        let (failure, rollback) = startup_failure(start(&graph, settings(false), &script).await);
        assert_eq!(failure.provider, NAMES[last]);
        let expected: Vec<&str> = (0..last)
            .rev()
            .filter(|&j| graph.pre[j])
            .map(|j| NAMES[j])
            .collect();
        let reported: Vec<&str> = rollback.iter().map(|f| f.provider).collect();
        assert_eq!(reported, expected, "{graph:?}");
        assert!(
            rollback
                .iter()
                .all(|f| f.phase == Phase::PreDestruct && matches!(f.cause, Cause::Panic(_)))
        );
    }
}

fn chain(n: usize, kind: Kind) -> Graph {
    Graph {
        deps: (0..n)
            .map(|i| if i == 0 { vec![] } else { vec![i as u32 - 1] })
            .collect(),
        post: vec![false; n],
        pre: vec![true; n],
        kind: vec![kind; n],
    }
}

#[tokio::test(start_paused = true)]
async fn the_shutdown_deadline_caps_hook_timeouts_and_skips_what_is_left() {
    let graph = chain(4, Kind::Async);
    let faults = (1..4)
        .map(|k| (k, Stage::PreDestruct, Fault::Timeout))
        .collect();
    let script = Script::new(graph.clone(), faults);
    let inner = start(&graph, settings(false), &script).await.unwrap();
    let began = Instant::now();
    let Err(error) = lifecycle::shutdown(&inner).await else {
        panic!("expected failures")
    };
    // Deadline 25 s, hook timeout 10 s: P3 10 s, P2 10 s, P1 capped at 5 s, P0 skipped.
    assert_eq!(began.elapsed(), Duration::from_secs(25));
    let failures: Vec<_> = error.failures().collect();
    assert_eq!(failures.len(), 4, "{error}");
    assert!(matches!(failures[0].cause, Cause::TimedOut(t) if t == Duration::from_secs(10)));
    assert!(matches!(failures[1].cause, Cause::TimedOut(t) if t == Duration::from_secs(10)));
    assert!(matches!(failures[2].cause, Cause::TimedOut(t) if t == Duration::from_secs(5)));
    assert_eq!(failures[3].provider, "P0");
    assert!(
        matches!(failures[3].cause, Cause::DeadlinePassed(_)),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn concurrent_startup_takes_the_critical_path() {
    // Every hook of the fixture yields once; a wide graph with timeouts
    // shows the parallelism exactly: ten independent providers whose
    // post_construct would each take 1 s if they ran one after another.
    let n = 10;
    let graph = Graph {
        deps: vec![vec![]; n],
        post: vec![true; n],
        pre: vec![true; n],
        kind: vec![Kind::Async; n],
    };
    let faults: Vec<_> = (0..n)
        .map(|k| (k, Stage::PostConstruct, Fault::Timeout))
        .collect();
    for (concurrent, expected) in [(false, 1), (true, n)] {
        let script = Script::new(graph.clone(), faults.clone());
        let settings = Settings {
            hook_timeout: Duration::from_secs(1),
            ..settings(concurrent)
        };
        let began = Instant::now();
        let (_, others) = startup_failure(start(&graph, settings, &script).await);
        assert_eq!(
            began.elapsed(),
            Duration::from_secs(1),
            "concurrent: {concurrent}"
        );
        assert_eq!(1 + others.len(), expected, "in flight together");
    }
}

#[tokio::test(start_paused = true)]
async fn a_request_before_startup_cancels_before_the_first_provider() {
    let graph = chain(3, Kind::Async);
    let script = Script::new(graph.clone(), vec![]);
    install(&script);
    let control = Control::new();
    control.request(0);
    let (failure, _) = startup_failure(
        lifecycle::start(
            plan(&graph),
            settings(false),
            control.clone(),
            Hooks::default(),
            Vec::new(),
        )
        .await,
    );
    assert_eq!(failure.provider, "P0");
    assert!(matches!(failure.cause, Cause::Cancelled));
    assert!(script.events().is_empty());
    assert_eq!(control.state(), State::Failed);
}

/// Sync hooks and `blocking` constructors on threads of their own, on the
/// real clock (a paused one would jump past their timeouts).
#[tokio::test]
async fn blocking_faults_roll_back_like_async_ones() {
    let mut rng = Rng::new(6);
    for _ in 0..8 {
        let graph = Graph::random(&mut rng, &[Kind::Blocking, Kind::Async, Kind::Inline]);
        for (i, stage, fault) in startup_cases(&graph) {
            if fault == Fault::Timeout && !(i + graph.len()).is_multiple_of(4) {
                continue; // a few timeouts suffice on the real clock
            }
            let script = Script::new(graph.clone(), vec![(i, stage, fault)]);
            let settings = Settings {
                hook_timeout: Duration::from_millis(50),
                ..settings(false)
            };
            let (failure, _) = startup_failure(start(&graph, settings, &script).await);
            script.release();
            let case = format!("{graph:?} fault {fault:?} in {stage:?} of P{i}");
            assert_eq!(failure.provider, NAMES[i], "{case}");
            assert_eq!(failure.phase, phase(stage), "{case}");
            assert_cause(&failure, fault, Duration::from_millis(50));
            let expected: Vec<usize> = (0..i).rev().filter(|&j| graph.pre[j]).collect();
            assert_eq!(script.pre_destructs(), expected, "{case}");
        }
    }
}

/// With signal handling on, an app is registered with the process's
/// listener from the start of bootstrap, and leaves it when it stopped or
/// when its startup failed: a later signal must not reach it (a second
/// one would find it "already shutting down" and exit the process).
#[tokio::test(start_paused = true)]
async fn an_app_leaves_the_signal_listener_once_stopped_or_failed() {
    let graph = chain(3, Kind::Async);
    let with_signals = Settings {
        signals: true,
        ..settings(false)
    };
    let script = Script::new(graph.clone(), vec![]);
    install(&script);
    let control = Control::new();
    let inner = lifecycle::start(
        plan(&graph),
        with_signals.clone(),
        control.clone(),
        Hooks::default(),
        Vec::new(),
    )
    .await
    .unwrap();
    assert!(crate::signal::is_registered(&control), "while running");
    lifecycle::shutdown(&inner).await.unwrap();
    assert!(!crate::signal::is_registered(&control), "after shutdown");

    let script = Script::new(graph.clone(), vec![(1, Stage::Construct, Fault::Error)]);
    install(&script);
    let control = Control::new();
    let result = lifecycle::start(
        plan(&graph),
        with_signals,
        control.clone(),
        Hooks::default(),
        Vec::new(),
    )
    .await;
    startup_failure(result);
    assert_eq!(control.state(), State::Failed);
    assert!(
        !crate::signal::is_registered(&control),
        "after a failed startup"
    );
}
