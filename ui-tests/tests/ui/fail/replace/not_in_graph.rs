use std::sync::Arc;

use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[provider]
pub struct Other;

#[module(providers = [Config])]
pub struct AppModule;

async fn run() {
    let _ = AppModule::builder()
        .replace(Arc::new(Other))
        .bootstrap()
        .await;
}

fn main() { let _ = run; }
