//! Writes the generated graphs the scale tests and benchmarks include.

#[path = "src/generator.rs"]
#[allow(dead_code)]
mod generator;

use generator::{Graph, Shape, Variant};

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
    println!("cargo::rerun-if-changed=src/generator.rs");
    println!("cargo::rerun-if-changed=build.rs");
}
