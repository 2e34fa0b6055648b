use lifecycle_runtime::{module, provider};

mod db {
    use super::*;
    #[provider]
    pub struct Config;
    #[module(providers = [Config])]
    pub struct DbModule;
}

mod app {
    use super::*;
    #[provider]
    pub struct Config;
    #[module(imports = [crate::db::DbModule], providers = [Config])]
    pub struct AppModule;
}

fn main() {}
