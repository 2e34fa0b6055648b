use std::sync::Arc;
use lifecycle_fixture::{Audit, Clock};
use lifecycle_runtime::{module, provider};

// `Audit` (another crate) needs a `Clock`; this crate's clock needs the audit.
#[provider]
pub fn clock(audit: Arc<Audit>) -> lifecycle_fixture::Clock {
    let _ = audit;
    Clock
}

#[module(providers = [lifecycle_fixture::Audit, clock])]
pub struct AppModule;

fn main() {}
