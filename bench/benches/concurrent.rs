//! Concurrent startup on the real clock: 20 async providers whose
//! constructors each sleep 50 ms, in five levels of four (each provider
//! depends on one or two of the level below), so the critical path is
//! 5 × 50 ms = 250 ms and a sequential start takes 20 × 50 ms = 1 s.
//!
//! ```text
//! cargo bench -p lifecycle-bench --bench concurrent [-- --runs 9]
//! ```
//!
//! Alternates `.concurrent(true)` and the default sequential start,
//! bootstrap to ready on a current-thread runtime, and prints medians and
//! ratios to the critical path and to the sequential start.

#![allow(missing_debug_implementations)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use lifecycle_runtime::{module, provider};

const STEP: Duration = Duration::from_millis(50);

/// A provider whose async constructor sleeps [`STEP`].
macro_rules! sleeper {
    ($name:ident $(, $dep:ident : $ty:ident)*) => {
        pub struct $name {
            $(pub $dep: Arc<$ty>,)*
        }

        #[provider]
        impl $name {
            pub async fn new($($dep: Arc<$ty>),*) -> Self {
                tokio::time::sleep(STEP).await;
                $name { $($dep),* }
            }
        }
    };
}

sleeper!(A0);
sleeper!(A1);
sleeper!(A2);
sleeper!(A3);
sleeper!(B0, a0: A0);
sleeper!(B1, a0: A0, a1: A1);
sleeper!(B2, a2: A2);
sleeper!(B3, a2: A2, a3: A3);
sleeper!(C0, b0: B0, b1: B1);
sleeper!(C1, b1: B1);
sleeper!(C2, b2: B2, b3: B3);
sleeper!(C3, b3: B3);
sleeper!(D0, c0: C0);
sleeper!(D1, c0: C0, c1: C1);
sleeper!(D2, c2: C2);
sleeper!(D3, c1: C1, c3: C3);
sleeper!(E0, d0: D0, d1: D1);
sleeper!(E1, d1: D1);
sleeper!(E2, d2: D2, d3: D3);
sleeper!(E3, d3: D3);

#[module(providers = [A0, A1, A2, A3, B0, B1, B2, B3, C0, C1, C2, C3, D0, D1, D2, D3, E0, E1, E2, E3])]
pub struct AppModule;

async fn start(concurrent: bool) -> Duration {
    let began = Instant::now();
    let app = AppModule::builder()
        .concurrent(concurrent)
        .bootstrap()
        .await
        .expect("the graph starts");
    let elapsed = began.elapsed();
    app.shutdown().await.expect("the graph stops");
    elapsed
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // `cargo bench` passes `--bench`; `--runs N` overrides the default.
    let mut runs = 9;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args
                .next()
                .and_then(|s| s.parse().ok())
                .expect("--runs takes a number");
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let (mut concurrent, mut sequential) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        concurrent.push(rt.block_on(start(true)));
        sequential.push(rt.block_on(start(false)));
    }
    let critical = STEP * 5;
    let (c, s) = (median(concurrent), median(sequential));
    println!("concurrent startup, 20 providers x 50 ms, critical path 5, {runs} runs each");
    println!("| start | median | vs critical path (250 ms) | vs sequential |");
    println!("|---|---:|---:|---:|");
    for (name, d) in [("concurrent", c), ("sequential", s)] {
        println!(
            "| {name} | {:.1} ms | {:.3}x | {:.3}x |",
            ms(d),
            ms(d) / ms(critical),
            ms(d) / ms(s)
        );
    }
}
