use std::sync::Arc;

use lifecycle_runtime::provider;

pub struct Database;

#[provider]
pub struct Health {
    checks: Vec<Arc<Database>>,
}

fn main() {}
