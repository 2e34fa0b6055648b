//! Code generation. Generation cannot fail: on an error it still emits the
//! user's item and a stub with the right shape (see each `expand`).

/// `write!` into a [`src::Src`] or a `String`, which cannot fail.
macro_rules! w {
    ($dst:expr, $($fmt:tt)*) => {{
        use $crate::expand::src::WriteArgs as _;
        $dst.write_args(format_args!($($fmt)*));
    }};
}

pub(crate) mod module;
pub(crate) mod plan;
pub(crate) mod provider;
pub(crate) mod src;

use proc_macro2::{Delimiter, Ident};
use syn::Path;

use src::Src;

/// A hidden metadata macro (see `wire.rs`), re-exported under `name`: its
/// one arm passes its caller's chain on to the next link with `entries`
/// appended. One arm for both kinds of link, so that an item listed in the
/// wrong list delivers its entries anyway, and the module's count of
/// providers or imports falls short and reports the mistake. The
/// re-export needs no `doc(hidden)` of its own: rustdoc leaves out a
/// re-export of a hidden item, and one attribute fewer per provider is
/// less for rustc to read on every build.
fn metadata_macro(out: &mut Src, macro_name: &Ident, name: &str, entries: impl FnOnce(&mut Src)) {
    w!(
        out,
        "#[doc(hidden)] #[macro_export] macro_rules! {macro_name}"
    );
    out.group(Delimiter::Brace, |m| {
        m.s("($kind:ident [ [$k:ident $($next:tt)*] $($rest:tt)* ] $($acc:tt)*) =>");
        m.group(Delimiter::Brace, |m| {
            m.s("$($next)*!").group(Delimiter::Brace, |m| {
                m.s("$k [ $($rest)* ] $($acc)*");
                entries(m);
            });
        });
    });
    w!(out, "pub use {macro_name} as {name};");
}

/// `::lifecycle_runtime`, or the path given with `crate = "…"`.
pub(crate) fn runtime_path(custom: Option<Path>) -> Path {
    custom.unwrap_or_else(|| syn::parse_quote!(::lifecycle_runtime))
}

/// What generated text puts before the name of a hidden item of the
/// runtime: `::lifecycle_runtime::__private::`, or the same under the path
/// given with `crate = "…"`.
pub(crate) fn private_prefix(custom: Option<&Path>) -> String {
    format!("{}::__private::", runtime_text(custom))
}

/// What generated text puts before the names every provider writes
/// (`ProviderMeta`, `Deps`, `ErasedConstruct`, `ready`, the `D` lists and
/// the scopes' `Key` aliases): the runtime's `__`-prefixed re-exports of
/// them at its root, `::lifecycle_runtime::__Deps`, or the same under the
/// path given with `crate = "…"`. One path segment fewer than through its
/// hidden module, for every path of every provider, which rustc resolves
/// and tracks on every build. (`Provider` keeps its full path: rustc names
/// a trait in its errors by the shortest path to it.)
pub(crate) fn short_prefix(custom: Option<&Path>) -> String {
    format!("{}::__", runtime_text(custom))
}

/// The runtime's path as text: `::lifecycle_runtime`, or the path given
/// with `crate = "…"`.
fn runtime_text(custom: Option<&Path>) -> String {
    match custom {
        None => "::lifecycle_runtime".to_owned(),
        Some(path) => {
            use quote::ToTokens as _;
            path.to_token_stream().to_string()
        }
    }
}

/// Index `i` as the runtime's type-level number: `N0` to `N15`, then
/// `Ix<sixteens, digit>`. `prefix` is the path to those types, `__lc::` inside
/// generated `const _` blocks.
pub(crate) fn index_type(out: &mut String, prefix: &str, i: usize) {
    if i < 16 {
        w!(out, "{prefix}N{i}");
    } else {
        w!(out, "{prefix}Ix<");
        index_type(out, prefix, i / 16);
        w!(out, ", {prefix}N{}>", i % 16);
    }
}

/// Providers per `Provides<c>` impl: the runtime's trait names sixteen
/// (`P0` to `P15`).
pub(crate) const PROVIDES_CHUNK: usize = 16;

/// Items per macro chain: a chain of `n` items nests `n + 1` expansions, so
/// long lists are gathered in chunks to stay far below the default
/// `recursion_limit` of 128.
pub(crate) const CHUNK: usize = 60;

/// A hook attribute outside a `#[provider] impl`: `#[provider]` consumes
/// these where they belong, so reaching here is always a mistake.
pub(crate) fn misplaced(
    attr: &str,
    _args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let span = item.clone().into_iter().find_map(|t| match t {
        proc_macro2::TokenTree::Ident(i)
            if i != "pub" && i != "async" && i != "fn" && i != "const" && i != "unsafe" =>
        {
            Some(i.span())
        }
        _ => None,
    });
    let error = syn::Error::new(
        span.unwrap_or_else(proc_macro2::Span::call_site),
        format!(
            "`#[{attr}]` must be on a method inside a `#[provider]` impl block\n\
             help: put `#[provider]` on the enclosing `impl` block; `#[provider]` reads `#[{attr}]` there"
        ),
    )
    .to_compile_error();
    quote::quote!(#error #item)
}
