//! The end of a module's chain: check the gathered subtree, then emit the
//! module's steps, its plan, its `Has` impls and its own metadata macro.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{ParseStream, Parser};
use syn::{Path, bracketed, parenthesized};

use crate::ast::types::Arity;
use crate::attr::Scope;
use crate::check::{self, Subtree};
use crate::ctxt::Ctxt;
use crate::wire::{Collected, ModuleArgs, WireModule};

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
    let collected: Collected = match syn::parse2(input) {
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
    };
    let tree = Subtree::new(&root, &collected);
    let publish = publish(args, &tree);
    let delivered = collected.providers.len() == args.own_providers
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
            respan(
                quote! {
                    const _: () = #krate::__private::assert_provider::<
                        <<#ident as #krate::__private::Provides<#p>>::P as #krate::__private::DepAt<#d>>::T
                    >();
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
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #krate::__private::Module for #ident {
                const STEPS: &'static [#krate::__private::Step] = &[];
                const PLAN: #krate::__private::Plan = #krate::__private::Plan {
                    module: #name,
                    modules: &[],
                    order: &[],
                    deps: &[],
                    dep_ends: &[],
                    counts: &[],
                    count_ends: &[],
                };
            }
            #[automatically_derived]
            impl<__LcT: ?::core::marker::Sized, __LcI> #krate::__private::Has<__LcT, __LcI> for #ident {
                type Slot = #krate::__private::Slot<0>;
                type Scope = #krate::__private::scope::Singleton;
            }
            #[automatically_derived]
            impl<__LcS> #krate::__private::Supplied<__LcS, ()> for #ident {}
        };
    }
}

/// The module's own metadata macro: itself and its deduplicated subtree.
fn publish(args: &ModuleArgs, tree: &Subtree<'_>) -> TokenStream {
    let ident = &args.ident;
    let macro_name = &args.macro_name;
    let key = syn::LitInt::new(&format!("{}u64", args.key), Span::call_site());
    let modules = tree.modules.iter().rev();
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #macro_name {
            (import [ [$k:ident $($next:tt)*] $($rest:tt)* ] $($acc:tt)*) => {
                $($next)*! { $k [ $($rest)* ] $($acc)* import #key #(#modules)* }
            };
            // Listed as a provider: `Provides::P: Provider` reports it.
            (provider [ [$k:ident $($next:tt)*] $($rest:tt)* ] $($acc:tt)*) => {
                $($next)*! { $k [ $($rest)* ] $($acc)* }
            };
        }
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub use #macro_name as #ident;
    }
}

