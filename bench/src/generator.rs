//! Generates user crates' source: N providers in a random DAG (about two
//! dependencies each), in modules of 16 arranged as a 4-ary import tree, in
//! three variants — annotated with this library, wired by hand, and as
//! shaku components. Used by `build.rs` (scale tests, run-time benchmarks)
//! and by the `build-time` binary.

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
#[derive(Debug, Clone)]
pub struct Graph {
    /// `modules[m]` lists provider ids.
    pub modules: Vec<Vec<usize>>,
    /// `imports[m]` lists module ids.
    pub imports: Vec<Vec<usize>>,
    /// `deps[p]` lists provider ids.
    pub deps: Vec<Vec<usize>>,
    /// Hooks on every provider; [`Hooks::None`] unless [`Graph::with_hooks`].
    pub hooks: Hooks,
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
            hooks: Hooks::None,
        }
    }

    /// The same graph whose providers have a no-op `pre_destruct` hook
    /// (hand-written: a `stop` method that `shutdown` calls).
    pub fn with_hooks(mut self, hooks: Hooks) -> Graph {
        self.hooks = hooks;
        self
    }

    /// `use` lines and definitions of module `m`'s providers; `root` is the
    /// path of the generated `graph` module.
    fn module_body(&self, m: usize, variant: Variant, root: &str) -> String {
        let providers = &self.modules[m];
        let mut s = String::from("use std::sync::Arc;\n");
        match variant {
            Variant::Annotated => s.push_str("use lifecycle_runtime::{module, provider};\n"),
            Variant::Shaku => s.push_str("use shaku::{Component, Interface};\n"),
            Variant::Handwritten => {}
        }
        let mut needed: Vec<usize> = providers
            .iter()
            .flat_map(|&p| self.deps[p].iter().copied())
            .filter(|d| !providers.contains(d))
            .collect();
        needed.sort_unstable();
        needed.dedup();
        let imported = if variant == Variant::Shaku { "IP" } else { "P" };
        for d in needed {
            let _ = writeln!(s, "use {root}::{imported}{d};");
        }
        for &p in providers {
            match variant {
                Variant::Shaku => self.shaku_provider(&mut s, p),
                _ => self.provider(&mut s, p, variant == Variant::Annotated),
            }
        }
        if variant == Variant::Annotated {
            let list: Vec<String> = providers.iter().map(|p| format!("P{p}")).collect();
            let imports: Vec<String> = self.imports[m]
                .iter()
                .map(|c| format!("{root}::m{c}::M{c}"))
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

    /// One provider of the annotated or the hand-written variant.
    fn provider(&self, s: &mut String, p: usize, annotated: bool) {
        let deps = &self.deps[p];
        let fields: String = deps
            .iter()
            .map(|d| format!(" pub d{d}: Arc<P{d}>,"))
            .collect();
        let attr = if annotated { "#[provider] " } else { "" };
        let asyncness = match self.hooks {
            Hooks::None => {
                let _ = writeln!(s, "{attr}pub struct P{p} {{{fields} }}");
                return;
            }
            Hooks::Sync => "",
            Hooks::Async => "async ",
        };
        // With a hook: the `impl` form, a constructor and the hook.
        let _ = writeln!(s, "pub struct P{p} {{{fields} }}");
        if annotated {
            let params: Vec<String> = deps.iter().map(|d| format!("d{d}: Arc<P{d}>")).collect();
            let inits: Vec<String> = deps.iter().map(|d| format!("d{d}")).collect();
            let _ = writeln!(
                s,
                "#[provider]\nimpl P{p} {{\n    pub fn new({}) -> Self {{ P{p} {{ {} }} }}\n    #[pre_destruct]\n    {asyncness}fn stop(&self) {{}}\n}}",
                params.join(", "),
                inits.join(", ")
            );
        } else {
            let _ = writeln!(s, "impl P{p} {{ pub {asyncness}fn stop(&self) {{}} }}");
        }
    }

    /// One shaku component: an interface trait per provider, dependencies
    /// injected as `Arc<dyn IPj>`.
    fn shaku_provider(&self, s: &mut String, p: usize) {
        let fields: String = self.deps[p]
            .iter()
            .map(|d| format!("\n    #[shaku(inject)]\n    pub d{d}: Arc<dyn IP{d}>,"))
            .collect();
        let _ = writeln!(
            s,
            "pub trait IP{p}: Interface {{}}\n#[derive(Component)]\n#[shaku(interface = IP{p})]\npub struct P{p} {{{fields}\n}}\nimpl IP{p} for P{p} {{}}"
        );
    }

    /// Re-exports of every provider (and the root module) from `graph`.
    fn reexports(&self, variant: Variant) -> String {
        let mut s = String::new();
        for (m, providers) in self.modules.iter().enumerate() {
            for &p in providers {
                match variant {
                    Variant::Shaku => _ = writeln!(s, "pub use m{m}::{{IP{p}, P{p}}};"),
                    _ => _ = writeln!(s, "pub use m{m}::P{p};"),
                }
            }
        }
        match variant {
            Variant::Annotated => s.push_str("pub use m0::M0 as AppModule;\n"),
            Variant::Shaku => {
                let list: Vec<String> = (0..self.deps.len()).map(|p| format!("P{p}")).collect();
                let _ = writeln!(
                    s,
                    "shaku::module! {{\n    pub AppModule {{\n        components = [{}],\n        providers = []\n    }}\n}}",
                    list.join(", ")
                );
            }
            Variant::Handwritten => {}
        }
        s
    }

    /// The program as files: `graph/mod.rs`, `graph/m{k}.rs` and, wired by
    /// hand, `graph/wiring.rs`. Paths are relative to `src/`.
    pub fn files(&self, variant: Variant) -> Vec<(String, String)> {
        self.check(variant);
        let mut files = Vec::new();
        let mut root =
            String::from("#![allow(dead_code, unused_imports, missing_debug_implementations)]\n");
        for m in 0..self.modules.len() {
            let _ = writeln!(root, "pub mod m{m};");
            files.push((
                format!("graph/m{m}.rs"),
                self.module_body(m, variant, "crate::graph"),
            ));
        }
        if variant == Variant::Handwritten {
            root.push_str("pub mod wiring;\n");
            files.push(("graph/wiring.rs".to_owned(), self.wiring("crate::graph")));
        }
        root.push_str(&self.reexports(variant));
        files.push(("graph/mod.rs".to_owned(), root));
        files
    }

    /// The program as one `pub mod graph { … }` for `include!` at the crate
    /// root.
    pub fn inline(&self, variant: Variant) -> String {
        self.inline_at(variant, "crate::graph")
    }

    /// The program as one `pub mod graph { … }` for `include!` anywhere:
    /// `root` is the path the `graph` module will have, e.g.
    /// `crate::n100::graph` inside `pub mod n100 { include!(…); }`.
    pub fn inline_at(&self, variant: Variant, root: &str) -> String {
        self.check(variant);
        let mut s = String::from(
            "pub mod graph {\n#![allow(dead_code, missing_debug_implementations, clippy::new_without_default)]\n",
        );
        for m in 0..self.modules.len() {
            let _ = writeln!(
                s,
                "pub mod m{m} {{\n{}}}",
                self.module_body(m, variant, root)
            );
        }
        if variant == Variant::Handwritten {
            let _ = writeln!(s, "pub mod wiring {{\n{}}}", self.wiring(root));
        }
        s.push_str(&self.reexports(variant));
        s.push_str("}\n");
        s
    }

    /// A `pub mod access { … }` to put beside `inline_at`'s `graph`: a
    /// `touch_all` that fetches every provider's value from the running
    /// app (annotated: `App::get`) or the built module (shaku:
    /// `HasComponent::resolve`), in functions of 100 statements.
    /// Hand-written values are plain fields: nothing to generate.
    pub fn accessors(&self, variant: Variant, root: &str) -> String {
        let (arg, get) = match variant {
            Variant::Annotated => (
                format!("::lifecycle_runtime::App<{root}::AppModule>"),
                "x.get::<{root}::P{p}>()",
            ),
            Variant::Shaku => (
                format!("{root}::AppModule"),
                "::shaku::HasComponent::<dyn {root}::IP{p}>::resolve(x)",
            ),
            Variant::Handwritten => return "pub mod access {}\n".to_owned(),
        };
        let mut s = String::from("pub mod access {\n");
        let providers: Vec<usize> = (0..self.deps.len()).collect();
        let chunks: Vec<&[usize]> = providers.chunks(100).collect();
        for (c, chunk) in chunks.iter().enumerate() {
            let _ = writeln!(s, "fn touch{c}(x: &{arg}) {{");
            for &p in *chunk {
                let call = get.replace("{root}", root).replace("{p}", &p.to_string());
                let _ = writeln!(s, "    ::std::hint::black_box({call});");
            }
            s.push_str("}\n");
        }
        let _ = writeln!(s, "pub fn touch_all(x: &{arg}) {{");
        for c in 0..chunks.len() {
            let _ = writeln!(s, "    touch{c}(x);");
        }
        s.push_str("}\n}\n");
        s
    }

    /// Shaku has no lifecycle hooks to generate.
    fn check(&self, variant: Variant) {
        assert!(
            variant != Variant::Shaku || self.hooks == Hooks::None,
            "the shaku variant has no hooks"
        );
    }

    /// Hand-written wiring: every value in a typed field, built in a
    /// topological order by functions of 100 statements, released in
    /// reverse order (after calling its `stop` hook, if any; `shutdown` is
    /// `async` with async hooks).
    fn wiring(&self, root: &str) -> String {
        let order = topo(&self.deps);
        let mut s = format!(
            "use std::sync::Arc;\nuse {root}::*;\n\n#[derive(Default)]\npub struct Parts {{\n"
        );
        for p in 0..self.deps.len() {
            let _ = writeln!(s, "    pub p{p}: Option<Arc<P{p}>>,");
        }
        s.push_str("}\n");
        let (asyncness, awaited) = match self.hooks {
            Hooks::Async => ("async ", ".await"),
            Hooks::None | Hooks::Sync => ("", ""),
        };
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
            let _ = writeln!(s, "{asyncness}fn release{c}(x: &mut Parts) {{");
            for &p in chunk.iter().rev() {
                match self.hooks {
                    Hooks::None => _ = writeln!(s, "    drop(x.p{p}.take());"),
                    Hooks::Sync | Hooks::Async => {
                        _ = writeln!(
                            s,
                            "    if let Some(v) = x.p{p}.take() {{ v.stop(){awaited}; }}"
                        )
                    }
                }
            }
            s.push_str("}\n");
        }
        s.push_str("pub fn bootstrap() -> Parts {\n    let mut x = Parts::default();\n");
        for c in 0..chunks.len() {
            let _ = writeln!(s, "    build{c}(&mut x);");
        }
        let _ = writeln!(s, "    x\n}}\npub {asyncness}fn shutdown(mut x: Parts) {{");
        for c in (0..chunks.len()).rev() {
            let _ = writeln!(s, "    release{c}(&mut x){awaited};");
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
    /// The same graph as shaku components: one interface trait per
    /// provider, one flat `module!` (the crate needs `shaku`).
    Shaku,
}

/// Lifecycle hooks on every provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hooks {
    /// None: annotated providers use the struct form.
    None,
    /// A no-op sync `#[pre_destruct] fn stop(&self)`.
    Sync,
    /// A no-op `#[pre_destruct] async fn stop(&self)`.
    Async,
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
