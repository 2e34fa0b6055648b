use lifecycle_runtime::{module, provider};

mod a {
    use super::*;
    #[provider]
    pub struct Config;
    #[module(providers = [Config])]
    pub struct AModule;
}

mod b {
    use super::*;
    #[provider]
    pub struct Config;
    #[module(providers = [Config])]
    pub struct BModule;
}

#[module(imports = [a::AModule, b::BModule])]
pub struct AppModule;

fn main() {}
