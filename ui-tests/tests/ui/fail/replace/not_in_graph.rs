use std::sync::Arc;

use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[provider]
pub struct Other;

#[module(providers = [Config])]
pub struct AppModule;

// Its graph spans two source files: this one and the fixture's `db`.
#[module(imports = [lifecycle_fixture::db::DbModule], providers = [Config])]
pub struct WideModule;

async fn run() {
    let _ = AppModule::builder()
        .replace(Arc::new(Other))
        .bootstrap()
        .await;
    let _ = WideModule::builder()
        .replace(Arc::new(Other))
        .bootstrap()
        .await;
}

fn main() { let _ = run; }
