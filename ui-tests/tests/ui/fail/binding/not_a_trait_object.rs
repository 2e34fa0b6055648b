use lifecycle_runtime::provider;

pub trait Mailer: Send + Sync {}

pub struct Smtp;
impl Mailer for Smtp {}

#[provider(bind(Mailer))]
impl Smtp {
    fn new() -> Self {
        Smtp
    }
}

#[provider(group())]
pub struct Pop;

fn main() {}
