//! `cargo run -p lifecycle-examples --bin env-config -- --env examples/env/.env.test`

use std::process::ExitCode;

use lifecycle_examples::env_config::{Args, Broker, ConfigModule, Settings};

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("env-config: {e}\nusage: env-config [--env PATH]");
            return ExitCode::from(2);
        }
    };
    let app = match ConfigModule::builder().input(args).bootstrap().await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("env-config: {e}");
            return ExitCode::FAILURE;
        }
    };
    let settings = app.get::<Settings>();
    let source = settings.source.as_ref().map(|p| p.display().to_string());
    println!("settings from {}", source.as_deref().unwrap_or("defaults"));
    println!("app_name = {}", settings.app_name);
    println!("broker_url = {}", settings.broker_url);
    println!("workers = {}", settings.workers);
    // Everything injected sees the same value, loaded once.
    assert!(std::sync::Arc::ptr_eq(
        &app.get::<Broker>().settings,
        &settings
    ));
    match app.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("env-config: {e}");
            ExitCode::FAILURE
        }
    }
}
