mod a {
    use std::sync::Arc;
    use lifecycle_runtime::provider;

    use crate::b::Beta;

    #[provider]
    pub struct Alpha { beta: Arc<Beta> }
}

#[path = "../../aux/cycle_b.rs"]
mod b;

use lifecycle_runtime::module;

#[module(providers = [a::Alpha, b::Beta])]
pub struct AppModule;

fn main() {}
