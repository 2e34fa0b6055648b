use std::sync::Arc;
use lifecycle_fixture::db::Pool;
use lifecycle_runtime::{module, provider};

// `Pool` needs `DbConfig`: import `DbModule` rather than listing `Pool` alone.
#[provider]
pub struct Repo { pool: Arc<Pool> }

#[module(providers = [lifecycle_fixture::db::Pool, Repo])]
pub struct AppModule;

fn main() {}
