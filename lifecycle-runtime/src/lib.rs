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
pub use config::{
    Bootstrap, Builder, DEFAULT_DRAIN_TIMEOUT, DEFAULT_HOOK_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT,
};
pub use control::{InFlight, ShutdownHandle};
pub use error::{Cause, Error, Failures, HookFailure, Phase};
pub use hooks::{Awaited, Blocking, HookOptions, HookReturn, Lifespan};
pub use report::{ProviderTiming, StartupReport};

/// Marks a provider: a struct, an `impl` block, or a fn.
///
/// | form | provides | dependencies | constructor |
/// |---|---|---|---|
/// | `#[provider] struct S { a: Arc<A> }` | `S` | every field, each `Arc<T>` | the struct literal |
/// | `#[provider] impl S { fn new(..) }` | `S` | the constructor's parameters, `Arc<T>` or `&T` | `new`, or the fn marked `#[constructor]` |
/// | `#[provider] fn f(..) -> T` | `T` (or `dyn Trait` for `Arc<dyn Trait>`) | the fn's parameters, `Arc<T>` or `&T` | the fn |
///
/// Constructors may be `async`, and may return the value or
/// `Result<value, E>` with `E: Into<Box<dyn Error + Send + Sync>>`.
/// Dependencies are matched by their type's name (`Config`, `dyn Mailer`)
/// inside the module graph, and rustc checks every generated call.
///
/// Options, `#[provider(option, ..)]`:
///
/// | option | meaning |
/// |---|---|
/// | `timeout = "5s"` | the constructor's timeout (`ms`, `s`, `m`, `h`; checked at compile time) |
/// | `blocking` | a sync constructor that may block: it runs on a thread of its own |
/// | `foreign` | a fn provider's type comes from another crate under a single-segment name (`use reqwest::Client; fn c() -> Client`) |
/// | `crate = "path"` | where `lifecycle_runtime` is, if renamed |
///
/// Inside a `#[provider] impl`, methods may carry [`#[post_construct]`](post_construct)
/// and [`#[pre_destruct]`](pre_destruct), and one associated fn may carry
/// `#[constructor(blocking, timeout = "…")]`.
///
/// ```
/// use std::sync::Arc;
/// use lifecycle_runtime::{module, provider};
///
/// pub struct Config { pub url: String }
///
/// #[provider]
/// impl Config {
///     pub fn new() -> Self { Config { url: "sqlite::memory:".into() } }
/// }
///
/// #[provider]                                  // struct form
/// pub struct Repo { config: Arc<Config> }
///
/// pub trait Mailer: Send + Sync { fn send(&self, to: &str) -> String; }
/// struct Smtp;
/// impl Mailer for Smtp { fn send(&self, to: &str) -> String { format!("mail to {to}") } }
///
/// #[provider]                                  // fn form: provides `dyn Mailer`
/// pub fn mailer(_config: &Config) -> Arc<dyn Mailer> { Arc::new(Smtp) }
///
/// #[module(providers = [Config, Repo, mailer])]
/// pub struct AppModule;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let app = AppModule::bootstrap().await.unwrap();
/// assert_eq!(app.get::<dyn Mailer>().send("hq"), "mail to hq");
/// assert_eq!(app.get::<Repo>().config.url, "sqlite::memory:");
/// # app.shutdown().await.unwrap(); }
/// ```
///
/// What it replaces, by hand, in the order the plan fixes:
///
/// ```
/// # use std::sync::Arc;
/// # pub struct Config { pub url: String }
/// # pub struct Repo { config: Arc<Config> }
/// let config = Arc::new(Config { url: "sqlite::memory:".into() });
/// let repo = Arc::new(Repo { config: config.clone() });
/// // … and on shutdown, every `pre_destruct` in reverse order.
/// # let _ = repo;
/// ```
pub use lifecycle_macros::provider;

