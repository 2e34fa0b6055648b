use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[module(imports = [AppModule], providers = [Config])]
pub struct AppModule;

fn main() {}
