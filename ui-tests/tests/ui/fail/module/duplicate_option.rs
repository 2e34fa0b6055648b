use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[provider]
pub struct Cache;

#[module(providers = [Config], providers = [Cache])]
pub struct AppModule;

fn main() {}
