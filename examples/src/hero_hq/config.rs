//! Settings of Hero HQ, read from the command line and the environment
//! before bootstrap, then provided to every module that needs them.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use lifecycle_runtime::{module, provider};

/// Where HQ listens, where its database lives, how long the grid warms up.
///
/// Command-line flags win over environment variables, which win over the
/// defaults: `--host`/`HQ_HOST` (`127.0.0.1`), `--port`/`PORT` (`8080`),
/// `--db`/`HQ_DB` (`hero-hq.sqlite` in the temp directory),
/// `--grid-warmup-ms`/`HQ_GRID_WARMUP_MS` (`300`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HqSettings {
    pub host: String,
    pub port: u16,
    pub db_path: PathBuf,
    pub grid_warmup: Duration,
}

impl Default for HqSettings {
    fn default() -> Self {
        HqSettings {
            host: "127.0.0.1".into(),
            port: 8080,
            db_path: std::env::temp_dir().join("hero-hq.sqlite"),
            grid_warmup: Duration::from_millis(300),
        }
    }
}

/// The settings `main` parsed; read once by the `HqSettings` provider.
static CHOSEN: OnceLock<HqSettings> = OnceLock::new();

impl HqSettings {
    /// Parse `--flag value` / `--flag=value` arguments over the variables
    /// `env` returns, over the defaults.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let mut settings = HqSettings::default();
        let mut set = |key: &str, value: String| -> Result<(), String> {
            let bad = |e: &dyn std::fmt::Display| format!("invalid {key} `{value}`: {e}");
            match key {
                "host" => settings.host = value,
                "port" => settings.port = value.parse().map_err(|e| bad(&e))?,
                "db" => settings.db_path = PathBuf::from(value),
                "grid-warmup-ms" => {
                    let ms: u64 = value.parse().map_err(|e| bad(&e))?;
                    settings.grid_warmup = Duration::from_millis(ms);
                }
                _ => return Err(format!("unknown option `--{key}`")),
            }
            Ok(())
        };
        for (key, var) in [
            ("host", "HQ_HOST"),
            ("port", "PORT"),
            ("db", "HQ_DB"),
            ("grid-warmup-ms", "HQ_GRID_WARMUP_MS"),
        ] {
            if let Some(value) = env(var) {
                set(key, value)?;
            }
        }
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument `{arg}`"));
            };
            let (key, value) = match flag.split_once('=') {
                Some((key, value)) => (key.to_owned(), value.to_owned()),
                None => {
                    let value = args.next().ok_or(format!("`--{flag}` needs a value"))?;
                    (flag.to_owned(), value)
                }
            };
            set(&key, value)?;
        }
        Ok(settings)
    }

    /// Choose the settings for this process; call before bootstrap. The
    /// first call wins.
    pub fn choose(settings: HqSettings) {
        let _ = CHOSEN.set(settings);
    }
}

#[provider]
impl HqSettings {
    /// The chosen settings, or the defaults if `main` chose none.
    pub fn new() -> Self {
        CHOSEN.get().cloned().unwrap_or_default()
    }
}

#[module(providers = [HqSettings])]
#[derive(Debug)]
pub struct ConfigModule;
