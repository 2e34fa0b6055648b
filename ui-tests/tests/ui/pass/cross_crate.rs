//! Modules from another crate, through two paths, count once; a foreign
//! type provided by a fn is injected and fetched with `get_from`; a module
//! that only imports one finds its providers through it.
use std::sync::Arc;

use lifecycle_fixture::db::{DbConfig, Pool};
use lifecycle_runtime::{module, provider};

#[provider]
pub struct Repo {
    pub pool: Arc<Pool>,
    pub greeting: Arc<String>,
}

#[module(
    imports = [lifecycle_fixture::DbModule, lifecycle_fixture::db::DbModule, lifecycle_fixture::GreetingModule],
    providers = [Repo]
)]
pub struct AppModule;

#[module(imports = [lifecycle_fixture::DbModule])]
pub struct DbOnly;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = AppModule::bootstrap().await.unwrap();
    let repo = app.get::<Repo>();
    assert_eq!(repo.pool.config.url, "sqlite::memory:");
    assert!(Arc::ptr_eq(&app.get::<DbConfig>(), &repo.pool.config));
    assert_eq!(*app.get_from::<lifecycle_fixture::greeting>(), "hello");
    app.shutdown().await.unwrap();

    let db = DbOnly::bootstrap().await.unwrap();
    assert_eq!(db.get::<Pool>().config.url, "sqlite::memory:");
    db.shutdown().await.unwrap();
}
