use std::sync::Arc;

use lifecycle_runtime::{module, provider};

#[provider(input)]
pub struct Args {
    pub port: u16,
}

#[provider]
pub struct Server {
    args: Arc<Args>,
}

#[module(providers = [Args, Server])]
pub struct AppModule;

async fn run() {
    let _ = AppModule::bootstrap().await;
}

fn main() { let _ = run; }
