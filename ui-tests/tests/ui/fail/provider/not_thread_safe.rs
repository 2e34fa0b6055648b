use std::cell::Cell;
use lifecycle_runtime::provider;

pub struct Counter { hits: Cell<u32> }

#[provider]
impl Counter {
    pub fn new() -> Self { Counter { hits: Cell::new(0) } }
}

fn main() {}
