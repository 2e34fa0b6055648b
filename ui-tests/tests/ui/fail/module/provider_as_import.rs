use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[module(imports = [Config])]
pub struct AppModule;

fn main() {}
