//! The end of a module's chain: check the gathered subtree, then emit the
//! module's steps, its plan, its `Locate` and `HasKey` impls and its own
//! metadata macro.

use proc_macro2::{Delimiter, Ident, Punct, Spacing, Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{ParseStream, Parser};
use syn::{Path, bracketed, parenthesized};

use crate::ast::types::Arity;
use crate::attr::Scope;
use crate::check::{self, Subtree};
use crate::ctxt::Ctxt;
use crate::names;
use crate::wire::{Collected, ModuleArgs, WireModule};

use super::provider::DEPS_LISTED;
use super::src::{Src, lex, lit};
use super::{PROVIDES_CHUNK, index_type};

/// `module_chunk! { sink [] (NAME) items… }`: keep one chunk's items in a
/// local `macro_rules! NAME` that a later chain appends.
pub(crate) fn chunk(input: TokenStream) -> TokenStream {
    let parser = |input: ParseStream<'_>| {
        let _sink: Ident = input.parse()?;
        let empty;
        bracketed!(empty in input);
        let _: TokenStream = empty.parse()?;
        let name;
        parenthesized!(name in input);
        let name: Ident = name.parse()?;
        let items: TokenStream = input.parse()?;
        Ok((name, items))
    };
    match parser.parse2(input) {
        Ok((name, items)) => quote! {
            macro_rules! #name {
                (chunk [ [$k:ident $($next:tt)*] $($rest:tt)* ] $($acc:tt)*) => {
                    $($next)*! { $k [ $($rest)* ] $($acc)* #items }
                };
            }
        },
        Err(e) => e.to_compile_error(),
    }
}

/// `module_impl! { sink [] (args) items… }`
pub(crate) fn module_impl(input: TokenStream) -> TokenStream {
    let collected = match Collected::read(input) {
        Ok(c) => c,
        Err(e) => return e.to_compile_error(),
    };
    let args = &collected.args;
    let krate: Path = match syn::parse2(args.krate.clone()) {
        Ok(p) => p,
        Err(e) => return e.to_compile_error(),
    };
    let root = WireModule {
        key: args.key,
        name: args.name.clone(),
        location: args.location.clone(),
        imports: collected.imports.clone(),
        providers: collected.providers.clone(),
        raw: None,
    };
    let tree = Subtree::new(&root, &collected);
    let publish = publish(args, &tree);
    let delivered = collected.providers.len() == args.own_providers.len()
        && collected.imports.len() == args.own_imports;
    if args.failed || !delivered {
        // `#[module]` or a listed item already reported the mistake.
        let stub = stub(args, &krate);
        return quote!(#stub #publish);
    }
    let mut cx = Ctxt::default();
    check::duplicates(&mut cx, &tree, &args.name, args.ident.span());
    let missing = check::missing(&mut cx, &tree, &args.name);
    check::scopes(&mut cx, &tree);
    let order = check::order(&mut cx, &tree);
    match order {
        Some(order) if !cx.has_errors() => {
            let body = generate(args, &tree, &order, &krate);
            quote!(#body #publish)
        }
        _ => {
            let errors = cx.into_compile_errors();
            let not_providers = not_a_provider(&missing, args, &krate, &collected);
            let stub = stub(args, &krate);
            quote!(#errors #not_providers #stub #publish)
        }
    }
}

/// For each missing dependency, ask rustc whether its type is a provider at
/// all: if not, `IsProvider`'s message says so at the dependency.
fn not_a_provider(
    missing: &[(usize, usize)],
    args: &ModuleArgs,
    krate: &Path,
    collected: &Collected,
) -> TokenStream {
    let ident = &args.ident;
    missing
        .iter()
        .map(|&(p, d)| {
            let span = collected.providers[p].deps[d].span;
            let mut ty = String::new();
            dep_type(
                &mut ty,
                |out| own_marker(out, |out| w!(out, "{ident}"), p),
                d,
            );
            let ty = lex(&ty);
            respan(
                quote! {
                    const _: () = {
                        use #krate::__private as __lc;
                        __lc::assert_provider::<#ty>()
                    };
                },
                Span::call_site().located_at(span),
            )
        })
        .collect()
}

/// Give every token `span`, so that rustc reports at the dependency.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut t| {
            if let proc_macro2::TokenTree::Group(g) = &t {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                t = proc_macro2::TokenTree::Group(group);
            } else {
                t.set_span(span);
            }
            t
        })
        .collect()
}

