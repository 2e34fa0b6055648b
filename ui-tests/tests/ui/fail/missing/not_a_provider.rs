use std::sync::Arc;
use lifecycle_runtime::{module, provider};

pub struct Mailer;

#[provider]
pub struct UserService { mailer: Arc<Mailer> }

#[module(providers = [UserService])]
pub struct AppModule;

fn main() {}
