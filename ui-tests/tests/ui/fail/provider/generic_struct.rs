use std::sync::Arc;
use lifecycle_runtime::provider;

#[provider]
pub struct Repo<T: Send + Sync + 'static> { item: Arc<T> }

fn main() {}
