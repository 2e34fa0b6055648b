//! The model of one `#[provider]` item, in any of its three forms.

use std::time::Duration;

use proc_macro2::{Ident, Span};
use syn::{
    Attribute, FnArg, Generics, ImplItem, ImplItemFn, Item, ItemFn, ItemImpl, ItemStruct, Member,
    Pat, ReturnType, Signature, Type, Visibility,
};

use super::types::{self, Arity, Receive};
use crate::attr::{self, Allowed, HookOptions, Scope};
use crate::ctxt::Ctxt;
use crate::names;

/// Which form the provider was written in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Struct,
    Impl,
    Fn,
}

/// One dependency: a struct field or a constructor parameter.
pub(crate) struct Dependency {
    /// The key it is matched by (`Config`, `dyn Mailer`).
    pub(crate) name: String,
    /// The injected type `T` of `Arc<T>` / `&T`.
    pub(crate) ty: Type,
    pub(crate) receive: Receive,
    /// One, optional, or every member of a group.
    pub(crate) arity: Arity,
    /// Where errors about it point.
    pub(crate) span: Span,
    /// `field `db` of `UserService`` / `parameter `cfg` of `Database::new``.
    pub(crate) label: String,
    /// The struct member it initializes (struct form).
    pub(crate) member: Option<Member>,
}

/// The constructor: the struct literal, the `impl`'s `new` or
/// `#[constructor]`, or the fn itself.
pub(crate) struct Constructor {
    /// The fn to call; `None` for the struct form.
    pub(crate) ident: Option<Ident>,
    pub(crate) is_async: bool,
    pub(crate) fallible: bool,
    /// Returns `Arc<T>` (or `Result<Arc<T>, E>`): no extra `Arc::new`.
    pub(crate) returns_arc: bool,
    pub(crate) blocking: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) span: Span,
}

/// `bind(dyn Trait)` or `group(dyn Trait)`: the provider's value exposed
/// as a trait object, as its own node of the graph.
pub(crate) struct Alias {
    pub(crate) ty: Type,
    /// `dyn Trait`: the name it is matched by.
    pub(crate) name: String,
    pub(crate) span: Span,
    /// `true` for `group(..)`: a collection member, not injectable alone.
    pub(crate) group: bool,
}

/// A `#[post_construct]` / `#[pre_destruct]` method.
pub(crate) struct HookFn {
    pub(crate) ident: Ident,
    pub(crate) is_async: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) span: Span,
}

/// A parsed `#[provider]`.
pub(crate) struct Provider {
    pub(crate) form: Form,
    /// The type-namespace name: struct, impl self type, or fn name.
    pub(crate) marker: Ident,
    /// The key of the provided type.
    pub(crate) name: String,
    pub(crate) name_span: Span,
    /// The provided type.
    pub(crate) output: Type,
    /// Emit `Injectable` for `output` (legal only for local types).
    pub(crate) local: bool,
    pub(crate) deps: Vec<Dependency>,
    pub(crate) ctor: Constructor,
    pub(crate) post_construct: Option<HookFn>,
    pub(crate) pre_destruct: Option<HookFn>,
    /// Singleton, input, request or transient.
    pub(crate) scope: Scope,
    /// `bind(..)` then `group(..)` types, in the order written.
    pub(crate) aliases: Vec<Alias>,
    pub(crate) vis: Visibility,
    /// `file:line:col` of the definition.
    pub(crate) location: String,
    /// Has generic parameters (an error): nothing is generated for it.
    pub(crate) generic: bool,
}

const PROVIDER: Allowed = Allowed {
    attr: "provider",
    blocking: true,
    foreign: true,
    krate: true,
    graph: true,
};
const CONSTRUCTOR: Allowed = Allowed {
    attr: "constructor",
    blocking: true,
    foreign: false,
    krate: false,
    graph: false,
};