/// `<<M as Imports<a>>::M as Imports<b>>::M` for an import path.
fn chain(ident: &Ident, path: &[usize], rt: &TokenStream) -> TokenStream {
    path.iter().fold(
        quote!(#ident),
        |acc, i| quote!(<#acc as #rt::Imports<#i>>::M),
    )
}

/// The marker type of node `n`: `<<M as Imports<..>>::M as Provides<l>>::P`,
/// then `as Alias<k>>::P` for an alias.
fn marker(ident: &Ident, tree: &Subtree<'_>, n: usize, rt: &TokenStream) -> TokenStream {
    let node = &tree.nodes[n];
    let owner = chain(ident, &tree.paths[node.module], rt);
    let l = node.local;
    let p = quote!(<#owner as #rt::Provides<#l>>::P);
    match node.alias {
        Some(k) => quote!(<#p as #rt::Alias<#k>>::P),
        None => p,
    }
}

fn generate(args: &ModuleArgs, tree: &Subtree<'_>, order: &[usize], krate: &Path) -> TokenStream {
    // One `const _` block that names the runtime once: every token of a
    // macro's output costs build time.
    let p = &quote!(__lc);
    let ident = &args.ident;
    let name = &args.name;
    let mut slot_of = vec![0u32; tree.nodes.len()];
    for (slot, &node) in order.iter().enumerate() {
        slot_of[node] = slot as u32;
    }
    // Every dependency's declared type is the type of the node its name
    // resolved to: for own providers, and for edges this module adds to
    // imported ones (optional and collection dependencies). Spanned at the
    // dependency, so a mismatch points at the field or parameter.
    let mut checks = Vec::new();
    for (n, node) in tree.nodes.iter().enumerate() {
        if node.of.is_some() {
            continue;
        }
        let dependent = marker(ident, tree, n, p);
        for (j, dep) in node.wire.deps.iter().enumerate() {
            for t in tree.targets(dep) {
                if tree.seen_below(n, t) {
                    continue;
                }
                let target = marker(ident, tree, t, p);
                checks.push(respan(
                    quote! {
                        #p::same::<<#dependent as #p::DepAt<#j>>::T, <#target as #p::Provider>::Output>();
                    },
                    Span::call_site().located_at(dep.span),
                ));
            }
        }
    }
    // Own providers and their aliases, in step order.
    let steps = (0..tree.nodes.len()).filter(|&n| tree.is_own(n)).map(|n| {
        let m = marker(ident, tree, n, p);
        quote!(<#m as #p::Provider>::STEP)
    });
    let steps: Vec<TokenStream> = steps.collect();
    // The subtree's modules, each through its import path (the root's is
    // empty): their steps are evaluated once, where they are declared.
    let module_steps = tree.paths.iter().map(|path| {
        let owner = chain(ident, path, p);
        quote!(<#owner as #p::Module>::STEPS)
    });
    // The plan as flat integer tables: cheap for rustc at any size.
    let mut order_table: Vec<u32> = Vec::with_capacity(2 * order.len());
    let (mut deps, mut dep_ends, mut counts, mut count_ends) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for &n in order {
        let node = &tree.nodes[n];
        order_table.extend([node.module as u32, node.step as u32]);
        let resolved = tree.deps_of(n);
        deps.extend(resolved.iter().flatten().map(|&t| slot_of[t]));
        dep_ends.push(deps.len() as u32);
        if !node.declared().iter().all(|d| d.arity == Arity::One) {
            counts.extend(resolved.iter().map(|r| r.len() as u32));
        }
        count_ends.push(counts.len() as u32);
    }
    // Three tokens per provider, expanded by `has!`; plus a second
    // candidate, which no type's key selects: with a single provider,
    // rustc would otherwise take the one `Has` impl as settled before it
    // knows `T` (from `.replace(value)`), and report a key mismatch
    // instead of "`T` is not provided by module `M`".
    let has = tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| !node.group)
        .map(|(n, node)| {
            let key = syn::LitInt::new(&format!("{}", node.key), Span::call_site());
            let slot = syn::LitInt::new(&format!("{}", slot_of[n]), Span::call_site());
            let scope = node.scope.variant();
            quote!(#key #slot #scope)
        })
        .chain(std::iter::once(quote!(0 0 Singleton)));
    let supplied = supplied(ident, tree, p);
    quote! {
        const _: () = {
            use #krate::__private as __lc;
            #[allow(dead_code)]
            fn __lc_same_types() { #(#checks)* }
            #[automatically_derived]
            impl #p::Module for #ident {
                const STEPS: &'static [#p::Step] = &[ #(#steps),* ];
                const PLAN: #p::Plan = #p::Plan {
                    module: #name,
                    modules: &[ #(#module_steps),* ],
                    order: &[ #(#order_table),* ],
                    deps: &[ #(#deps),* ],
                    dep_ends: &[ #(#dep_ends),* ],
                    counts: &[ #(#counts),* ],
                    count_ends: &[ #(#count_ends),* ],
                };
            }
            #p::has! { #ident; #(#has)* }
            #supplied
        };
    }
}

/// `M: Supplied<S, (I0, ..)>`: the builder's inputs `S` hold a value of
/// every input of `M`'s graph (`Ik` says where, inferred).
fn supplied(ident: &Ident, tree: &Subtree<'_>, p: &TokenStream) -> TokenStream {
    let inputs: Vec<usize> = (0..tree.nodes.len())
        .filter(|&n| tree.nodes[n].scope == Scope::Input && tree.nodes[n].of.is_none())
        .collect();
    let idx: Vec<Ident> = (0..inputs.len())
        .map(|i| format_ident!("__LcI{i}"))
        .collect();
    let bounds = inputs.iter().zip(&idx).map(|(&n, i)| {
        let m = marker(ident, tree, n, p);
        quote!(__LcS: #p::Contains<<#m as #p::Provider>::Output, #i>)
    });
    quote! {
        #[automatically_derived]
        impl<__LcS, #(#idx),*> #p::Supplied<__LcS, (#(#idx,)*)> for #ident where #(#bounds),* {}
    }
}
