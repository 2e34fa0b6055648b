//! One variant of the `wiring` benchmark at N = 1,000, in a plain loop, for
//! profilers and instruction counters (deterministic, unlike times on a
//! shared machine):
//!
//! ```text
//! cargo build --release -p lifecycle-bench --example profile
//! valgrind --tool=cachegrind target/release/examples/profile annotated 200
//! valgrind --tool=cachegrind target/release/examples/profile handwritten 200
//! ```
//!
//! Variants: `annotated` (bootstrap + shutdown + drop), `no_signals` (the
//! same with `.handle_signals(false)`), `handwritten` (the same graph wired
//! by hand). The second argument is the number of iterations.

use std::hint::black_box;

pub mod annotated_n1000 {
    include!(concat!(env!("OUT_DIR"), "/annotated_1000.rs"));
}
pub mod handwritten_n1000 {
    include!(concat!(env!("OUT_DIR"), "/handwritten_1000.rs"));
}

use annotated_n1000::graph::AppModule;
use handwritten_n1000::graph::wiring;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: profile <annotated|no_signals|handwritten> <iterations>";
    let variant = args.next().expect(usage);
    let iterations: u32 = args.next().and_then(|n| n.parse().ok()).expect(usage);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    for _ in 0..iterations {
        rt.block_on(async {
            match variant.as_str() {
                "annotated" => {
                    let app = AppModule::bootstrap().await.unwrap();
                    app.shutdown().await.unwrap();
                    drop(black_box(app));
                }
                "no_signals" => {
                    let app = AppModule::builder()
                        .handle_signals(false)
                        .bootstrap()
                        .await
                        .unwrap();
                    app.shutdown().await.unwrap();
                    drop(black_box(app));
                }
                "handwritten" => wiring::shutdown(black_box(wiring::bootstrap())),
                _ => panic!("{usage}"),
            }
        })
    }
}
