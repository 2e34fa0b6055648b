use std::sync::Arc;
use lifecycle_runtime::{module, provider};

#[provider]
pub struct Mailer;

#[module(providers = [Mailer])]
pub struct MailModule;

#[provider]
pub struct Signup { mailer: Arc<Mailer> }

#[module(providers = [Signup])]
pub struct AppModule;

fn main() {}
