use lifecycle_runtime::provider;

#[provider]
pub union Bits { a: u32, b: f32 }

fn main() {}
