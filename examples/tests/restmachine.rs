//! RestMachine's ideas: startup values injected into handlers by type,
//! shutdown hooks that receive dependencies, and a request-scoped
//! connection from a startup-created pool, given back when the request's
//! scope closes.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use lifecycle_examples::{request_pool, startup_values};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let request = Request::get(uri).body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, body)
}

#[tokio::test]
async fn handlers_receive_startup_values_and_shutdown_hooks_receive_dependencies() {
    use startup_values::{AppState, Database, Journal, builder, router};

    let app = builder().bootstrap().await.unwrap();
    let router = router(AppState::of(&app));

    assert_eq!(
        get(&router, "/users").await,
        (StatusCode::OK, json!(["ada", "grace", "linus"]))
    );
    assert_eq!(
        get(&router, "/status").await,
        (
            StatusCode::OK,
            json!({ "db": true, "cache": "hello", "version": "1.4.2" })
        )
    );

    let database = app.get::<Database>();
    app.shutdown().await.unwrap();
    // The on_shutdown hook got the database and closed it; the cache's own
    // pre_destruct ran after it (reverse order: Cache was built last).
    assert!(!database.is_connected());
    assert_eq!(
        app.get::<Journal>().lines(),
        [
            "on_shutdown: closing the database",
            "pre_destruct Cache: flushed 1 entries"
        ]
    );
}

#[tokio::test]
async fn each_request_leases_a_pooled_connection_that_its_scope_gives_back() {
    use request_pool::{AppState, ConnectionPool, Lease, POOL_SIZE, PoolModule, router};

    let app = PoolModule::bootstrap().await.unwrap();
    let pool = app.get::<ConnectionPool>();
    let router = router(AppState::of(&app));
    assert_eq!(pool.idle(), POOL_SIZE);

    for (n, (id, name)) in [(1, "ada"), (2, "grace"), (1, "ada")]
        .into_iter()
        .enumerate()
    {
        let (status, body) = get(&router, &format!("/users/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        // During the request one connection was out; after it, all are back.
        assert_eq!(
            body,
            json!({ "id": id, "name": name, "idle_during_request": POOL_SIZE - 1 })
        );
        assert_eq!(pool.idle(), POOL_SIZE);
        assert_eq!(pool.checkouts(), n + 1);
        // Given back by `Lease`'s `pre_destruct`, when the request's scope
        // closed: nothing else puts a connection back.
        assert_eq!(pool.returns(), n + 1);
    }
    // A 404 returns its connection too.
    assert_eq!(get(&router, "/users/99").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        (pool.idle(), pool.checkouts(), pool.returns()),
        (POOL_SIZE, 4, 4)
    );

    // With every connection leased, a request waits for one to come back.
    let held = [app.scope(), app.scope()];
    for scope in &held {
        scope.get::<Lease>().await.unwrap();
    }
    assert_eq!(pool.idle(), 0);
    let waiting = tokio::spawn({
        let router = router.clone();
        async move { get(&router, "/users/2").await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        !waiting.is_finished(),
        "a request got a connection the pool did not have"
    );
    // Closing one scope gives its connection back; the request takes it.
    let [first, second] = held;
    first.close().await.unwrap();
    let (status, body) = waiting.await.unwrap();
    assert_eq!(
        (status, body["name"].clone()),
        (StatusCode::OK, json!("grace"))
    );
    assert_eq!(pool.idle(), POOL_SIZE - 1);
    second.close().await.unwrap();
    assert_eq!(pool.idle(), POOL_SIZE);
    assert_eq!(pool.returns(), pool.checkouts());

    // Shutdown closes every connection; the pool then refuses requests.
    app.shutdown().await.unwrap();
    assert_eq!(pool.idle(), 0);
    assert_eq!(
        get(&router, "/users/1").await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn a_request_dropped_half_way_still_gives_its_connection_back() {
    use request_pool::{ConnectionPool, Lease, POOL_SIZE, PoolModule};

    let app = PoolModule::bootstrap().await.unwrap();
    let pool = app.get::<ConnectionPool>();
    // A handler that took its connection and never finished: its client
    // went away (a panic unwinds the same way).
    let (leased, has_lease) = tokio::sync::oneshot::channel();
    let request = tokio::spawn({
        let app = app.clone();
        async move {
            let scope = app.scope();
            let _lease = scope.get::<Lease>().await.unwrap();
            leased.send(()).unwrap();
            std::future::pending::<()>().await;
        }
    });
    has_lease.await.unwrap();
    assert_eq!(pool.idle(), POOL_SIZE - 1);
    request.abort();
    assert!(request.await.unwrap_err().is_cancelled());

    // The unclosed scope runs the `pre_destruct` in a task of its own,
    // which shutdown waits for: the pool then closes with every
    // connection back.
    app.shutdown().await.unwrap();
    assert_eq!((pool.checkouts(), pool.returns()), (1, 1));
}

#[tokio::test]
async fn a_connection_still_out_at_shutdown_is_reported() {
    use request_pool::{Lease, PoolModule};

    let app = PoolModule::builder()
        .drain_timeout(Duration::from_millis(100))
        .bootstrap()
        .await
        .unwrap();
    let stuck = app.scope();
    stuck.get::<Lease>().await.unwrap();
    let err = app.shutdown().await.unwrap_err().to_string();
    // Shutdown waited for the open scope, gave up, and the pool found a
    // connection missing.
    assert!(err.contains("in-flight work"), "{err}");
    assert!(err.contains("ConnectionPool"), "{err}");
    assert!(err.contains("still checked out"), "{err}");
    stuck.close().await.unwrap();
}
