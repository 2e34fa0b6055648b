//! `#[module]`: names the module's own providers and imports through
//! traits, generates `bootstrap`, and starts the macro chain that gathers
//! the subtree's metadata into `module_impl` (see `plan.rs`).

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::{Fields, ItemStruct, Path};

use super::src::Src;
use super::{CHUNK, PROVIDES_CHUNK};
use crate::attr;
use crate::ctxt::Ctxt;
use crate::names::{self, Mangled};
use crate::wire::ModuleArgs;

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let options = attr::module_options(&mut cx, args);
    let item: ItemStruct = match syn::parse2::<syn::Item>(input.clone()) {
        Ok(syn::Item::Struct(s)) => s,
        Ok(other) => {
            cx.error_spanned_by(
                head(&other),
                "`#[module]` goes on a unit struct\nhelp: write `#[module(imports = [..], providers = [..])] pub struct AppModule;`",
            );
            let errors = cx.into_compile_errors();
            return quote!(#errors #input);
        }
        Err(e) => {
            let error = e.to_compile_error();
            return quote!(#error #input);
        }
    };
    let ident = &item.ident;
    if !matches!(item.fields, Fields::Unit) {
        cx.error_spanned_by(
            &item.fields,
            format!("`#[module]` must be on a unit struct: a module holds no data\nhelp: write `pub struct {ident};` and put the data in a `#[provider]`"),
        );
    }
    if !item.generics.params.is_empty() {
        cx.error_spanned_by(
            &item.generics,
            "a module cannot be generic\nhelp: declare one module per configuration",
        );
    }
    for path in &options.imports {
        let last = &path.segments.last().expect("a path has a segment").ident;
        if last == ident || last == "Self" {
            cx.error_spanned_by(
                path,
                format!(
                    "module `{ident}` imports itself\nhelp: remove `{}` from `imports = [..]`",
                    path_text(path)
                ),
            );
        }
    }
    report_repeats(&mut cx, &options.providers, "providers");
    report_repeats(&mut cx, &options.imports, "imports");
    let prefix = super::private_prefix(options.krate.as_ref());
    let krate = super::runtime_path(options.krate);
    let mangled = names::mangle("m", ident);
    let has_errors = cx.has_errors();
    let errors = cx.into_compile_errors();
    let imports: Vec<&Path> = options
        .imports
        .iter()
        .filter(|p| !is_self_import(p, ident))
        .collect();
    let providers: Vec<&Path> = options.providers.iter().collect();

    // `Provides<c>` impls (sixteen providers each) and `Imports<i>` impls
    // as text, each listed path spliced in: its own tokens, so that a path
    // that names no provider or no module is reported where it is listed.
    // Like a provider's `Provider` impl, these carry no
    // `#[automatically_derived]`: no lint reads it on these traits, and
    // the attribute is a thousand more for rustc to read in a large graph.
    let mut items = Src::default();
    // What fills the last chunk, when the providers do not.
    let absent: Option<Path> = (!providers.len().is_multiple_of(PROVIDES_CHUNK))
        .then(|| syn::parse_str(&format!("{prefix}Absent")).expect("a path"));
    for (c, chunk) in providers.chunks(PROVIDES_CHUNK).enumerate() {
        let padding = (chunk.len()..PROVIDES_CHUNK).filter_map(|_| absent.as_ref());
        let paths = chunk.iter().copied().chain(padding);
        assoc_impl(&mut items, &prefix, ident, ("Provides", c), paths, |k| {
            format!("P{k}")
        });
    }
    for (i, path) in imports.iter().enumerate() {
        assoc_impl(&mut items, &prefix, ident, ("Imports", i), [*path], |_| {
            "M".to_owned()
        });
    }
    let args = ModuleArgs {
        key: mangled.key,
        name: ident.to_string(),
        location: names::location(ident.span()),
        ident: ident.clone(),
        own_providers: providers
            .iter()
            .map(|p| simple_path_text(p).unwrap_or_else(|| p.to_token_stream().to_string()))
            .collect(),
        own_imports: imports.len(),
        krate: krate.to_token_stream(),
        macro_name: mangled.macro_name.clone(),
        failed: has_errors,
    };
    let chain = chain(&providers, &imports, &args, &krate, &mangled);
    // The rest as text: it names nothing of the user's but the module
    // (`k` is the runtime's path).
    let k = krate.to_token_stream().to_string();
    // A module is a unit struct: give it `Debug` unless the user derives it.
    if !derives_debug(&item.attrs) {
        w!(
            items,
            "#[automatically_derived] impl ::core::fmt::Debug for {ident} {{ \
             fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{ \
             f.write_str({name:?}) }} }}",
            name = ident.to_string(),
        );
    }
    w!(
        items,
        "#[automatically_derived] impl {prefix}IsModule for {ident} {{}}
        impl {ident} {{
            /// Construct and start every provider of this module's graph in
            /// the fixed order; on failure, roll back what had started.
            #[allow(dead_code)]
            pub fn bootstrap() -> {k}::Bootstrap<Self> {{
                {k}::Bootstrap::new({k}::Builder::default())
            }}

            /// A builder to set timeouts before bootstrapping.
            #[allow(dead_code)]
            pub fn builder() -> {k}::Builder<Self> {{
                {k}::Builder::default()
            }}

            /// This module's dependency graph, to inspect or to draw as
            /// DOT or Mermaid.
            #[allow(dead_code)]
            pub fn graph() -> {k}::Graph
            where
                // Checked where it is called: a module whose graph failed
                // to gather reports that once, not here again.
                for<'__lc> Self: {prefix}Module,
            {{
                {k}::Graph::of::<Self>()
            }}
        }}"
    );
    let items = items.finish();
    quote! {
        #errors
        #item
        #items
        #chain
    }
}

/// `impl {prefix}{trait}<{index}> for {ident} { type A = path; .. }`, the
/// paths spliced in as the user wrote them. The braces are made here
/// rather than lexed: their text would take a call into the compiler each.
fn assoc_impl<'a>(
    items: &mut Src,
    prefix: &str,
    ident: &Ident,
    (tr, index): (&str, usize),
    paths: impl IntoIterator<Item = &'a Path>,
    assoc: impl Fn(usize) -> String,
) {
    let mut index_text = String::new();
    super::index_type(&mut index_text, prefix, index);
    w!(items, "impl {prefix}{tr}<{index_text}> for {ident}");
    let call_site = Span::call_site();
    let mut body = TokenStream::new();
    for (k, path) in paths.into_iter().enumerate() {
        body.extend([
            TokenTree::Ident(Ident::new("type", call_site)),
            TokenTree::Ident(Ident::new(&assoc(k), call_site)),
            TokenTree::Punct(Punct::new('=', Spacing::Alone)),
        ]);
        path.to_tokens(&mut body);
        body.extend([TokenTree::Punct(Punct::new(';', Spacing::Alone))]);
    }
    items.t(&Group::new(Delimiter::Brace, body));
}

