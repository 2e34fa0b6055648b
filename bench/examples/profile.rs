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
//! At N = 10 also the `vs_shaku` set: `shaku` (module built, every
//! component resolved, dropped), and `touched` / `touched_no_signals`
//! (`annotated` / `no_signals` with every value fetched by `App::get`).
//!
//! `profile interleaved <10|1000> <rounds>` times the variants back to
//! back in every round (a batch of iterations each) and prints the median
//! of the rounds' ratios (to `handwritten`, and for the `vs_shaku` set to
//! `shaku`): on a shared machine whose speed drifts over seconds, a
//! steadier ratio than variants measured one after the other.

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
pub mod shaku_n10 {
    include!(concat!(env!("OUT_DIR"), "/shaku_10.rs"));
}

/// One iteration of a variant at one size: `$annotated` and `$handwritten`
/// are the generated modules.
macro_rules! run {
    ($variant:expr, $annotated:ident, $handwritten:ident) => {{
        use $annotated::graph::AppModule;
        use $handwritten::graph::wiring;
        match $variant {
            "annotated" | "no_signals" | "touched" | "touched_no_signals" => {
                let app = if $variant.ends_with("no_signals") {
                    AppModule::builder().handle_signals(false).bootstrap().await
                } else {
                    AppModule::bootstrap().await
                }
                .unwrap();
                if $variant.starts_with("touched") {
                    $annotated::access::touch_all(&app);
                }
                app.shutdown().await.unwrap();
                drop(black_box(app));
            }
            "handwritten" => wiring::shutdown(black_box(wiring::bootstrap())),
            _ => panic!("{USAGE}"),
        }
    }};
}

const USAGE: &str = "usage: profile <annotated|no_signals|handwritten|touched|touched_no_signals|shaku|interleaved> <10|1000> <iterations|rounds>";

/// Each variant with the one its ratio is taken to.
const VARIANTS: [(&str, &str); 6] = [
    ("annotated", "handwritten"),
    ("no_signals", "handwritten"),
    ("handwritten", "handwritten"),
    ("touched", "shaku"),
    ("touched_no_signals", "shaku"),
    ("shaku", "shaku"),
];

fn iterate(rt: &tokio::runtime::Runtime, variant: &str, size: &str, iterations: u32) {
    for _ in 0..iterations {
        rt.block_on(async {
            match (size, variant) {
                ("10", "shaku") => {
                    let module = shaku_n10::graph::AppModule::builder().build();
                    shaku_n10::access::touch_all(&module);
                    drop(black_box(module));
                }
                ("10", _) => run!(variant, annotated_n10, handwritten_n10),
                ("1000", _) => run!(variant, annotated_n1000, handwritten_n1000),
                _ => panic!("{USAGE}"),
            }
        })
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Every round times a batch of each variant, back to back.
fn interleaved(rt: &tokio::runtime::Runtime, size: &str, rounds: u32) {
    let batch = if size == "10" { 2_000 } else { 100 };
    // shaku's `module!` of 1,000 components is not generated.
    let variants: Vec<(&str, &str)> = VARIANTS
        .into_iter()
        .filter(|(_, baseline)| size == "10" || *baseline == "handwritten")
        .collect();
    let mut times = vec![Vec::new(); variants.len()];
    for _ in 0..rounds {
        for (v, (variant, _)) in variants.iter().enumerate() {
            let began = std::time::Instant::now();
            iterate(rt, variant, size, batch);
            times[v].push(began.elapsed().as_secs_f64() * 1e6 / f64::from(batch));
        }
    }
    for (v, (variant, baseline)) in variants.iter().enumerate() {
        let b = variants.iter().position(|(name, _)| name == baseline);
        let baseline_times = &times[b.expect("each baseline is a variant")];
        let ratios = times[v]
            .iter()
            .zip(baseline_times)
            .map(|(t, b)| t / b)
            .collect();
        println!(
            "{variant:>18} N = {size:>4}: median {:8.2} us, median ratio to {baseline} {:.2}x ({rounds} rounds)",
            median(times[v].clone()),
            median(ratios),
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let variant = args.next().expect(USAGE);
    let size = args.next().expect(USAGE);
    let count: u32 = args.next().and_then(|n| n.parse().ok()).expect(USAGE);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    if variant == "interleaved" {
        interleaved(&rt, &size, count);
    } else {
        iterate(&rt, &variant, &size, count);
    }
}
