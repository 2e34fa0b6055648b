//! Hero HQ end to end: the real binary under SIGTERM, and its health check
//! through every state in-process.

mod common;

use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{PATIENCE, Running, get, request, temp_path};
use lifecycle_examples::hero_hq::{self, HeroHq, HqSettings, operations::status_of};
use lifecycle_runtime::App;
use serde_json::{Value, json};
use tower::ServiceExt;

fn position(lines: &[String], needle: &str) -> usize {
    lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line containing {needle:?} in {lines:#?}"))
}

#[test]
fn sigterm_drains_in_flight_requests_then_tears_down_in_reverse_and_exits_0() {
    let db = temp_path("hero-hq.sqlite");
    let hq = Running::start(
        Command::new(env!("CARGO_BIN_EXE_hero-hq"))
            .args(["--port", "0", "--grid-warmup-ms", "200", "--db"])
            .arg(&db)
            .env("RUST_LOG", "info"),
    );
    let line = hq.wait_for_line("listening on http://");
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));

    // Ready only once every post_construct ran.
    let deadline = Instant::now() + PATIENCE;
    let body = loop {
        match get(addr, "/status/") {
            Ok((200, body)) => break body,
            Ok((503, _)) => {}
            other => panic!("unexpected answer from /status/: {other:?}"),
        }
        assert!(Instant::now() < deadline, "HQ did not become ready");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(hq.lines().iter().any(|l| l.contains("power grid online")));
    let status: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(status, json!({ "hq": "online", "grid": true }));

    // The database is real: a hero goes in and comes back out.
    let (code, body) = request(
        addr,
        "POST",
        "/heroes",
        Some(r#"{"name":"Captain Singleton","power":"being unique"}"#),
    )
    .unwrap();
    assert_eq!(code, 201, "{body}");
    let (code, body) = get(addr, "/heroes").unwrap();
    assert_eq!(code, 200);
    assert!(body.contains("Captain Singleton"), "{body}");

    // A slow mission is in flight when SIGTERM arrives.
    let slow_done = Arc::new(AtomicBool::new(false));
    let done = slow_done.clone();
    let slow = std::thread::spawn(move || {
        let answer = get(addr, "/missions/slow?ms=3000");
        done.store(true, Ordering::SeqCst);
        answer
    });
    hq.wait_for_line("slow mission started");
    hq.signal("TERM");
    hq.wait_for_line("draining");

    // New connections are refused while the slow mission still runs.
    let deadline = Instant::now() + PATIENCE;
    while TcpStream::connect_timeout(&addr, Duration::from_secs(5)).is_ok() {
        assert!(Instant::now() < deadline, "HQ kept accepting connections");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !slow_done.load(Ordering::SeqCst),
        "the listener should close before the in-flight mission ends"
    );

    let (code, body) = slow.join().unwrap().expect("the slow mission completes");
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({ "mission": "slow", "ms": 3000 })
    );

    let (status, lines) = hq.wait();
    assert_eq!(status.code(), Some(0), "exit status {status}");
    let _ = std::fs::remove_file(&db);

    // Drain first, then the app hook, then pre_destruct in reverse
    // dependency order: dependents before what they depend on.
    let order: Vec<usize> = [
        "slow mission started",
        "draining",
        "slow mission complete",
        "teardown: Dispatch recalled every hero",
        "HQ going dark",
        "teardown: MissionLog sealed",
        "teardown: PowerGrid powered down",
        "teardown: Roster closed",
        "teardown: Database closed",
        "stopped module=",
    ]
    .iter()
    .map(|needle| position(&lines, needle))
    .collect();
    assert!(
        order.is_sorted(),
        "lines out of order {order:?}: {lines:#?}"
    );
}

async fn call(router: &axum::Router, method: &str, uri: &str, body: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn status_is_503_until_every_post_construct_ran_and_again_once_draining() {
    HqSettings::choose(HqSettings {
        db_path: temp_path("hero-hq-status.sqlite"),
        grid_warmup: Duration::ZERO,
        ..HqSettings::default()
    });
    let hq = hero_hq::Hq::default();
    let router = hero_hq::router(hq.clone());

    // Before the app exists: every route answers 503.
    let (code, body) = call(&router, "GET", "/status/", "").await;
    assert_eq!(
        (code, body),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "hq": "starting", "grid": false })
        )
    );
    let (code, body) = call(&router, "GET", "/heroes", "").await;
    assert_eq!(
        (code, body["error"].clone()),
        (StatusCode::SERVICE_UNAVAILABLE, json!("hq_starting"))
    );

    // After every post_construct but before the app is ready: still 503.
    let during_startup = Arc::new(std::sync::Mutex::new(None));
    let seen = during_startup.clone();
    let app = hero_hq::builder()
        .after_startup(move |app: App<HeroHq>| {
            *seen.lock().unwrap() = Some(status_of(Some(&app)));
        })
        .bootstrap()
        .await
        .unwrap();
    let (code, body) = during_startup.lock().unwrap().take().unwrap();
    assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, json!({ "hq": "starting", "grid": true }));

    hq.set(app.clone());
    let (code, body) = call(&router, "GET", "/status/", "").await;
    assert_eq!(
        (code, body),
        (StatusCode::OK, json!({ "hq": "online", "grid": true }))
    );

    // The modules work together through the router.
    let (code, hero) = call(
        &router,
        "POST",
        "/heroes",
        r#"{"name":"Mx Quick","power":"speed"}"#,
    )
    .await;
    assert_eq!(code, StatusCode::CREATED);
    let (code, body) = call(
        &router,
        "POST",
        "/heroes",
        r#"{"name":"Dr. Gloom","power":"rain"}"#,
    )
    .await;
    assert_eq!(
        (code, body["error"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("villain_detected"))
    );
    let assignment = json!({ "hero_id": hero["id"], "task": "catch the train" }).to_string();
    let (code, mission) = call(&router, "POST", "/dispatch", &assignment).await;
    assert_eq!(code, StatusCode::CREATED);
    assert_eq!(mission["task"], "catch the train");
    let (code, body) = call(
        &router,
        "POST",
        "/dispatch",
        r#"{"hero_id":999,"task":"x"}"#,
    )
    .await;
    assert_eq!(
        (code, body["error"].clone()),
        (StatusCode::NOT_FOUND, json!("hero_not_found"))
    );

    // Draining: 503 again, while the grid is still up.
    let guard = app.in_flight();
    app.request_shutdown();
    let (code, body) = call(&router, "GET", "/status/", "").await;
    assert_eq!(
        (code, body),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "hq": "draining", "grid": true })
        )
    );
    drop(guard);
    app.shutdown().await.unwrap();
    let (code, body) = call(&router, "GET", "/status/", "").await;
    assert_eq!(
        (code, body),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "hq": "stopped", "grid": false })
        )
    );
}
