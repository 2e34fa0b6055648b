use lifecycle_runtime::provider;

pub trait Mailer: Send + Sync {}
pub struct Smtp;
impl Mailer for Smtp {}

#[provider]
pub fn mailer() -> impl Mailer {
    Smtp
}

fn main() {}