/// After an error: the module still implements `Module` (empty) and `Has`
/// for everything, so later uses of it stay quiet.
fn stub(args: &ModuleArgs, krate: &Path) -> TokenStream {
    let ident = &args.ident;
    let name = &args.name;
    let has_key = (0..names::KEY_BUCKETS).map(|b| format_ident!("HasKey{b}"));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #krate::__private::Module for #ident {
                const STEPS: &'static [#krate::__private::Step] = &[];
                const PLAN: #krate::__private::Plan = #krate::__private::Plan {
                    module: #name,
                    modules: &[],
                    order: "",
                    keys: &[],
                };
            }
            #[automatically_derived]
            impl<const __LC_F: u64> #krate::__private::Locate<__LC_F> for #ident {
                type At = Self;
            }
            #(
                #[automatically_derived]
                impl<const __LC_K: u64> #krate::__private::#has_key<__LC_K> for #ident {}
            )*
            #[automatically_derived]
            impl<__LcS> #krate::__private::Supplied<__LcS, ()> for #ident {}
        };
    }
}

/// The module's own metadata macro: itself and its deduplicated subtree.
fn publish(args: &ModuleArgs, tree: &Subtree<'_>) -> TokenStream {
    let ident = &args.ident;
    let macro_name = &args.macro_name;
    let key = args.key;
    // Listed as a provider by mistake, the module's entries arrive where a
    // provider's was expected, and the `Provider` bound of `Provides`
    // reports it.
    let mut out = Src::default();
    super::metadata_macro(&mut out, macro_name, &ident.to_string(), |m| {
        w!(m, "import {key}u64");
        // Each module as one literal, the imported ones as received.
        for module in tree.modules.iter().rev() {
            m.t(*module);
        }
    });
    out.finish()
}

/// `__lc::Sub2<M, a, b>` (`M`'s import `a`'s import `b`) for an import
/// path: `Sub`, `Sub2` and `Sub3` take one to three steps, nested for a
/// longer path.
fn chain(out: &mut String, ident: &str, path: &[usize]) {
    let steps = path.chunks(3);
    for step in steps.clone().rev() {
        out.push_str(["__lc::Sub<", "__lc::Sub2<", "__lc::Sub3<"][step.len() - 1]);
    }
    out.push_str(ident);
    for step in steps {
        for &i in &step[..step.len() - 1] {
            out.push_str(", ");
            index_type(out, "__lc::", i);
        }
        close_index(out, step[step.len() - 1]);
    }
}

/// `, I>`: the index argument that closes `Sub<..`, `Own{k}<..` or
/// `DepOf<..`.
fn close_index(out: &mut String, i: usize) {
    out.push_str(", ");
    index_type(out, "__lc::", i);
    out.push('>');
}

/// `__lc::Own{k}<M, C>`: own provider `local` of the module `module`
/// writes, in its `Provides` chunk `C`.
fn own_marker(out: &mut String, module: impl FnOnce(&mut String), local: usize) {
    w!(out, "__lc::Own{}<", local % PROVIDES_CHUNK);
    module(out);
    close_index(out, local / PROVIDES_CHUNK);
}

/// The marker type of node `n`: an own provider's path as listed (one
/// projection fewer for rustc to normalise than `__lc::Own{k}<module, c>`,
/// which names imported ones), in `__lc::AliasOf<.., k>` for an alias.
fn marker(out: &mut String, ident: &str, own: &[String], tree: &Subtree<'_>, n: usize) {
    let node = &tree.nodes[n];
    if node.alias.is_some() {
        out.push_str("__lc::AliasOf<");
    }
    match own.get(node.local) {
        Some(path) if tree.is_own(n) => out.push_str(path),
        _ => own_marker(
            out,
            |out| chain(out, ident, &tree.paths[node.module]),
            node.local,
        ),
    }
    if let Some(k) = node.alias {
        w!(out, ", {k}>");
    }
}

/// The declared type of dependency `j` of the provider that `provider`
/// writes: from its `Deps` list, or its `DepAt` impl beyond the list.
fn dep_type(out: &mut String, provider: impl FnOnce(&mut String), j: usize) {
    if j < DEPS_LISTED {
        out.push_str("__lc::DepOf<");
        provider(out);
        close_index(out, j);
    } else {
        out.push('<');
        provider(out);
        w!(out, " as __lc::DepAt<{j}>>::T");
    }
}

/// Writes `item, item, ..` of a table.
fn table<T: std::fmt::Display>(out: &mut String, items: impl IntoIterator<Item = T>) {
    for item in items {
        w!(out, "{item},");
    }
}

