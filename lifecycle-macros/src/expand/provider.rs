//! `#[provider]`: the user's item, its `Provider` impl, and the hidden
//! `macro_rules!` that publishes its metadata to modules.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Item, Path};

use crate::ast::provider::{self, Constructor, Form, HookFn, Provider};
use crate::ast::types::{Arity, Receive};
use crate::attr::Scope;
use crate::ctxt::Ctxt;
use crate::names::{self, Mangled};
use crate::wire;

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item: Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(e) => {
            let error = e.to_compile_error();
            return quote!(#error #input);
        }
    };
    let mut cx = Ctxt::default();
    let (provider, options) = provider::parse(&mut cx, args, &mut item);
    let krate = super::runtime_path(options.krate);
    let Some(provider) = provider else {
        let errors = cx.into_compile_errors();
        return quote!(#errors #item);
    };
    let mangled = names::mangle("p", &provider.marker);
    if provider.generic {
        // Nothing sensible to publish for a generic type.
        let errors = cx.into_compile_errors();
        return quote!(#errors #item);
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
        let publish = publish(&stub, &mangled, &krate, true);
        return quote!(#errors #item #publish);
    }
    let publish = publish(&provider, &mangled, &krate, false);
    quote!(#item #publish)
}

/// Everything but the user's item: marker struct, metadata macro, impls.
fn publish(p: &Provider, mangled: &Mangled, krate: &Path, stub: bool) -> TokenStream {
    // Everything below lives in one `const _` block that names the
    // runtime once: every token of a macro's output costs build time.
    let rt = &quote!(__lc);
    let Mangled { key, macro_name } = mangled;
    let marker = &p.marker;
    let output = &p.output;
    let wire = wire::provider(p, *key);
    let marker_struct = (p.form == Form::Fn).then(|| {
        let vis = &p.vis;
        quote! {
            #[doc(hidden)]
            #[allow(non_camel_case_types, dead_code)]
            #vis struct #marker {}
        }
    });
    let dep_tys2 = p.deps.iter().map(|d| &d.ty);
    let dep_index = 0..p.deps.len();
    let vars: Vec<Ident> = (0..p.deps.len())
        .map(|i| format_ident!("__lc_d{i}"))
        .collect();
    let body = if stub {
        quote!(::core::unimplemented!())
    } else if p.scope == Scope::Input {
        let message = format!(
            "the input `{}` was not supplied: pass it with `.input(..)` before `.bootstrap()`",
            p.name
        );
        quote!(#rt::ErasedConstruct::Ready(#rt::Err(#rt::box_error(#message))))
    } else {
        let reads = dep_reads(p, &vars, rt);
        let body = construct_body(p, &vars, rt);
        quote!(#reads #body)
    };
    let aliases = aliases(p, *key, rt);
    let meta = meta(p, rt);
    let hooks = [
        p.post_construct
            .as_ref()
            .map(|h| hook_const(h, format_ident!("POST_CONSTRUCT"), output, rt)),
        p.pre_destruct
            .as_ref()
            .map(|h| hook_const(h, format_ident!("PRE_DESTRUCT"), output, rt)),
    ];
    let key_lit = syn::LitInt::new(&format!("{key}"), Span::call_site());
    let declared = format!(
        "`{name}` has a provider, declared at {at}, but no module in this graph lists it: import the module that lists `{marker}`, or add `{marker}` to `providers = [..]`",
        name = p.name,
        at = p.location,
        marker = p.marker,
    );
    let injectable = p.local.then(|| {
        quote_spanned! {p.name_span=>
            #[automatically_derived]
            impl #rt::Injectable for #output {
                type Id = #rt::Id<#key_lit>;
                const DECLARED: &'static str = #declared;
            }
        }
    });
    let publish_macro = quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #macro_name {
            (provider [ [$k:ident $($next:tt)*] $($rest:tt)* ] $($acc:tt)*) => {
                $($next)*! { $k [ $($rest)* ] $($acc)* #wire }
            };
            // Listed as a module: `Imports::M: IsModule` reports it.
            (import [ [$k:ident $($next:tt)*] $($rest:tt)* ] $($acc:tt)*) => {
                $($next)*! { $k [ $($rest)* ] $($acc)* }
            };
        }
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub use #macro_name as #marker;
    };
    let provider_impl = quote! {
            #[automatically_derived]
            impl #rt::Provider for #marker {
                type Output = #output;
                type Key = #rt::Id<#key_lit>;
                const META: #rt::ProviderMeta = #meta;

                #[allow(unused_variables, clippy::unused_unit)]
                fn construct(
                    __lc_slots: &#rt::Slots,
                    __lc_deps: &[u32],
                    __lc_counts: &[u32],
                ) -> #rt::ErasedConstruct {
                    #body
                }

                #(#hooks)*
            }
    };
    quote! {
        #marker_struct
        #publish_macro
        const _: () = {
            use #krate::__private as __lc;
            #provider_impl
            #(
                #[automatically_derived]
                impl #rt::DepAt<#dep_index> for #marker { type T = #dep_tys2; }
            )*
            #injectable
            #aliases
        };
    }
}

