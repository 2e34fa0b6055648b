//! Compile-time dependency injection with a production-grade lifecycle.
//!
//! Annotate your types with [`#[provider]`](provider), group them with
//! [`#[module]`](module), and call the generated `bootstrap`. The whole
//! dependency graph is checked when your crate compiles: a cycle, a missing
//! provider or two providers of one type is a compile error that points at
//! the field or parameter at fault. At run time the generated plan
//! constructs every provider in a fixed topological order, runs the
//! `#[post_construct]` hooks, and on shutdown runs the `#[pre_destruct]`
//! hooks in exactly the reverse order.
//!
//! ```
//! use std::sync::Arc;
//! use lifecycle_runtime::{module, provider};
//!
//! pub struct Config { pub url: String }
//!
//! #[provider]
//! impl Config {
//!     pub fn new() -> Self { Config { url: "sqlite::memory:".into() } }
//! }
//!
//! pub struct Database { cfg: Arc<Config> }
//!
//! #[provider]
//! impl Database {
//!     pub async fn new(cfg: Arc<Config>) -> Result<Self, std::io::Error> {
//!         Ok(Database { cfg })
//!     }
//!
//!     #[post_construct(timeout = "2s")]
//!     async fn warm_up(&self) -> Result<(), std::io::Error> { Ok(()) }
//!
//!     #[pre_destruct(timeout = "5s")]
//!     fn close(&self) { /* sync hooks run on a thread of their own */ }
//! }
//!
//! #[provider]
//! pub struct UserService { db: Arc<Database>, cfg: Arc<Config> }
//!
//! #[module(providers = [Config, Database])]
//! pub struct DbModule;
//!
//! #[module(imports = [DbModule], providers = [UserService])]
//! pub struct AppModule;
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), lifecycle_runtime::Error> {
//!     let app = AppModule::bootstrap().await?;
//!     let users: Arc<UserService> = app.get::<UserService>();
//!     assert_eq!(users.cfg.url, "sqlite::memory:");
//!     app.shutdown().await // or `app.run_until_signal().await`
//! }
//! ```

mod app;
mod config;
mod control;
mod engine;
mod error;
mod hooks;
mod report;
mod signal;
mod wiring;

pub use app::{App, State};
pub use config::{Builder, DEFAULT_DRAIN_TIMEOUT, DEFAULT_HOOK_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT};
pub use control::{InFlight, ShutdownHandle};
pub use error::{Cause, Error, Failures, HookFailure, Phase};
pub use hooks::{Awaited, Blocking, HookOptions, HookReturn, Lifespan};
pub use lifecycle_macros::{constructor, module, post_construct, pre_destruct, provider};
pub use report::{ProviderTiming, StartupReport};

/// Everything generated code needs. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use crate::wiring::*;
    pub use lifecycle_macros::__module_chunk as module_chunk;
    pub use lifecycle_macros::__module_impl as module_impl;
    pub use std::sync::Arc;
}
