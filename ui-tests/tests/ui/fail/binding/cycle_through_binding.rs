use std::sync::Arc;

use lifecycle_runtime::{module, provider};

pub trait Mailer: Send + Sync {}

#[provider(bind(dyn Mailer))]
pub struct Smtp {
    audit: Arc<Audit>,
}
impl Mailer for Smtp {}

#[provider]
pub struct Audit {
    mailer: Arc<dyn Mailer>,
}

#[module(providers = [Smtp, Audit])]
pub struct AppModule;

fn main() {}