/// `let __lc_dN = ..;` for every dependency: straight from its slot when
/// every dependency takes one, else walking `counts`.
fn dep_reads(p: &Provider, vars: &[Ident], rt: &TokenStream) -> TokenStream {
    if p.deps.iter().all(|d| d.arity == Arity::One) {
        let tys = p.deps.iter().map(|d| &d.ty);
        let pos = 0..p.deps.len();
        return quote!(#( let #vars = __lc_slots.get::<#tys>(__lc_deps[#pos]); )*);
    }
    let reads = p.deps.iter().zip(vars).enumerate().map(|(j, (d, v))| {
        let ty = &d.ty;
        let read = match d.arity {
            Arity::One => quote!(one),
            Arity::Optional => quote!(optional),
            Arity::All => quote!(all),
        };
        quote!(let #v = #rt::Deps::#read::<#ty>(&mut __lc_reader, #j);)
    });
    quote! {
        let mut __lc_reader = #rt::Deps::new(__lc_slots, __lc_deps, __lc_counts);
        #(#reads)*
    }
}

/// For each `bind(dyn Trait)` / `group(dyn Trait)`: a hidden marker whose
/// provider hands out the provider's own `Arc`, as the trait object.
fn aliases(p: &Provider, key: u64, rt: &TokenStream) -> TokenStream {
    let marker = &p.marker;
    let output = &p.output;
    let scope = scope_tokens(p.scope, rt);
    p.aliases
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let alias = format_ident!("__LcAlias{k}");
            let ty = &a.ty;
            let name = &a.name;
            let location = names::location(a.span);
            let (role, method) = if a.group {
                (quote!(Group), "group")
            } else {
                (quote!(Bind), "bind")
            };
            let alias_key = syn::LitInt::new(&format!("{}", wire::alias_key(key, k)), Span::call_site());
            // Spanned at `bind(dyn Trait)`: a type that does not implement
            // the trait is reported there.
            let coerce = quote_spanned! {a.span=>
                let __lc_value: #rt::Arc<#ty> = __lc_slots.get::<#output>(__lc_deps[0]);
            };
            quote! {
                #[doc(hidden)]
                #[allow(non_camel_case_types)]
                pub struct #alias;
                #[automatically_derived]
                impl #rt::Alias<#k> for #marker { type P = #alias; }
                #[automatically_derived]
                impl #rt::DepAt<0> for #alias { type T = #output; }
                #[automatically_derived]
                impl #rt::Provider for #alias {
                    type Output = #ty;
                    type Key = #rt::Id<#alias_key>;
                    const META: #rt::ProviderMeta = #rt::ProviderMeta {
                        name: #name,
                        location: #location,
                        construct: #rt::HookSpec { method: #method, timeout: #rt::None },
                        post_construct: #rt::None,
                        pre_destruct: #rt::None,
                        scope: #scope,
                        role: #rt::Role::#role,
                    };
                    fn construct(
                        __lc_slots: &#rt::Slots,
                        __lc_deps: &[u32],
                        _: &[u32],
                    ) -> #rt::ErasedConstruct {
                        #coerce
                        #rt::ErasedConstruct::Ready(#rt::Ok(#rt::erase_provided::<Self>(__lc_value)))
                    }
                }
            }
        })
        .collect()
}

