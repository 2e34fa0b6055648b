//! `crate = "path"`: the runtime under another name, as a renamed
//! dependency or a framework's re-export would put it. Every form of
//! provider the macro writes in short (plain struct, `impl` with a
//! fallible constructor and a hook, fn with a trait binding, input) and a
//! module importing another, end to end.

#![allow(missing_debug_implementations, clippy::new_without_default)]

extern crate lifecycle_runtime as lc;

use std::sync::Arc;

use lc::{module, provider};

/// A framework that re-exports the runtime.
mod framework {
    pub use lifecycle_runtime as di;
}

#[provider(crate = "lc", input)]
pub struct Args {
    pub port: u16,
}

#[provider(crate = "lc")]
pub struct Config {
    pub args: Arc<Args>,
}

pub trait Greeter: Send + Sync {
    fn greet(&self) -> String;
}

pub struct Console;

impl Greeter for Console {
    fn greet(&self) -> String {
        "hello".to_owned()
    }
}

#[provider(crate = "crate::framework::di", bind(dyn Greeter))]
pub fn console(config: Arc<Config>) -> Console {
    assert_eq!(config.args.port, 7);
    Console
}

pub struct Server {
    pub greeter: Arc<dyn Greeter>,
    pub started: std::sync::atomic::AtomicBool,
}

#[provider(crate = "crate::framework::di")]
impl Server {
    pub fn new(greeter: Arc<dyn Greeter>) -> Result<Self, std::io::Error> {
        Ok(Server {
            greeter,
            started: Default::default(),
        })
    }

    #[post_construct]
    fn start(&self) {
        self.started
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[module(crate = "lc", providers = [Args, Config, console])]
pub struct CoreModule;

#[module(crate = "crate::framework::di", imports = [CoreModule], providers = [Server])]
pub struct AppModule;

#[tokio::test]
async fn a_renamed_runtime_wires_and_runs_every_form() {
    let app = AppModule::builder()
        .input(Args { port: 7 })
        .bootstrap()
        .await
        .unwrap();
    let server = app.get::<Server>();
    assert_eq!(server.greeter.greet(), "hello");
    assert!(server.started.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(app.get::<Config>().args.port, 7);
    app.shutdown().await.unwrap();
}