/// Read `#[provider(args)] item`. Errors go to `cx`; `None` if the item cannot
/// be a provider at all. `item` is returned with inert hook attributes removed.
pub(crate) fn parse(
    cx: &mut Ctxt,
    args: proc_macro2::TokenStream,
    item: &mut Item,
) -> (Option<Provider>, HookOptions) {
    let options = attr::hook_options(cx, args, PROVIDER);
    let provider = match item {
        Item::Struct(s) => from_struct(cx, s, &options),
        Item::Impl(i) => from_impl(cx, i, &options),
        Item::Fn(f) => from_fn(cx, f, &options),
        other => {
            let what = match other {
                Item::Enum(_) => "an enum",
                Item::Trait(_) => "a trait",
                Item::Union(_) => "a union",
                Item::Const(_) => "a const",
                Item::Static(_) => "a static",
                Item::Type(_) => "a type alias",
                Item::Mod(_) => "a module",
                _ => "this item",
            };
            cx.error_spanned_by(
                item_head(other),
                format!(
                    "`#[provider]` cannot be applied to {what}\n\
                     help: put it on a struct whose fields are `Arc<Dep>`, on an `impl` block with a constructor, or on a fn that returns the provided type"
                ),
            );
            None
        }
    };
    if options.foreign && provider.as_ref().is_some_and(|p| p.form != Form::Fn) {
        cx.error_at(
            Span::call_site(),
            "`foreign` applies only to a provider fn: a struct or `impl` provider is always local",
        );
    }
    let provider = provider.map(|p| with_graph_options(cx, p, &options));
    (provider, options)
}

/// Apply `input`, `scope`, `bind(..)` and `group(..)`.
fn with_graph_options(cx: &mut Ctxt, mut p: Provider, options: &HookOptions) -> Provider {
    if let Some((scope, _)) = options.scope {
        if let Some(input) = options.input {
            cx.error_at(
                input,
                "an input cannot have a scope: its one value is supplied at bootstrap\nhelp: remove `input` or `scope = ..`",
            );
        }
        p.scope = scope;
    }
    if let Some(span) = options.input
        && p.form != Form::Struct
    {
        {
            cx.error_at(
                span,
                "`input` applies to a struct: its value is supplied with `.input(..)` at bootstrap\nhelp: write `#[provider(input)] pub struct Args { .. }`",
            );
        }
    }
    for (list, group) in [(&options.binds, false), (&options.groups, true)] {
        for ty in list {
            let Some((name, span)) = types::key(ty) else {
                continue;
            };
            if p.aliases.iter().any(|a| a.name == name && a.group == group) {
                cx.error_at(span, format!("`{name}` is listed twice\nhelp: remove one"));
                continue;
            }
            if !group && name == p.name {
                cx.error_at(
                    span,
                    format!(
                        "`{}` already provides `{name}`\nhelp: remove `bind({name})`",
                        p.marker
                    ),
                );
                continue;
            }
            p.aliases.push(Alias {
                ty: ty.clone(),
                name,
                span,
                group,
            });
        }
    }
    for d in &p.deps {
        if d.arity == Arity::All && !matches!(d.ty, Type::TraitObject(_)) {
            cx.error_at(
                d.span,
                format!(
                    "{} collects a group, which holds trait objects: found `Vec<Arc<{}>>`\nhelp: write `Vec<Arc<dyn Trait>>` and tag providers with `#[provider(group(dyn Trait))]`",
                    d.label,
                    types::render(&d.ty)
                ),
            );
        }
    }
    p
}

