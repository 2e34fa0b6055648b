use lifecycle_runtime::module;

pub struct Config;

#[module(providers = [Config])]
pub struct AppModule;

fn main() {}
