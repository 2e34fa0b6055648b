use lifecycle_runtime::{module, provider};

pub trait Mailer: Send + Sync {}

#[provider(bind(dyn Mailer))]
pub struct Smtp;
impl Mailer for Smtp {}

#[provider(bind(dyn Mailer))]
pub struct Console;
impl Mailer for Console {}

#[module(providers = [Smtp, Console])]
pub struct AppModule;

fn main() {}
