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
//! Here the pool is a singleton provider, opened and migrated at startup
//! and closed at shutdown, and the connection is a request-scoped one:
//! [`Lease`] is `#[provider(scope = request)]`. Its async constructor takes
//! a connection from the pool, waiting while all are out (the `getconn()`
//! before the `yield`), and its `#[pre_destruct]` gives it back (the
//! `finally: putconn`).
//!
//! On the axum side, the [`request_scope`] middleware opens a
//! [`Scope`] for each request and closes it once the handler has returned,
//! so the connection is back in the pool before the response goes out. The
//! [`Db`] extractor asks that scope for the lease: only a handler that
//! takes one takes a connection. A request whose handler panics, or whose
//! client goes away, drops its scope unclosed; the scope then runs the
//! `pre_destruct` in a task of its own, which shutdown waits for, as the
//! `finally` runs on an exception.

use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{FromRef, FromRequestParts, Path, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use lifecycle_runtime::{App, Scope, module, provider};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

/// How many connections the pool opens.
pub const POOL_SIZE: usize = 2;

/// A fixed-size pool of SQLite connections to one shared in-memory
/// database; requests beyond its size wait for a connection.
#[derive(Debug)]
pub struct ConnectionPool {
    idle: Mutex<Vec<Connection>>,
    /// One permit per idle connection; closed at shutdown.
    permits: Semaphore,
    checkouts: AtomicUsize,
    returns: AtomicUsize,
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
            permits: Semaphore::new(POOL_SIZE),
            checkouts: AtomicUsize::new(0),
            returns: AtomicUsize::new(0),
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

    /// Close every connection. Shutdown drained the requests (their scopes)
    /// first, so all of them are back in the pool.
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
    /// Connections not checked out right now.
    pub fn idle(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Connections handed out so far.
    pub fn checkouts(&self) -> usize {
        self.checkouts.load(Ordering::SeqCst)
    }

    /// Connections given back so far, each by a [`Lease`]'s `pre_destruct`.
    pub fn returns(&self) -> usize {
        self.returns.load(Ordering::SeqCst)
    }
}

/// Why a [`Lease`] could not be taken: the pool closed at shutdown.
#[derive(Debug)]
pub struct PoolClosed;

impl std::fmt::Display for PoolClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the pool is closed")
    }
}

impl std::error::Error for PoolClosed {}

/// One request's connection, on loan from the pool: built by the request's
/// scope the first time something asks for it, given back when the scope
/// closes.
#[derive(Debug)]
pub struct Lease {
    conn: Mutex<Option<Connection>>,
    pool: Arc<ConnectionPool>,
}

#[provider(scope = request)]
impl Lease {
    /// `getconn()`: wait for an idle connection, up to the timeout; a
    /// closed pool is an error.
    #[constructor(timeout = "5s")]
    pub async fn take(pool: Arc<ConnectionPool>) -> Result<Self, PoolClosed> {
        let permit = pool.permits.acquire().await.map_err(|_| PoolClosed)?;
        let conn = pool
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .ok_or(PoolClosed)?;
        // The permit comes back with the connection, in `give_back`: a
        // lease that is never given back keeps both.
        permit.forget();
        pool.checkouts.fetch_add(1, Ordering::SeqCst);
        Ok(Lease {
            conn: Mutex::new(Some(conn)),
            pool,
        })
    }

    /// `putconn()`: the connection goes back, and a waiting request may
    /// take it. Async: it never blocks, so it runs on the closing task.
    #[pre_destruct]
    async fn give_back(&self) {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(conn) = conn {
            let pool = &self.pool;
            pool.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(conn);
            pool.returns.fetch_add(1, Ordering::SeqCst);
            pool.permits.add_permits(1);
        }
    }
}

impl Lease {
    /// The connection, for this request's queries.
    ///
    /// # Panics
    ///
    /// If the lease was given back already: it outlived its request.
    pub fn connection(&self) -> LeasedConnection<'_> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        assert!(conn.is_some(), "the lease was given back with its scope");
        LeasedConnection(conn)
    }
}

/// A [`Lease`]'s connection, borrowed; derefs to [`Connection`].
#[derive(Debug)]
pub struct LeasedConnection<'a>(MutexGuard<'a, Option<Connection>>);

impl Deref for LeasedConnection<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.0.as_ref().expect("checked by `Lease::connection`")
    }
}

#[module(providers = [ConnectionPool, Lease])]
#[derive(Debug)]
pub struct PoolModule;

#[derive(Debug, Clone, FromRef)]
pub struct AppState {
    pub app: App<PoolModule>,
    pub pool: Arc<ConnectionPool>,
}

impl AppState {
    pub fn of(app: &App<PoolModule>) -> Self {
        AppState {
            app: app.clone(),
            pool: app.get::<ConnectionPool>(),
        }
    }
}

/// The scope of the request being handled; see [`request_scope`].
#[derive(Debug, Clone)]
pub struct RequestScope(pub Arc<Scope<PoolModule>>);

/// Middleware: open a scope for the request, and close it once the handler
/// has returned, so everything the request built (its lease) is given back
/// before the response goes out.
pub async fn request_scope(
    State(app): State<App<PoolModule>>,
    mut request: Request,
    next: Next,
) -> Response {
    let scope = Arc::new(app.scope());
    request.extensions_mut().insert(RequestScope(scope.clone()));
    let response = next.run(request).await;
    // The request and its extractors are gone, so this is the last handle;
    // if one outlived the request, dropping it tears the scope down.
    if let Some(scope) = Arc::into_inner(scope)
        && let Err(e) = scope.close().await
    {
        tracing::warn!("closing a request scope: {e}");
    }
    response
}

/// The extractor: the request's [`Lease`], taken from the request's scope
/// on first use.
#[derive(Debug)]
pub struct Db(pub Arc<Lease>);

impl<S: Send + Sync> FromRequestParts<S> for Db {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let RequestScope(scope) = parts.extensions.get::<RequestScope>().cloned().ok_or((
            StatusCode::INTERNAL_SERVER_ERROR,
            "no request scope: add the `request_scope` middleware",
        ))?;
        match scope.get::<Lease>().await {
            Ok(lease) => Ok(Db(lease)),
            Err(e) => {
                tracing::warn!("{e}");
                Err((StatusCode::SERVICE_UNAVAILABLE, "no database connection"))
            }
        }
    }
}

/// `GET /users/{id}`: the handler gets a connection by asking for one.
async fn get_user(
    Path(id): Path<i64>,
    State(pool): State<Arc<ConnectionPool>>,
    Db(lease): Db,
) -> Result<Json<Value>, StatusCode> {
    let name: Option<String> = lease
        .connection()
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
        .route_layer(middleware::from_fn_with_state(state.clone(), request_scope))
        .with_state(state)
}
