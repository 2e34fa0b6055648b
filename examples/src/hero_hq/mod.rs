//! Hero HQ: an HTTP service on an embedded SQLite database, built from
//! six modules and a root, one file each.
//!
//! ```text
//! HeroHq
//! ├── DispatchModule        Dispatch     (needs Roster, MissionLog)
//! │   ├── IdentityModule    Roster       (needs Database)
//! │   └── MissionControlModule
//! │                         MissionLog   (needs Database, PowerGrid)
//! ├── OperationsModule      PowerGrid    (needs HqSettings)
//! └── DatabaseModule        Database     (needs HqSettings), imported by the modules above
//!     └── ConfigModule      HqSettings
//! ```
//!
//! The life of the process, [`serve`]:
//!
//! 1. bind the port and serve at once: `GET /status/` answers `503` while HQ
//!    starts;
//! 2. bootstrap: open the database and create its tables, warm up the
//!    power grid (every `post_construct`, in dependency order);
//! 3. `GET /status/` answers `200 {"hq":"online","grid":true}`;
//! 4. on SIGTERM or SIGINT: readiness goes false, the server stops
//!    accepting and finishes the requests in flight, the `on_shutdown` hook
//!    recalls the heroes and logs "HQ going dark", then every
//!    `pre_destruct` runs in reverse dependency order;
//! 5. exit 0.

pub mod api;
pub mod config;
pub mod db;
pub mod dispatch;
pub mod identity;
pub mod mission_control;
pub mod operations;

use axum::Router;
use lifecycle_runtime::{App, Builder, HookOptions, module};
use tokio::net::TcpListener;

pub use api::Hq;
pub use config::HqSettings;

use dispatch::{Dispatch, DispatchModule};
use identity::IdentityModule;
use mission_control::MissionControlModule;
use operations::OperationsModule;

/// All of Hero HQ, assembled.
#[module(imports = [DispatchModule, IdentityModule, MissionControlModule, OperationsModule])]
#[derive(Debug)]
pub struct HeroHq;

/// Every route of every module, sharing one [`Hq`] state.
pub fn router(hq: Hq) -> Router {
    Router::new()
        .merge(operations::routes())
        .merge(identity::routes())
        .merge(mission_control::routes())
        .merge(dispatch::routes())
        .with_state(hq)
}

/// The app with its app-level hooks: what `serve` bootstraps, and what
/// tests bootstrap in-process.
pub fn builder() -> Builder<HeroHq> {
    HeroHq::builder().on_shutdown_with(HookOptions::named("hq going dark"), |app: App<HeroHq>| {
        app.get::<Dispatch>().recall_everyone();
        tracing::info!("HQ going dark — good night");
    })
}

/// Run Hero HQ on `listener` until SIGINT/SIGTERM; returns the exit code.
pub async fn serve(listener: TcpListener) -> Result<i32, lifecycle_runtime::Error> {
    let builder = builder();
    // The server runs as tracked work of the app: shutdown waits for it to
    // finish its in-flight requests before any shutdown hook runs.
    let handle = builder.shutdown_handle();
    let hq = Hq::default();
    let server =
        axum::serve(listener, router(hq.clone())).with_graceful_shutdown(handle.draining());
    handle.spawn(async move {
        match server.await {
            Ok(()) => {
                tracing::info!("server stopped: no longer accepting, in-flight requests done")
            }
            Err(e) => tracing::error!("server failed: {e}"),
        }
    });

    let app = builder.bootstrap().await?;
    hq.set(app.clone());
    tracing::info!("{}", app.startup_report());
    app.run_until_signal().await?;
    Ok(app.exit_code())
}
