use std::sync::Arc;

use lifecycle_runtime::{module, provider};

#[provider]
pub struct Pool;

#[provider(scope = request)]
pub struct Connection {
    pool: Arc<Pool>,
}

// A singleton would keep one request's connection for good.
#[provider]
pub struct Reports {
    conn: Arc<Connection>,
}

#[module(providers = [Pool, Connection, Reports])]
pub struct AppModule;

fn main() {}