fn item_head(item: &Item) -> proc_macro2::TokenStream {
    use quote::quote;
    match item {
        Item::Enum(e) => {
            let (kw, id) = (&e.enum_token, &e.ident);
            quote!(#kw #id)
        }
        Item::Trait(t) => {
            let (kw, id) = (&t.trait_token, &t.ident);
            quote!(#kw #id)
        }
        Item::Union(u) => {
            let (kw, id) = (&u.union_token, &u.ident);
            quote!(#kw #id)
        }
        Item::Const(c) => {
            let (kw, id) = (&c.const_token, &c.ident);
            quote!(#kw #id)
        }
        other => quote!(#other),
    }
}

/// Reports generic parameters; returns whether there were any.
fn reject_generics(cx: &mut Ctxt, generics: &Generics, what: &str) -> bool {
    let generic = !generics.params.is_empty() || generics.where_clause.is_some();
    if generic {
        cx.error_spanned_by(
            generics,
            format!(
                "generic providers are not supported: {what} has generic parameters\n\
                 help: provide a concrete type, e.g. a `#[provider]` fn that returns `Repo<User>`"
            ),
        );
    }
    generic
}

fn from_struct(cx: &mut Ctxt, s: &ItemStruct, options: &HookOptions) -> Option<Provider> {
    let generic = reject_generics(cx, &s.generics, &format!("`{}`", s.ident));
    let mut deps = Vec::new();
    // An input's fields are its data, not dependencies.
    let fields = if options.input.is_some() {
        None
    } else {
        Some(&s.fields)
    };
    for (index, field) in fields.into_iter().flatten().enumerate() {
        let member = match &field.ident {
            Some(ident) => Member::Named(ident.clone()),
            None => Member::Unnamed(index.into()),
        };
        let shown = match &field.ident {
            Some(ident) => ident.to_string(),
            None => index.to_string(),
        };
        let label = format!("field `{shown}` of `{}`", s.ident);
        match types::dependency(&field.ty, false) {
            Some((inner, receive, arity)) => {
                if let Some(dep) = dependency(cx, inner, receive, arity, label, Some(member)) {
                    deps.push(dep);
                }
            }
            None => cx.error_spanned_by(
                &field.ty,
                format!(
                    "{label} must be `Arc<T>` to be injected, found `{}`\n\
                     help: wrap it in `Arc<..>` and provide its type, or write `#[provider] impl {}` with a constructor that builds this field",
                    types::render(&field.ty),
                    s.ident
                ),
            ),
        }
    }
    let ident = &s.ident;
    Some(Provider {
        form: Form::Struct,
        marker: ident.clone(),
        name: ident.to_string(),
        name_span: ident.span(),
        // Built, not parsed: `parse_quote!` would run `syn`'s type grammar.
        output: Type::Path(syn::TypePath {
            qself: None,
            path: ident.clone().into(),
        }),
        local: true,
        deps,
        ctor: Constructor {
            ident: None,
            is_async: false,
            fallible: false,
            returns_arc: false,
            blocking: options.blocking,
            timeout: options.timeout.map(|t| t.duration),
            span: ident.span(),
        },
        post_construct: None,
        pre_destruct: None,
        scope: if options.input.is_some() {
            Scope::Input
        } else {
            Scope::Singleton
        },
        aliases: Vec::new(),
        vis: s.vis.clone(),
        location: names::location(ident.span()),
        generic,
    })
}

fn dependency(
    cx: &mut Ctxt,
    inner: &Type,
    receive: Receive,
    arity: Arity,
    label: String,
    member: Option<Member>,
) -> Option<Dependency> {
    match types::key(inner) {
        Some((name, span)) => Some(Dependency {
            name,
            ty: inner.clone(),
            receive,
            arity,
            span,
            label,
            member,
        }),
        None => {
            cx.error_spanned_by(
                inner,
                format!(
                    "cannot inject `{}`: {label} must name a provided type\n\
                     help: inject a named type such as `Arc<Config>` or `Arc<dyn Mailer>`",
                    types::render(inner)
                ),
            );
            None
        }
    }
}

/// Which lifecycle attribute a method carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Constructor,
    PostConstruct,
    PreDestruct,
}

impl Marker {
    fn of(attr: &Attribute) -> Option<Marker> {
        let last = attr.path().segments.last()?;
        match last.ident.to_string().as_str() {
            "constructor" => Some(Marker::Constructor),
            "post_construct" => Some(Marker::PostConstruct),
            "pre_destruct" => Some(Marker::PreDestruct),
            _ => None,
        }
    }

    fn attr(self) -> &'static str {
        match self {
            Marker::Constructor => "constructor",
            Marker::PostConstruct => "post_construct",
            Marker::PreDestruct => "pre_destruct",
        }
    }
}

/// Remove the inert lifecycle attributes of one method, returning them.
fn take_markers(cx: &mut Ctxt, method: &mut ImplItemFn) -> Vec<(Marker, HookOptions, Span)> {
    let mut found = Vec::new();
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut method.attrs) {
        match Marker::of(&attr) {
            Some(marker) => {
                let tokens = match &attr.meta {
                    syn::Meta::Path(_) => proc_macro2::TokenStream::new(),
                    syn::Meta::List(list) => list.tokens.clone(),
                    syn::Meta::NameValue(nv) => {
                        cx.error_spanned_by(
                            nv,
                            format!(
                                "expected `#[{0}]` or `#[{0}(timeout = \"5s\")]`",
                                marker.attr()
                            ),
                        );
                        proc_macro2::TokenStream::new()
                    }
                };
                let allowed = if marker == Marker::Constructor {
                    CONSTRUCTOR
                } else {
                    Allowed {
                        attr: marker.attr(),
                        blocking: false,
                        foreign: false,
                        krate: false,
                        graph: false,
                    }
                };
                let options = attr::hook_options(cx, tokens, allowed);
                found.push((marker, options, method.sig.ident.span()));
            }
            None => kept.push(attr),
        }
    }
    method.attrs = kept;
    found
}

fn from_impl(cx: &mut Ctxt, imp: &mut ItemImpl, options: &HookOptions) -> Option<Provider> {
    if let Some((_, path, _)) = &imp.trait_ {
        cx.error_spanned_by(
            path,
            "`#[provider]` goes on an inherent `impl` block, not a trait impl\n\
             help: write `#[provider] impl MyType { fn new(..) -> Self { .. } }`",
        );
        return None;
    }
    let mut generic = reject_generics(cx, &imp.generics, "this `impl` block");
    let self_ty = (*imp.self_ty).clone();
    let (name, name_span) = match &self_ty {
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last().expect("a path has a segment");
            if !last.arguments.is_none() {
                generic = true;
                cx.error_spanned_by(
                    &last.arguments,
                    "generic providers are not supported: the provided type has generic arguments\n\
                     help: provide a concrete type, e.g. a `#[provider]` fn that returns `Repo<User>`",
                );
            }
            (last.ident.to_string(), last.ident.span())
        }
        other => {
            cx.error_spanned_by(
                other,
                "`#[provider]` impl blocks must be for a named type, e.g. `impl Database`",
            );
            return None;
        }
    };
    let marker = Ident::new(&name, name_span);
    let mut ctor_marked: Vec<(usize, HookOptions, Span)> = Vec::new();
    let mut post = Vec::new();
    let mut pre = Vec::new();
    let mut new_fn = None;
    for (index, item) in imp.items.iter_mut().enumerate() {
        let ImplItem::Fn(method) = item else { continue };
        if method.sig.ident == "new" {
            new_fn = Some(index);
        }
        for (m, opts, span) in take_markers(cx, method) {
            match m {
                Marker::Constructor => ctor_marked.push((index, opts, span)),
                Marker::PostConstruct => post.push((index, opts, span)),
                Marker::PreDestruct => pre.push((index, opts, span)),
            }
        }
    }
    let first_ctor = ctor_marked
        .first()
        .and_then(|(i, _, _)| match &imp.items[*i] {
            ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        });
    let first_ctor = first_ctor.unwrap_or_default();
    if ctor_marked.len() > 1 {
        for (_, _, span) in &ctor_marked[1..] {
            cx.error_at(
                *span,
                format!("`{name}` has more than one `#[constructor]`: `{}` is the first\nhelp: keep `#[constructor]` on exactly one associated fn", first_ctor),
            );
        }
    }
    let ctor_options;
    let ctor_index = match ctor_marked.into_iter().next() {
        Some((index, opts, _)) => {
            ctor_options = merge(options, opts);
            Some(index)
        }
        None => {
            ctor_options = merge(options, HookOptions::default());
            new_fn
        }
    };
    let (ctor, deps) = match ctor_index {
        Some(index) => {
            let ImplItem::Fn(ctor_fn) = &imp.items[index] else {
                unreachable!("constructor indices point at fns")
            };
            constructor(
                cx,
                &ctor_fn.sig,
                &format!("{name}::{}", ctor_fn.sig.ident),
                &ctor_options,
                Some(&name),
            )
        }
        None => {
            cx.error_spanned_by(
                &imp.self_ty,
                format!(
                    "`#[provider] impl {name}` has no constructor\n\
                     help: add `fn new(..) -> Self` (or `-> Result<Self, E>`), or mark the associated fn that builds `{name}` with `#[constructor]`"
                ),
            );
            // Published as a stub, so modules listing it stay quiet.
            let ctor = Constructor {
                ident: None,
                is_async: false,
                fallible: false,
                returns_arc: false,
                blocking: false,
                timeout: None,
                span: name_span,
            };
            (ctor, Vec::new())
        }
    };
    let post_construct = hook(cx, imp, &post, "post_construct", &name);
    let pre_destruct = hook(cx, imp, &pre, "pre_destruct", &name);
    Some(Provider {
        form: Form::Impl,
        location: names::location(name_span),
        marker,
        name,
        name_span,
        output: self_ty,
        local: true,
        deps,
        ctor,
        post_construct,
        pre_destruct,
        scope: Scope::Singleton,
        aliases: Vec::new(),
        vis: Visibility::Inherited,
        generic,
    })
}

fn merge(outer: &HookOptions, inner: HookOptions) -> HookOptions {
    HookOptions {
        timeout: inner.timeout.or(outer.timeout),
        blocking: inner.blocking || outer.blocking,
        foreign: outer.foreign,
        ..HookOptions::default()
    }
}

/// The hook of one kind; errors for duplicates and wrong signatures.
fn hook(
    cx: &mut Ctxt,
    imp: &ItemImpl,
    marked: &[(usize, HookOptions, Span)],
    attr: &str,
    name: &str,
) -> Option<HookFn> {
    for (_, _, span) in marked.iter().skip(1) {
        cx.error_at(*span, format!("`{name}` has more than one `#[{attr}]` hook\nhelp: merge them into one method: a provider runs one `{attr}` hook"));
    }
    let (index, options, _) = marked.first()?;
    let ImplItem::Fn(method) = &imp.items[*index] else {
        unreachable!()
    };
    let sig = &method.sig;
    let mut ok = true;
    let shape = format!(
        "help: write `{}fn {}(&self)` returning `()` or `Result<(), E>`",
        if sig.asyncness.is_some() {
            "async "
        } else {
            ""
        },
        sig.ident
    );
    match sig.inputs.first() {
        Some(FnArg::Receiver(r))
            if r.reference.is_some() && r.mutability.is_none() && r.colon_token.is_none() => {}
        Some(FnArg::Receiver(r)) => {
            ok = false;
            cx.error_spanned_by(
                r,
                format!(
                    "a `#[{attr}]` hook takes `&self`, found `{}`\n{shape}",
                    quote::quote!(#r).to_string().replace("& ", "&")
                ),
            );
        }
        _ => {
            ok = false;
            cx.error_spanned_by(
                &sig.ident,
                format!("a `#[{attr}]` hook must be a method taking `&self`\n{shape}"),
            );
        }
    }
    for extra in sig.inputs.iter().skip(1) {
        ok = false;
        cx.error_spanned_by(extra, format!("a `#[{attr}]` hook takes no parameters besides `&self`\nhelp: inject what the hook needs into `{name}` itself"));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        ok = false;
        cx.error_spanned_by(
            &sig.generics,
            format!("a `#[{attr}]` hook cannot be generic\n{shape}"),
        );
    }
    if let ReturnType::Type(_, ty) = &sig.output {
        let unit = matches!(&**ty, Type::Tuple(t) if t.elems.is_empty());
        let result = types::generic_of(ty, "Result").is_some()
            || matches!(&**ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Result"));
        if !unit && !result {
            ok = false;
            cx.error_spanned_by(
                ty,
                format!(
                    "a `#[{attr}]` hook must return `()` or `Result<(), E>`, found `{}`\n{shape}",
                    types::render(ty)
                ),
            );
        }
    }
    ok.then(|| HookFn {
        ident: sig.ident.clone(),
        is_async: sig.asyncness.is_some(),
        timeout: options.timeout.map(|t| t.duration),
        span: sig.ident.span(),
    })
}

/// Read a constructor signature: its dependencies and its return shape.
/// `self_name` is `Some` for the impl form, where `Self` is the output.
fn constructor(
    cx: &mut Ctxt,
    sig: &Signature,
    shown: &str,
    options: &HookOptions,
    self_name: Option<&str>,
) -> (Constructor, Vec<Dependency>) {
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        cx.error_spanned_by(&sig.generics, format!("the constructor `{shown}` cannot be generic\nhelp: take concrete dependencies such as `Arc<Config>` or `&Config`"));
    }
    let mut deps = Vec::new();
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(r) => cx.error_spanned_by(
                r,
                format!("the constructor `{shown}` cannot take `self`: it builds the value\nhelp: take dependencies as `Arc<Dep>` or `&Dep` parameters"),
            ),
            FnArg::Typed(pt) => {
                let pname = match &*pt.pat {
                    Pat::Ident(pi) => pi.ident.to_string(),
                    _ => "_".to_owned(),
                };
                let label = format!("parameter `{pname}` of `{shown}`");
                match types::dependency(&pt.ty, true) {
                    Some((inner, receive, arity)) => {
                        if let Some(dep) = dependency(cx, inner, receive, arity, label, None) {
                            deps.push(dep);
                        }
                    }
                    None => cx.error_spanned_by(
                        &pt.ty,
                        format!(
                            "{label} must be `Arc<T>` or `&T` to be injected, found `{}`\n\
                             help: take `Arc<{0}>` or `&{0}` and provide `{0}`",
                            types::render(&pt.ty)
                        ),
                    ),
                }
            }
        }
    }
    let (fallible, returns_arc) = match &sig.output {
        ReturnType::Default => {
            cx.error_spanned_by(
                sig,
                format!(
                    "the constructor `{shown}` returns nothing\n\
                     help: return {}",
                    if self_name.is_some() {
                        "`Self` or `Result<Self, E>`"
                    } else {
                        "the provided type, e.g. `-> Cache` or `-> Result<Cache, E>`"
                    }
                ),
            );
            (false, false)
        }
        ReturnType::Type(_, ty) => {
            let (value, fallible) = match types::generic_of(ty, "Result") {
                Some(ok) => (ok, true),
                None => (&**ty, false),
            };
            let (value, returns_arc) = match types::generic_of(value, "Arc") {
                Some(inner) => (inner, true),
                None => (value, false),
            };
            if let Some(expected) = self_name {
                let is_self = types::key(value).is_some_and(|(k, _)| k == "Self" || k == expected);
                if !is_self {
                    cx.error_spanned_by(
                        ty,
                        format!("the constructor `{shown}` must return `Self` or `Result<Self, E>`, found `{}`", types::render(ty)),
                    );
                }
            }
            (fallible, returns_arc)
        }
    };
    let ctor = Constructor {
        ident: Some(sig.ident.clone()),
        is_async: sig.asyncness.is_some(),
        fallible,
        returns_arc,
        blocking: options.blocking,
        timeout: options.timeout.map(|t| t.duration),
        span: sig.ident.span(),
    };
    if ctor.blocking && ctor.is_async {
        cx.error_spanned_by(sig.asyncness, format!("`blocking` applies to sync constructors; `{shown}` is async and already runs off the caller\nhelp: remove `blocking`"));
    }
    (ctor, deps)
}

