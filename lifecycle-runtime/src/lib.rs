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
//!
//! # The lifecycle, step by step
//!
//! | step | runs | order | on failure |
//! |---|---|---|---|
//! | 1 | [`on_startup`](Builder::on_startup) hooks | registration order | `after_shutdown` hooks run, then `bootstrap` fails |
//! | 2 | each provider: constructor, then `#[post_construct]` | fixed topological order (or [concurrent](Builder::concurrent)) | rollback (below) |
//! | 3 | [lifespans](Builder::lifespan), up to [`Lifespan::running`] | registration order | rollback |
//! | 4 | [`after_startup`](Builder::after_startup) hooks, with the app | registration order | rollback |
//! | — | [`State::Running`]: [`App::is_ready`] is `true` | | |
//! | 5 | drain: wait for [in-flight work](App::in_flight), up to [`drain_timeout`](Builder::drain_timeout) | | reported, shutdown goes on |
//! | 6 | [`on_shutdown`](Builder::on_shutdown) hooks, with the app (every provider still up) | registration order | reported, shutdown goes on |
//! | 7 | lifespans after `running()` | reverse registration order | reported, shutdown goes on |
//! | 8 | `#[pre_destruct]` of every started provider | exact reverse of step 2 | reported, shutdown goes on |
//! | 9 | [`after_shutdown`](Builder::after_shutdown) hooks | registration order | reported |
//!
//! Steps 5–9 run once, on [`App::shutdown`] or [`App::run_until_signal`];
//! a rollback runs steps 7–9 for whatever had started (never step 6: the
//! app was never running). App hooks may be sync (then they run on a
//! thread of their own) or async, and return `()` or `Result<(), E>`:
//!
//! ```
//! # use std::sync::Arc;
//! # use lifecycle_runtime::{module, provider, App, Lifespan};
//! # pub struct Db;
//! # #[provider] impl Db { pub fn new() -> Self { Db } }
//! # #[module(providers = [Db])] pub struct AppModule;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
//! let app = AppModule::builder()
//!     .on_startup(|| println!("1. before any provider"))
//!     .lifespan(|app: App<AppModule>, lifespan: Lifespan| async move {
//!         let _db: Arc<Db> = app.get::<Db>();   // 3. providers are up
//!         lifespan.running().await;             // ... the app runs ...
//!         println!("7. lifespan teardown");
//!     })
//!     .after_startup(|app: App<AppModule>| async move {
//!         assert!(!app.is_ready());             // 4. not ready until this returns
//!         Ok::<(), std::io::Error>(())
//!     })
//!     .on_shutdown(|app: App<AppModule>| println!("6. still have {:?}", app.state()))
//!     .after_shutdown(|| println!("9. last"))
//!     .bootstrap()
//!     .await?;
//! assert!(app.is_ready());
//! app.shutdown().await
//! # }
//! ```
//!
//! # Rollback
//!
//! If a constructor, `post_construct`, lifespan setup or app hook fails,
//! panics or times out, the providers that had *started* (constructed, and
//! their `post_construct` succeeded) get their `pre_destruct` in reverse
//! order, each exactly once. A provider whose own `post_construct` failed is
//! dropped, not torn down. The error names the provider, the phase and the
//! cause, plus every teardown hook that failed during the rollback.
//!
//! ```
//! use std::sync::Arc;
//! use lifecycle_runtime::{module, provider, Error, Phase};
//!
//! pub struct Pool;
//! #[provider]
//! impl Pool {
//!     pub fn new() -> Self { Pool }
//!     #[pre_destruct]
//!     fn close(&self) { println!("pool closed"); }
//! }
//!
//! pub struct Cache { _pool: Arc<Pool> }
//! #[provider]
//! impl Cache {
//!     pub fn new(pool: Arc<Pool>) -> Self { Cache { _pool: pool } }
//!     #[post_construct]
//!     async fn warm(&self) -> Result<(), std::io::Error> {
//!         Err(std::io::Error::other("redis is down"))
//!     }
//!     #[pre_destruct]
//!     fn close(&self) { unreachable!("never started, never torn down"); }
//! }
//!
//! #[module(providers = [Pool, Cache])]
//! pub struct AppModule;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let error = AppModule::bootstrap().await.unwrap_err(); // prints "pool closed"
//! let Error::Startup { failure, rollback, .. } = &error else { unreachable!() };
//! assert_eq!((failure.provider, failure.phase), ("Cache", Phase::PostConstruct));
//! assert!(rollback.0.is_empty());
//! assert!(error.to_string().contains("`Cache` post_construct returned an error: redis is down"));
//! # }
//! ```
//!
//! # Timeouts
//!
//! Every constructor, hook, app hook and lifespan half runs under a
//! timeout: its own (`timeout = "2s"` on the attribute,
//! [`HookOptions::timeout`]), else the app's
//! [`hook_timeout`](Builder::hook_timeout), else
//! [`DEFAULT_HOOK_TIMEOUT`]. Shutdown (and a rollback) has one overall
//! deadline, [`shutdown_timeout`](Builder::shutdown_timeout), default
//! [`DEFAULT_SHUTDOWN_TIMEOUT`] (25 s, inside Kubernetes' 30 s grace
//! period): each hook's timeout is capped by what is left of it, and hooks
//! it leaves no time for are skipped and reported
//! ([`Cause::DeadlinePassed`]). A timed-out hook is abandoned and reported
//! with its name and how long it ran:
//!
//! ```
//! use lifecycle_runtime::{module, provider, Cause, Error};
//!
//! pub struct Search;
//! #[provider]
//! impl Search {
//!     pub fn new() -> Self { Search }
//!     #[post_construct(timeout = "50ms")]
//!     async fn build_index(&self) { std::future::pending::<()>().await }
//! }
//! #[module(providers = [Search])]
//! pub struct AppModule;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let error = AppModule::bootstrap().await.unwrap_err();
//! let Error::Startup { failure, .. } = &error else { unreachable!() };
//! assert!(matches!(failure.cause, Cause::TimedOut(t) if t.as_millis() == 50));
//! assert!(failure.elapsed.as_millis() >= 50);
//! # }
//! ```
//!
//! # Sync hooks never block the executor
//!
//! A sync `post_construct` / `pre_destruct` / app hook runs on a thread of
//! its own, named `lifecycle-<provider>-<phase>`. If it outlives its
//! timeout the thread is abandoned: it is detached, so it cannot keep the
//! process (or the tokio runtime's shutdown) waiting. Sync constructors run
//! inline, as they should be cheap; mark one that may block with
//! `#[provider(blocking)]` (or `#[constructor(blocking)]`) to run it on a
//! thread of its own under its timeout, too.
//!
//! ```
//! use lifecycle_runtime::{module, provider};
//!
//! pub struct Journal;
//! #[provider]
//! impl Journal {
//!     pub fn new() -> Self { Journal }
//!     #[pre_destruct]
//!     fn flush(&self) {
//!         let name = std::thread::current().name().map(str::to_owned);
//!         assert_eq!(name.as_deref(), Some("lifecycle-Journal-pre_destruct"));
//!     }
//! }
//! #[module(providers = [Journal])]
//! pub struct AppModule;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
//! AppModule::bootstrap().await?.shutdown().await
//! # }
//! ```
//!
//! On tokio's paused test clock, time does not advance on its own while a
//! sync hook runs (as with `spawn_blocking`); test a hanging sync hook on
//! the real clock.
//!
//! # Best-effort teardown
//!
//! A `pre_destruct` (or shutdown hook) that fails, panics or times out does
//! not stop the others; every failure is reported together, in the order
//! the hooks ran:
//!
//! ```
//! use std::sync::Arc;
//! use lifecycle_runtime::{module, provider};
//!
//! pub struct A;
//! #[provider]
//! impl A {
//!     pub fn new() -> Self { A }
//!     #[pre_destruct]
//!     fn stop(&self) -> Result<(), std::io::Error> { Err(std::io::Error::other("disk full")) }
//! }
//! pub struct B { _a: Arc<A> }
//! #[provider]
//! impl B {
//!     pub fn new(a: Arc<A>) -> Self { B { _a: a } }
//!     #[pre_destruct]
//!     async fn stop(&self) { panic!("bug") }
//! }
//! #[module(providers = [A, B])]
//! pub struct AppModule;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let app = AppModule::bootstrap().await.unwrap();
//! let error = app.shutdown().await.unwrap_err();
//! let failed: Vec<_> = error.failures().map(|f| f.provider).collect();
//! assert_eq!(failed, ["B", "A"]);
//! # }
//! ```
//!
//! # States, readiness and drain
//!
//! An app moves through [`State`]: `Starting → Running → Draining →
//! Stopping → Stopped` (or `Starting → Failed`). [`App::is_ready`] is true
//! only in `Running`; [`App::watch_state`] lets a health endpoint await
//! changes, and [`App::draining`] resolves when shutdown begins, for a
//! server's graceful shutdown. Work that shutdown must wait for holds an
//! [`App::in_flight`] guard or is started with [`App::spawn`]. Calling
//! [`App::shutdown`] twice is harmless.
//!
//! ```
//! # use lifecycle_runtime::{module, provider, State};
//! # #[provider] pub struct Config;
//! # #[module(providers = [Config])] pub struct AppModule;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
//! let app = AppModule::bootstrap().await?;
//! let server = {
//!     let stop = app.draining();
//!     let request = app.in_flight();
//!     tokio::spawn(async move {
//!         stop.await;     // stop accepting...
//!         drop(request);  // ...finish what is in flight
//!     })
//! };
//! app.shutdown().await?;  // waits for the request first
//! assert_eq!(app.state(), State::Stopped);
//! assert!(!app.is_ready());
//! app.shutdown().await?;  // harmless
//! # server.await.unwrap(); Ok(()) }
//! ```
//!
//! # Signals
//!
//! From the start of `bootstrap`, SIGINT and SIGTERM (Ctrl-C on Windows)
//! request a graceful shutdown (turn off with
//! [`handle_signals(false)`](Builder::handle_signals)): a signal that
//! arrives while startup is still running waits for the current provider
//! to finish, then startup rolls back cleanly and `bootstrap` fails with
//! [`Cause::Cancelled`] ([`Error::is_cancelled`]). Once running,
//! [`App::run_until_signal`] wakes up on the signal and shuts down:
//! readiness goes false, in-flight work drains, shutdown hooks and
//! `pre_destruct` run in reverse, and it returns `Ok`. A second signal
//! during shutdown exits the process at once with code 130.
//! [`App::shutdown_handle`] requests the same path from code, optionally
//! with an exit code for [`App::exit_code`]:
//!
//! ```no_run
//! # use lifecycle_runtime::{module, provider};
//! # #[provider] pub struct Config;
//! # #[module(providers = [Config])] pub struct AppModule;
//! #[tokio::main]
//! async fn main() -> Result<(), lifecycle_runtime::Error> {
//!     let app = match AppModule::bootstrap().await {
//!         Err(e) if e.is_cancelled() => return Ok(()), // signalled while starting
//!         other => other?,
//!     };
//!     let handle = app.shutdown_handle();            // e.g. for an admin endpoint
//!     # drop(handle);
//!     app.run_until_signal().await?;
//!     std::process::exit(app.exit_code())
//! }
//! ```
//!
//! # Concurrent startup
//!
//! [`Builder::concurrent`] starts every provider as soon as its
//! dependencies started, and stops them level by level in reverse, so that
//! startup takes about as long as the dependency graph's critical path.
//! Rollback guarantees hold as above; the default stays sequential and
//! deterministic.
//!
//! # Observability
//!
//! Every hook runs in a `tracing` span `lifecycle.hook` with fields
//! `provider` and `phase`; phase boundaries (`starting`, `ready`,
//! `draining`, `stopping`, `stopped`) log at `info`, failures at `warn`,
//! timeouts at `error`. [`App::startup_report`] tells how long each
//! provider took to start, slowest first, and prints as a table.
//!
//! # Inputs, trait objects, collections, optional dependencies
//!
//! | you write | what it means | checked at compile time |
//! |---|---|---|
//! | `#[provider(input)] struct Args { .. }` | a value `main` already has, supplied with [`Builder::input`]; a struct of your crate (put a framework's handle in a field of one) | forgetting one: `.bootstrap()` does not compile; `M::bootstrap()` neither |
//! | `#[provider] fn client() -> reqwest::Client` | a third-party type, no newtype needed | injection; [`App::get_from`] for the app (see limits below) |
//! | `#[provider] fn mailer() -> Arc<dyn Mailer>` | a trait object | injection of `Arc<dyn Mailer>` |
//! | `#[provider(bind(dyn Mailer))] impl Smtp` | `Smtp`, also injectable as `Arc<dyn Mailer>` (the same `Arc`) | `Smtp: Mailer`, reported at `bind(..)`; two bindings of one trait are duplicates |
//! | `#[provider(group(dyn HealthCheck))] impl Db` | a member of the collection `Vec<Arc<dyn HealthCheck>>` | `Db: HealthCheck` |
//! | a dependency `Vec<Arc<dyn HealthCheck>>` | every member in the graph, in declaration order (imports first, in import order, then the module's own, as listed); empty if none | element type; members come first in the start order |
//! | a dependency `Option<Arc<Cache>>` | `Some` exactly when the graph provides `Cache` | the type, when provided |
//!
//! Optional dependencies and collections are resolved in the graph being
//! bootstrapped: a provider of a module that `AppModule` imports sees the
//! members and the optional providers that `AppModule` adds.
//!
//! ```
//! use std::sync::Arc;
//! use lifecycle_runtime::{module, provider};
//!
//! #[provider(input)]
//! pub struct Args { pub verbose: bool }
//!
//! pub trait Mailer: Send + Sync { fn send(&self, to: &str) -> String; }
//! pub trait HealthCheck: Send + Sync { fn name(&self) -> &'static str; }
//!
//! pub struct Smtp;
//! #[provider(bind(dyn Mailer), group(dyn HealthCheck))]
//! impl Smtp { fn new(_args: &Args) -> Self { Smtp } }
//! impl Mailer for Smtp { fn send(&self, to: &str) -> String { format!("to {to}") } }
//! impl HealthCheck for Smtp { fn name(&self) -> &'static str { "smtp" } }
//!
//! pub struct Cache;
//!
//! #[provider]
//! pub struct Status {
//!     mailer: Arc<dyn Mailer>,
//!     checks: Vec<Arc<dyn HealthCheck>>,
//!     cache: Option<Arc<Cache>>,
//! }
//!
//! #[module(providers = [Args, Smtp, Status])]
//! pub struct AppModule;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
//! let app = AppModule::builder().input(Args { verbose: true }).bootstrap().await?;
//! let status = app.get::<Status>();
//! assert_eq!(status.mailer.send("hq"), "to hq");
//! assert_eq!(status.checks[0].name(), "smtp");
//! assert!(status.cache.is_none());
//! # app.shutdown().await }
//! ```
//!
//! # Replacing providers in tests
//!
//! [`Builder::replace`] puts a value — a fake, a mock, a fixture — in
//! place of any provider without editing a module; the provider is not
//! constructed and its hooks do not run, and its dependents receive the
//! value. Replacing a type the graph does not provide is a compile error.
//!
//! ```
//! # use std::sync::Arc;
//! # use lifecycle_runtime::{module, provider};
//! # pub trait Mailer: Send + Sync { fn send(&self, to: &str) -> String; }
//! # #[provider] pub fn mailer() -> Arc<dyn Mailer> { unimplemented!("talks to a real server") }
//! # #[provider] pub struct Signup { mailer: Arc<dyn Mailer> }
//! # #[module(providers = [mailer, Signup])] pub struct AppModule;
//! struct FakeMailer;
//! impl Mailer for FakeMailer { fn send(&self, to: &str) -> String { format!("fake {to}") } }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
//! let app = AppModule::builder()
//!     .replace::<dyn Mailer>(Arc::new(FakeMailer))
//!     .bootstrap()
//!     .await?;
//! assert_eq!(app.get::<Signup>().mailer.send("ada"), "fake ada");
//! # app.shutdown().await }
//! ```
//!
//! # Scopes: request and transient values
//!
//! A provider is a singleton unless it says otherwise:
//!
//! | scope | built | torn down (`pre_destruct`) | from |
//! |---|---|---|---|
//! | singleton (default) | once, at startup | at shutdown, in reverse | [`App::get`], [`Scope::get`] |
//! | `#[provider(scope = request)]` | once per [`Scope`], on first use | when the scope closes, in reverse | [`Scope::get`] |
//! | `#[provider(scope = transient)]` | for every dependent and every `get` | when the scope that built it closes | [`Scope::get`] |
//!
//! A singleton that depends on a request-scoped or transient provider
//! would keep one such value for the app's whole life: that is a compile
//! error, as is `app.get::<T>()` for such a `T`. An open scope counts as
//! in-flight work, so shutdown drains it before any singleton it uses is
//! torn down. See [`Scope`] for a per-request connection given back to its
//! pool.
//!
//! # Pictures
//!
//! Every module exposes its graph as data: `M::graph()` returns a
//! [`Graph`] of its providers (name, scope, constructor and hooks with
//! their timeouts, source location) and the dependencies between them, in
//! construction order. [`Graph::to_dot`] and [`Graph::to_mermaid`] draw
//! it with the [critical path](Graph::critical_path) in bold;
//! [`App::graph`] weighs that path by the measured startup times, and
//! [`Graph::with_failure`] marks the provider a failed startup stopped at
//! and the providers never constructed because of it.
//!
//! ```
//! # use std::sync::Arc;
//! # use lifecycle_runtime::{module, provider};
//! # #[provider] pub struct Config;
//! # #[provider] pub struct Database { config: Arc<Config> }
//! # #[module(providers = [Config, Database])] pub struct AppModule;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
//! let graph = AppModule::graph();
//! assert_eq!(graph.edges().len(), 1);              // Database -> Config
//! std::fs::write(std::env::temp_dir().join("app.mmd"), graph.to_mermaid()).unwrap();
//!
//! match AppModule::bootstrap().await {
//!     Ok(app) => {
//!         println!("{}", app.graph().to_dot()); // with startup times
//!         app.shutdown().await?;
//!     }
//!     Err(e) => eprintln!("{}", AppModule::graph().with_failure(&e).to_dot()),
//! }
//! # Ok(()) }
//! ```
//!
//! # How the graph is resolved, and its limits
//!
//! - **A module's graph is its own providers plus everything its imports
//!   provide**, transitively; a module imported through two paths counts
//!   once. Each module must be complete: a dependency its graph lacks is a
//!   compile error where the module is written, so every module can be
//!   bootstrapped on its own. Dependencies go down the import tree, never
//!   up: a provider cannot use what an importer of its module provides —
//!   except through an optional dependency or a collection, which are
//!   resolved in the graph being bootstrapped. A mistake only such an
//!   edge makes (a singleton that would keep a request-scoped value, a
//!   type named like another) is reported by the importing module, at the
//!   imported provider's `#[provider]`, naming the field and its location.
//! - **Dependencies are matched by the provided type's name** (`Config`,
//!   `Repo<User>`, `dyn Mailer`); two different types with one name cannot
//!   both be provided in one graph, and a dependency whose type is named like
//!   a provided type but is another type is a compile error that says so.
//! - **Write `#[provider] impl T` in the Rust module that defines `T`.** The
//!   provider's metadata travels with the type's name (`use crate::db::T`
//!   imports both), so an `impl` in another module would publish it under a
//!   path that does not name the type.
//! - **Visibility:** a `pub` module can list only providers at least as
//!   visible as itself (rustc: "private type in public interface").
//! - **Types from other crates:** a provider fn may return one
//!   (`fn client() -> reqwest::Client`) and other providers inject it as
//!   usual. `app.get::<T>()` needs `T` to implement an internal trait that
//!   only `T`'s own crate may implement, so for a foreign `T` it does not
//!   compile; the checked alternative is
//!   [`app.get_from::<client>()`](App::get_from), named by the provider
//!   fn. The macro judges a return type foreign from its path (`a::B`, or a
//!   well-known `std` name such as `String`); for a foreign type imported
//!   under a single-segment name, write `#[provider(foreign)]`.
//! - **Trait bindings are for injection.** `Arc<dyn Mailer>` reaches every
//!   provider that asks for it, whichever provider `bind(dyn Mailer)`s it;
//!   `app.get::<dyn Mailer>()` compiles only when a provider fn returns
//!   `Arc<dyn Mailer>` (the trait's crate then owns the lookup). For a
//!   binding, get the concrete type and let it coerce:
//!   `let m: Arc<dyn Mailer> = app.get::<Smtp>();`. Likewise a collection
//!   is injected (`Vec<Arc<dyn HealthCheck>>` in a provider), not fetched
//!   from the app.
//! - **Module import cycles** (`A` imports `B`, `B` imports `A`) cannot be
//!   gathered: rustc reports "cannot find macro `B`" at each import of the
//!   cycle. Move what both need into a third module that both import.
//! - **Generic providers** are not supported; provide a concrete type with
//!   a provider fn (`fn users() -> Repo<User>`).
mod app;
mod config;
mod control;
mod engine;
mod error;
mod graph;
mod hooks;
mod report;
mod scope;
mod signal;
mod wiring;