fn scope_tokens(scope: Scope, rt: &TokenStream) -> TokenStream {
    let variant = scope.variant();
    quote!(#rt::ScopeKind::#variant)
}

fn timeout(t: Option<std::time::Duration>, rt: &TokenStream) -> TokenStream {
    match t {
        Some(d) => {
            let ms = d.as_millis() as u64;
            quote!(#rt::Some(#rt::millis(#ms)))
        }
        None => quote!(#rt::None),
    }
}

fn meta(p: &Provider, rt: &TokenStream) -> TokenStream {
    let name = &p.name;
    let location = &p.location;
    let ctor_name = p
        .ctor
        .ident
        .as_ref()
        .map_or_else(|| p.marker.to_string(), |i| i.to_string());
    let ctor_timeout = timeout(p.ctor.timeout, rt);
    let spec = |h: &Option<HookFn>| match h {
        Some(h) => {
            let method = h.ident.to_string();
            let t = timeout(h.timeout, rt);
            quote!(#rt::Some(#rt::HookSpec { method: #method, timeout: #t }))
        }
        None => quote!(#rt::None),
    };
    let post = spec(&p.post_construct);
    let pre = spec(&p.pre_destruct);
    let scope = scope_tokens(p.scope, rt);
    let role = if p.scope == Scope::Input {
        quote!(Input)
    } else {
        quote!(Provider)
    };
    quote! {
        #rt::ProviderMeta {
            name: #name,
            location: #location,
            construct: #rt::HookSpec { method: #ctor_name, timeout: #ctor_timeout },
            post_construct: #post,
            pre_destruct: #pre,
            scope: #scope,
            role: #rt::Role::#role,
        }
    }
}

/// The body of `Provider::construct`: call the constructor, wrap in `Arc`
/// and erase, convert errors, and choose inline / async / own thread. All
/// of it is concrete code: no generic helper is instantiated per provider.
fn construct_body(p: &Provider, vars: &[Ident], rt: &TokenStream) -> TokenStream {
    let Constructor {
        ident,
        is_async,
        fallible,
        returns_arc,
        blocking,
        span,
        ..
    } = &p.ctor;
    let marker = &p.marker;
    let output = &p.output;
    let call = match (p.form, ident) {
        (Form::Struct, _) => {
            let members = p
                .deps
                .iter()
                .map(|d| d.member.as_ref().expect("struct fields have members"));
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
    let arc = if *returns_arc {
        quote!(__lc_value)
    } else {
        quote!(#rt::Arc::<#output>::new(__lc_value))
    };
    // Through the trait's bound on `Output`, so a type that is not
    // thread-safe is reported once, at that bound.
    let erased = quote!(#rt::erase_provided::<Self>(#arc));
    let result = if *fallible {
        quote! {
            match #call {
                #rt::Ok(__lc_value) => #rt::Ok(#erased),
                #rt::Err(__lc_error) => #rt::Err(#rt::box_error(__lc_error)),
            }
        }
    } else {
        quote!({ let __lc_value = #call; #rt::Ok(#erased) })
    };
    if *is_async {
        quote_spanned!(*span=> #rt::ErasedConstruct::Async(::std::boxed::Box::pin(async move { #result })))
    } else if *blocking {
        quote_spanned!(*span=> #rt::ErasedConstruct::Blocking(::std::boxed::Box::new(move || #result)))
    } else {
        quote!(#rt::ErasedConstruct::Ready(#result))
    }
}

/// `const POST_CONSTRUCT` / `PRE_DESTRUCT`: a non-capturing closure that
/// takes the provider's value out of its slot and calls the method.
fn hook_const(h: &HookFn, which: Ident, output: &syn::Type, rt: &TokenStream) -> TokenStream {
    let method = &h.ident;
    let call = quote_spanned!(h.span=> __lc_this.#method());
    let run = if h.is_async {
        quote_spanned! {h.span=>
            #rt::Hook::Async(::std::boxed::Box::pin(async move {
                #rt::HookOutput::into_result(#call.await)
            }))
        }
    } else {
        quote_spanned! {h.span=>
            #rt::Hook::Blocking(::std::boxed::Box::new(move || {
                #rt::HookOutput::into_result(#call)
            }))
        }
    };
    quote! {
        const #which: fn(&#rt::Erased) -> ::core::option::Option<#rt::Hook> = |__lc_value| {
            let __lc_this = #rt::this::<#output>(__lc_value);
            #rt::Some(#run)
        };
    }
}
