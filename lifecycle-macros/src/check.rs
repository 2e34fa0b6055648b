//! The graph of one module's subtree, as gathered by its macro chain, and
//! the rules checked on it. Each module checks what it adds: its own
//! providers' dependencies, cycles through them, and duplicates that only
//! its combination of imports creates; an imported module already checked
//! its own subtree where it was defined, in its own crate.

use std::collections::{BTreeMap, HashMap, VecDeque};

use proc_macro2::Span;

use crate::ast::types::Arity;
use crate::attr::Scope;
use crate::ctxt::Ctxt;
use crate::graph;
use crate::wire::{Collected, WireDep, WireModule, WireProvider};

/// One node of the subtree, in declaration order: a provider, or one of
/// its `bind(..)` / `group(..)` aliases right after it.
pub(crate) struct Node<'a> {
    /// Index into `Subtree::modules`.
    pub(crate) module: usize,
    /// Position of the provider among its module's own providers.
    pub(crate) local: usize,
    /// `Some(k)`: the provider's `k`-th alias.
    pub(crate) alias: Option<usize>,
    /// Position among its module's steps (providers and aliases).
    pub(crate) step: usize,
    /// For an alias: the node of its provider.
    pub(crate) of: Option<usize>,
    pub(crate) key: u64,
    /// The type it is matched by.
    pub(crate) name: &'a str,
    pub(crate) span: Span,
    pub(crate) location: &'a str,
    pub(crate) scope: Scope,
    /// A `group(..)` member: collected, never injected alone.
    pub(crate) group: bool,
    /// The provider (for an alias, the provider it exposes).
    pub(crate) wire: &'a WireProvider,
}

impl Node<'_> {
    /// The dependencies it declares (none for an alias).
    pub(crate) fn declared(&self) -> &[WireDep] {
        if self.alias.is_some() {
            &[]
        } else {
            &self.wire.deps
        }
    }
}

/// The deduplicated subtree of the module being defined.
pub(crate) struct Subtree<'a> {
    /// Modules, imports before importers; the module itself is last.
    pub(crate) modules: Vec<&'a WireModule>,
    /// For each module, the import indices leading to it from the root.
    pub(crate) paths: Vec<Vec<usize>>,
    /// Providers in declaration order: by module, then as listed.
    pub(crate) nodes: Vec<Node<'a>>,
    /// Injectable node indices by name (providers and `bind` aliases).
    pub(crate) by_name: BTreeMap<&'a str, Vec<usize>>,
    /// `group(..)` members by collection name, in declaration order.
    pub(crate) groups: BTreeMap<&'a str, Vec<usize>>,
    /// Module indices by key.
    index: HashMap<u64, usize>,
    /// For each module, the modules of its subtree (itself included).
    reach: Vec<Vec<bool>>,
    /// For each node, for each dependency it declares, the nodes that
    /// dependency resolves to; an alias has one, its provider.
    resolved: Vec<Vec<Vec<usize>>>,
    /// For each node, the nodes it depends on (unresolved ones left out).
    edges: Vec<Vec<usize>>,
}

impl<'a> Subtree<'a> {
    /// Whether module `to` is in the subtree of module `from` (itself
    /// included).
    pub(crate) fn reaches(&self, from: usize, to: usize) -> bool {
        self.reach[from][to]
    }

    /// The index in [`Subtree::modules`] of the module with `key`, if it
    /// was gathered.
    pub(crate) fn module_index(&self, key: u64) -> Option<usize> {
        self.index.get(&key).copied()
    }

