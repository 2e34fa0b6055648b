use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[module(providers = [Config])]
pub struct DbModule;

#[module(providers = [DbModule])]
pub struct AppModule;

fn main() {}
