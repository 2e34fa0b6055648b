//! Independent slow providers started one by one, then concurrently.
//!
//! WebFluid gathers its startup hooks and runs them concurrently, and warns
//! not to rely on one finishing before another begins. `lifecycle` keeps
//! the ordering guarantee and still overlaps the waiting: with
//! `.concurrent(true)` every provider starts as soon as its own
//! dependencies started, so independent providers start together and
//! startup takes about as long as the slowest chain. A provider that
//! depends on others ([`Portal`]) still waits for them. Shutdown then
//! stops level by level in reverse.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lifecycle_runtime::{App, module, provider};

/// When each provider finished starting, in order.
pub static STARTED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn started(name: &'static str) {
    STARTED.lock().unwrap_or_else(|e| e.into_inner()).push(name);
}

/// The slow ones: each waits on I/O (here a timer) in its `post_construct`.
#[derive(Debug, Default)]
pub struct Scheduler;

#[provider]
impl Scheduler {
    pub fn new() -> Self {
        Scheduler
    }

    #[post_construct]
    async fn start(&self) {
        tokio::time::sleep(Duration::from_millis(300)).await;
        started("Scheduler");
    }
}

#[derive(Debug)]
pub struct ProxyClient;

#[provider]
impl ProxyClient {
    pub async fn new() -> Self {
        tokio::time::sleep(Duration::from_millis(200)).await;
        ProxyClient
    }

    #[post_construct]
    async fn ready(&self) {
        started("ProxyClient");
    }
}

#[derive(Debug, Default)]
pub struct Tables;

#[provider]
impl Tables {
    pub fn new() -> Self {
        Tables
    }

    #[post_construct]
    async fn create(&self) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        started("Tables");
    }
}

/// Depends on all three: starts only after every one of them.
#[derive(Debug)]
pub struct Portal {
    _scheduler: Arc<Scheduler>,
    _proxy: Arc<ProxyClient>,
    _tables: Arc<Tables>,
}

#[provider]
impl Portal {
    pub fn new(scheduler: Arc<Scheduler>, proxy: Arc<ProxyClient>, tables: Arc<Tables>) -> Self {
        started("Portal");
        Portal {
            _scheduler: scheduler,
            _proxy: proxy,
            _tables: tables,
        }
    }
}

#[module(providers = [Scheduler, ProxyClient, Tables, Portal])]
#[derive(Debug)]
pub struct PortalModule;

/// Bootstrap, one provider at a time or concurrently; the app and the
/// order in which the providers finished starting.
pub async fn boot(
    concurrent: bool,
) -> Result<(App<PortalModule>, Vec<&'static str>), lifecycle_runtime::Error> {
    STARTED.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let app = PortalModule::builder()
        .concurrent(concurrent)
        .bootstrap()
        .await?;
    let order = std::mem::take(&mut *STARTED.lock().unwrap_or_else(|e| e.into_inner()));
    Ok((app, order))
}
