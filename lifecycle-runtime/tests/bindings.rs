//! Trait-object bindings, collections and optional dependencies, through
//! real `#[provider]` / `#[module]` items.

#![allow(missing_debug_implementations)]

use std::sync::{Arc, Mutex};

use lifecycle_runtime::{module, provider};

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str) -> String;
}

pub trait HealthCheck: Send + Sync {
    fn name(&self) -> &'static str;
}

/// Records construction order across the tests' providers.
pub struct Log {
    lines: Mutex<Vec<String>>,
}

#[provider]
impl Log {
    fn new() -> Self {
        Log {
            lines: Mutex::new(Vec::new()),
        }
    }
}

impl Log {
    fn push(&self, line: &str) {
        self.lines.lock().unwrap().push(line.to_owned());
    }
}

pub struct Smtp {
    host: String,
}

#[provider(bind(dyn Mailer), group(dyn HealthCheck))]
impl Smtp {
    fn new(log: &Log) -> Self {
        log.push("smtp");
        Smtp {
            host: "mail.example".into(),
        }
    }
}

impl Mailer for Smtp {
    fn send(&self, to: &str) -> String {
        format!("{to} via {}", self.host)
    }
}

impl HealthCheck for Smtp {
    fn name(&self) -> &'static str {
        "smtp"
    }
}

pub struct Database;

#[provider(group(dyn HealthCheck))]
impl Database {
    fn new(log: &Log) -> Self {
        log.push("database");
        Database
    }
}

impl HealthCheck for Database {
    fn name(&self) -> &'static str {
        "database"
    }
}

/// Injects the trait object and the collection.
#[provider]
pub struct Health {
    checks: Vec<Arc<dyn HealthCheck>>,
    mailer: Arc<dyn Mailer>,
}

pub struct Cache;

#[provider]
impl Cache {
    fn new() -> Self {
        Cache
    }
}

/// `Option<Arc<Cache>>` is `Some` exactly when the graph provides `Cache`.
pub struct Users {
    cache: Option<Arc<Cache>>,
}

#[provider]
impl Users {
    fn new(cache: Option<Arc<Cache>>, log: &Log) -> Self {
        log.push("users");
        Users { cache }
    }
}

#[module(providers = [Log, Smtp, Database, Health, Users])]
pub struct CoreModule;

#[module(imports = [CoreModule], providers = [Cache])]
pub struct CachedModule;

#[tokio::test]
async fn a_bound_trait_object_is_the_providers_own_value() {
    let app = CoreModule::bootstrap().await.unwrap();
    let health = app.get::<Health>();
    assert_eq!(health.mailer.send("ada"), "ada via mail.example");
    let smtp = app.get::<Smtp>();
    // One value, two views: the binding is the provider's own `Arc`.
    assert!(std::ptr::addr_eq(
        Arc::as_ptr(&health.mailer),
        Arc::as_ptr(&smtp)
    ));
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_collection_holds_every_member_in_declaration_order() {
    let app = CoreModule::bootstrap().await.unwrap();
    let names: Vec<&str> = app
        .get::<Health>()
        .checks
        .iter()
        .map(|c| c.name())
        .collect();
    assert_eq!(names, ["smtp", "database"]);
    // Members are constructed before the provider that collects them.
    let log = app.get::<Log>();
    assert_eq!(*log.lines.lock().unwrap(), ["smtp", "database", "users"]);
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_optional_dependency_follows_the_graph() {
    let core = CoreModule::bootstrap().await.unwrap();
    assert!(core.get::<Users>().cache.is_none());
    core.shutdown().await.unwrap();

    // The same provider, in a graph that also provides `Cache`.
    let cached = CachedModule::bootstrap().await.unwrap();
    let users = cached.get::<Users>();
    let cache = users.cache.as_ref().expect("the graph provides `Cache`");
    assert!(Arc::ptr_eq(cache, &cached.get::<Cache>()));
    cached.shutdown().await.unwrap();
}

/// A fn provider can provide a trait object directly.
#[provider]
pub fn console_mailer() -> Arc<dyn Mailer> {
    struct Console;
    impl Mailer for Console {
        fn send(&self, to: &str) -> String {
            format!("{to} on the console")
        }
    }
    Arc::new(Console)
}

#[provider]
pub struct Notifier {
    mailer: Arc<dyn Mailer>,
}

#[module(providers = [console_mailer, Notifier])]
pub struct ConsoleModule;

#[tokio::test]
async fn a_fn_provides_a_trait_object() {
    let app = ConsoleModule::bootstrap().await.unwrap();
    assert_eq!(app.get::<Notifier>().mailer.send("bo"), "bo on the console");
    assert_eq!(app.get::<dyn Mailer>().send("cy"), "cy on the console");
    app.shutdown().await.unwrap();
}

/// An empty collection is an empty `Vec`, not an error.
#[provider]
pub struct NoChecks {
    checks: Vec<Arc<dyn HealthCheck>>,
}

#[module(providers = [NoChecks])]
pub struct EmptyModule;

#[tokio::test]
async fn an_empty_collection_is_empty() {
    let app = EmptyModule::bootstrap().await.unwrap();
    assert!(app.get::<NoChecks>().checks.is_empty());
    app.shutdown().await.unwrap();
}

pub struct Queue;

#[provider(group(dyn HealthCheck))]
impl Queue {
    fn new() -> Self {
        Queue
    }
}

impl HealthCheck for Queue {
    fn name(&self) -> &'static str {
        "queue"
    }
}

/// `Health` is declared in `CoreModule`; in this graph its collection
/// also holds the importer's member, after the imported ones.
#[module(imports = [CoreModule], providers = [Queue])]
pub struct QueueModule;

#[tokio::test]
async fn a_collection_spans_the_whole_graph_it_is_bootstrapped_in() {
    let app = QueueModule::bootstrap().await.unwrap();
    let names: Vec<&str> = app
        .get::<Health>()
        .checks
        .iter()
        .map(|c| c.name())
        .collect();
    assert_eq!(names, ["smtp", "database", "queue"]);
    app.shutdown().await.unwrap();

    let core = CoreModule::bootstrap().await.unwrap();
    assert_eq!(core.get::<Health>().checks.len(), 2);
    core.shutdown().await.unwrap();
}

// A third-party type, provided without a newtype: by its path, and under a
// single-segment import with `foreign`.
use tokio::sync::Semaphore;

#[provider]
pub fn limits() -> tokio::sync::Barrier {
    tokio::sync::Barrier::new(1)
}

#[provider(foreign)]
pub fn permits() -> Semaphore {
    Semaphore::new(3)
}

#[provider]
pub struct Throttle {
    permits: Arc<Semaphore>,
    limits: Arc<tokio::sync::Barrier>,
}

#[module(providers = [limits, permits, Throttle])]
pub struct ThrottleModule;

#[tokio::test]
async fn third_party_types_are_provided_and_injected_without_a_newtype() {
    let app = ThrottleModule::builder()
        .replace_from::<limits>(Arc::new(tokio::sync::Barrier::new(1)))
        .bootstrap()
        .await
        .unwrap();
    let throttle = app.get::<Throttle>();
    assert_eq!(throttle.permits.available_permits(), 3);
    assert!(Arc::ptr_eq(&throttle.permits, &app.get_from::<permits>()));
    assert!(throttle.limits.wait().await.is_leader());
    app.shutdown().await.unwrap();
}
