use lifecycle_runtime::provider;

#[provider]
pub trait Mailer {}

fn main() {}
