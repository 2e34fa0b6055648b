//! Shutdown latency of a real process: from `kill -TERM` to exit, for an
//! idle app of 100 providers whose hooks do nothing.
//!
//! ```text
//! cargo run --release -p lifecycle-bench --bin shutdown-latency -- [--runs 30]
//! ```
//!
//! Without `--child` it spawns itself `runs` times per kind, alternating
//! the kinds: a child bootstraps its graph, prints `ready` and waits for
//! SIGTERM; the parent then runs `kill -TERM` and times until the child
//! exited. Kinds: `sync` (no-op sync `#[pre_destruct]`, each runs on a
//! thread of its own), `async` (no-op async `#[pre_destruct]`), and
//! `handwritten` (the same graph wired by hand, a no-op `stop` per value,
//! shut down on tokio's SIGTERM stream). Before each TERM the parent also
//! times `kill -0` on the child: the cost of running `kill(1)` itself.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub mod sync_hooks {
    include!(concat!(env!("OUT_DIR"), "/latency_sync_hooks.rs"));
}
pub mod async_hooks {
    include!(concat!(env!("OUT_DIR"), "/latency_async_hooks.rs"));
}
pub mod handwritten {
    include!(concat!(env!("OUT_DIR"), "/latency_handwritten.rs"));
}

const KINDS: [&str; 3] = ["sync", "async", "handwritten"];

fn ready() {
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready").expect("stdout is open");
    out.flush().expect("stdout is open");
}

async fn child(kind: &str) {
    match kind {
        "sync" => {
            let app = sync_hooks::graph::AppModule::bootstrap().await.unwrap();
            ready();
            app.run_until_signal().await.unwrap();
        }
        "async" => {
            let app = async_hooks::graph::AppModule::bootstrap().await.unwrap();
            ready();
            app.run_until_signal().await.unwrap();
        }
        "handwritten" => {
            let parts = handwritten::graph::wiring::bootstrap();
            wait_for_term(ready).await;
            handwritten::graph::wiring::shutdown(parts);
        }
        other => panic!("unknown kind `{other}`; expected one of {KINDS:?}"),
    }
}

#[cfg(unix)]
async fn wait_for_term(ready: impl FnOnce()) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("can listen for SIGTERM");
    ready();
    term.recv().await;
}

#[cfg(not(unix))]
async fn wait_for_term(ready: impl FnOnce()) {
    ready();
    tokio::signal::ctrl_c()
        .await
        .expect("can listen for Ctrl-C");
}

/// One run of `kind`: (time from `kill -TERM` to exit, time of `kill -0`).
fn measure(kind: &str) -> (Duration, Duration) {
    let mut child = Command::new(std::env::current_exe().expect("own path"))
        .args(["--child", kind])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn the child");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("read the child's stdout");
    assert_eq!(line.trim(), "ready", "the child of kind `{kind}` started");
    let pid = child.id().to_string();
    let kill = |signal: &str| {
        let status = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("`kill` runs");
        assert!(status.success(), "kill {signal} {pid} failed");
    };
    let began = Instant::now();
    kill("-0");
    let overhead = began.elapsed();
    let began = Instant::now();
    kill("-TERM");
    let status = child.wait().expect("wait for the child");
    let latency = began.elapsed();
    assert!(
        status.success(),
        "the child of kind `{kind}` exited with {status}"
    );
    (latency, overhead)
}

fn percentile(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let kind = args.get(i + 1).expect("--child takes a kind");
        rt.block_on(child(kind));
        return;
    }
    let runs: usize = match args.iter().position(|a| a == "--runs") {
        Some(i) => args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .expect("--runs takes a number"),
        None => 30,
    };
    let mut latencies = vec![Vec::new(); KINDS.len()];
    let mut overheads = Vec::new();
    for _ in 0..runs {
        for (k, kind) in KINDS.iter().enumerate() {
            let (latency, overhead) = measure(kind);
            latencies[k].push(latency);
            overheads.push(overhead);
        }
    }
    let base = percentile(&latencies[2], 0.5);
    println!("SIGTERM to exit, 100 providers, {runs} runs per kind");
    println!("| kind | median | p90 | median vs handwritten |");
    println!("|---|---:|---:|---:|");
    for (k, kind) in KINDS.iter().enumerate() {
        let median = percentile(&latencies[k], 0.5);
        println!(
            "| {kind} | {:.2} ms | {:.2} ms | {:.2}x (+{:.2} ms) |",
            ms(median),
            ms(percentile(&latencies[k], 0.9)),
            ms(median) / ms(base),
            ms(median) - ms(base)
        );
    }
    println!(
        "`kill -0` alone (part of every figure): median {:.2} ms",
        ms(percentile(&overheads, 0.5))
    );
}
