use lifecycle_runtime::provider;

#[provider(scope = session)]
pub struct Cart;

#[provider(scope)]
pub struct Basket;

fn main() {}
