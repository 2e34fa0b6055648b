// The dependency is named like a type provided two imports down, but is
// another type: the error still points at the field.
use std::sync::Arc;
use lifecycle_runtime::{module, provider};

mod http {
    pub struct Config;
}

mod db {
    use super::*;
    #[provider]
    pub struct Config;

    #[module(providers = [Config])]
    pub struct DbModule;

    #[module(imports = [DbModule])]
    pub struct StoreModule;
}

#[provider]
pub struct Server { config: Arc<http::Config> }

#[module(imports = [db::StoreModule], providers = [Server])]
pub struct AppModule;

fn main() {}
