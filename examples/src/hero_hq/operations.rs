//! The power grid and the health check: the grid warms up at startup and
//! powers down at shutdown; `GET /status/` says whether HQ can take work.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use lifecycle_runtime::{App, module, provider};
use serde_json::{Value, json};

use super::HeroHq;
use super::api::Hq;
use super::config::{ConfigModule, HqSettings};

/// Captain Singleton's power grid: one per process, warmed up before
/// anything that needs power starts.
#[derive(Debug)]
pub struct PowerGrid {
    online: AtomicBool,
    warmup: Duration,
}

impl PowerGrid {
    /// `true` between warm-up and power-down.
    pub fn is_online(&self) -> bool {
        self.online.load(Ordering::SeqCst)
    }
}

#[provider]
impl PowerGrid {
    pub fn new(settings: &HqSettings) -> Self {
        PowerGrid {
            online: AtomicBool::new(false),
            warmup: settings.grid_warmup,
        }
    }

    /// Spin the generators up; startup waits for it.
    #[post_construct(timeout = "10s")]
    async fn warm_up(&self) {
        tracing::info!(warmup = ?self.warmup, "power grid warming up");
        tokio::time::sleep(self.warmup).await;
        self.online.store(true, Ordering::SeqCst);
        tracing::info!("power grid online");
    }

    /// Spin the generators down, within a bounded time.
    #[pre_destruct(timeout = "3s")]
    async fn power_down(&self) {
        self.online.store(false, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        tracing::info!("teardown: PowerGrid powered down");
    }
}

#[module(imports = [ConfigModule], providers = [PowerGrid])]
#[derive(Debug)]
pub struct OperationsModule;

/// The answer of `GET /status/` for an app in any state: `200` only while
/// the app is ready (every `post_construct` ran, shutdown not begun).
pub fn status_of(app: Option<&App<HeroHq>>) -> (StatusCode, Value) {
    let Some(app) = app else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "hq": "starting", "grid": false }),
        );
    };
    let grid = app.get::<PowerGrid>().is_online();
    if app.is_ready() {
        (StatusCode::OK, json!({ "hq": "online", "grid": grid }))
    } else {
        let state = format!("{:?}", app.state()).to_lowercase();
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "hq": state, "grid": grid }),
        )
    }
}

async fn status(State(hq): State<Hq>) -> (StatusCode, Json<Value>) {
    let (code, body) = status_of(hq.app());
    (code, Json(body))
}

pub fn routes() -> Router<Hq> {
    Router::new().route("/status/", get(status))
}
