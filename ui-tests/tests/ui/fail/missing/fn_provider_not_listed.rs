use std::sync::Arc;
use lifecycle_runtime::{module, provider};

pub struct Cache;

// A fn provider: its output's `Injectable` impl is its own, not the
// runtime's, and must name the fn to list.
#[provider]
pub fn cache() -> Cache {
    Cache
}

#[provider]
pub struct Api { cache: Arc<Cache> }

#[module(providers = [Api])]
pub struct AppModule;

fn main() {}
