//! Writes the generated graphs the scale tests and benchmarks include.

#[path = "src/generator.rs"]
#[allow(dead_code)]
mod generator;

use generator::{Graph, Hooks, Shape, Variant};

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let write = |name: &str, text: String| {
        std::fs::write(format!("{out}/{name}.rs"), text).expect("OUT_DIR is writable");
    };
    // 1,000 providers in one module (default recursion limit).
    let one = Graph::new(Shape {
        providers: 1000,
        per_module: 1000,
        seed: 1,
    });
    write("one_module_1000", one.inline(Variant::Annotated));
    // 2,080 providers in 130 modules of 16, a 4-ary import tree.
    let tree = Graph::new(Shape {
        providers: 2080,
        per_module: 16,
        seed: 2,
    });
    write("tree_2080", tree.inline(Variant::Annotated));

    // benches/wiring.rs: one graph per size in three variants, each to be
    // included as `pub mod {variant}_n{size} { include!(…) }`. Shaku only up
    // to 100: `cargo check` of its 1,000-component module takes many
    // minutes (README, "Performance").
    for n in [10, 100, 1000] {
        let graph = Graph::new(Shape {
            providers: n,
            per_module: 16,
            seed: 7,
        });
        for (variant, name) in [
            (Variant::Annotated, "annotated"),
            (Variant::Handwritten, "handwritten"),
            (Variant::Shaku, "shaku"),
        ] {
            if variant == Variant::Shaku && n > 100 {
                continue;
            }
            let root = format!("crate::{name}_n{n}");
            let text = graph.inline_at(variant, &format!("{root}::graph"))
                + &graph.accessors(variant, &format!("{root}::graph"));
            write(&format!("{name}_{n}"), text);
        }
    }

    // src/bin/shutdown-latency.rs: 100 providers with no-op hooks.
    let latency = Graph::new(Shape {
        providers: 100,
        per_module: 16,
        seed: 7,
    });
    for (hooks, variant, name) in [
        (Hooks::Sync, Variant::Annotated, "sync_hooks"),
        (Hooks::Async, Variant::Annotated, "async_hooks"),
        (Hooks::Sync, Variant::Handwritten, "handwritten"),
    ] {
        let graph = latency.clone().with_hooks(hooks);
        write(
            &format!("latency_{name}"),
            graph.inline_at(variant, &format!("crate::{name}::graph")),
        );
    }
    // tests/scale_one_module.rs: 1,000 providers with a constructor and a
    // `pre_destruct` each, so that startup times every one of them.
    let timed = Graph::new(Shape {
        providers: 1000,
        per_module: 16,
        seed: 3,
    })
    .with_hooks(Hooks::Async);
    write(
        "timed_1000",
        timed.inline_at(Variant::Annotated, "crate::timed::graph"),
    );
    println!("cargo::rerun-if-changed=src/generator.rs");
    println!("cargo::rerun-if-changed=build.rs");
}
