use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[module(providers = [Config, Config])]
pub struct AppModule;

fn main() {}