fn derives_debug(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(syn::punctuated::Punctuated::<Path, syn::Token![,]>::parse_terminated)
                .is_ok_and(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == "Debug"))
                })
        })
}

fn is_self_import(path: &Path, ident: &Ident) -> bool {
    let last = &path.segments.last().expect("a path has a segment").ident;
    last == ident || last == "Self"
}

fn head(item: &syn::Item) -> TokenStream {
    match item {
        syn::Item::Enum(e) => {
            let (kw, id) = (&e.enum_token, &e.ident);
            quote!(#kw #id)
        }
        syn::Item::Fn(f) => f.sig.to_token_stream(),
        syn::Item::Impl(i) => {
            let (kw, ty) = (&i.impl_token, &i.self_ty);
            quote!(#kw #ty)
        }
        other => other.to_token_stream(),
    }
}

/// The same path listed twice is a mistake, reported at the second.
fn report_repeats(cx: &mut Ctxt, paths: &[Path], key: &str) {
    let rendered: Vec<String> = paths.iter().map(path_text).collect();
    for (i, r) in rendered.iter().enumerate() {
        if rendered[..i].contains(r) {
            cx.error_spanned_by(
                &paths[i],
                format!("`{r}` is listed twice in `{key} = [..]`\nhelp: remove one"),
            );
        }
    }
}

/// `path` as a message shows it: `a::b::C`, without the spaces between
/// printed tokens.
fn path_text(path: &Path) -> String {
    simple_path_text(path).unwrap_or_else(|| path.to_token_stream().to_string().replace(' ', ""))
}

/// `a::b::C` for a path without generic arguments (what modules list),
/// joined from its identifiers: printing its tokens instead asks the
/// compiler, once per listed path of every module on every build.
fn simple_path_text(path: &Path) -> Option<String> {
    let mut text = String::new();
    if path.leading_colon.is_some() {
        text.push_str("::");
    }
    for (i, segment) in path.segments.iter().enumerate() {
        if !segment.arguments.is_none() {
            return None;
        }
        if i > 0 {
            text.push_str("::");
        }
        text.push_str(&segment.ident.to_string());
    }
    Some(text)
}

/// One element of a chain: `[kind path]`.
fn link(kind: &str, path: &impl ToTokens) -> TokenStream {
    let kind = Ident::new(kind, Span::call_site());
    quote!([#kind #path])
}

/// Start the chain(s). Up to `CHUNK` items go in one chain ending in
/// `module_impl`; longer lists are gathered chunk by chunk into local
/// `macro_rules!`, then one chain over the chunks ends in `module_impl`.
fn chain(
    providers: &[&Path],
    imports: &[&Path],
    args: &ModuleArgs,
    krate: &Path,
    mangled: &Mangled,
) -> TokenStream {
    let links: Vec<TokenStream> = providers
        .iter()
        .map(|p| link("provider", p))
        .chain(imports.iter().map(|p| link("import", p)))
        .collect();
    let sink = link("sink", &quote!(#krate::__private::module_impl));
    let args = args.to_tokens();
    if links.len() <= CHUNK {
        return start(&links, &sink, &args);
    }
    let chunk_sink = link("sink", &quote!(#krate::__private::module_chunk));
    let mut out = TokenStream::new();
    let mut chunk_links = Vec::new();
    for (c, part) in links.chunks(CHUNK).enumerate() {
        let name = format_ident!("{}_chunk{c}", mangled.macro_name);
        out.extend(std::iter::once(start(part, &chunk_sink, &quote!((#name)))));
        chunk_links.push(link("chunk", &name));
    }
    out.extend(std::iter::once(start(&chunk_links, &sink, &args)));
    out
}

/// `first! { kind [ rest… sink ] args }`
fn start(links: &[TokenStream], sink: &TokenStream, args: &TokenStream) -> TokenStream {
    let mut all: Vec<TokenStream> = links.to_vec();
    all.push(sink.clone());
    let first = all.remove(0);
    let (kind, path) = split_link(&first);
    quote!(#path! { #kind [ #(#all)* ] #args })
}

fn split_link(link: &TokenStream) -> (TokenStream, TokenStream) {
    let Some(proc_macro2::TokenTree::Group(g)) = link.clone().into_iter().next() else {
        unreachable!("links are bracketed")
    };
    let mut tokens = g.stream().into_iter();
    let kind = tokens.next().expect("a link has a kind");
    (kind.into_token_stream(), tokens.collect())
}
