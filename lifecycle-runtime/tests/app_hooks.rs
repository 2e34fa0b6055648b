//! App-level hooks, lifespans, drain, readiness and cancellation, around a
//! real macro-built graph.

#![allow(missing_debug_implementations, clippy::new_without_default)]

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use lifecycle_runtime::{
    App, Cause, Error, HookOptions, Lifespan, Phase, ShutdownHandle, State, module, provider,
};

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Serialises the tests of this file: they share `LOG`.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn log(line: impl Into<String>) {
    LOG.lock().unwrap().push(line.into());
}

fn take_log() -> Vec<String> {
    std::mem::take(&mut *LOG.lock().unwrap())
}

pub struct Db;

#[provider]
impl Db {
    pub fn new() -> Self {
        log("construct Db");
        Db
    }

    #[post_construct]
    async fn open(&self) {
        log("post_construct Db");
    }

    #[pre_destruct]
    fn close(&self) {
        log("pre_destruct Db");
    }
}

/// Requests shutdown from its constructor when `CANCEL` holds a handle.
static CANCEL: OnceLock<Mutex<Option<ShutdownHandle>>> = OnceLock::new();

pub struct Repo {
    _db: Arc<Db>,
}

#[provider]
impl Repo {
    pub async fn new(db: Arc<Db>) -> Self {
        log("construct Repo");
        if let Some(handle) = CANCEL.get_or_init(Mutex::default).lock().unwrap().take() {
            handle.shutdown();
        }
        Repo { _db: db }
    }

    #[pre_destruct]
    async fn flush(&self) {
        log("pre_destruct Repo");
    }
}

pub struct Api {
    _repo: Arc<Repo>,
}

#[provider]
impl Api {
    pub fn new(repo: Arc<Repo>) -> Self {
        log("construct Api");
        Api { _repo: repo }
    }

    #[pre_destruct]
    fn stop(&self) {
        log("pre_destruct Api");
    }
}

#[module(providers = [Db, Repo, Api])]
pub struct AppModule;

fn builder() -> lifecycle_runtime::Builder<AppModule> {
    AppModule::builder().handle_signals(false)
}