    pub(crate) fn new(root: &'a WireModule, collected: &'a Collected) -> Self {
        let mut table: HashMap<u64, &'a WireModule> = HashMap::new();
        for m in &collected.modules {
            table.entry(m.key).or_insert(m);
        }
        table.insert(root.key, root);
        // Post-order DFS: imports (in listed order) before importers.
        let mut modules: Vec<&'a WireModule> = Vec::new();
        let mut index: HashMap<u64, usize> = HashMap::new();
        let mut stack: Vec<(u64, usize)> = vec![(root.key, 0)];
        let mut entered: HashMap<u64, bool> = HashMap::from([(root.key, true)]);
        while let Some((key, next)) = stack.pop() {
            let m = table[&key];
            if let Some(&child) = m.imports.get(next) {
                stack.push((key, next + 1));
                if table.contains_key(&child) && !entered.contains_key(&child) {
                    entered.insert(child, true);
                    stack.push((child, 0));
                }
            } else {
                index.insert(key, modules.len());
                modules.push(m);
            }
        }
        // Shortest import path from the root to every module (BFS).
        let mut paths: Vec<Option<Vec<usize>>> = vec![None; modules.len()];
        let root_ix = index[&root.key];
        paths[root_ix] = Some(Vec::new());
        let mut queue = VecDeque::from([root_ix]);
        while let Some(at) = queue.pop_front() {
            for (i, key) in modules[at].imports.iter().enumerate() {
                let Some(&child) = index.get(key) else {
                    continue;
                };
                if paths[child].is_none() {
                    let mut p = paths[at].clone().expect("visited");
                    p.push(i);
                    paths[child] = Some(p);
                    queue.push_back(child);
                }
            }
        }
        let paths = paths.into_iter().map(|p| p.unwrap_or_default()).collect();
        // Reachability, for deciding which module owns a duplicate.
        let mut reach = vec![vec![false; modules.len()]; modules.len()];
        for (i, m) in modules.iter().enumerate() {
            reach[i][i] = true;
            for key in &m.imports {
                if let Some(&child) = index.get(key) {
                    // Children come first in post-order: their rows are complete.
                    let row = reach[child].clone();
                    for (r, v) in reach[i].iter_mut().zip(row) {
                        *r |= v;
                    }
                }
            }
        }
        let mut nodes: Vec<Node<'a>> = Vec::new();
        let mut by_name: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        let mut groups: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        for (mi, m) in modules.iter().enumerate() {
            let mut step = 0;
            for (local, wire) in m.providers.iter().enumerate() {
                let of = nodes.len();
                by_name.entry(wire.name.as_str()).or_default().push(of);
                nodes.push(Node {
                    module: mi,
                    local,
                    alias: None,
                    step,
                    of: None,
                    key: wire.key,
                    name: &wire.name,
                    span: wire.span,
                    location: &wire.location,
                    scope: wire.scope,
                    group: false,
                    wire,
                });
                step += 1;
                for (k, alias) in wire.aliases.iter().enumerate() {
                    let map = if alias.group {
                        &mut groups
                    } else {
                        &mut by_name
                    };
                    map.entry(alias.name.as_str())
                        .or_default()
                        .push(nodes.len());
                    nodes.push(Node {
                        module: mi,
                        local,
                        alias: Some(k),
                        step,
                        of: Some(of),
                        key: alias.key,
                        name: &alias.name,
                        span: alias.span,
                        location: &alias.location,
                        scope: wire.scope,
                        group: alias.group,
                        wire,
                    });
                    step += 1;
                }
            }
        }
        let mut tree = Subtree {
            modules,
            paths,
            nodes,
            by_name,
            groups,
            index,
            reach,
            resolved: Vec::new(),
            edges: Vec::new(),
        };
        // Resolved once: every rule and the plan read them.
        tree.resolved = (0..tree.nodes.len())
            .map(|n| match tree.nodes[n].of {
                Some(of) => vec![vec![of]],
                None => tree.nodes[n]
                    .wire
                    .deps
                    .iter()
                    .map(|d| tree.targets(d))
                    .collect(),
            })
            .collect();
        tree.edges = tree
            .resolved
            .iter()
            .map(|deps| deps.iter().flatten().copied().collect())
            .collect();
        tree
    }

    pub(crate) fn root(&self) -> usize {
        self.modules.len() - 1
    }

