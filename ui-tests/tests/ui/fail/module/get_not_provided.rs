use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[provider]
pub struct Other;

#[module(providers = [Config])]
pub struct AppModule;

async fn run() {
    let app = AppModule::bootstrap().await.unwrap();
    let _ = app.get::<Other>();
}

fn main() { let _ = run; }