pub use app::{App, Resolve, State};
pub use config::{
    Bootstrap, Builder, DEFAULT_DRAIN_TIMEOUT, DEFAULT_HOOK_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT,
};
pub use control::{InFlight, ShutdownHandle};
pub use error::{Cause, Error, Failures, HookFailure, Phase};
pub use graph::{Edge, Graph, HookInfo, Node, Outcome};
pub use hooks::{Awaited, Blocking, HookOptions, HookReturn, Lifespan};
pub use report::{ProviderTiming, StartupReport};
pub use scope::Scope;
pub use wiring::{Role, ScopeKind};

/// Marks a provider: a struct, an `impl` block, or a fn.
///
/// | form | provides | dependencies | constructor |
/// |---|---|---|---|
/// | `#[provider] struct S { a: Arc<A> }` | `S` | every field | the struct literal |
/// | `#[provider] impl S { fn new(..) }` | `S` | the constructor's parameters | `new`, or the fn marked `#[constructor]` |
/// | `#[provider] fn f(..) -> T` | `T` (or `dyn Trait` for `Arc<dyn Trait>`) | the fn's parameters | the fn |
/// | `#[provider(input)] struct S { .. }` | `S` | none: the fields are data | none: supplied with [`Builder::input`] |
///
/// A dependency is `Arc<T>`, `&T` (parameters only), `Option<Arc<T>>`
/// (`Some` exactly when the graph provides `T`) or `Vec<Arc<dyn T>>`
/// (every provider tagged `group(dyn T)`).
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
/// | `input` | on a struct: its value is supplied at bootstrap, not constructed |
/// | `scope = request` / `scope = transient` | built in a [`Scope`]: once per scope / for every use (default: singleton) |
/// | `bind(dyn A, ..)` | also provide the value as `Arc<dyn A>` |
/// | `group(dyn A, ..)` | a member of the collection `Vec<Arc<dyn A>>` |
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
/// | `M::graph()` | the module's [`Graph`], to inspect or draw |
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

