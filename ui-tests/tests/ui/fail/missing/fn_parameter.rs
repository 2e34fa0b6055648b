use lifecycle_runtime::{module, provider};

pub struct Settings;

pub struct Cache;

#[provider]
pub async fn cache(settings: &Settings) -> Cache {
    let _ = settings;
    Cache
}

#[module(providers = [cache])]
pub struct AppModule;

fn main() {}