/// Declares a module: the providers it lists and the modules it imports.
///
/// `#[module(imports = [..], providers = [..])]` goes on a unit struct.
/// Paths may be relative or absolute and may name items in other files
/// and other crates; a module imported through two paths counts once.
///
/// The module's whole graph — its providers and everything its imports
/// provide — is checked where the module is written: a dependency nothing
/// provides, a cycle, or two providers of one type is a compile error in
/// that crate, pointing at the field or parameter at fault. Each module
/// then gets:
///
/// | generated | |
/// |---|---|
/// | `M::bootstrap().await` | `Result<App<M>, Error>`: construct and start the graph |
/// | `M::builder()` | a [`Builder`] to set timeouts first |
///
/// | option | meaning |
/// |---|---|
/// | `imports = [A, b::B]` | modules whose providers this module's providers may use |
/// | `providers = [C, d::D, f]` | provider types and provider fns |
/// | `crate = "path"` | where `lifecycle_runtime` is, if renamed |
///
/// ```
/// use std::sync::Arc;
/// use lifecycle_runtime::{module, provider};
///
/// #[provider] pub struct Config;
/// #[provider] pub struct Pool { config: Arc<Config> }
/// #[provider] pub struct Users { pool: Arc<Pool> }
///
/// #[module(providers = [Config, Pool])]
/// pub struct DbModule;
///
/// #[module(imports = [DbModule], providers = [Users])]
/// pub struct AppModule;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let app = AppModule::bootstrap().await.unwrap();
/// let users: Arc<Users> = app.get::<Users>();
/// # let _ = users; app.shutdown().await.unwrap(); }
/// ```
///
/// Asking a module for a type its graph does not provide does not compile:
///
/// ```compile_fail
/// # use lifecycle_runtime::{module, provider};
/// #[provider] pub struct Config;
/// #[provider] pub struct Other;
/// #[module(providers = [Config])] pub struct AppModule;
/// # async fn run() {
/// let app = AppModule::bootstrap().await.unwrap();
/// app.get::<Other>(); // error: `Other` is not provided by module `AppModule`
/// # }
/// ```
pub use lifecycle_macros::module;

/// Marks the method of a `#[provider] impl` that runs once after the value
/// is constructed, before anything that depends on it starts.
///
/// The method takes `&self`, may be `async`, and returns `()` or
/// `Result<(), E>`. A sync hook runs on a thread of its own. Option:
/// `timeout = "2s"`. If it fails, startup rolls back: every provider that
/// already started is torn down in reverse order, and this one is dropped.
///
/// ```
/// use lifecycle_runtime::{module, provider};
///
/// pub struct Grid;
///
/// #[provider]
/// impl Grid {
///     pub fn new() -> Self { Grid }
///
///     #[post_construct(timeout = "2s")]
///     async fn warm_up(&self) -> Result<(), std::io::Error> { Ok(()) }
/// }
/// # #[module(providers = [Grid])] pub struct AppModule;
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// # let app = AppModule::bootstrap().await.unwrap(); assert!(app.is_ready()); app.shutdown().await.unwrap(); }
/// ```
pub use lifecycle_macros::post_construct;

/// Marks the method of a `#[provider] impl` that runs once during
/// shutdown, before the `pre_destruct` of anything it depends on.
///
/// Same shape and options as [`#[post_construct]`](post_construct).
/// Teardown is best effort: a failing, panicking or timed-out hook is
/// reported and the others still run.
///
/// ```
/// use lifecycle_runtime::{module, provider};
///
/// pub struct Grid;
///
/// #[provider]
/// impl Grid {
///     pub fn new() -> Self { Grid }
///
///     #[pre_destruct(timeout = "5s")]
///     fn power_down(&self) { /* runs on its own thread */ }
/// }
/// # #[module(providers = [Grid])] pub struct AppModule;
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// # let app = AppModule::bootstrap().await.unwrap(); app.shutdown().await.unwrap(); }
/// ```
pub use lifecycle_macros::pre_destruct;

/// Marks the associated fn of a `#[provider] impl` that constructs the
/// value, when it is not called `new`. Options: `blocking`, `timeout = "…"`.
///
/// ```
/// use lifecycle_runtime::{module, provider};
///
/// pub struct Model { pub weights: Vec<f32> }
///
/// #[provider]
/// impl Model {
///     #[constructor(blocking, timeout = "30s")]
///     pub fn load() -> Self { Model { weights: vec![0.5; 4] } }
/// }
/// # #[module(providers = [Model])] pub struct AppModule;
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// # let app = AppModule::bootstrap().await.unwrap(); assert_eq!(app.get::<Model>().weights.len(), 4); app.shutdown().await.unwrap(); }
/// ```
pub use lifecycle_macros::constructor;

/// Everything generated code needs. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use crate::wiring::*;
    pub use lifecycle_macros::__module_chunk as module_chunk;
    pub use lifecycle_macros::__module_impl as module_impl;
    pub use std::sync::Arc;
}
