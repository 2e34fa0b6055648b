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

// More dependencies than a provider's `Deps` list holds (32): the rest
// are declared and checked one impl each.
macro_rules! numbered {
    ($($name:ident = $value:literal),*) => {
        $(
            #[derive(Debug)]
            pub struct $name(pub usize);

            #[provider]
            impl $name {
                pub fn new() -> Self {
                    $name($value)
                }
            }
        )*
    };
}

numbered!(
    W0 = 0,
    W1 = 1,
    W2 = 2,
    W3 = 3,
    W4 = 4,
    W5 = 5,
    W6 = 6,
    W7 = 7,
    W8 = 8,
    W9 = 9,
    W10 = 10,
    W11 = 11,
    W12 = 12,
    W13 = 13,
    W14 = 14,
    W15 = 15,
    W16 = 16,
    W17 = 17,
    W18 = 18,
    W19 = 19,
    W20 = 20,
    W21 = 21,
    W22 = 22,
    W23 = 23,
    W24 = 24,
    W25 = 25,
    W26 = 26,
    W27 = 27,
    W28 = 28,
    W29 = 29,
    W30 = 30,
    W31 = 31,
    W32 = 32,
    W33 = 33
);

#[provider]
pub struct Wide {
    pub w0: Arc<W0>,
    pub w1: Arc<W1>,
    pub w2: Arc<W2>,
    pub w3: Arc<W3>,
    pub w4: Arc<W4>,
    pub w5: Arc<W5>,
    pub w6: Arc<W6>,
    pub w7: Arc<W7>,
    pub w8: Arc<W8>,
    pub w9: Arc<W9>,
    pub w10: Arc<W10>,
    pub w11: Arc<W11>,
    pub w12: Arc<W12>,
    pub w13: Arc<W13>,
    pub w14: Arc<W14>,
    pub w15: Arc<W15>,
    pub w16: Arc<W16>,
    pub w17: Arc<W17>,
    pub w18: Arc<W18>,
    pub w19: Arc<W19>,
    pub w20: Arc<W20>,
    pub w21: Arc<W21>,
    pub w22: Arc<W22>,
    pub w23: Arc<W23>,
    pub w24: Arc<W24>,
    pub w25: Arc<W25>,
    pub w26: Arc<W26>,
    pub w27: Arc<W27>,
    pub w28: Arc<W28>,
    pub w29: Arc<W29>,
    pub w30: Arc<W30>,
    pub w31: Arc<W31>,
    pub w32: Arc<W32>,
    pub w33: Arc<W33>,
}

#[module(providers = [W0, W1, W2, W3, W4, W5, W6, W7, W8, W9, W10, W11, W12, W13, W14, W15, W16, W17, W18, W19, W20, W21, W22, W23, W24, W25, W26, W27, W28, W29, W30, W31, W32, W33, Wide])]
pub struct WideModule;

#[tokio::test]
async fn a_provider_may_take_more_dependencies_than_its_list_holds() {
    let app = WideModule::bootstrap().await.unwrap();
    let wide = app.get::<Wide>();
    assert_eq!(
        (wide.w0.0, wide.w31.0, wide.w32.0, wide.w33.0),
        (0, 31, 32, 33)
    );
    assert!(Arc::ptr_eq(&wide.w33, &app.get::<W33>()));
    app.shutdown().await.unwrap();
}

/// Depends on providers of `WideModule` past its first sixteen, which
/// an importer names through the second and third of its chunks of
/// sixteen (the third filled up past `Wide`).
#[provider]
pub struct OverWide {
    pub w17: Arc<W17>,
    pub w33: Arc<W33>,
    pub wide: Arc<Wide>,
}

#[module(imports = [WideModule], providers = [OverWide])]
pub struct OverWideModule;

#[tokio::test]
async fn an_importer_reaches_providers_past_the_first_sixteen() {
    let app = OverWideModule::bootstrap().await.unwrap();
    let over = app.get::<OverWide>();
    assert_eq!((over.w17.0, over.w33.0), (17, 33));
    assert!(Arc::ptr_eq(&over.w17, &app.get::<W17>()));
    assert!(Arc::ptr_eq(&over.wide, &app.get::<Wide>()));
    assert!(Arc::ptr_eq(&over.wide.w33, &over.w33));
    app.shutdown().await.unwrap();
}
