use lifecycle_runtime::provider;

#[provider]
pub enum Mode { Fast, Slow }

fn main() {}
