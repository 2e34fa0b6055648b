//! A bootstrapped graph constructs, starts and tears down in the exact
//! fixed order.

#![allow(missing_debug_implementations, clippy::new_without_default)]

use std::sync::{Arc, Mutex};

use lifecycle_runtime::{module, provider};

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn log(line: impl Into<String>) {
    LOG.lock().unwrap().push(line.into());
}

pub struct Config {
    pub url: String,
}

#[provider]
impl Config {
    pub fn new() -> Self {
        log("construct Config");
        Config {
            url: "sqlite::memory:".into(),
        }
    }

    #[pre_destruct]
    fn bye(&self) {
        log("pre_destruct Config");
    }
}

pub struct Database {
    cfg: Arc<Config>,
}

#[provider]
impl Database {
    pub async fn new(cfg: Arc<Config>) -> Result<Self, std::io::Error> {
        log("construct Database");
        Ok(Database { cfg })
    }

    #[post_construct(timeout = "2s")]
    async fn warm_up(&self) -> Result<(), std::io::Error> {
        log(format!("post_construct Database {}", self.cfg.url));
        Ok(())
    }

    #[pre_destruct(timeout = "5s")]
    fn close(&self) {
        log("pre_destruct Database");
    }
}

pub struct Cache;

#[provider]
pub async fn cache(cfg: &Config) -> Result<Cache, std::io::Error> {
    log(format!("construct Cache {}", cfg.url.len()));
    Ok(Cache)
}

pub trait Mailer: Send + Sync {
    fn send(&self) -> &'static str;
}

struct Smtp;
impl Mailer for Smtp {
    fn send(&self) -> &'static str {
        "sent"
    }
}

#[provider]
pub fn mailer() -> Arc<dyn Mailer> {
    log("construct dyn Mailer");
    Arc::new(Smtp)
}

#[provider]
pub struct UserService {
    db: Arc<Database>,
    cfg: Arc<Config>,
    mailer: Arc<dyn Mailer>,
}

#[module(providers = [Config, Database])]
pub struct DbModule;

#[module(imports = [DbModule], providers = [UserService, cache, mailer])]
pub struct AppModule;

// Declaration order is imports first (Config, Database), then own providers
// as listed (UserService, cache, mailer); UserService waits for mailer.
#[tokio::test]
async fn bootstrap_and_shutdown_run_in_fixed_and_reverse_order() {
    LOG.lock().unwrap().clear();
    let app = AppModule::bootstrap().await.unwrap();
    assert!(app.is_ready());
    let users = app.get::<UserService>();
    assert_eq!(users.mailer.send(), "sent");
    assert!(Arc::ptr_eq(&users.cfg, &app.get::<Config>()));
    assert!(Arc::ptr_eq(&users.db, &app.get::<Database>()));
    let _cache: Arc<Cache> = app.get::<Cache>();
    let _mailer: Arc<dyn Mailer> = app.get::<dyn Mailer>();
    app.shutdown().await.unwrap();
    assert!(!app.is_ready());
    app.shutdown().await.unwrap();
    assert_eq!(
        *LOG.lock().unwrap(),
        [
            "construct Config",
            "construct Database",
            "post_construct Database sqlite::memory:",
            "construct Cache 15",
            "construct dyn Mailer",
            "pre_destruct Database",
            "pre_destruct Config",
        ]
    );
}
