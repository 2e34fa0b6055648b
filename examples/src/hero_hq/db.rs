//! The database: one SQLite file, opened and migrated at startup, closed at
//! shutdown after everything that uses it stopped.

use std::sync::{Arc, Mutex};

use lifecycle_runtime::{module, provider};
use rusqlite::Connection;

use super::config::{ConfigModule, HqSettings};

/// Why a query failed.
#[derive(Debug)]
pub enum DbError {
    /// The database was already closed by shutdown.
    Closed,
    /// SQLite said no.
    Sqlite(rusqlite::Error),
    /// The query panicked or its thread was lost.
    Lost,
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Closed => f.write_str("the database is closed"),
            DbError::Sqlite(e) => write!(f, "sqlite: {e}"),
            DbError::Lost => f.write_str("the query did not finish"),
        }
    }
}

impl std::error::Error for DbError {}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        DbError::Sqlite(e)
    }
}

/// One SQLite connection shared by every module (SQLite serialises writes
/// anyway). Queries run on tokio's blocking pool, never on the executor.
#[derive(Debug)]
pub struct Database {
    conn: Mutex<Option<Connection>>,
}

#[provider]
impl Database {
    /// Opening a file may block: a thread of its own, under a timeout.
    #[constructor(blocking, timeout = "5s")]
    pub fn open(settings: &HqSettings) -> Result<Self, rusqlite::Error> {
        let conn = Connection::open(&settings.db_path)?;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        tracing::info!(path = %settings.db_path.display(), "database opened");
        Ok(Database {
            conn: Mutex::new(Some(conn)),
        })
    }

    /// Create the tables before anything that queries them starts.
    #[post_construct(timeout = "5s")]
    fn create_tables(&self) -> Result<(), DbError> {
        self.with(|conn| {
            conn.execute_batch(
                "CREATE TABLE IF NOT EXISTS heroes (
                     id    INTEGER PRIMARY KEY AUTOINCREMENT,
                     name  TEXT NOT NULL UNIQUE,
                     power TEXT NOT NULL
                 );
                 CREATE TABLE IF NOT EXISTS missions (
                     id      INTEGER PRIMARY KEY AUTOINCREMENT,
                     hero_id INTEGER NOT NULL REFERENCES heroes(id),
                     task    TEXT NOT NULL
                 );",
            )
        })?;
        tracing::info!("database tables ready");
        Ok(())
    }

    /// Runs last: every module that queries it has stopped by now.
    #[pre_destruct(timeout = "5s")]
    fn close(&self) -> Result<(), rusqlite::Error> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(conn) = conn {
            conn.close().map_err(|(_, e)| e)?;
        }
        tracing::info!("teardown: Database closed");
        Ok(())
    }

    fn with<R>(
        &self,
        query: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> Result<R, DbError> {
        let guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let conn = guard.as_ref().ok_or(DbError::Closed)?;
        Ok(query(conn)?)
    }

    /// Run `query` on the blocking pool.
    pub async fn call<R: Send + 'static>(
        self: &Arc<Self>,
        query: impl FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R, DbError> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.with(query))
            .await
            .map_err(|_| DbError::Lost)?
    }
}

#[module(imports = [ConfigModule], providers = [Database])]
#[derive(Debug)]
pub struct DatabaseModule;
