//! A module tree spread over files, imported through two paths, with the
//! exact construction and teardown order asserted.

#![allow(missing_debug_implementations, clippy::new_without_default)]

mod db;
mod log;
mod web;

use lifecycle_runtime::module;

use crate::log::take;

#[module(imports = [db::DbModule, web::WebModule, crate::db::DbModule])]
pub struct AppModule;

#[tokio::test]
async fn tree_over_files_runs_in_fixed_then_reverse_order() {
    let app = AppModule::bootstrap().await.unwrap();
    let server = app.get::<web::Server>();
    assert_eq!(server.describe(), "server on pool of sqlite::memory:");
    assert_eq!(
        take(),
        [
            "new Config",
            "new Pool",
            "post Pool",
            "new Router",
            "new Server",
            "post Server"
        ]
    );
    app.shutdown().await.unwrap();
    assert_eq!(
        take(),
        ["pre Server", "pre Router", "pre Pool", "pre Config"]
    );
}