    /// The provider a dependency resolves to, if exactly one is named so.
    pub(crate) fn resolve(&self, name: &str) -> Option<usize> {
        match self.by_name.get(name).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            Some([first, ..]) => Some(*first),
            _ => None,
        }
    }

    /// The nodes one declared dependency resolves to: one or none for
    /// `Arc<T>` and `Option<Arc<T>>`, every group member for `Vec<..>`.
    pub(crate) fn targets(&self, dep: &WireDep) -> Vec<usize> {
        match dep.arity {
            Arity::One | Arity::Optional => self.resolve(&dep.name).into_iter().collect(),
            Arity::All => self
                .groups
                .get(dep.name.as_str())
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// For each dependency of `node`, the nodes it resolves to; an alias
    /// has one, its provider.
    pub(crate) fn deps_of(&self, node: usize) -> &[Vec<usize>] {
        &self.resolved[node]
    }

    /// `edges()[i]`: nodes node `i` depends on (unresolved ones left out).
    pub(crate) fn edges(&self) -> &[Vec<usize>] {
        &self.edges
    }

    /// How `from` reaches `to`: (label, location, span) of the dependency.
    pub(crate) fn hop(&self, from: usize, to: usize) -> (String, String, Span) {
        let n = &self.nodes[from];
        if n.of.is_some() {
            let what = if n.group { "group" } else { "bind" };
            return (
                format!("`{what}({})` of `{}`", n.name, n.wire.name),
                n.location.to_owned(),
                n.span,
            );
        }
        let j = self.resolved[from]
            .iter()
            .position(|targets| targets.contains(&to))
            .expect("an edge has a dependency");
        let dep = &n.wire.deps[j];
        (dep.label.clone(), dep.location.clone(), dep.span)
    }

    pub(crate) fn is_own(&self, node: usize) -> bool {
        self.nodes[node].module == self.root()
    }

    /// Whether the module defining `from` already saw the edge to `to`
    /// (and checked it where it was defined).
    pub(crate) fn seen_below(&self, from: usize, to: usize) -> bool {
        !self.is_own(from) && self.reach[self.nodes[from].module][self.nodes[to].module]
    }

    fn describe(&self, node: usize) -> String {
        let n = &self.nodes[node];
        let m = self.modules[n.module];
        match n.of {
            Some(of) => format!(
                "`{}` (bound to `{}`) at {} (module `{}`)",
                n.name, self.nodes[of].name, n.location, m.name
            ),
            None => format!("`{}` at {} (module `{}`)", n.name, n.location, m.name),
        }
    }
}

/// Rule: every dependency of the module's own providers is provided by
/// something in the module's subtree.
pub(crate) fn missing(cx: &mut Ctxt, tree: &Subtree<'_>, module: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let edges = tree.edges();
    for (ni, node) in tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(ni, _)| tree.is_own(*ni))
    {
        for (di, dep) in node.declared().iter().enumerate() {
            if dep.arity != Arity::One || tree.by_name.contains_key(dep.name.as_str()) {
                continue;
            }
            let mut chain = format!("`{}` ({}, {})", node.name, dep.label, dep.location);
            let mut at = ni;
            let mut hops = 0;
            while let Some(parent) = (0..tree.nodes.len()).find(|p| edges[*p].contains(&at)) {
                let parent_node = &tree.nodes[parent];
                let (label, location, _) = tree.hop(parent, at);
                let via = format!(" ({label}, {location})");
                chain.push_str(&format!("\n           <- `{}`{via}", parent_node.name));
                at = parent;
                hops += 1;
                if hops > tree.nodes.len() {
                    break;
                }
            }
            cx.error_at(
                dep.span,
                format!(
                    "missing provider: nothing in the graph of `{module}` provides `{}`\n\
                     note: required by {chain}\n\
                     help: add a `#[provider]` for `{0}` to `providers = [..]` of `{module}`, or add the module that provides it to `imports = [..]`",
                    dep.name
                ),
            );
            found.push((node.local, di));
        }
    }
    found
}

