//! Every provider form and constructor shape, end to end.

#![allow(missing_debug_implementations, clippy::new_without_default)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lifecycle_runtime::{Phase, module, provider};

#[derive(Debug)]
pub struct Settings {
    pub name: &'static str,
}

#[provider]
impl Settings {
    // Sync, infallible, returns `Settings` by name.
    pub fn new() -> Settings {
        Settings { name: "hq" }
    }
}

#[derive(Debug)]
pub struct Model {
    pub weights: Vec<u8>,
    pub thread: String,
}

#[provider]
impl Model {
    // Blocking: runs on a thread of its own, never on the executor.
    #[constructor(blocking, timeout = "5s")]
    pub fn load(settings: &Settings) -> Result<Self, std::io::Error> {
        let thread = std::thread::current().name().unwrap_or_default().to_owned();
        Ok(Model {
            weights: settings.name.bytes().collect(),
            thread,
        })
    }
}

#[derive(Debug)]
pub struct Shared(pub usize);

// A fn may return `Arc<T>` itself: no second `Arc`.
#[provider]
pub fn shared(settings: Arc<Settings>) -> Arc<Shared> {
    Arc::new(Shared(settings.name.len()))
}

// An async fn returning a foreign type, fallible with a string error.
#[provider]
pub async fn greeting(settings: &Settings, shared: &Shared) -> Result<String, String> {
    Ok(format!("{} {}", settings.name, shared.0))
}

#[derive(Debug)]
pub struct Tuple(pub Arc<Settings>, pub Arc<Model>);

#[provider]
impl Tuple {
    pub fn new(settings: Arc<Settings>, model: Arc<Model>) -> Arc<Self> {
        Arc::new(Tuple(settings, model))
    }
}

#[provider]
#[derive(Debug)]
pub struct Unit;

#[module(providers = [Settings, Model, shared, greeting, Tuple, Unit])]
pub struct FormsModule;

#[tokio::test]
async fn every_form_constructs() {
    let app = FormsModule::bootstrap().await.unwrap();
    let model = app.get::<Model>();
    assert_eq!(model.weights, b"hq");
    assert!(
        model.thread.starts_with("lifecycle-"),
        "blocking constructor ran on {:?}",
        model.thread
    );
    assert_eq!(app.get::<Shared>().0, 2);
    assert_eq!(*app.get_from::<greeting>(), "hq 2");
    assert!(Arc::ptr_eq(&app.get::<Tuple>().1, &model));
    let _unit: Arc<Unit> = app.get::<Unit>();
    app.shutdown().await.unwrap();
}

static BUILT: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug)]
pub struct Flaky;

#[provider]
impl Flaky {
    pub fn new() -> Result<Self, std::io::Error> {
        BUILT.fetch_add(1, Ordering::SeqCst);
        Err(std::io::Error::other("disk on fire"))
    }
}

#[module(providers = [Settings, Flaky])]
pub struct FlakyModule;

#[tokio::test]
async fn a_failing_constructor_is_named_in_the_error() {
    let err = FlakyModule::bootstrap().await.unwrap_err();
    let failure = err.failures().next().unwrap();
    assert_eq!(failure.provider, "Flaky");
    assert_eq!(failure.phase, Phase::Construct);
    assert!(err.to_string().contains("disk on fire"), "{err}");
    assert_eq!(BUILT.load(Ordering::SeqCst), 1);
}