fn from_fn(cx: &mut Ctxt, f: &ItemFn, options: &HookOptions) -> Option<Provider> {
    let shown = f.sig.ident.to_string();
    let (ctor, deps) = constructor(cx, &f.sig, &shown, options, None);
    let ReturnType::Type(_, ret) = &f.sig.output else {
        return None;
    };
    let value = types::generic_of(ret, "Result").unwrap_or(ret);
    let output = types::generic_of(value, "Arc").unwrap_or(value).clone();
    if matches!(output, Type::ImplTrait(_)) {
        cx.error_spanned_by(&output, "a provider fn cannot return `impl Trait`: the graph needs a nameable type\nhelp: return a concrete type, or `Arc<dyn Trait>` to provide `dyn Trait`");
        return None;
    }
    let Some((name, name_span)) = types::key(&output) else {
        cx.error_spanned_by(&output, format!("a provider fn must return a named type, found `{}`\nhelp: return a struct, or `Arc<dyn Trait>`", types::render(&output)));
        return None;
    };
    Some(Provider {
        form: Form::Fn,
        marker: f.sig.ident.clone(),
        local: !options.foreign && types::looks_local(&output),
        name,
        name_span,
        output,
        deps,
        ctor,
        post_construct: None,
        pre_destruct: None,
        scope: Scope::Singleton,
        aliases: Vec::new(),
        vis: f.vis.clone(),
        location: names::location(f.sig.ident.span()),
        generic: !f.sig.generics.params.is_empty(),
    })
}
