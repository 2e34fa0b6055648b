//! Request-scoped and transient providers, through real `#[provider]` /
//! `#[module]` items.

#![allow(missing_debug_implementations)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lifecycle_runtime::{Error, Phase, module, provider};

/// What happened, in order.
pub struct Journal {
    events: Mutex<Vec<String>>,
    ids: AtomicUsize,
}

#[provider]
impl Journal {
    fn new() -> Self {
        Journal {
            events: Mutex::new(Vec::new()),
            ids: AtomicUsize::new(0),
        }
    }
}

impl Journal {
    fn note(&self, event: String) {
        self.events.lock().unwrap().push(event);
    }

    fn next(&self) -> usize {
        self.ids.fetch_add(1, Ordering::SeqCst)
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.events.lock().unwrap())
    }
}

/// One per request: a connection checked out of the pool.
pub struct Connection {
    id: usize,
    journal: Arc<Journal>,
}

#[provider(scope = request)]
impl Connection {
    fn new(journal: Arc<Journal>) -> Self {
        let id = journal.next();
        journal.note(format!("open connection {id}"));
        Connection { id, journal }
    }

    #[pre_destruct]
    async fn release(&self) {
        self.journal.note(format!("release connection {}", self.id));
    }
}

/// A new one for every dependent: a per-use id.
pub struct Trace {
    id: usize,
    journal: Arc<Journal>,
}

#[provider(scope = transient)]
impl Trace {
    fn new(journal: Arc<Journal>) -> Self {
        let id = journal.next();
        journal.note(format!("trace {id}"));
        Trace { id, journal }
    }

    #[pre_destruct]
    fn end(&self) {
        self.journal.note(format!("end trace {}", self.id));
    }
}

/// Request-scoped, built from another request-scoped value and a transient.
pub struct Repo {
    conn: Arc<Connection>,
    trace: Arc<Trace>,
}

#[provider(scope = request)]
impl Repo {
    fn new(conn: Arc<Connection>, trace: Arc<Trace>, journal: &Journal) -> Self {
        journal.note("open repo".into());
        Repo { conn, trace }
    }

    #[pre_destruct]
    fn close(&self) {
        self.conn.journal.note("close repo".into());
    }
}

/// Transient, with two dependents' worth of the same transient.
#[provider(scope = transient)]
pub struct Handler {
    repo: Arc<Repo>,
    trace: Arc<Trace>,
}

#[module(providers = [Journal, Connection, Trace, Repo, Handler])]
pub struct WebModule;

