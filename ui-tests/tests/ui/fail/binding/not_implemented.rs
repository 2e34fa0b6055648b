use lifecycle_runtime::{module, provider};

pub trait Mailer: Send + Sync {
    fn send(&self, to: &str);
}

pub trait HealthCheck: Send + Sync {}

// `Smtp` implements neither trait.
#[provider(bind(dyn Mailer), group(dyn HealthCheck))]
pub struct Smtp;

#[module(providers = [Smtp])]
pub struct AppModule;

fn main() {}
