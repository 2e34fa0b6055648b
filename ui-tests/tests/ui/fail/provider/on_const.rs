use lifecycle_runtime::provider;

#[provider]
pub const LIMIT: u32 = 3;

fn main() {}
