use lifecycle_runtime::provider;

#[provider]
pub struct Config;

pub struct Service;

#[provider]
impl Service {
    pub fn new(config: Config) -> Self { let _ = config; Service }
}

fn main() {}
