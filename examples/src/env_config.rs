//! Configuration chosen at startup from the command line and an env file,
//! loaded once and injected.
//!
//! Propan passes `--env .env.test` to an `on_startup` hook, which builds the
//! settings and puts them in a global context. Here `main` parses its
//! arguments into [`Args`], a `#[provider(input)]`, and hands the value to
//! bootstrap with `ConfigModule::builder().input(args)`; forgetting it is a
//! compile error at `.bootstrap()`. The [`Settings`] provider receives
//! `&Args` like any other dependency and loads the file the arguments
//! name. Everything else receives `Arc<Settings>` by injection, and a bad
//! file fails startup with an error that names `Settings` and the phase.
//!
//! Sources, lowest priority first: defaults, the env file, then process
//! environment variables of the same names (as pydantic's `BaseSettings`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lifecycle_runtime::{module, provider};

/// The command line, as `main` parsed it: supplied at bootstrap, injected
/// like any provider.
#[provider(input)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// `--env PATH`; `None` means `.env` if it exists, else defaults only.
    pub env: Option<PathBuf>,
}

impl Args {
    /// Parse `--env PATH` or `--env=PATH`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut env = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--env" {
                env = Some(args.next().ok_or("`--env` needs a path")?.into());
            } else if let Some(path) = arg.strip_prefix("--env=") {
                env = Some(path.into());
            } else {
                return Err(format!("unexpected argument `{arg}`"));
            }
        }
        Ok(Args { env })
    }
}

/// Why the settings could not be loaded.
#[derive(Debug)]
pub enum ConfigError {
    Read(PathBuf, std::io::Error),
    Line(PathBuf, usize, String),
    Value(&'static str, String),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Read(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            ConfigError::Line(path, n, line) => {
                write!(
                    f,
                    "{}:{n}: expected KEY=VALUE, found `{line}`",
                    path.display()
                )
            }
            ConfigError::Value(key, value) => write!(f, "invalid {key} `{value}`"),
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub app_name: String,
    pub broker_url: String,
    pub workers: u32,
    /// The file the settings came from, if any.
    pub source: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            app_name: "app".into(),
            broker_url: "memory://localhost".into(),
            workers: 1,
            source: None,
        }
    }
}

impl Settings {
    /// Defaults, overridden by `file` (`KEY=VALUE` lines, `#` comments),
    /// overridden by the variables `env` returns.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut settings = Settings::default();
        let mut apply = |key: &str, value: String| -> Result<(), ConfigError> {
            match key {
                "APP_NAME" => settings.app_name = value,
                "BROKER_URL" => settings.broker_url = value,
                "WORKERS" => {
                    settings.workers = value
                        .parse()
                        .map_err(|_| ConfigError::Value("WORKERS", value))?;
                }
                _ => {}
            }
            Ok(())
        };
        if let Some(path) = file {
            let text =
                std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.to_owned(), e))?;
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let (key, value) = line
                    .split_once('=')
                    .ok_or_else(|| ConfigError::Line(path.to_owned(), n + 1, line.to_owned()))?;
                apply(key.trim(), value.trim().to_owned())?;
            }
        }
        for key in ["APP_NAME", "BROKER_URL", "WORKERS"] {
            if let Some(value) = env(key) {
                apply(key, value)?;
            }
        }
        settings.source = file.map(Path::to_owned);
        Ok(settings)
    }
}

#[provider]
impl Settings {
    /// Loaded once, at startup, from the file the command line chose.
    #[constructor(blocking)]
    pub fn from_args(args: &Args) -> Result<Self, ConfigError> {
        let file = match &args.env {
            Some(path) => Some(path.clone()),
            None => Some(PathBuf::from(".env")).filter(|p| p.exists()),
        };
        Settings::load(file.as_deref(), |key| std::env::var(key).ok())
    }
}

/// Something that uses the settings: a broker client.
#[derive(Debug)]
pub struct Broker {
    pub settings: Arc<Settings>,
}

#[provider]
impl Broker {
    #[constructor]
    pub async fn connect(settings: Arc<Settings>) -> Self {
        println!(
            "broker: connected to {} with {} worker(s)",
            settings.broker_url, settings.workers
        );
        Broker { settings }
    }

    #[pre_destruct]
    async fn disconnect(&self) {
        println!("broker: disconnected from {}", self.settings.broker_url);
    }
}

#[module(providers = [Args, Settings, Broker])]
#[derive(Debug)]
pub struct ConfigModule;
