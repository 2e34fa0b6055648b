use std::sync::Arc;
use lifecycle_runtime::{module, provider};

#[provider]
pub struct Node { next: Arc<Node> }

#[module(providers = [Node])]
pub struct AppModule;

fn main() {}
