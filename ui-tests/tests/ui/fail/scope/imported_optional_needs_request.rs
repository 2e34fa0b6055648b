use std::sync::Arc;

use lifecycle_runtime::{module, provider};

// On its own, `Reports` finds no `Connection` and runs without one.
#[provider]
pub struct Reports {
    conn: Option<Arc<Connection>>,
}

#[module(providers = [Reports])]
pub struct ReportsModule;

#[provider]
pub struct Pool;

// Imported into a graph that provides a request-scoped `Connection`,
// the singleton `Reports` would keep one request's connection for good.
#[provider(scope = request)]
pub struct Connection {
    pool: Arc<Pool>,
}

#[module(imports = [ReportsModule], providers = [Pool, Connection])]
pub struct AppModule;

fn main() {}
