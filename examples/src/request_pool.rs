//! A request-scoped resource: a connection taken from a pool that startup
//! created, and returned after each request.
//!
//! RestMachine writes it as a generator dependency:
//!
//! ```python
//! @app.dependency()
//! def database_connection(database_pool):
//!     conn = database_pool.getconn()
//!     try:
//!         yield conn
//!     finally:
//!         database_pool.putconn(conn)
//! ```
//!
//! `lifecycle` has no request scope. The Rust idiom needs none: the pool is
//! a provider (created and migrated at startup, closed at shutdown), and a
//! request takes a [`PooledConnection`] guard through an axum extractor.
//! The guard gives the connection back when it is dropped — after the
//! handler returned, or if it panicked — exactly like the `finally`.

use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{FromRef, FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use lifecycle_runtime::{App, module, provider};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde_json::{Value, json};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many connections the pool opens.
pub const POOL_SIZE: usize = 2;

/// A fixed-size pool of SQLite connections to one shared in-memory
/// database; requests beyond its size wait for a connection.
#[derive(Debug)]
pub struct ConnectionPool {
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
    checkouts: AtomicUsize,
}

#[provider]
impl ConnectionPool {
    /// Open every connection up front (blocking: a thread of its own).
    #[constructor(blocking, timeout = "5s")]
    pub fn open() -> Result<Self, rusqlite::Error> {
        static POOLS: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "file:pool-{}-{}?mode=memory&cache=shared",
            std::process::id(),
            POOLS.fetch_add(1, Ordering::SeqCst)
        );
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI;
        let idle = (0..POOL_SIZE)
            .map(|_| Connection::open_with_flags(&name, flags))
            .collect::<Result<Vec<_>, _>>()?;
        println!("pool: opened {POOL_SIZE} connections");
        Ok(ConnectionPool {
            idle: Mutex::new(idle),
            permits: Arc::new(Semaphore::new(POOL_SIZE)),
            checkouts: AtomicUsize::new(0),
        })
    }

    /// Create and fill the table before any request can run.
    #[post_construct]
    fn migrate(&self) -> Result<(), rusqlite::Error> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        idle[0].execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'grace');",
        )
    }

    /// Close every connection. Shutdown drained the requests first, so all
    /// of them are back in the pool.
    #[pre_destruct]
    fn close_all(&self) -> Result<(), std::io::Error> {
        self.permits.close();
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|e| e.into_inner()));
        let closed = idle.len();
        for conn in idle {
            conn.close().map_err(|(_, e)| std::io::Error::other(e))?;
        }
        println!("pool: closed {closed} of {POOL_SIZE} connections");
        if closed == POOL_SIZE {
            Ok(())
        } else {
            Err(std::io::Error::other(
                "connections still checked out at shutdown",
            ))
        }
    }
}

impl ConnectionPool {
    /// Take a connection, waiting while all are in use; `None` once the
    /// pool closed.
    pub async fn get(self: &Arc<Self>) -> Option<PooledConnection> {
        let permit = self.permits.clone().acquire_owned().await.ok()?;
        let conn = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()?;
        self.checkouts.fetch_add(1, Ordering::SeqCst);
        Some(PooledConnection {
            conn: Some(conn),
            pool: self.clone(),
            _permit: permit,
        })
    }

    /// Connections not checked out right now.
    pub fn idle(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Connections handed out so far.
    pub fn checkouts(&self) -> usize {
        self.checkouts.load(Ordering::SeqCst)
    }
}

/// A connection on loan; derefs to [`Connection`], goes back on drop.
#[derive(Debug)]
pub struct PooledConnection {
    conn: Option<Connection>,
    pool: Arc<ConnectionPool>,
    // Dropped after `drop` put the connection back: a waiter that gets
    // this permit always finds a connection.
    _permit: OwnedSemaphorePermit,
}

impl Deref for PooledConnection {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("present until dropped")
    }
}

impl Drop for PooledConnection {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(conn);
        }
    }
}

#[module(providers = [ConnectionPool])]
#[derive(Debug)]
pub struct PoolModule;

#[derive(Debug, Clone, FromRef)]
pub struct AppState {
    pub pool: Arc<ConnectionPool>,
}

impl AppState {
    pub fn of(app: &App<PoolModule>) -> Self {
        AppState {
            pool: app.get::<ConnectionPool>(),
        }
    }
}

/// The extractor: one connection per request, for the request's length.
impl<S> FromRequestParts<S> for PooledConnection
where
    Arc<ConnectionPool>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(_parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let pool = Arc::<ConnectionPool>::from_ref(state);
        pool.get()
            .await
            .ok_or((StatusCode::SERVICE_UNAVAILABLE, "the pool is closed"))
    }
}

/// `GET /users/{id}`: the handler gets a connection by asking for one.
async fn get_user(
    Path(id): Path<i64>,
    State(pool): State<Arc<ConnectionPool>>,
    conn: PooledConnection,
) -> Result<Json<Value>, StatusCode> {
    let name: Option<String> = conn
        .query_row("SELECT name FROM users WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let name = name.ok_or(StatusCode::NOT_FOUND)?;
    // While this request holds its connection, one fewer is idle.
    Ok(Json(
        json!({ "id": id, "name": name, "idle_during_request": pool.idle() }),
    ))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/users/{id}", get(get_user))
        .with_state(state)
}
