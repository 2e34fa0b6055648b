use lifecycle_runtime::{module, provider};

mod http {
    use super::*;
    #[provider]
    pub struct Config;
}

mod db {
    use super::*;
    #[provider]
    pub struct Config;
}

#[module(providers = [http::Config, db::Config])]
pub struct AppModule;

fn main() {}