#[tokio::test]
async fn a_request_scoped_value_is_built_once_per_scope() {
    let app = WebModule::bootstrap().await.unwrap();
    let journal = app.get::<Journal>();
    let first = app.scope();
    let a = first.get::<Connection>().await.unwrap();
    let b = first.get::<Connection>().await.unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    let second = app.scope();
    let c = second.get::<Connection>().await.unwrap();
    assert!(!Arc::ptr_eq(&a, &c));
    second.close().await.unwrap();
    first.close().await.unwrap();
    assert_eq!(
        journal.take(),
        [
            "open connection 0",
            "open connection 1",
            "release connection 1",
            "release connection 0"
        ]
    );
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn transient_values_are_new_for_every_dependent_and_torn_down_in_reverse() {
    let app = WebModule::bootstrap().await.unwrap();
    let journal = app.get::<Journal>();
    let scope = app.scope();
    let handler = scope.get::<Handler>().await.unwrap();
    // The repo's trace and the handler's own trace are two values.
    assert_ne!(handler.trace.id, handler.repo.trace.id);
    let again = scope.get::<Handler>().await.unwrap();
    assert!(!Arc::ptr_eq(&handler, &again));
    assert!(
        Arc::ptr_eq(&handler.repo, &again.repo),
        "one repo per scope"
    );
    assert_eq!(
        journal.take(),
        [
            "open connection 0",
            "trace 1",
            "open repo",
            "trace 2",
            "trace 3"
        ]
    );
    scope.close().await.unwrap();
    assert_eq!(
        journal.take(),
        [
            "end trace 3",
            "end trace 2",
            "close repo",
            "end trace 1",
            "release connection 0"
        ]
    );
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_scope_hands_out_the_apps_singletons() {
    let app = WebModule::bootstrap().await.unwrap();
    let scope = app.scope();
    assert!(Arc::ptr_eq(
        &scope.get::<Journal>().await.unwrap(),
        &app.get::<Journal>()
    ));
    scope.close().await.unwrap();
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_dropped_scope_is_torn_down_before_shutdown_finishes() {
    let app = WebModule::bootstrap().await.unwrap();
    let journal = app.get::<Journal>();
    {
        let scope = app.scope();
        scope.get::<Repo>().await.unwrap();
    }
    app.shutdown().await.unwrap();
    let events = journal.take();
    assert_eq!(
        events[events.len() - 3..],
        ["close repo", "end trace 1", "release connection 0"]
    );
}

#[tokio::test(start_paused = true)]
async fn shutdown_drains_an_open_scope() {
    let app = WebModule::bootstrap().await.unwrap();
    let journal = app.get::<Journal>();
    let scope = app.scope();
    scope.get::<Connection>().await.unwrap();
    let request = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        scope.close().await.unwrap();
    });
    let began = tokio::time::Instant::now();
    app.shutdown().await.unwrap();
    assert_eq!(began.elapsed(), Duration::from_secs(2));
    assert_eq!(journal.take().last().unwrap(), "release connection 0");
    request.await.unwrap();
}

/// Always fails, after its dependency was built.
#[derive(Debug)]
pub struct Flaky;

#[provider(scope = request)]
impl Flaky {
    fn new(_conn: Arc<Connection>) -> Result<Self, std::io::Error> {
        Err(std::io::Error::other("no route to replica"))
    }
}

#[module(providers = [Journal, Connection, Flaky])]
pub struct FlakyModule;

#[tokio::test]
async fn a_failing_scoped_constructor_names_the_provider_and_keeps_the_scope_whole() {
    let app = FlakyModule::bootstrap().await.unwrap();
    let journal = app.get::<Journal>();
    let scope = app.scope();
    let error = scope.get::<Flaky>().await.unwrap_err();
    match &error {
        Error::Scope {
            module,
            provider,
            failure,
        } => {
            assert_eq!(*module, "FlakyModule");
            assert_eq!(*provider, "Flaky");
            assert_eq!(failure.provider, "Flaky");
            assert_eq!(failure.phase, Phase::Construct);
        }
        other => panic!("unexpected error: {other}"),
    }
    assert!(error.to_string().contains("no route to replica"), "{error}");
    // The connection built for it stays in the scope and is released.
    scope.close().await.unwrap();
    assert_eq!(
        journal.take(),
        ["open connection 0", "release connection 0"]
    );
    app.shutdown().await.unwrap();
}

/// A replaced request-scoped provider: every scope gets the replacement.
#[tokio::test]
async fn a_replaced_scoped_provider_is_shared() {
    let journal = Arc::new(Journal::new());
    let fake = Arc::new(Connection {
        id: 99,
        journal: journal.clone(),
    });
    let app = WebModule::builder()
        .replace(fake.clone())
        .bootstrap()
        .await
        .unwrap();
    let scope = app.scope();
    assert_eq!(scope.get::<Connection>().await.unwrap().id, 99);
    scope.close().await.unwrap();
    // Not built by the scope: not released by it either.
    assert!(journal.take().is_empty());
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_scope_builds_nothing_once_the_app_tears_down() {
    let app = WebModule::bootstrap().await.unwrap();
    let scope = app.scope();
    // The open scope holds shutdown in its drain until the drain timeout.
    let shutdown = tokio::spawn({
        let app = app.clone();
        async move { app.shutdown().await }
    });
    let mut state = app.watch_state();
    state
        .wait_for(|s| *s >= lifecycle_runtime::State::Draining)
        .await
        .unwrap();
    // Draining: in-flight work still gets what it asks for.
    scope.get::<Connection>().await.unwrap();
    scope.close().await.unwrap();
    shutdown.await.unwrap().unwrap();
    let late = app.scope();
    match late.get::<Connection>().await {
        Err(Error::Scope { failure, .. }) => {
            assert!(matches!(
                failure.cause,
                lifecycle_runtime::Cause::AppStopping
            ));
        }
        other => panic!("expected a scope error, got {:?}", other.map(|_| ())),
    }
    // Singletons still come from the app.
    assert!(late.get::<Journal>().await.is_ok());
}

#[tokio::test]
async fn concurrent_startup_leaves_scoped_providers_to_their_scopes() {
    let app = WebModule::builder()
        .concurrent(true)
        .bootstrap()
        .await
        .unwrap();
    let journal = app.get::<Journal>();
    // Startup built the singleton only.
    assert!(journal.take().is_empty());
    assert_eq!(app.startup_report().providers().len(), 1);
    let scope = app.scope();
    scope.get::<Handler>().await.unwrap();
    scope.close().await.unwrap();
    assert_eq!(
        journal.take(),
        [
            "open connection 0",
            "trace 1",
            "open repo",
            "trace 2",
            "end trace 2",
            "close repo",
            "end trace 1",
            "release connection 0"
        ]
    );
    app.shutdown().await.unwrap();
}
