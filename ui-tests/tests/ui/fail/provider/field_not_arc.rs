use std::sync::Arc;
use lifecycle_runtime::provider;

#[provider]
pub struct Config;

#[provider]
pub struct Service { config: Arc<Config>, retries: u32 }

fn main() {}
