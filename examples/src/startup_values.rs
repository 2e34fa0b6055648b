//! Values built at startup, injected by type into request handlers; and
//! shutdown hooks that receive the dependencies they clean up.
//!
//! RestMachine registers `@app.on_startup def database(): …` and injects the
//! return value into any handler with a parameter named `database`. Here
//! each startup value is a provider; after bootstrap the app's values go
//! into an axum state, and a handler asks for one by its type:
//! `State(db): State<Arc<Database>>`. A type the module does not provide
//! is a compile error at `app.get::<T>()`, not a runtime lookup failure.
//!
//! Cleanup comes in two forms: a provider's own `#[pre_destruct]` (the
//! cache), or an app-level `on_shutdown` hook that takes the app and asks
//! it for the dependency it closes (the database), like RestMachine's
//! `@app.on_shutdown def close_database(database): …`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{FromRef, State};
use axum::routing::get;
use axum::{Json, Router};
use lifecycle_runtime::{App, Builder, module, provider};
use serde_json::{Value, json};

/// The lines the example prints, kept for the test to read; provided like
/// any other value.
#[derive(Debug, Default)]
pub struct Journal {
    lines: Mutex<Vec<String>>,
}

#[provider]
impl Journal {
    pub fn new() -> Self {
        Journal::default()
    }
}

impl Journal {
    fn note(&self, line: String) {
        println!("{line}");
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(line);
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// `@app.on_startup def config(): …`
#[derive(Debug)]
pub struct Config {
    pub version: &'static str,
    pub db_url: &'static str,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: "1.4.2",
            db_url: ":memory:",
        }
    }
}

#[provider]
impl Config {
    pub fn new() -> Self {
        Config::default()
    }
}

/// `@app.on_startup def database(config): …`: an in-memory SQLite
/// database with a few users.
#[derive(Debug)]
pub struct Database {
    conn: Mutex<Option<rusqlite::Connection>>,
}

#[provider]
impl Database {
    #[constructor(blocking)]
    pub fn connect(config: &Config) -> Result<Self, rusqlite::Error> {
        let conn = rusqlite::Connection::open(config.db_url)?;
        conn.execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             INSERT INTO users (name) VALUES ('ada'), ('grace'), ('linus');",
        )?;
        Ok(Database {
            conn: Mutex::new(Some(conn)),
        })
    }
}

impl Database {
    pub fn is_connected(&self) -> bool {
        self.conn
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    pub fn user_names(&self) -> Vec<String> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let Some(conn) = conn.as_ref() else {
            return Vec::new();
        };
        let mut stmt = conn
            .prepare("SELECT name FROM users ORDER BY id")
            .expect("the users table exists");
        stmt.query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .unwrap_or_default()
    }

    /// Close the connection; later queries see no users.
    pub fn close(&self) -> Result<(), rusqlite::Error> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner()).take();
        match conn {
            Some(conn) => conn.close().map_err(|(_, e)| e),
            None => Ok(()),
        }
    }
}

/// `@app.on_startup def cache(config): …`, with its own cleanup.
#[derive(Debug)]
pub struct Cache {
    entries: Mutex<HashMap<String, String>>,
    journal: Arc<Journal>,
}

#[provider]
impl Cache {
    pub fn new(journal: Arc<Journal>) -> Self {
        Cache {
            entries: Mutex::new(HashMap::from([("motd".into(), "hello".into())])),
            journal,
        }
    }

    #[pre_destruct]
    fn flush(&self) {
        let n = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
            .count();
        self.journal
            .note(format!("pre_destruct Cache: flushed {n} entries"));
    }
}

impl Cache {
    pub fn get(&self, key: &str) -> Option<String> {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }
}

#[module(providers = [Journal, Config, Database, Cache])]
#[derive(Debug)]
pub struct RestModule;

/// The startup values handlers may take, each by its type.
#[derive(Debug, Clone, FromRef)]
pub struct AppState {
    pub config: Arc<Config>,
    pub database: Arc<Database>,
    pub cache: Arc<Cache>,
}

impl AppState {
    pub fn of(app: &App<RestModule>) -> Self {
        AppState {
            config: app.get::<Config>(),
            database: app.get::<Database>(),
            cache: app.get::<Cache>(),
        }
    }
}

/// `GET /users`: takes only the database.
async fn users(State(database): State<Arc<Database>>) -> Json<Vec<String>> {
    Json(database.user_names())
}

/// `GET /status`: takes all three startup values.
async fn status(
    State(database): State<Arc<Database>>,
    State(cache): State<Arc<Cache>>,
    State(config): State<Arc<Config>>,
) -> Json<Value> {
    Json(json!({
        "db": database.is_connected(),
        "cache": cache.get("motd"),
        "version": config.version,
    }))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/users", get(users))
        .route("/status", get(status))
        .with_state(state)
}

/// The app, with a shutdown hook that receives the database it closes.
pub fn builder() -> Builder<RestModule> {
    RestModule::builder().on_shutdown(|app: App<RestModule>| {
        let database = app.get::<Database>();
        app.get::<Journal>()
            .note("on_shutdown: closing the database".into());
        database.close()
    })
}
