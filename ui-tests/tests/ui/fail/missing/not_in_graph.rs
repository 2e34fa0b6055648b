use std::sync::Arc;
use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

#[provider]
pub struct Mailer;

#[provider]
pub struct UserService { config: Arc<Config>, mailer: Arc<Mailer> }

#[provider]
pub struct Api { users: Arc<UserService> }

#[module(providers = [Config, UserService, Api])]
pub struct AppModule;

fn main() {}
