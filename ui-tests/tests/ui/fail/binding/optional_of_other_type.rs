use std::sync::Arc;

use lifecycle_runtime::{module, provider};

mod legacy {
    pub struct Cache;
}

#[provider]
pub fn cache() -> Cache {
    Cache
}

pub struct Cache;

// Matched by name to the provider of `crate::Cache`: the types differ.
#[provider]
pub struct Users {
    cache: Option<Arc<legacy::Cache>>,
}

#[module(providers = [cache, Users])]
pub struct AppModule;

fn main() {}