/// Rule: no two providers of one type in one graph. Reported by the module
/// whose combination creates the clash (not inside one import's subtree).
pub(crate) fn duplicates(cx: &mut Ctxt, tree: &Subtree<'_>, module: &str, module_span: Span) {
    let root = tree.root();
    let imports: Vec<usize> = tree.modules[root]
        .imports
        .iter()
        .filter_map(|k| tree.modules.iter().position(|m| m.key == *k))
        .collect();
    for (name, list) in &tree.by_name {
        if list.len() < 2 {
            continue;
        }
        let inside_one_import = imports
            .iter()
            .any(|&imp| list.iter().all(|&n| tree.reach[imp][tree.nodes[n].module]));
        if inside_one_import {
            continue;
        }
        let all: Vec<String> = list.iter().map(|&n| tree.describe(n)).collect();
        let message = format!(
            "duplicate provider: `{name}` is provided {} times in the graph of `{module}`\n\
             note: provided by {}\n\
             help: keep one provider of `{name}`: remove it from one module's `providers = [..]`, or stop importing one of the modules; \
             dependencies are matched by type name, so two different types named `{name}` need different names",
            list.len(),
            all.join("\n           and by ")
        );
        let own: Vec<usize> = list.iter().copied().filter(|&n| tree.is_own(n)).collect();
        match own.last() {
            Some(&n) => cx.error_at(tree.nodes[n].span, message),
            None => cx.error_at(module_span, message),
        }
    }
}

/// Rule: no dependency cycles. Each cycle is reported at the field or
/// parameter that closes it, with every hop and its source location.
/// Returns the topological order if there is none.
pub(crate) fn order(cx: &mut Ctxt, tree: &Subtree<'_>) -> Option<Vec<usize>> {
    let edges = tree.edges();
    match graph::order(edges) {
        Ok(order) => Some(order),
        Err(cycles) => {
            for cycle in cycles.iter().filter(|c| c.iter().any(|&n| tree.is_own(n))) {
                let names: Vec<String> = cycle
                    .iter()
                    .map(|&n| format!("`{}`", tree.nodes[n].name))
                    .collect();
                let mut hops = String::new();
                let mut closing = None;
                for pair in cycle.windows(2) {
                    let (from, to) = (&tree.nodes[pair[0]], &tree.nodes[pair[1]]);
                    let (label, location, span) = tree.hop(pair[0], pair[1]);
                    hops.push_str(&format!(
                        "\nnote: `{}` needs `{}` through {label} at {location}",
                        from.name, to.name
                    ));
                    if tree.is_own(pair[0]) {
                        closing = Some(span);
                    }
                }
                cx.error_at(
                    closing.unwrap_or_else(Span::call_site),
                    format!(
                        "dependency cycle: {}{hops}\n\
                         help: break the cycle: remove one of these dependencies, or move what both sides share into a new provider that each depends on",
                        names.join(" -> ")
                    ),
                );
            }
            None
        }
    }
}

/// Rule: a value that lives as long as the app depends only on values
/// that do too; a request-scoped or transient one would be captured for
/// the app's whole life.
pub(crate) fn scopes(cx: &mut Ctxt, tree: &Subtree<'_>) {
    for (ni, node) in tree.nodes.iter().enumerate() {
        if !node.scope.app_wide() || node.of.is_some() {
            continue;
        }
        for (dep, targets) in node.declared().iter().zip(tree.deps_of(ni)) {
            for &t in targets {
                let target = &tree.nodes[t];
                if target.scope.app_wide() || tree.seen_below(ni, t) {
                    continue;
                }
                cx.error_at(
                    dep.span,
                    format!(
                        "scope mismatch: {} `{}` depends on {} `{}` ({}, {})\n\
                         note: a {0} lives as long as the app and would keep one `{3}` for good\n\
                         help: give `{1}` `#[provider(scope = {})]` too, or get `{3}` from a scope when it is needed: `app.scope().get::<{3}>()`",
                        node.scope.describe(),
                        node.name,
                        target.scope.describe(),
                        target.name,
                        dep.label,
                        dep.location,
                        target.scope.as_str(),
                    ),
                );
            }
        }
    }
}
