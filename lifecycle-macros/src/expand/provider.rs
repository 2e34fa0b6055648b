//! `#[provider]`: the user's item, its `Provider` impl, and the hidden
//! `macro_rules!` that publishes its metadata to modules.

use proc_macro2::{Delimiter, Ident, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::Item;

use super::src::{Src, lex, lit};

use crate::ast::plain;
use crate::ast::provider::{self, Constructor, Form, HookFn, Provider};
use crate::ast::types::{Arity, Receive};
use crate::attr::Scope;
use crate::ctxt::Ctxt;
use crate::names::{self, Mangled};
use crate::wire;

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let parsed = if let Some(plain) = plain::read(&input) {
        Ok(Item::Struct(plain))
    } else if is_struct(&input) {
        syn::parse2(input.clone()).map(Item::Struct)
    } else {
        syn::parse2(input.clone())
    };
    let mut item: Item = match parsed {
        Ok(item) => item,
        Err(e) => {
            let error = e.to_compile_error();
            return quote!(#error #input);
        }
    };
    let mut cx = Ctxt::default();
    let (provider, options) = provider::parse(&mut cx, args, &mut item);
    let rt = &super::private_prefix(options.krate.as_ref());
    let sp = &super::short_prefix(options.krate.as_ref());
    let mut out = if matches!(item, Item::Impl(_)) {
        // Without the hook attributes `parse` took out.
        item.into_token_stream()
    } else {
        // Unchanged: pass the user's tokens on rather than print the
        // parsed item again (a plain struct was read without its
        // attributes).
        input
    };
    let Some(provider) = provider else {
        let errors = cx.into_compile_errors();
        return quote!(#errors #out);
    };
    let mangled = names::mangle("p", &provider.marker);
    if provider.generic {
        // Nothing sensible to publish for a generic type.
        let errors = cx.into_compile_errors();
        return quote!(#errors #out);
    }
    if cx.has_errors() {
        // One mistake, one error: publish the provider without its
        // dependencies and with a stub constructor, so modules that list it
        // and code that uses it stay quiet.
        let errors = cx.into_compile_errors();
        let stub = Provider {
            deps: Vec::new(),
            ..provider
        };
        let publish = publish(&stub, &mangled, (rt, sp), true);
        return quote!(#errors #out #publish);
    }
    // As one stream: `extend` with a stream's trees would send each token
    // of it across the compiler's bridge and back.
    out.extend(std::iter::once(publish(
        &provider,
        &mangled,
        (rt, sp),
        false,
    )));
    out
}

/// Whether `input` is a struct: outer attributes, a visibility, then
/// `struct`. Parsed as one directly, it skips `syn`'s look-ahead over
/// every kind of item, which counts when the macro runs unoptimized.
fn is_struct(input: &TokenStream) -> bool {
    use proc_macro2::TokenTree;
    for token in input.clone() {
        match token {
            TokenTree::Ident(ident) if ident == "struct" => return true,
            TokenTree::Ident(ident) if ident == "pub" => {}
            // `#`, an attribute's `[..]`, a visibility's `(..)`.
            TokenTree::Punct(p) if p.as_char() == '#' => {}
            TokenTree::Group(g) if g.delimiter() != Delimiter::Brace => {}
            _ => return false,
        }
    }
    false
}

/// Everything but the user's item: marker struct, metadata macro, impls.
/// Written as text (see `src.rs`) around the user's tokens.
/// `rt` is the path to the runtime's hidden module, `sp` the short one
/// to the names every provider writes (see `short_prefix`).
fn publish(p: &Provider, mangled: &Mangled, (rt, sp): (&str, &str), stub: bool) -> TokenStream {
    let Mangled {
        key,
        file,
        macro_name,
    } = mangled;
    let marker = &p.marker;
    let output = &p.output;
    let mut out = Src::default();
    if p.form == Form::Fn {
        out.s("#[doc(hidden)] #[allow(non_camel_case_types, dead_code)]")
            .t(&p.vis)
            .s("struct")
            .t(marker)
            .s("{}");
    }
    // The metadata macro; the wire keeps its spans, so that a module's
    // error can point at a dependency in this crate.
    let wire = wire::provider(p, *key, *file);
    // Listed as a module by mistake, the provider's entry arrives where an
    // import's was expected, and `Imports::M: IsModule` reports it. The
    // marker's name as text: spliced in as a token, it would split the text
    // around it into separately lexed pieces.
    let marker_name = marker.to_string();
    super::metadata_macro(&mut out, macro_name, &marker_name, |m| {
        m.t(&wire);
    });
    // The impls name the runtime by its full path: a `const _` block with
    // a short `use` would be one more body per provider for rustc to
    // check and track. No `#[automatically_derived]`: an attribute per
    // provider costs rustc about 15,000 instructions on every build, and
    // no lint reads it on a trait without `Debug`'s or `Clone`'s trivial
    // field reads (`tests/ui/pass/quiet.rs` denies warnings).
    let b = &mut out;
    w!(b, "impl {rt}Provider for {marker_name}");
    b.group(Delimiter::Brace, |b| {
        b.s("type Output =").t(output).s("; type Deps =");
        let listed: Vec<_> = p.deps.iter().take(DEPS_LISTED).map(|d| &d.ty).collect();
        deps_list(b, sp, &listed);
        w!(
            b,
            "; type Key = {sp}{}Key<{key}, {}, {file}>; const META: {sp}ProviderMeta = ",
            p.scope.variant(),
            names::key_bucket(*key),
        );
        meta(b, (rt, sp), p);
        // `mut` only where the dependencies are read in turn.
        let deps_mut = if one_each(p) { "" } else { "mut " };
        w!(
            b,
            "; fn construct({deps_mut}__lc: {sp}Deps<'_>) -> {sp}ErasedConstruct"
        );
        // As text where the body names nothing of the user's.
        if stub {
            b.s("{ ::core::unimplemented!() }");
        } else if p.scope == Scope::Input {
            let message = format!(
                "the input `{}` was not supplied: pass it with `.input(..)` before `.bootstrap()`",
                p.name
            );
            w!(
                b,
                "{{ {rt}ErasedConstruct::Ready({rt}Err({rt}box_error({}))) }}",
                lit(&message)
            );
        } else if plain_struct(p) {
            b.s("{");
            struct_body(b, sp, p);
            b.s("}");
        } else {
            b.group(Delimiter::Brace, |b| {
                dep_reads(b, rt, p);
                construct_body(b, (rt, sp), p);
            });
        }
        if let Some(h) = &p.post_construct {
            hook_const(b, rt, h, "POST_CONSTRUCT", output);
        }
        if let Some(h) = &p.pre_destruct {
            hook_const(b, rt, h, "PRE_DESTRUCT", output);
        }
    });
    for (i, d) in p.deps.iter().enumerate().skip(DEPS_LISTED) {
        w!(b, "#[automatically_derived] impl {rt}DepAt<{i}> for ");
        b.t(marker).group(Delimiter::Brace, |b| {
            b.s("type T =").t(&d.ty).s(";");
        });
    }
    // A struct or impl provider is its own marker, and the runtime's
    // one blanket impl makes it `Injectable`; a fn provider's output
    // needs its own, which reads the same from the marker.
    if p.local && p.form == Form::Fn {
        let rt_path = runtime_tokens(rt);
        b.t(&quote_spanned! {p.name_span=>
            #[automatically_derived]
            impl #rt_path::Injectable for #output {
                type Id = <#marker as #rt_path::Provider>::Key;
                const DECLARED: &'static str = <#marker as #rt_path::Provider>::META.declared;
            }
        });
    }
    aliases(b, (rt, sp), macro_name, p, *key, *file);
    out.finish()
}

/// The runtime's hidden module as tokens, for `quote!`: `rt` without its
/// trailing `::`.
fn runtime_tokens(rt: &str) -> TokenStream {
    lex(rt.trim_end_matches("::"))
}

/// How many dependencies `Provider::Deps` lists: `DEPS_LISTED` in the
/// runtime, which implements `At<J>` for `J` below it.
pub(crate) const DEPS_LISTED: usize = 32;

/// The longest `Dn` alias of a dependency list the runtime has.
const D_ALIASES: usize = 8;

/// `D<T0, D<T1, E>>` (in the runtime): dependency types as a list, written
/// `D2<T0, T1>`; a longer list starts with `D<..>` and ends in `D8<..>`.
fn deps_list(b: &mut Src, sp: &str, types: &[&syn::Type]) {
    if types.is_empty() {
        return w!(b, "{sp}E");
    }
    let head = types.len().saturating_sub(D_ALIASES);
    for ty in &types[..head] {
        w!(b, "{sp}D<");
        b.t(ty).s(",");
    }
    w!(b, "{sp}D{}<", types.len() - head);
    // The commas between types as tokens: as text, each would be lexed
    // on its own, between two spliced types.
    let comma = proc_macro2::Punct::new(',', proc_macro2::Spacing::Alone);
    for (i, ty) in types[head..].iter().enumerate() {
        if i > 0 {
            b.t(&comma);
        }
        b.t(ty);
    }
    b.s(">");
    for _ in 0..head {
        b.s(">");
    }
}

/// The common case: a struct provider built on the spot whose fields each
/// take one dependency.
fn plain_struct(p: &Provider) -> bool {
    p.form == Form::Struct && !p.ctor.blocking && !p.ctor.is_async && one_each(p)
}

/// Every dependency takes exactly one slot: none is optional or a
/// collection, so each is read straight from its slot by index.
fn one_each(p: &Provider) -> bool {
    p.deps.iter().all(|d| d.arity == Arity::One)
}

/// The body of `Provider::construct` of a [`plain_struct`], as one piece
/// of text: each field's slot read takes its type from the field.
fn struct_body(b: &mut Src, sp: &str, p: &Provider) {
    w!(b, "{sp}ready::<Self>(Self {{");
    for (i, d) in p.deps.iter().enumerate() {
        let member = match d.member.as_ref().expect("struct fields have members") {
            syn::Member::Named(ident) => ident.to_string(),
            syn::Member::Unnamed(index) => index.index.to_string(),
        };
        w!(b, "{member}: __lc.at({i}),");
    }
    b.s("})");
}

/// `let __lc_dN = ..;` for every dependency: straight from its slot when
/// every dependency takes one, else walking `counts`.
fn dep_reads(b: &mut Src, rt: &str, p: &Provider) {
    if one_each(p) {
        for (i, d) in p.deps.iter().enumerate() {
            w!(b, "let __lc_d{i} = __lc.at::<");
            b.t(&d.ty);
            w!(b, ">({i});");
        }
        return;
    }
    for (i, d) in p.deps.iter().enumerate() {
        let read = match d.arity {
            Arity::One => "one",
            Arity::Optional => "optional",
            Arity::All => "all",
        };
        w!(b, "let __lc_d{i} = {rt}Deps::{read}::<");
        b.t(&d.ty);
        w!(b, ">(&mut __lc, {i});");
    }
}

/// For each `bind(dyn Trait)` / `group(dyn Trait)`: a hidden marker whose
/// provider hands out the provider's own `Arc`, as the trait object.
fn aliases(
    b: &mut Src,
    (rt, sp): (&str, &str),
    macro_name: &Ident,
    p: &Provider,
    key: u64,
    file: u64,
) {
    let marker = &p.marker;
    let output = &p.output;
    let scope = p.scope.variant();
    for (k, a) in p.aliases.iter().enumerate() {
        let ty = &a.ty;
        let (role, method) = if a.group {
            ("Group", "group")
        } else {
            ("Bind", "bind")
        };
        let alias_key = wire::alias_key(key, k);
        w!(
            b,
            "#[doc(hidden)] #[allow(non_camel_case_types)] pub struct {macro_name}_alias{k}; #[automatically_derived] impl {rt}Alias<{k}> for "
        );
        b.t(marker);
        w!(
            b,
            "{{ type P = {macro_name}_alias{k}; }} #[automatically_derived] impl {rt}Provider for {macro_name}_alias{k}"
        );
        b.group(Delimiter::Brace, |b| {
            b.s("type Output =").t(ty).s("; type Deps =");
            deps_list(b, sp, &[output]);
            w!(
                b,
                "; type Key = {sp}{scope}Key<{alias_key}, {alias_bucket}, {file}>; const META: {sp}ProviderMeta = {sp}ProviderMeta {{ \
                 name: {name}, location: {location}, \
                 construct: {rt}HookSpec {{ method: {method:?}, timeout: {rt}None }}, \
                 post_construct: {rt}None, pre_destruct: {rt}None, \
                 scope: {rt}ScopeKind::{scope}, role: {rt}Role::{role}, user_code: false, declared: \"\" }}; \
                 fn construct(__lc: {sp}Deps<'_>) -> {sp}ErasedConstruct",
                alias_bucket = names::key_bucket(alias_key),
                name = lit(&a.name),
                location = lit(&names::location(a.span)),
            );
            b.group(Delimiter::Brace, |b| {
                // Spanned at `bind(dyn Trait)`: a type that does not
                // implement the trait is reported there.
                let rt_path = runtime_tokens(rt);
                b.t(&quote_spanned! {a.span=>
                    let __lc_value: #rt_path::Arc<#ty> = __lc.at::<#output>(0);
                });
                w!(b, "{rt}ErasedConstruct::Ready({rt}Ok({rt}erase_provided::<Self>(__lc_value)))");
            });
        });
    }
}

/// The error for a dependency on this provider's type in a graph that does
/// not list the provider.
fn declared(p: &Provider) -> String {
    format!(
        "`{name}` has a provider, declared at {at}, but no module in this graph lists it: import the module that lists `{marker}`, or add `{marker}` to `providers = [..]`",
        name = p.name,
        at = p.location,
        marker = p.marker,
    )
}

fn timeout(rt: &str, t: Option<std::time::Duration>) -> String {
    match t {
        Some(d) => format!("{rt}Some({rt}millis({}))", d.as_millis() as u64),
        None => format!("{rt}None"),
    }
}

fn meta(b: &mut Src, (rt, sp): (&str, &str), p: &Provider) {
    let ctor_name = p
        .ctor
        .ident
        .as_ref()
        .map_or_else(|| p.marker.to_string(), |i| i.to_string());
    let spec = |h: &Option<HookFn>| match h {
        Some(h) => format!(
            "{rt}Some({rt}HookSpec {{ method: {}, timeout: {} }})",
            lit(&h.ident.to_string()),
            timeout(rt, h.timeout)
        ),
        None => format!("{rt}None"),
    };
    // A struct provider is built from its injected fields alone (and on
    // the spot unless sent to a thread of its own).
    let user_code = p.form != Form::Struct || p.ctor.blocking;
    // Read by the `Injectable` impl of the provided type: the runtime's
    // for struct and impl providers, a fn provider's own.
    let declared = if p.local { lit(&declared(p)) } else { lit("") };
    if p.scope == Scope::Singleton
        && p.ctor.timeout.is_none()
        && p.post_construct.is_none()
        && p.pre_destruct.is_none()
    {
        w!(
            b,
            "{sp}ProviderMeta::plain({name}, {location}, {ctor}, {user_code}, {declared})",
            name = lit(&p.name),
            location = lit(&p.location),
            ctor = lit(&ctor_name),
        );
        return;
    }
    let role = if p.scope == Scope::Input {
        "Input"
    } else {
        "Provider"
    };
    w!(
        b,
        "{sp}ProviderMeta {{ name: {name}, location: {location}, \
         construct: {rt}HookSpec {{ method: {ctor}, timeout: {ctor_timeout} }}, \
         post_construct: {post}, pre_destruct: {pre}, \
         scope: {rt}ScopeKind::{scope}, role: {rt}Role::{role}, user_code: {user_code}, \
         declared: {declared} }}",
        name = lit(&p.name),
        location = lit(&p.location),
        ctor = lit(&ctor_name),
        ctor_timeout = timeout(rt, p.ctor.timeout),
        post = spec(&p.post_construct),
        pre = spec(&p.pre_destruct),
        scope = p.scope.variant(),
    );
}

/// The body of `Provider::construct`: call the constructor, wrap in `Arc`
/// and erase, convert errors, and choose inline / async / own thread.
fn construct_body(b: &mut Src, (rt, sp): (&str, &str), p: &Provider) {
    let Constructor {
        ident,
        is_async,
        fallible,
        returns_arc,
        blocking,
        span,
        ..
    } = &p.ctor;
    let output = &p.output;
    let vars = (0..p.deps.len()).map(|i| format_ident!("__lc_d{i}"));
    let call = match (p.form, ident) {
        (Form::Struct, _) => {
            let members = p
                .deps
                .iter()
                .map(|d| d.member.as_ref().expect("struct fields have members"));
            let marker = &p.marker;
            quote!(#marker { #(#members: #vars,)* })
        }
        (form, Some(ident)) => {
            let args = p.deps.iter().zip(vars).map(|(d, v)| match d.receive {
                Receive::Ref if d.arity == Arity::One => quote!(&*#v),
                _ => quote!(#v),
            });
            let callee = if form == Form::Impl {
                quote!(<#output>::#ident)
            } else {
                quote!(#ident)
            };
            let call = quote_spanned!(*span=> #callee(#(#args),*));
            if *is_async {
                quote_spanned!(*span=> #call.await)
            } else {
                call
            }
        }
        (_, None) => unreachable!("impl and fn providers have a constructor"),
    };
    // Through the trait's bound on `Output`, so a type that is not
    // thread-safe is reported once, at that bound.
    let result = |r: &mut Src| {
        let ok = |r: &mut Src| {
            w!(r, "{rt}Ok");
            r.group(Delimiter::Parenthesis, |r| {
                w!(r, "{rt}erase_provided::<Self>");
                if *returns_arc {
                    r.s("(__lc_value)");
                } else {
                    r.group(Delimiter::Parenthesis, |r| {
                        w!(r, "{rt}Arc::<");
                        r.t(output).s(">::new(__lc_value)");
                    });
                }
            });
        };
        if *fallible {
            r.s("match").t(&call).group(Delimiter::Brace, |r| {
                w!(r, "{rt}Ok(__lc_value) =>");
                ok(r);
                w!(
                    r,
                    ", {rt}Err(__lc_error) => {rt}Err({rt}box_error(__lc_error)),"
                );
            });
        } else {
            r.group(Delimiter::Brace, |r| {
                r.s("let __lc_value =").t(&call).s(";");
                ok(r);
            });
        }
    };
    if *is_async || *blocking {
        let rt_path = runtime_tokens(rt);
        let mut r = Src::default();
        result(&mut r);
        let result = r.finish();
        b.t(&if *is_async {
            quote_spanned!(*span=> #rt_path::ErasedConstruct::Async(::std::boxed::Box::pin(async move { #result })))
        } else {
            quote_spanned!(*span=> #rt_path::ErasedConstruct::Blocking(::std::boxed::Box::new(move || #result)))
        });
    } else if !*fallible && !*returns_arc {
        w!(b, "{sp}ready::<Self>");
        b.group(Delimiter::Parenthesis, |b| {
            b.t(&call);
        });
    } else {
        w!(b, "{sp}ErasedConstruct::Ready");
        b.group(Delimiter::Parenthesis, result);
    }
}

/// `const POST_CONSTRUCT` / `PRE_DESTRUCT`: a non-capturing closure that
/// takes the provider's value out of its slot and calls the method.
fn hook_const(b: &mut Src, rt: &str, h: &HookFn, which: &str, output: &syn::Type) {
    let method = &h.ident;
    let rt_path = runtime_tokens(rt);
    let call = quote_spanned!(h.span=> __lc_this.#method());
    let run = if h.is_async {
        quote_spanned! {h.span=>
            #rt_path::Hook::Async(::std::boxed::Box::pin(async move {
                #rt_path::HookOutput::into_result(#call.await)
            }))
        }
    } else {
        quote_spanned! {h.span=>
            #rt_path::Hook::Blocking(::std::boxed::Box::new(move || {
                #rt_path::HookOutput::into_result(#call)
            }))
        }
    };
    w!(
        b,
        "const {which}: fn(&{rt}Erased) -> ::core::option::Option<{rt}Hook> = |__lc_value|"
    );
    b.group(Delimiter::Brace, |b| {
        w!(b, "let __lc_this = {rt}this::<");
        b.t(output);
        w!(b, ">(__lc_value); {rt}Some");
        b.group(Delimiter::Parenthesis, |b| {
            b.t(&run);
        });
    });
    b.s(";");
}
