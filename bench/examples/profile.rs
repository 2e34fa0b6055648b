//! One variant of the `wiring` benchmark, in a plain loop, for profilers
//! and instruction counters (deterministic, unlike times on a shared
//! machine):
//!
//! ```text
//! cargo build --release -p lifecycle-bench --example profile
//! valgrind --tool=cachegrind target/release/examples/profile annotated 1000 200
//! valgrind --tool=cachegrind target/release/examples/profile handwritten 1000 200
//! ```
//!
//! Variants: `annotated` (bootstrap + shutdown + drop), `no_signals` (the
//! same with `.handle_signals(false)`), `handwritten` (the same graph wired
//! by hand). Then the size, 10 or 1000, and the number of iterations.

use std::hint::black_box;

pub mod annotated_n1000 {
    include!(concat!(env!("OUT_DIR"), "/annotated_1000.rs"));
}
pub mod handwritten_n1000 {
    include!(concat!(env!("OUT_DIR"), "/handwritten_1000.rs"));
}
pub mod annotated_n10 {
    include!(concat!(env!("OUT_DIR"), "/annotated_10.rs"));
}
pub mod handwritten_n10 {
    include!(concat!(env!("OUT_DIR"), "/handwritten_10.rs"));
}

/// One iteration of a variant at one size: `$annotated` and `$handwritten`
/// are the generated modules.
macro_rules! run {
    ($variant:expr, $annotated:ident, $handwritten:ident) => {{
        use $annotated::graph::AppModule;
        use $handwritten::graph::wiring;
        match $variant {
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
            _ => panic!("{USAGE}"),
        }
    }};
}

const USAGE: &str = "usage: profile <annotated|no_signals|handwritten> <10|1000> <iterations>";

fn main() {
    let mut args = std::env::args().skip(1);
    let variant = args.next().expect(USAGE);
    let size = args.next().expect(USAGE);
    let iterations: u32 = args.next().and_then(|n| n.parse().ok()).expect(USAGE);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    for _ in 0..iterations {
        rt.block_on(async {
            match size.as_str() {
                "10" => run!(variant.as_str(), annotated_n10, handwritten_n10),
                "1000" => run!(variant.as_str(), annotated_n1000, handwritten_n1000),
                _ => panic!("{USAGE}"),
            }
        })
    }
}
