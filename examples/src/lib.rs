//! Runnable programs that show every lifecycle feature of `lifecycle`.
//!
//! Each module is the code of one example binary (`src/bin/*.rs` are thin
//! `main`s), kept in the library so the tests can drive it in-process.
//!
//! | module | binary | shows |
//! |---|---|---|
//! | [`hero_hq`] | `hero-hq` | the flagship: an HTTP service on SQLite with warm-up, health check, graceful drain and ordered teardown |
//! | [`startup_values`] | `startup-values` | values built at startup injected by type into request handlers; shutdown hooks that receive dependencies |
//! | [`request_pool`] | `request-pool` | a request-scoped connection taken from a startup-created pool and returned after each request |
//! | [`env_config`] | `env-config` | configuration chosen at startup from the command line and an env file |
//! | [`model`] | `model` | a model loaded once by a blocking constructor, used by a message handler, released at shutdown |
//! | [`hook_order`] | `hook-order` | app-level hooks and the lifespan form, and the order they run in |
//! | [`concurrent_start`] | `concurrent-start` | independent slow providers started one by one, then concurrently |
//! | [`graph`] | `graph` | Hero HQ's dependency graph drawn as DOT and Mermaid, measured or with a failed startup marked |

pub mod concurrent_start;
pub mod env_config;
pub mod graph;
pub mod hero_hq;
pub mod hook_order;
pub mod model;
pub mod request_pool;
pub mod startup_values;

/// Log to stdout, `info` and up unless `RUST_LOG` says otherwise.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stdout)
        .try_init();
}

/// The README's Rust code compiles as part of the test suite.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
