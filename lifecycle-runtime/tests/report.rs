//! The startup report: what each provider's time is, and which providers
//! are timed at all.

#![allow(missing_debug_implementations)]

use std::sync::Arc;
use std::time::Duration;

use lifecycle_runtime::{ProviderTiming, StartupReport, module, provider};

pub trait Greeter: Send + Sync {}

/// Sync constructor that takes real time.
pub struct Settings;

#[provider]
impl Settings {
    fn new() -> Self {
        std::thread::sleep(Duration::from_millis(3));
        Settings
    }
}

/// Built from its injected field: no code of the user runs.
#[provider]
pub struct Cache {
    pub settings: Arc<Settings>,
}

/// Async constructor, after a provider that is not timed.
pub struct Api;

#[provider(bind(dyn Greeter))]
impl Api {
    async fn new(_cache: &Cache) -> Self {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Api
    }
}

impl Greeter for Api {}

/// Async constructor and an async `post_construct`, timed apart.
pub struct Db;

#[provider]
impl Db {
    async fn new(_api: &Api) -> Self {
        tokio::time::sleep(Duration::from_millis(30)).await;
        Db
    }

    #[post_construct]
    async fn migrate(&self) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[module(providers = [Settings, Cache, Api, Db])]
pub struct AppModule;

fn timing<'a>(report: &'a StartupReport, name: &str) -> &'a ProviderTiming {
    report
        .providers()
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("`{name}` in {report}"))
}

#[tokio::test(start_paused = true)]
async fn each_provider_reports_its_own_constructor_and_post_construct_time() {
    let app = AppModule::bootstrap().await.unwrap();
    let report = app.startup_report();
    // Virtual time: exact.
    assert_eq!(timing(&report, "Api").construct, Duration::from_millis(20));
    assert_eq!(timing(&report, "Api").post_construct, None);
    assert_eq!(timing(&report, "Db").construct, Duration::from_millis(30));
    assert_eq!(
        timing(&report, "Db").post_construct,
        Some(Duration::from_millis(5))
    );
    // Slowest first.
    let order: Vec<&str> = report.providers().iter().map(|p| p.name).collect();
    assert_eq!(order[..2], ["Db", "Api"]);
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn providers_without_code_of_the_user_are_not_timed() {
    let app = AppModule::bootstrap().await.unwrap();
    let report = app.startup_report();
    assert_eq!(report.providers().len(), 5, "{report}");
    // Real time: a lower bound only.
    assert!(timing(&report, "Settings").construct >= Duration::from_millis(3));
    assert!(timing(&report, "Api").construct >= Duration::from_millis(20));
    // A struct built from its fields, and a binding: zero, not a clock
    // reading of the allocation.
    assert_eq!(timing(&report, "Cache").construct, Duration::ZERO);
    assert_eq!(timing(&report, "dyn Greeter").construct, Duration::ZERO);
    app.shutdown().await.unwrap();
}
