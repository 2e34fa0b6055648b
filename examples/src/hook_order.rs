//! App-level hooks, the lifespan form, and the order they run in.
//!
//! MicroAPI prints `1. on_startup hook`, `2. Lifespan startup`, (the server
//! runs), `4. Lifespan shutdown`, `5. on_shutdown hook`. This is the same
//! program on `lifecycle`, with every stage the library has, numbered as
//! MicroAPI numbers its five (indented lines are the stages MicroAPI has
//! no name for):
//!
//! ```text
//! 1. on_startup hook (sync, init_db)           Builder::on_startup, registration order
//! 1. on_startup hook (async, init_cache)
//!    construct Database                        providers, dependency order
//!    post_construct Database
//! 2. lifespan startup                          Builder::lifespan, up to `running()`
//!    after_startup hook                        Builder::after_startup
//! 3. running (ready = true)
//!    on_shutdown hook                          Builder::on_shutdown: every provider still up
//! 4. lifespan shutdown                         after `running()`, reverse registration order
//!    pre_destruct Database                     reverse dependency order
//! 5. after_shutdown hook                       Builder::after_shutdown: last of all
//! ```
//!
//! MicroAPI's `on_shutdown` runs last; the same place here is
//! `after_shutdown`. `on_shutdown` here runs first in shutdown, while every
//! provider can still be used (to flush, to say goodbye).

use std::sync::{Arc, Mutex};

use lifecycle_runtime::{App, Builder, Lifespan, module, provider};

/// The printed lines, in order.
#[derive(Debug, Clone, Default)]
pub struct Trace(Arc<Mutex<Vec<String>>>);

impl Trace {
    pub fn line(&self, line: impl Into<String>) {
        let line = line.into();
        println!("{line}");
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(line);
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Providers cannot take a value from `main` (yet); the trace they write
/// to is process-wide.
pub static PROVIDER_TRACE: std::sync::OnceLock<Trace> = std::sync::OnceLock::new();

fn provider_line(line: &str) {
    if let Some(trace) = PROVIDER_TRACE.get() {
        trace.line(line);
    }
}

#[derive(Debug, Default)]
pub struct Database;

#[provider]
impl Database {
    pub fn new() -> Self {
        provider_line("   construct Database");
        Database
    }

    #[post_construct]
    async fn connect(&self) {
        provider_line("   post_construct Database");
    }

    #[pre_destruct]
    async fn close(&self) {
        provider_line("   pre_destruct Database");
    }
}

#[module(providers = [Database])]
#[derive(Debug)]
pub struct OrderModule;

/// The app with one hook of every kind, each writing to `trace`.
pub fn builder(trace: &Trace) -> Builder<OrderModule> {
    let _ = PROVIDER_TRACE.set(trace.clone());
    let (t1, t2, t3, t4, t5, t6) = (
        trace.clone(),
        trace.clone(),
        trace.clone(),
        trace.clone(),
        trace.clone(),
        trace.clone(),
    );
    OrderModule::builder()
        // A sync hook: runs on a thread of its own.
        .on_startup(move || t1.line("1. on_startup hook (sync, init_db)"))
        // An async hook: registration order is run order.
        .on_startup(move || async move { t2.line("1. on_startup hook (async, init_cache)") })
        // The lifespan: setup, `running().await`, teardown — Rust's
        // `@asynccontextmanager` with one `yield`.
        .lifespan(
            move |app: App<OrderModule>, lifespan: Lifespan| async move {
                let _db = app.get::<Database>(); // providers are up
                t3.line("2. lifespan startup");
                lifespan.running().await;
                t3.line("4. lifespan shutdown");
                Ok::<(), std::io::Error>(())
            },
        )
        .after_startup(move |_app: App<OrderModule>| t4.line("   after_startup hook"))
        .on_shutdown(move |_app: App<OrderModule>| t5.line("   on_shutdown hook"))
        .after_shutdown(move || async move { t6.line("5. after_shutdown hook") })
}
