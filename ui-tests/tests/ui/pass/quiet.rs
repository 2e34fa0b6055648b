//! What the macros write raises no warning, even denied: re-exports of
//! providers and modules that nothing lists or imports, in a binary's
//! private modules, and every form of provider.
#![deny(warnings)]

use std::sync::Arc;

use lifecycle_runtime::{module, provider};

mod db {
    use super::*;

    #[provider]
    pub struct Pool;

    /// Listed by no module.
    #[provider]
    pub struct Unlisted;

    pub struct Conn;

    #[provider]
    pub fn connect(_pool: Arc<Pool>) -> Conn {
        Conn
    }

    #[module(providers = [Pool, connect])]
    pub struct DbModule;

    /// Imported by no module.
    #[module(providers = [Pool])]
    pub struct SpareModule;
}

pub struct Repo {
    pub conn: Arc<db::Conn>,
}

#[provider]
impl Repo {
    #[constructor]
    pub fn new(conn: Arc<db::Conn>) -> Self {
        Repo { conn }
    }
}

#[module(imports = [db::DbModule], providers = [Repo])]
pub struct AppModule;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = AppModule::bootstrap().await.unwrap();
    let _conn = &app.get::<Repo>().conn;
    app.shutdown().await.unwrap();
}
