//! Propan's ideas: settings chosen by `--env` at startup and injected; a
//! model loaded once at startup, used by a message handler, released at
//! shutdown.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use common::{Running, temp_path};
use lifecycle_examples::env_config::{Args, Broker, ConfigModule, Settings};
use lifecycle_examples::model::{ModelError, ModelModule, ask, fit, start_consumer};

fn env_config(args: &[&str]) -> (Option<i32>, Vec<String>) {
    let run = Running::start(
        Command::new(env!("CARGO_BIN_EXE_env-config"))
            .args(args)
            .env_remove("APP_NAME")
            .env_remove("BROKER_URL")
            .env_remove("WORKERS"),
    );
    let (status, lines) = run.wait();
    (status.code(), lines)
}

#[test]
fn the_env_file_named_on_the_command_line_is_loaded_once_and_injected() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("env/.env.test");
    let (code, lines) = env_config(&["--env", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{lines:#?}");
    let from = format!("settings from {}", file.display());
    let expected = [
        from.as_str(),
        "broker: connected to memory://localhost/test with 4 worker(s)",
        "app_name = hero-hq (test)",
        "workers = 4",
        "broker: disconnected from memory://localhost/test",
    ];
    for line in expected {
        assert!(lines.iter().any(|l| l == line), "no {line:?} in {lines:#?}");
    }
}

#[test]
fn a_missing_env_file_fails_startup_naming_the_settings_provider() {
    let output = Command::new(env!("CARGO_BIN_EXE_env-config"))
        .args(["--env", temp_path("no-such.env").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`Settings` construct"), "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
    // Nothing that depends on the settings was started.
    assert!(!String::from_utf8_lossy(&output.stdout).contains("broker: connected"));
}

#[tokio::test]
async fn the_parsed_arguments_are_a_bootstrap_input_that_settings_receives() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("env/.env.test");
    let args = Args::parse(["--env".to_owned(), file.display().to_string()]).unwrap();
    let app = ConfigModule::builder()
        .input(args.clone())
        .bootstrap()
        .await
        .unwrap();
    // The input is a provider like any other: injected, and in the app.
    assert_eq!(*app.get::<Args>(), args);
    let settings = app.get::<Settings>();
    assert_eq!(settings.source.as_deref(), Some(file.as_path()));
    assert!(Arc::ptr_eq(&app.get::<Broker>().settings, &settings));
    app.shutdown().await.unwrap();
}

#[test]
fn settings_layer_defaults_then_file_then_environment() {
    assert_eq!(
        Args::parse(["--env=.env.prod".to_owned()]).unwrap().env,
        Some(".env.prod".into())
    );
    assert!(Args::parse(["--env".to_owned()]).is_err());

    let file = temp_path("layers.env");
    std::fs::write(&file, "# comment\nAPP_NAME=from file\nWORKERS=3\n").unwrap();
    let settings =
        Settings::load(Some(&file), |key| (key == "WORKERS").then(|| "8".into())).unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(settings.app_name, "from file");
    assert_eq!(settings.broker_url, Settings::default().broker_url);
    assert_eq!(settings.workers, 8);

    let bad = temp_path("bad.env");
    std::fs::write(&bad, "WORKERS=many\n").unwrap();
    let err = Settings::load(Some(&bad), |_| None).unwrap_err();
    std::fs::remove_file(&bad).unwrap();
    assert_eq!(err.to_string(), "invalid WORKERS `many`");
}

#[tokio::test]
async fn the_model_loads_once_off_the_executor_serves_messages_and_is_released() {
    let app = ModelModule::bootstrap().await.unwrap();
    let model = app.get::<lifecycle_examples::model::Model>();
    // The blocking constructor ran on a thread of its own.
    let here = std::thread::current().name().map(str::to_owned);
    assert_ne!(Some(model.loaded_on.clone()), here);

    let broker = start_consumer(&app);
    assert_eq!(ask(&broker, 1.0).await, Some(Ok(42.0)));
    assert_eq!(ask(&broker, 2.5).await, Some(Ok(105.0)));

    app.shutdown().await.unwrap();
    // The consumer stopped first, then the model was released.
    assert_eq!(ask(&broker, 1.0).await, None);
    assert_eq!(model.predict(1.0), Err(ModelError::Released));
}

#[test]
fn least_squares_recovers_a_line() {
    let w = fit(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]);
    assert!(
        (w.slope - 2.0).abs() < 1e-9 && (w.intercept - 1.0).abs() < 1e-9,
        "{w:?}"
    );
}
