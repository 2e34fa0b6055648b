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

    /// `use` lines and struct definitions of module `m`'s providers.
    fn module_body(&self, m: usize, annotated: bool) -> String {
        let providers = &self.modules[m];
        let mut s = String::from("use std::sync::Arc;\n");
        if annotated {
            s.push_str("use lifecycle_runtime::{module, provider};\n");
        }
        let mut needed: Vec<usize> = providers
            .iter()
            .flat_map(|&p| self.deps[p].iter().copied())
            .filter(|d| !providers.contains(d))
            .collect();
        needed.sort_unstable();
        needed.dedup();
        for d in needed {
            let _ = writeln!(s, "use crate::graph::P{d};");
        }
        let attr = if annotated { "#[provider] " } else { "" };
        for &p in providers {
            let fields: String = self.deps[p]
                .iter()
                .map(|d| format!(" pub d{d}: Arc<P{d}>,"))
                .collect();
            let _ = writeln!(s, "{attr}pub struct P{p} {{{fields} }}");
        }
        if annotated {
            let list: Vec<String> = providers.iter().map(|p| format!("P{p}")).collect();
            let imports: Vec<String> = self.imports[m]
                .iter()
                .map(|c| format!("crate::graph::m{c}::M{c}"))
                .collect();
            let _ = writeln!(
                s,
                "#[module(imports = [{}], providers = [{}])]\npub struct M{m};",
                imports.join(", "),
                list.join(", ")
            );
        }
        s
    }

    /// Re-exports of every provider (and the root module) from `graph`.
    fn reexports(&self, annotated: bool) -> String {
        let mut s = String::new();
        for (m, providers) in self.modules.iter().enumerate() {
            for &p in providers {
                let _ = writeln!(s, "pub use m{m}::P{p};");
            }
        }
        if annotated {
            s.push_str("pub use m0::M0 as AppModule;\n");
        }
        s
    }

    /// The program as files: `graph/mod.rs`, `graph/m{k}.rs` and, wired by
    /// hand, `graph/wiring.rs`. Paths are relative to `src/`.
    pub fn files(&self, variant: Variant) -> Vec<(String, String)> {
        let annotated = variant == Variant::Annotated;
        let mut files = Vec::new();
        let mut root =
            String::from("#![allow(dead_code, unused_imports, missing_debug_implementations)]\n");
        for m in 0..self.modules.len() {
            let _ = writeln!(root, "pub mod m{m};");
            files.push((format!("graph/m{m}.rs"), self.module_body(m, annotated)));
        }
        if !annotated {
            root.push_str("pub mod wiring;\n");
            files.push(("graph/wiring.rs".to_owned(), self.wiring()));
        }
        root.push_str(&self.reexports(annotated));
        files.push(("graph/mod.rs".to_owned(), root));
        files
    }

    /// The program as one `pub mod graph { … }` for `include!`.
    pub fn inline(&self, variant: Variant) -> String {
        let annotated = variant == Variant::Annotated;
        let mut s =
            String::from("pub mod graph {\n#![allow(dead_code, missing_debug_implementations)]\n");
        for m in 0..self.modules.len() {
            let _ = writeln!(s, "pub mod m{m} {{\n{}}}", self.module_body(m, annotated));
        }
        if !annotated {
            let _ = writeln!(s, "pub mod wiring {{\n{}}}", self.wiring());
        }
        s.push_str(&self.reexports(annotated));
        s.push_str("}\n");
        s
    }

    /// Hand-written wiring: every value in a typed field, built in a
    /// topological order by functions of 100 statements, released in
    /// reverse order.
    fn wiring(&self) -> String {
        let order = topo(&self.deps);
        let mut s = String::from(
            "use std::sync::Arc;\nuse crate::graph::*;\n\n#[derive(Default)]\npub struct Parts {\n",
        );
        for p in 0..self.deps.len() {
            let _ = writeln!(s, "    pub p{p}: Option<Arc<P{p}>>,");
        }
        s.push_str("}\n");
        let chunks: Vec<&[usize]> = order.chunks(100).collect();
        for (c, chunk) in chunks.iter().enumerate() {
            let _ = writeln!(s, "fn build{c}(x: &mut Parts) {{");
            for &p in *chunk {
                let args: String = self.deps[p]
                    .iter()
                    .map(|d| format!(" d{d}: x.p{d}.clone().unwrap(),"))
                    .collect();
                let _ = writeln!(s, "    x.p{p} = Some(Arc::new(P{p} {{{args} }}));");
            }
            s.push_str("}\n");
            let _ = writeln!(s, "fn release{c}(x: &mut Parts) {{");
            for &p in chunk.iter().rev() {
                let _ = writeln!(s, "    drop(x.p{p}.take());");
            }
            s.push_str("}\n");
        }
        s.push_str("pub fn bootstrap() -> Parts {\n    let mut x = Parts::default();\n");
        for c in 0..chunks.len() {
            let _ = writeln!(s, "    build{c}(&mut x);");
        }
        s.push_str("    x\n}\npub fn shutdown(mut x: Parts) {\n");
        for c in (0..chunks.len()).rev() {
            let _ = writeln!(s, "    release{c}(&mut x);");
        }
        s.push_str("}\n");
        s
    }
}

/// Which program to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `#[provider]` / `#[module]`.
    Annotated,
    /// The same graph wired by hand.
    Handwritten,
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
