use lifecycle_runtime::{module, provider};

pub struct Config {
    pub url: String,
}

#[provider]
impl Config {
    fn new() -> Self {
        Config { url: String::new() }
    }
}

#[module(providers = [Config])]
pub struct AppModule;

async fn run() {
    let _ = AppModule::builder()
        .input(Config { url: "x".into() })
        .bootstrap()
        .await;
}

fn main() { let _ = run; }
