// The dependency is named like a provided type but is another type.
use std::sync::Arc;
use lifecycle_runtime::{module, provider};

mod http {
    pub struct Config;
}

mod db {
    use super::*;
    #[provider]
    pub struct Config;
}

#[provider]
pub struct Server { config: Arc<http::Config> }

#[module(providers = [db::Config, Server])]
pub struct AppModule;

fn main() {}