#[tokio::test]
async fn app_hooks_and_lifespans_run_in_the_documented_order() {
    let _serial = SERIAL.lock().await;
    take_log();
    let app = builder()
        .on_startup(|| log("on_startup sync"))
        .on_startup(|| async { log("on_startup async") })
        .lifespan(|app: App<AppModule>, lifespan: Lifespan| async move {
            let _api = app.get::<Api>();
            log(format!("lifespan setup, ready: {}", app.is_ready()));
            lifespan.running().await;
            log(format!("lifespan teardown, state: {:?}", app.state()));
        })
        .after_startup(|app| log(format!("after_startup, ready: {}", app.is_ready())))
        .on_shutdown(|app: App<AppModule>| async move {
            let _db = app.get::<Db>();
            log(format!("on_shutdown, state: {:?}", app.state()));
        })
        .after_shutdown(|| log("after_shutdown"))
        .bootstrap()
        .await
        .unwrap();
    assert!(app.is_ready());
    log("running");
    app.shutdown().await.unwrap();
    assert_eq!(app.state(), State::Stopped);
    assert_eq!(
        take_log(),
        [
            "on_startup sync",
            "on_startup async",
            "construct Db",
            "post_construct Db",
            "construct Repo",
            "construct Api",
            "lifespan setup, ready: false",
            "after_startup, ready: false",
            "running",
            "on_shutdown, state: Stopping",
            "lifespan teardown, state: Stopping",
            "pre_destruct Api",
            "pre_destruct Repo",
            "pre_destruct Db",
            "after_shutdown",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_after_startup_hook_rolls_back_lifespans_and_providers_but_not_on_shutdown() {
    let _serial = SERIAL.lock().await;
    take_log();
    let error = builder()
        .lifespan(|_app, lifespan: Lifespan| async move {
            lifespan.running().await;
            log("lifespan teardown");
        })
        .after_startup_with(
            HookOptions::named("warm caches").timeout(Duration::from_secs(2)),
            |_app| std::future::pending::<()>(),
        )
        .on_shutdown(|_app| log("on_shutdown"))
        .after_shutdown(|| log("after_shutdown"))
        .bootstrap()
        .await
        .unwrap_err();
    let Error::Startup { failure, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(failure.provider, "warm caches");
    assert_eq!(failure.phase, Phase::AfterStartup);
    assert!(matches!(failure.cause, Cause::TimedOut(t) if t == Duration::from_secs(2)));
    assert!(
        error
            .to_string()
            .contains("`warm caches` after_startup timed out after 2s"),
        "{error}"
    );
    let log = take_log();
    assert_eq!(
        log[log.len() - 5..],
        [
            "lifespan teardown",
            "pre_destruct Api",
            "pre_destruct Repo",
            "pre_destruct Db",
            "after_shutdown"
        ]
    );
}

#[tokio::test]
async fn a_request_during_startup_stops_at_the_next_provider_and_rolls_back() {
    let _serial = SERIAL.lock().await;
    take_log();
    let builder = builder().after_startup(|_app| log("after_startup"));
    *CANCEL.get_or_init(Mutex::default).lock().unwrap() = Some(builder.shutdown_handle());
    let error = builder.bootstrap().await.unwrap_err();
    assert!(error.is_cancelled(), "{error}");
    let Error::Startup { failure, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!((failure.provider, failure.phase), ("Api", Phase::Construct));
    assert_eq!(
        take_log(),
        [
            "construct Db",
            "post_construct Db",
            "construct Repo",
            "pre_destruct Repo",
            "pre_destruct Db"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn shutdown_drains_in_flight_work_before_any_hook() {
    let _serial = SERIAL.lock().await;
    take_log();
    let app = builder()
        .on_shutdown(|_app| log("on_shutdown"))
        .bootstrap()
        .await
        .unwrap();
    let guard = app.in_flight();
    app.spawn(async move {
        tokio::time::sleep(Duration::from_secs(3)).await;
        log("in-flight task done");
        drop(guard);
    });
    let draining = app.draining();
    let handle = app.shutdown_handle();
    let runner = tokio::spawn({
        let app = app.clone();
        async move { app.run_until_signal().await }
    });
    handle.shutdown_with_code(2);
    draining.await;
    assert!(!app.is_ready());
    runner.await.unwrap().unwrap();
    assert_eq!(app.exit_code(), 2);
    let log = take_log();
    assert_eq!(log[4..6], ["in-flight task done", "on_shutdown"], "{log:?}");
}

#[tokio::test(start_paused = true)]
async fn in_flight_work_past_the_drain_timeout_is_reported_and_shutdown_goes_on() {
    let _serial = SERIAL.lock().await;
    take_log();
    let app = builder()
        .drain_timeout(Duration::from_secs(1))
        .bootstrap()
        .await
        .unwrap();
    let _stuck = app.in_flight();
    let error = app.shutdown().await.unwrap_err();
    let failures: Vec<_> = error.failures().collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].phase, Phase::Drain);
    assert!(take_log().ends_with(&[
        "pre_destruct Api".into(),
        "pre_destruct Repo".into(),
        "pre_destruct Db".into()
    ]));
}

#[tokio::test(start_paused = true)]
async fn concurrent_startup_keeps_the_dependency_order_and_reports_timings() {
    let _serial = SERIAL.lock().await;
    take_log();
    let app = builder().concurrent(true).bootstrap().await.unwrap();
    let report = app.startup_report();
    assert_eq!(report.providers().len(), 3);
    assert!(
        report
            .to_string()
            .starts_with("startup of `AppModule` took")
    );
    app.shutdown().await.unwrap();
    assert_eq!(
        take_log(),
        [
            "construct Db",
            "post_construct Db",
            "construct Repo",
            "construct Api",
            "pre_destruct Api",
            "pre_destruct Repo",
            "pre_destruct Db"
        ]
    );
}

/// Tasks of this test's runtime that are still alive.
fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

#[tokio::test(flavor = "current_thread")]
async fn no_task_of_the_app_outlives_its_shutdown_or_a_failed_startup() {
    let _serial = SERIAL.lock().await;
    // With signal handling on: the process's listener has a thread and a
    // runtime of its own, and the app spawns nothing on this one.
    let app = AppModule::builder().bootstrap().await.unwrap();
    assert_eq!(alive_tasks(), 0);
    app.shutdown().await.unwrap();
    assert_eq!(alive_tasks(), 0);

    let error = AppModule::builder()
        .after_startup(|_app| Err::<(), _>("refused"))
        .bootstrap()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Startup { .. }), "{error}");
    assert_eq!(alive_tasks(), 0);
    take_log();
}

#[tokio::test(start_paused = true)]
async fn a_concurrent_shutdown_waits_for_the_first_one_to_finish() {
    let _serial = SERIAL.lock().await;
    take_log();
    let app = AppModule::builder()
        .handle_signals(false)
        .on_shutdown(|_app| async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            log("on_shutdown done");
        })
        .after_shutdown(|| log("after_shutdown"))
        .bootstrap()
        .await
        .unwrap();
    let began = tokio::time::Instant::now();
    let (first, second) = tokio::join!(app.shutdown(), async {
        // Starts once the first call is under way.
        tokio::task::yield_now().await;
        let second = app.shutdown().await;
        // Returns only when the first call's teardown is complete.
        assert_eq!(app.state(), State::Stopped);
        assert_eq!(began.elapsed(), Duration::from_millis(50));
        assert_eq!(
            take_log().last().map(String::as_str),
            Some("after_shutdown")
        );
        second
    });
    first.unwrap();
    second.unwrap();
    // Once stopped, another call returns at once.
    app.shutdown().await.unwrap();
    assert_eq!(began.elapsed(), Duration::from_millis(50));
    assert!(take_log().is_empty(), "the teardown ran once");
}
