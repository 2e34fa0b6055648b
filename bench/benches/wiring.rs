//! Run-time cost of the wiring, side by side in one run, on one generated
//! graph per size (same seed for every variant):
//!
//! - `bootstrap_shutdown`: `AppModule::bootstrap()` + `shutdown()` + drop
//!   vs the same graph wired by hand (`wiring::bootstrap()` +
//!   `wiring::shutdown()`); plus bootstrap without signal listeners, to
//!   show what installing them costs.
//! - `vs_shaku`: the same graph as shaku components, module built and
//!   every component resolved, vs bootstrap + `get` of every provider +
//!   shutdown, with and without the signal listeners (which shaku has no
//!   equivalent of). N = 10 and 100 only: shaku's `module!` of 1,000
//!   components takes many minutes to type-check.
//! - `get`: `app.get::<T>()` vs cloning an `Arc` field.
//!
//! ```text
//! cargo bench -p lifecycle-bench --bench wiring
//! cargo run --release -p lifecycle-bench --bin ratios
//! ```
//!
//! Every variant runs inside `block_on` of one current-thread runtime.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion};
use lifecycle_runtime::App;
use tokio::runtime::Runtime;

pub mod annotated_n10 {
    include!(concat!(env!("OUT_DIR"), "/annotated_10.rs"));
}
pub mod annotated_n100 {
    include!(concat!(env!("OUT_DIR"), "/annotated_100.rs"));
}
pub mod annotated_n1000 {
    include!(concat!(env!("OUT_DIR"), "/annotated_1000.rs"));
}
pub mod handwritten_n10 {
    include!(concat!(env!("OUT_DIR"), "/handwritten_10.rs"));
}
pub mod handwritten_n100 {
    include!(concat!(env!("OUT_DIR"), "/handwritten_100.rs"));
}
pub mod handwritten_n1000 {
    include!(concat!(env!("OUT_DIR"), "/handwritten_1000.rs"));
}
pub mod shaku_n10 {
    include!(concat!(env!("OUT_DIR"), "/shaku_10.rs"));
}
pub mod shaku_n100 {
    include!(concat!(env!("OUT_DIR"), "/shaku_100.rs"));
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

/// One iteration of an annotated variant: `$bootstrap` starts the app,
/// `$touch(&app)` uses it, then shutdown and drop.
macro_rules! cycle {
    ($rt:ident, $bootstrap:expr, $touch:expr) => {
        $rt.block_on(async {
            let app = $bootstrap.await.unwrap();
            $touch(&app);
            app.shutdown().await.unwrap();
            drop(black_box(app));
        })
    };
}

/// Bootstrap of `$annotated`'s app without the signal listeners.
macro_rules! quiet {
    ($annotated:ident) => {
        $annotated::graph::AppModule::builder()
            .handle_signals(false)
            .bootstrap()
    };
}

/// `bootstrap_shutdown` of one size: `$n` and its two generated modules.
macro_rules! bootstrap {
    ($c:ident, $rt:ident, $n:literal, $annotated:ident, $handwritten:ident) => {{
        let mut group = $c.benchmark_group("bootstrap_shutdown");
        group.bench_function(BenchmarkId::new("annotated", $n), |b| {
            b.iter(|| cycle!($rt, $annotated::graph::AppModule::bootstrap(), |_| ()))
        });
        group.bench_function(BenchmarkId::new("annotated_no_signals", $n), |b| {
            b.iter(|| cycle!($rt, quiet!($annotated), |_| ()))
        });
        group.bench_function(BenchmarkId::new("handwritten", $n), |b| {
            b.iter(|| {
                $rt.block_on(async {
                    let parts = $handwritten::graph::wiring::bootstrap();
                    $handwritten::graph::wiring::shutdown(black_box(parts));
                })
            })
        });
        group.finish();
    }};
}

/// `vs_shaku` of one size: `$n` and its two generated modules.
macro_rules! shaku {
    ($c:ident, $rt:ident, $n:literal, $annotated:ident, $shaku:ident) => {{
        let mut group = $c.benchmark_group("vs_shaku");
        group.bench_function(BenchmarkId::new("annotated", $n), |b| {
            b.iter(|| {
                cycle!(
                    $rt,
                    $annotated::graph::AppModule::bootstrap(),
                    $annotated::access::touch_all
                )
            })
        });
        // shaku has nothing like the SIGTERM/SIGINT listeners: the same
        // work without them.
        group.bench_function(BenchmarkId::new("annotated_no_signals", $n), |b| {
            b.iter(|| cycle!($rt, quiet!($annotated), $annotated::access::touch_all))
        });
        group.bench_function(BenchmarkId::new("shaku", $n), |b| {
            b.iter(|| {
                $rt.block_on(async {
                    let module = $shaku::graph::AppModule::builder().build();
                    $shaku::access::touch_all(&module);
                    drop(black_box(module));
                })
            })
        });
        group.finish();
    }};
}

fn bootstrap(c: &mut Criterion) {
    let rt = runtime();
    bootstrap!(c, rt, 10, annotated_n10, handwritten_n10);
    bootstrap!(c, rt, 100, annotated_n100, handwritten_n100);
    bootstrap!(c, rt, 1000, annotated_n1000, handwritten_n1000);
    shaku!(c, rt, 10, annotated_n10, shaku_n10);
    shaku!(c, rt, 100, annotated_n100, shaku_n100);
}

/// What a hand-written app keeps: a typed field.
struct Holder {
    value: Arc<annotated_n100::graph::P50>,
}

fn get(c: &mut Criterion) {
    use annotated_n100::graph::{AppModule, P50};
    use shaku::HasComponent;
    let rt = runtime();
    let app: App<AppModule> = rt.block_on(async { AppModule::bootstrap().await.unwrap() });
    let holder = Holder {
        value: app.get::<P50>(),
    };
    let module = shaku_n100::graph::AppModule::builder().build();
    let mut group = c.benchmark_group("get");
    group.bench_function(BenchmarkId::new("app_get", 100), |b| {
        b.iter(|| black_box(&app).get::<P50>())
    });
    group.bench_function(BenchmarkId::new("arc_clone", 100), |b| {
        b.iter(|| black_box(&holder).value.clone())
    });
    group.bench_function(BenchmarkId::new("shaku_resolve", 100), |b| {
        b.iter(|| HasComponent::<dyn shaku_n100::graph::IP50>::resolve(black_box(&module)))
    });
    group.finish();
    rt.block_on(app.shutdown()).unwrap();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bootstrap(&mut c);
    get(&mut c);
    c.final_summary();
}