/// The module's plan, its `Locate`, `HasKey` and `Supplied` impls, written
/// as text (see `src.rs`): nothing here names the user's tokens but the
/// module.
fn generate(args: &ModuleArgs, tree: &Subtree<'_>, order: &[usize], krate: &Path) -> TokenStream {
    let ident = &args.ident.to_string();
    let own = &args.own_providers;
    let mut slot_of = vec![0u32; tree.nodes.len()];
    for (slot, &node) in order.iter().enumerate() {
        slot_of[node] = slot as u32;
    }
    let mut out = Src::default();
    // One `const _` block that names the runtime once.
    out.s("const _: () =").group(Delimiter::Brace, |b| {
        b.s("use").t(krate).s("::__private as __lc;");
        // The checks as one tuple: a field each would be an item each.
        b.s("#[allow(dead_code)] struct __LcSameTypes");
        b.group(Delimiter::Parenthesis, |b| {
            b.group(Delimiter::Parenthesis, |b| same_types(b, ident, own, tree));
        });
        b.s(";");
        let mut text = String::new();
        w!(
            text,
            "#[automatically_derived] impl __lc::Module for {ident} {{"
        );
        // Own providers and their aliases, in step order.
        text.push_str("const STEPS: &'static [__lc::Step] = &[");
        for n in (0..tree.nodes.len()).filter(|&n| tree.is_own(n)) {
            text.push('<');
            marker(&mut text, ident, own, tree, n);
            text.push_str(" as __lc::Provider>::STEP,");
        }
        w!(
            text,
            "]; const PLAN: __lc::Plan = __lc::Plan {{ module: {}, modules: &[",
            lit(&args.name)
        );
        // The subtree's modules, each through its import path (the root's
        // is empty): their steps are evaluated once, where they are
        // declared.
        for path in &tree.paths {
            text.push('<');
            chain(&mut text, ident, path);
            text.push_str(" as __lc::Module>::STEPS,");
        }
        // The order and the edges as one string (see `Plan::order`): a
        // table of integers would cost rustc a node per number.
        text.push_str("], order: \"");
        for &n in order {
            let node = &tree.nodes[n];
            w!(text, "{} {}", node.module, node.step);
            let resolved = tree.deps_of(n);
            for &t in resolved.iter().flatten() {
                w!(text, " {}", slot_of[t]);
            }
            if !node.declared().iter().all(|d| d.arity == Arity::One) {
                for (j, r) in resolved.iter().enumerate() {
                    w!(text, "{}{}", if j == 0 { '/' } else { ' ' }, r.len());
                }
            }
            text.push(';');
        }
        text.push_str("\", keys: &[");
        table(&mut text, order.iter().map(|&n| tree.nodes[n].key));
        text.push_str("], }; }");
        // Where each file's providers are found (see `Locate` in the
        // runtime): through one import, or here, by key. One token per
        // key found here, expanded by `has!`, grouped by the `HasKey`
        // trait its key's bucket picks. A module with fewer than two
        // `Locate` impls gets a second one, for file 0, which no type
        // selects: with a single one, rustc would otherwise take it as
        // settled before it knows `T` (from `.replace(value)`), and
        // report a mismatch instead of "`T` is not provided by module
        // `M`". The `Locate` impls are not worth listing in the error for
        // a type of a file the graph lacks.
        const LOCATE: &str = "#[diagnostic::do_not_recommend] impl __lc::Locate";
        let mut buckets = vec![Vec::new(); names::KEY_BUCKETS as usize];
        let routes = locate(tree);
        if routes.len() < 2 {
            w!(text, "{LOCATE}<0> for {ident} {{ type At = Self; }}");
        }
        for (file, route) in routes {
            w!(text, "{LOCATE}<{file}> for {ident} {{ type At = ");
            match route {
                Route::Here(keys) => {
                    text.push_str("Self; }");
                    for key in keys {
                        buckets[names::key_bucket(key) as usize].push(key);
                    }
                }
                Route::Import(i) => {
                    text.push_str("__lc::FoundIn<");
                    chain(&mut text, ident, &[i]);
                    w!(text, ", {file}>; }}");
                }
            }
        }
        if buckets.iter().any(|keys| !keys.is_empty()) {
            w!(text, "__lc::has! {{ {ident};");
            let mut first = true;
            for (bucket, keys) in buckets.iter().enumerate() {
                if keys.is_empty() {
                    continue;
                }
                w!(text, "{} HasKey{bucket}", if first { "" } else { ";" });
                first = false;
                for key in keys {
                    w!(text, " {key}");
                }
            }
            text.push_str(" }");
        }
        b.s(&text);
        supplied(b, &args.ident, ident, own, tree);
    });
    out.s(";");
    out.finish()
}

/// Where a module finds the providers of one source file.
enum Route {
    /// Through its import `i`, whose subtree holds every one of them.
    Import(usize),
    /// Here, by key: its own, or spread over several imports.
    Here(Vec<u64>),
}

