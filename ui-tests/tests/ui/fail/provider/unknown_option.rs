use lifecycle_runtime::provider;

#[provider(lazy)]
pub struct Config;

fn main() {}
