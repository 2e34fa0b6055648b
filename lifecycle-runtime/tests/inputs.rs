//! Inputs supplied at bootstrap and replacements for tests, through real
//! `#[provider]` / `#[module]` items.

#![allow(missing_debug_implementations)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use lifecycle_runtime::{module, provider};

/// Parsed command-line arguments: `main` has them before bootstrap.
#[provider(input)]
pub struct Args {
    pub port: u16,
    pub verbose: bool,
}

#[provider(input)]
pub struct Secrets {
    pub token: String,
}

pub struct Server {
    pub addr: String,
}

#[provider]
impl Server {
    fn new(args: &Args, secrets: &Secrets) -> Self {
        Server {
            addr: format!("0.0.0.0:{} ({})", args.port, secrets.token.len()),
        }
    }
}

#[module(providers = [Args, Secrets, Server])]
pub struct ServerModule;

/// Inputs of an imported module are inputs of the importer too.
#[provider]
pub struct Api {
    server: Arc<Server>,
}

#[module(imports = [ServerModule], providers = [Api])]
pub struct ApiModule;

#[tokio::test]
async fn inputs_reach_their_dependents_in_any_order() {
    let app = ServerModule::builder()
        .input(Secrets {
            token: "abc".into(),
        })
        .input(Args {
            port: 8080,
            verbose: true,
        })
        .bootstrap()
        .await
        .unwrap();
    assert_eq!(app.get::<Server>().addr, "0.0.0.0:8080 (3)");
    assert!(app.get::<Args>().verbose);
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_importer_takes_its_imports_inputs() {
    let app = ApiModule::builder()
        .input(Args {
            port: 1,
            verbose: false,
        })
        .input(Secrets { token: "t".into() })
        .bootstrap()
        .await
        .unwrap();
    assert_eq!(app.get::<Api>().server.addr, "0.0.0.0:1 (1)");
    app.shutdown().await.unwrap();
}

static BUILT: AtomicUsize = AtomicUsize::new(0);
static HOOKS: AtomicUsize = AtomicUsize::new(0);

pub trait Clock: Send + Sync {
    fn now(&self) -> u64;
}

#[provider]
pub fn system_clock() -> Arc<dyn Clock> {
    struct System;
    impl Clock for System {
        fn now(&self) -> u64 {
            1_700_000_000
        }
    }
    Arc::new(System)
}

pub struct Repo {
    pub name: &'static str,
}

#[provider]
impl Repo {
    fn new() -> Self {
        BUILT.fetch_add(1, Ordering::SeqCst);
        Repo { name: "real" }
    }

    #[post_construct]
    fn connect(&self) {
        HOOKS.fetch_add(1, Ordering::SeqCst);
    }

    #[pre_destruct]
    fn disconnect(&self) {
        HOOKS.fetch_add(1, Ordering::SeqCst);
    }
}

pub struct Service {
    pub repo: Arc<Repo>,
    pub clock: Arc<dyn Clock>,
}

#[provider]
impl Service {
    fn new(repo: Arc<Repo>, clock: Arc<dyn Clock>) -> Self {
        Service { repo, clock }
    }
}

#[module(providers = [system_clock, Repo, Service])]
pub struct ServiceModule;

struct FrozenClock;

impl Clock for FrozenClock {
    fn now(&self) -> u64 {
        42
    }
}

#[tokio::test]
async fn a_replaced_provider_is_not_built_and_its_hooks_do_not_run() {
    let fake = Arc::new(Repo { name: "fake" });
    let app = ServiceModule::builder()
        .replace(fake.clone())
        .replace::<dyn Clock>(Arc::new(FrozenClock))
        .bootstrap()
        .await
        .unwrap();
    let service = app.get::<Service>();
    assert!(Arc::ptr_eq(&service.repo, &fake));
    assert_eq!(service.clock.now(), 42);
    app.shutdown().await.unwrap();
    assert_eq!(BUILT.load(Ordering::SeqCst), 0);
    assert_eq!(HOOKS.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_last_replacement_wins() {
    let app = ServiceModule::builder()
        .replace(Arc::new(Repo { name: "first" }))
        .replace(Arc::new(Repo { name: "second" }))
        .replace_from::<system_clock>(Arc::new(FrozenClock))
        .concurrent(true)
        .bootstrap()
        .await
        .unwrap();
    assert_eq!(app.get::<Service>().repo.name, "second");
    assert_eq!(app.get::<Service>().clock.now(), 42);
    app.shutdown().await.unwrap();
}
