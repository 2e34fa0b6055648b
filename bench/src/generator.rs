//! Generates user crates' source: N providers in a random DAG (about two
//! dependencies each), in modules of 16 arranged as a 4-ary import tree, in
//! two variants — annotated with this library, and wired by hand. Used by
//! `build.rs` (scale tests, run-time benchmarks) and by `scripts/build-time`.

use std::fmt::Write;

/// The shape of one generated graph.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Number of providers.
    pub providers: usize,
    /// Providers per module (the last module may hold fewer).
    pub per_module: usize,
    /// Seed of the pseudo-random dependencies.
    pub seed: u64,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64: small, deterministic, good enough for graph shapes.
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The generated graph: modules, their providers and dependencies.
#[derive(Debug)]
pub struct Graph {
    /// `modules[m]` lists provider ids.
    pub modules: Vec<Vec<usize>>,
    /// `imports[m]` lists module ids.
    pub imports: Vec<Vec<usize>>,
    /// `deps[p]` lists provider ids.
    pub deps: Vec<Vec<usize>>,
}

impl Graph {
    /// Build the graph of `shape`.
    pub fn new(shape: Shape) -> Graph {
        let count = shape.providers.div_ceil(shape.per_module).max(1);
        let mut rng = Rng(shape.seed);
        let modules: Vec<Vec<usize>> = (0..count)
            .map(|m| {
                (m * shape.per_module..((m + 1) * shape.per_module).min(shape.providers)).collect()
            })
            .collect();
        // Module m imports 4m+1 ..= 4m+4: module 0 is the root.
        let imports: Vec<Vec<usize>> = (0..count)
            .map(|m| (4 * m + 1..=4 * m + 4).filter(|c| *c < count).collect())
            .collect();
        // Providers visible to module m: its own and its subtree's.
        let mut subtree: Vec<Vec<usize>> = vec![Vec::new(); count];
        for m in (0..count).rev() {
            let mut seen = modules[m].clone();
            for &c in &imports[m] {
                seen.extend(subtree[c].iter().copied());
            }
            subtree[m] = seen;
        }
        let mut deps = vec![Vec::new(); shape.providers];
        for m in 0..count {
            let mut visible: Vec<usize> = imports[m]
                .iter()
                .flat_map(|&c| subtree[c].iter().copied())
                .collect();
            for &p in &modules[m] {
                let mut ds = Vec::new();
                for _ in 0..2 {
                    if !visible.is_empty() {
                        let d = visible[rng.below(visible.len())];
                        if !ds.contains(&d) {
                            ds.push(d);
                        }
                    }
                }
                deps[p] = ds;
                visible.push(p);
            }
        }
        Graph {
            modules,
            imports,
            deps,
        }
    }

    /// The annotated program: `pub mod graph { … }` with `AppModule` the root.
    pub fn annotated(&self) -> String {
        let mut s = String::from(
            "pub mod graph {\n#![allow(dead_code, missing_debug_implementations)]\nuse std::sync::Arc;\nuse lifecycle_runtime::{module, provider};\n",
        );
        for (m, providers) in self.modules.iter().enumerate() {
            let _ = writeln!(s, "pub mod m{m} {{\n    use super::*;");
            let mut needed: Vec<usize> = providers
                .iter()
                .flat_map(|&p| self.deps[p].iter().copied())
                .filter(|d| !providers.contains(d))
                .collect();
            needed.sort_unstable();
            needed.dedup();
            for d in needed {
                let _ = writeln!(s, "    use super::P{d};");
            }
            for &p in providers {
                let fields: String = self.deps[p]
                    .iter()
                    .map(|d| format!(" d{d}: Arc<P{d}>,"))
                    .collect();
                let _ = writeln!(s, "    #[provider] pub struct P{p} {{{fields} }}");
            }
            let list: Vec<String> = providers.iter().map(|p| format!("P{p}")).collect();
            let imports: Vec<String> = self.imports[m]
                .iter()
                .map(|c| format!("super::m{c}::M{c}"))
                .collect();
            let _ = writeln!(
                s,
                "    #[module(imports = [{}], providers = [{}])]\n    pub struct M{m};\n}}",
                imports.join(", "),
                list.join(", ")
            );
        }
        for (m, providers) in self.modules.iter().enumerate() {
            for &p in providers {
                let _ = writeln!(s, "pub use m{m}::P{p};");
            }
        }
        s.push_str("pub use m0::M0 as AppModule;\n}\n");
        s
    }

    /// The same program wired by hand: construct in order, drop in reverse.
    pub fn handwritten(&self) -> String {
        let mut s = String::from(
            "pub mod manual {\n#![allow(dead_code, missing_debug_implementations)]\nuse std::sync::Arc;\n",
        );
        for (p, ds) in self.deps.iter().enumerate() {
            let fields: String = ds.iter().map(|d| format!(" d{d}: Arc<P{d}>,")).collect();
            let _ = writeln!(s, "pub struct P{p} {{{fields} }}");
        }
        s.push_str("pub struct App { values: Vec<Arc<dyn std::any::Any + Send + Sync>> }\n");
        s.push_str("impl Drop for App { fn drop(&mut self) { while let Some(v) = self.values.pop() { drop(v); } } }\n");
        // Chunks of 200 statements per fn keep every fn small.
        let order = topo(&self.deps);
        let chunks: Vec<&[usize]> = order.chunks(200).collect();
        for (c, chunk) in chunks.iter().enumerate() {
            let _ = writeln!(
                s,
                "fn build{c}(v: &mut Vec<Arc<dyn std::any::Any + Send + Sync>>, slot: &mut [usize]) {{"
            );
            for &p in *chunk {
                let args: String = self.deps[p]
                    .iter()
                    .map(|d| format!(" d{d}: v[slot[{d}]].clone().downcast::<P{d}>().unwrap(),"))
                    .collect();
                let _ = writeln!(
                    s,
                    "    slot[{p}] = v.len(); v.push(Arc::new(P{p} {{{args} }}));"
                );
            }
            s.push_str("}\n");
        }
        let _ = writeln!(
            s,
            "pub fn bootstrap() -> App {{\n    let mut v = Vec::with_capacity({0});\n    let mut slot = vec![0usize; {0}];",
            self.deps.len()
        );
        for c in 0..chunks.len() {
            let _ = writeln!(s, "    build{c}(&mut v, &mut slot);");
        }
        s.push_str("    App { values: v }\n}\n}\n");
        s
    }
}

fn topo(deps: &[Vec<usize>]) -> Vec<usize> {
    // Dependencies always have lower ids within a module's visible set, but
    // not globally: order by DFS.
    let mut done = vec![false; deps.len()];
    let mut out = Vec::with_capacity(deps.len());
    for start in 0..deps.len() {
        let mut stack = vec![(start, 0usize)];
        while let Some((p, i)) = stack.pop() {
            if done[p] {
                continue;
            }
            if let Some(&d) = deps[p].get(i) {
                stack.push((p, i + 1));
                if !done[d] {
                    stack.push((d, 0));
                }
            } else {
                done[p] = true;
                out.push(p);
            }
        }
    }
    out
}
