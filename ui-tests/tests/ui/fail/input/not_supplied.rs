use std::sync::Arc;

use lifecycle_runtime::{module, provider};

#[provider(input)]
pub struct Args {
    pub port: u16,
}

#[provider(input)]
pub struct Secrets {
    pub token: String,
}

#[provider]
pub struct Server {
    args: Arc<Args>,
    secrets: Arc<Secrets>,
}

#[module(providers = [Args, Secrets, Server])]
pub struct AppModule;

async fn run() {
    let _ = AppModule::builder()
        .input(Args { port: 80 })
        .bootstrap()
        .await;
}

fn main() { let _ = run; }