/// The names `#[provider]` writes for every provider, one path segment
/// shorter than through [`__private`]: `::lifecycle_runtime::__Deps`.
/// rustc resolves and tracks each path of each provider on every build,
/// and a segment costs it about 4,000 instructions. (Not `Provider`:
/// rustc names a trait in its errors by the shortest path to it.) Not
/// public API.
#[doc(hidden)]
pub use crate::wiring::{
    D as __D, D1 as __D1, D2 as __D2, D3 as __D3, D4 as __D4, D5 as __D5, D6 as __D6, D7 as __D7,
    D8 as __D8, Deps as __Deps, E as __E, ErasedConstruct as __ErasedConstruct,
    InputKey as __InputKey, ProviderMeta as __ProviderMeta, RequestKey as __RequestKey,
    SingletonKey as __SingletonKey, TransientKey as __TransientKey, ready as __ready,
};

/// Everything generated code needs. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use crate::__lc_has as has;
    pub use crate::wiring::*;
    pub use ::core::option::Option::{None, Some};
    pub use ::core::result::Result::{Err, Ok};
    pub use lifecycle_macros::__module_chunk as module_chunk;
    pub use lifecycle_macros::__module_impl as module_impl;
    pub use std::sync::Arc;
}

/// `M: HasKeyB<KEY>` for each `KEY` that module `M` finds in itself (see
/// `Locate`), grouped by bucket (`HasKey17 k k; HasKey3 k`), in the
/// `const _` block where `#[module]` imports the runtime as `__lc`.
/// Thousands of these in a large graph: every token of them costs rustc,
/// in parsing, lowering and hashing for incremental builds, so they are
/// written short, and `#[module]` writes one token per provider through
/// the proc-macro bridge.
#[doc(hidden)]
#[macro_export]
macro_rules! __lc_has {
    ($m:ident; $($has_key:ident $($key:literal)*);*) => {
        $($(impl __lc::$has_key<$key> for $m {})*)*
    };
}