/// The route of every source file of the subtree's injectable providers
/// (`group(..)` members are collected, never looked up), by file key.
///
/// Without routes, a module would repeat a `HasKey` fact for every
/// provider of its whole subtree, and an app a few modules deep would
/// carry several facts per provider. A file's providers usually come
/// from one module, listed in that file: its importers each write one
/// `Locate` impl for the file instead of a fact per provider.
fn locate(tree: &Subtree<'_>) -> std::collections::BTreeMap<u64, Route> {
    use std::collections::BTreeMap;
    let root = tree.modules.len() - 1;
    // For each file: its keys, and the modules that list them.
    let mut files: BTreeMap<u64, (Vec<u64>, Vec<usize>)> = BTreeMap::new();
    for node in tree.nodes.iter().filter(|node| !node.group) {
        let (keys, modules) = files.entry(node.wire.file).or_default();
        keys.push(node.key);
        if !modules.contains(&node.module) {
            modules.push(node.module);
        }
    }
    let imports: Vec<Option<usize>> = tree.modules[root]
        .imports
        .iter()
        .map(|&key| tree.module_index(key))
        .collect();
    files
        .into_iter()
        .map(|(file, (keys, modules))| {
            let through = (!modules.contains(&root))
                .then(|| {
                    imports.iter().position(|import| {
                        import.is_some_and(|i| modules.iter().all(|&m| tree.reaches(i, m)))
                    })
                })
                .flatten();
            let route = match through {
                Some(i) => Route::Import(i),
                None => Route::Here(keys),
            };
            (file, route)
        })
        .collect()
}

/// Every dependency's declared type is the type of the node its name
/// resolved to: for own providers, and for edges this module adds to
/// imported ones (optional and collection dependencies). Spanned at the
/// dependency, so a mismatch points at the field or parameter.
///
/// Each check is a type `Same<A, B>` in the tuple of one struct's one
/// field, whose bound `A: SameAs<B>` rustc proves when it checks the
/// struct is well formed, and reports at the element that fails: half the
/// cost of a call `same::<A, B>()` per check, which rustc also
/// type-checks and lowers to MIR as a function body.
fn same_types(b: &mut Src, ident: &str, own: &[String], tree: &Subtree<'_>) {
    let mut text = String::new();
    for (n, node) in tree.nodes.iter().enumerate() {
        if node.of.is_some() {
            continue;
        }
        for (j, (dep, targets)) in node.wire.deps.iter().zip(tree.deps_of(n)).enumerate() {
            for &t in targets {
                if tree.seen_below(n, t) {
                    continue;
                }
                // rustc reports at the field type's span, from its first
                // token to its last: those two carry the dependency's.
                let span = Span::call_site().located_at(dep.span);
                b.t(&Ident::new("__lc", span));
                text.clear();
                same_type(&mut text, ident, own, tree, (n, j), t);
                b.s(&text);
                let mut close = Punct::new('>', Spacing::Alone);
                close.set_span(span);
                b.t(&close).s(",");
            }
        }
    }
}

/// The check that dependency `j` of node `n` has the type node `t`
/// provides, after `__lc` and without the closing `>` (both spanned by
/// the caller), in as few paths as the runtime's aliases allow:
/// `::SameDep<P, J, Q>`, and `::Same<..>` in full for a dependency past
/// the `Deps` list.
fn same_type(
    out: &mut String,
    ident: &str,
    own: &[String],
    tree: &Subtree<'_>,
    (n, j): (usize, usize),
    t: usize,
) {
    if j >= DEPS_LISTED {
        out.push_str("::Same<");
        dep_type(out, |out| marker(out, ident, own, tree, n), j);
        out.push_str(", __lc::Out<");
        marker(out, ident, own, tree, t);
        out.push('>');
        return;
    }
    out.push_str("::SameDep<");
    marker(out, ident, own, tree, n);
    out.push_str(", ");
    index_type(out, "__lc::", j);
    out.push_str(", ");
    marker(out, ident, own, tree, t);
}

/// `M: Supplied<S, (I0, ..)>`: the builder's inputs `S` hold a value of
/// every input of `M`'s graph (`Ik` says where, inferred).
/// The module's own token: an unmet bound points at its definition.
fn supplied(b: &mut Src, ident: &Ident, name: &str, own: &[String], tree: &Subtree<'_>) {
    let inputs: Vec<usize> = (0..tree.nodes.len())
        .filter(|&n| tree.nodes[n].scope == Scope::Input && tree.nodes[n].of.is_none())
        .collect();
    let mut out = String::from("#[automatically_derived] impl<__LcS");
    for i in 0..inputs.len() {
        w!(out, ", __LcI{i}");
    }
    out.push_str("> __lc::Supplied<__LcS, (");
    for i in 0..inputs.len() {
        w!(out, "__LcI{i},");
    }
    out.push_str(")> for");
    b.s(&out).t(ident);
    out.clear();
    out.push_str("where ");
    for (i, &n) in inputs.iter().enumerate() {
        out.push_str("__LcS: __lc::Contains<__lc::Out<");
        marker(&mut out, name, own, tree, n);
        w!(out, ">, __LcI{i}>,");
    }
    out.push_str(" {}");
    b.s(&out);
}
