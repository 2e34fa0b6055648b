use lifecycle_runtime::{module, provider};

#[provider(input)]
pub struct Args {
    pub port: u16,
}

#[provider]
pub struct Config;

#[module(providers = [Config])]
pub struct AppModule;

async fn run() {
    let _ = AppModule::builder().input(Args { port: 1 }).bootstrap().await;
}

fn main() { let _ = run; }
