use std::sync::Arc;

use lifecycle_runtime::{module, provider};

#[provider]
pub struct Pool;

#[provider(scope = request)]
pub struct Connection {
    pool: Arc<Pool>,
}

#[module(providers = [Pool, Connection])]
pub struct AppModule;

async fn run() {
    let app = AppModule::bootstrap().await.unwrap();
    let _ = app.get::<Connection>();
}

fn main() { let _ = run; }
