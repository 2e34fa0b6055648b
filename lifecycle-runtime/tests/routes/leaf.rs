use std::sync::Arc;

use lifecycle_runtime::{module, provider};

pub struct Clock(pub u32);

/// Bound to `Clock`, and injected in another file.
pub trait Tick: Send + Sync {
    fn tick(&self) -> u32;
}

impl Tick for Clock {
    fn tick(&self) -> u32 {
        self.0 + 1
    }
}

#[provider(bind(dyn Tick))]
impl Clock {
    pub fn new() -> Self {
        Clock(7)
    }
}

#[provider]
pub struct Store {
    pub clock: Arc<Clock>,
}

#[module(providers = [Clock, Store])]
pub struct LeafModule;
