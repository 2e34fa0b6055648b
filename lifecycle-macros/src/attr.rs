//! Options inside the attributes: `#[provider(blocking, timeout = "5s")]`,
//! `#[post_construct(timeout = "2s")]`, `#[module(imports = [..], providers = [..])]`.
//! Unknown and duplicated keys are reported, all in one pass.

use std::time::Duration;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit, Meta, Path, Token, Type};

use crate::ctxt::Ctxt;
use crate::timeout;

/// A `timeout = "…"` value with the span of its literal.
#[derive(Clone, Copy)]
pub(crate) struct Timeout {
    pub(crate) duration: Duration,
}

/// Options of `#[provider(..)]`, `#[constructor(..)]` and the hook attributes.
#[derive(Default)]
pub(crate) struct HookOptions {
    pub(crate) timeout: Option<Timeout>,
    pub(crate) blocking: bool,
    /// `#[provider(foreign)]`: the provided type is from another crate.
    pub(crate) foreign: bool,
    /// `#[provider(crate = "…")]`: path of a renamed `lifecycle_runtime`.
    pub(crate) krate: Option<Path>,
    /// `#[provider(input)]`: the value is supplied at bootstrap.
    pub(crate) input: Option<Span>,
    /// `#[provider(scope = request)]`.
    pub(crate) scope: Option<(Scope, Span)>,
    /// `#[provider(bind(dyn A, dyn B))]`: also provided as these trait objects.
    pub(crate) binds: Vec<Type>,
    /// `#[provider(group(dyn A))]`: a member of these collections.
    pub(crate) groups: Vec<Type>,
}

/// How long a provided value lives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scope {
    Singleton,
    Input,
    Request,
    Transient,
}

impl Scope {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scope::Singleton => "singleton",
            Scope::Input => "input",
            Scope::Request => "request",
            Scope::Transient => "transient",
        }
    }

    pub(crate) fn from_str(s: &str) -> Option<Scope> {
        Some(match s {
            "singleton" => Scope::Singleton,
            "input" => Scope::Input,
            "request" => Scope::Request,
            "transient" => Scope::Transient,
            _ => return None,
        })
    }

    /// The variant's name, shared by the runtime's `ScopeKind` and its
    /// type-level `scope::*` markers.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Scope::Singleton => "Singleton",
            Scope::Input => "Input",
            Scope::Request => "Request",
            Scope::Transient => "Transient",
        }
    }

    /// Lives as long as the app.
    pub(crate) fn app_wide(self) -> bool {
        matches!(self, Scope::Singleton | Scope::Input)
    }

    /// `request-scoped`, `transient`, … for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Scope::Singleton => "singleton",
            Scope::Input => "input",
            Scope::Request => "request-scoped",
            Scope::Transient => "transient",
        }
    }
}

/// Which keys an attribute accepts.
#[derive(Clone, Copy)]
pub(crate) struct Allowed {
    pub(crate) attr: &'static str,
    pub(crate) blocking: bool,
    pub(crate) foreign: bool,
    pub(crate) krate: bool,
    /// `input`, `scope`, `bind(..)`, `group(..)`: `#[provider]` only.
    pub(crate) graph: bool,
}

impl Allowed {
    fn list(&self) -> String {
        let mut keys = vec!["`timeout = \"…\"`"];
        if self.blocking {
            keys.push("`blocking`");
        }
        if self.foreign {
            keys.push("`foreign`");
        }
        if self.graph {
            keys.extend([
                "`input`",
                "`scope = request | transient`",
                "`bind(dyn Trait)`",
                "`group(dyn Trait)`",
            ]);
        }
        if self.krate {
            keys.push("`crate = \"…\"`");
        }
        keys.join(", ")
    }
}

/// Parse hook-like options from the tokens inside the attribute's parentheses.
pub(crate) fn hook_options(cx: &mut Ctxt, tokens: TokenStream, allowed: Allowed) -> HookOptions {
    let mut out = HookOptions::default();
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens) {
        Ok(metas) => metas,
        Err(e) => {
            cx.push(e);
            return out;
        }
    };
    let mut seen: Vec<String> = Vec::new();
    for meta in metas {
        let key = meta.path().to_token_stream().to_string().replace(' ', "");
        if seen.contains(&key) {
            cx.error_spanned_by(
                meta.path(),
                format!("duplicate option `{key}` in `#[{}]`", allowed.attr),
            );
            continue;
        }
        seen.push(key.clone());
        match (key.as_str(), &meta) {
            ("timeout", Meta::NameValue(nv)) => out.timeout = timeout_value(cx, &nv.value),
            ("blocking", Meta::Path(_)) if allowed.blocking => out.blocking = true,
            ("foreign", Meta::Path(_)) if allowed.foreign => out.foreign = true,
            ("input", Meta::Path(p)) if allowed.graph => out.input = Some(p.span()),
            ("scope", Meta::NameValue(nv)) if allowed.graph => {
                out.scope = scope_value(cx, &nv.value)
            }
            ("bind" | "group", Meta::List(list)) if allowed.graph => {
                let types = type_list(cx, list, &key);
                if key == "bind" {
                    out.binds = types;
                } else {
                    out.groups = types;
                }
            }
            ("bind" | "group", _) if allowed.graph => cx.error_spanned_by(
                &meta,
                format!("expected `{key}(dyn Trait)`, e.g. `#[provider({key}(dyn HealthCheck))]`"),
            ),
            ("scope", _) if allowed.graph => {
                cx.error_spanned_by(&meta, "expected `scope = request` or `scope = transient`")
            }
            ("crate", Meta::NameValue(nv)) if allowed.krate => {
                out.krate = path_value(cx, &nv.value)
            }
            ("timeout", _) => {
                cx.error_spanned_by(&meta, "expected `timeout = \"…\"`, e.g. `timeout = \"5s\"`")
            }
            ("blocking" | "foreign" | "input", _) if allowed.blocking || allowed.foreign => {
                cx.error_spanned_by(&meta, format!("`{key}` takes no value: write `{key}`"))
            }
            _ => cx.error_spanned_by(
                meta.path(),
                format!(
                    "unknown option `{key}` in `#[{}]`; expected {}",
                    allowed.attr,
                    allowed.list()
                ),
            ),
        }
    }
    out
}

fn str_value(cx: &mut Ctxt, value: &Expr, what: &str) -> Option<syn::LitStr> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.clone()),
        other => {
            cx.error_spanned_by(other, format!("expected a string literal, e.g. {what}"));
            None
        }
    }
}

fn scope_value(cx: &mut Ctxt, value: &Expr) -> Option<(Scope, Span)> {
    let (word, span) = match value {
        Expr::Path(p) if p.path.get_ident().is_some() => {
            let ident = p.path.get_ident().expect("checked");
            (ident.to_string(), ident.span())
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => (s.value(), s.span()),
        other => {
            cx.error_spanned_by(other, "expected `scope = request` or `scope = transient`");
            return None;
        }
    };
    match Scope::from_str(&word) {
        Some(Scope::Input) => {
            cx.error_at(
                span,
                "`input` is not a scope\nhelp: write `#[provider(input)]`",
            );
            None
        }
        Some(scope) => Some((scope, span)),
        None => {
            cx.error_at(
                span,
                format!("unknown scope `{word}`; expected `singleton` (the default), `request` or `transient`"),
            );
            None
        }
    }
}

/// `bind(dyn A, dyn B)`: trait-object types only.
fn type_list(cx: &mut Ctxt, list: &syn::MetaList, key: &str) -> Vec<Type> {
    let types = match Punctuated::<Type, Token![,]>::parse_terminated.parse2(list.tokens.clone()) {
        Ok(types) => types,
        Err(e) => {
            cx.push(e);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for ty in types {
        if matches!(ty, Type::TraitObject(_)) {
            out.push(ty);
        } else {
            cx.error_spanned_by(
                &ty,
                format!(
                    "`{key}(..)` takes trait objects, found `{}`\nhelp: write `{key}(dyn Trait)`: the provided value is exposed as `Arc<dyn Trait>`",
                    quote::quote!(#ty).to_string().replace(' ', "")
                ),
            );
        }
    }
    if out.is_empty() && list.tokens.is_empty() {
        cx.error_spanned_by(
            list,
            format!("`{key}()` is empty\nhelp: write `{key}(dyn Trait)`"),
        );
    }
    out
}

fn timeout_value(cx: &mut Ctxt, value: &Expr) -> Option<Timeout> {
    let lit = str_value(cx, value, "`timeout = \"5s\"`")?;
    match timeout::parse(&lit.value()) {
        Ok(duration) => Some(Timeout { duration }),
        Err(message) => {
            cx.error_spanned_by(&lit, message);
            None
        }
    }
}

fn path_value(cx: &mut Ctxt, value: &Expr) -> Option<Path> {
    let lit = str_value(cx, value, "`crate = \"my_runtime\"`")?;
    match lit.parse_with(Path::parse_mod_style) {
        Ok(path) => Some(path),
        Err(_) => {
            cx.error_spanned_by(&lit, "expected a path, e.g. `crate = \"::my_runtime\"`");
            None
        }
    }
}

/// Options of `#[module(..)]`.
#[derive(Default)]
pub(crate) struct ModuleOptions {
    pub(crate) imports: Vec<Path>,
    pub(crate) providers: Vec<Path>,
    pub(crate) krate: Option<Path>,
}

/// Parse `imports = [..], providers = [..], crate = ".."`.
pub(crate) fn module_options(cx: &mut Ctxt, tokens: TokenStream) -> ModuleOptions {
    if let Some(options) = plain_module_options(tokens.clone()) {
        return options;
    }
    let mut out = ModuleOptions::default();
    let metas = match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens) {
        Ok(metas) => metas,
        Err(e) => {
            cx.push(e);
            return out;
        }
    };
    let mut seen: Vec<String> = Vec::new();
    for meta in metas {
        let key = meta.path().to_token_stream().to_string().replace(' ', "");
        if seen.contains(&key) {
            cx.error_spanned_by(
                meta.path(),
                format!("duplicate option `{key}` in `#[module]`"),
            );
            continue;
        }
        seen.push(key.clone());
        let value = match &meta {
            Meta::NameValue(nv) => &nv.value,
            _ if matches!(key.as_str(), "imports" | "providers" | "crate") => {
                cx.error_spanned_by(&meta, format!("expected `{key} = [..]`"));
                continue;
            }
            _ => {
                cx.error_spanned_by(
                    meta.path(),
                    format!("unknown option `{key}` in `#[module]`; expected `imports = [..]`, `providers = [..]` or `crate = \"…\"`"),
                );
                continue;
            }
        };
        match key.as_str() {
            "imports" => out.imports = path_list(cx, value, "imports"),
            "providers" => out.providers = path_list(cx, value, "providers"),
            "crate" => out.krate = path_value(cx, value),
            _ => cx.error_spanned_by(
                meta.path(),
                format!("unknown option `{key}` in `#[module]`; expected `imports = [..]`, `providers = [..]` or `crate = \"…\"`"),
            ),
        }
    }
    out
}

/// The common case, `imports = [a::A, ..], providers = [B, ..]` with each
/// key at most once, read straight from the tokens: `syn` parses each
/// list as an expression first, which costs a module about a million
/// instructions when the macro runs unoptimized (as in a debug build).
/// `None` for anything else, which [`module_options`] then reads and
/// reports on as usual.
fn plain_module_options(tokens: TokenStream) -> Option<ModuleOptions> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut out = ModuleOptions::default();
    let (mut imports, mut providers) = (false, false);
    let mut tokens = tokens.into_iter().peekable();
    while let Some(key) = tokens.next() {
        let TokenTree::Ident(key) = key else {
            return None;
        };
        let list = if key == "imports" && !imports {
            imports = true;
            &mut out.imports
        } else if key == "providers" && !providers {
            providers = true;
            &mut out.providers
        } else {
            return None;
        };
        match (tokens.next(), tokens.next()) {
            (Some(TokenTree::Punct(eq)), Some(TokenTree::Group(group)))
                if eq.as_char() == '=' && group.delimiter() == Delimiter::Bracket =>
            {
                *list = plain_paths(group.stream())?;
            }
            _ => return None,
        }
        match tokens.next() {
            None => break,
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
            Some(_) => return None,
        }
    }
    Some(out)
}

/// `a::B, ::c::D, E` (a trailing comma allowed): paths of plain
/// identifiers, or `None`.
fn plain_paths(tokens: TokenStream) -> Option<Vec<Path>> {
    use proc_macro2::{Spacing, TokenTree};
    let mut paths = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    // `::` as two puncts, the first joint.
    let colons = |tokens: &mut std::iter::Peekable<proc_macro2::token_stream::IntoIter>| {
        match tokens.peek() {
            Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint => {}
            _ => return None,
        }
        let Some(TokenTree::Punct(first)) = tokens.next() else {
            return None;
        };
        match tokens.next() {
            Some(TokenTree::Punct(second)) if second.as_char() == ':' => {
                Some(Token![::]([first.span(), second.span()]))
            }
            _ => None,
        }
    };
    while tokens.peek().is_some() {
        let leading_colon = match tokens.peek() {
            Some(TokenTree::Punct(_)) => Some(colons(&mut tokens)?),
            _ => None,
        };
        let mut segments = Punctuated::new();
        loop {
            let Some(TokenTree::Ident(ident)) = tokens.next() else {
                return None;
            };
            segments.push_value(syn::PathSegment::from(ident));
            match tokens.peek() {
                Some(TokenTree::Punct(p)) if p.as_char() == ':' => {
                    segments.push_punct(colons(&mut tokens)?);
                }
                _ => break,
            }
        }
        paths.push(Path {
            leading_colon,
            segments,
        });
        match tokens.next() {
            None => break,
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
            Some(_) => return None,
        }
    }
    Some(paths)
}

fn path_list(cx: &mut Ctxt, value: &Expr, key: &str) -> Vec<Path> {
    let Expr::Array(array) = value else {
        cx.error_spanned_by(
            value,
            format!("expected a list of paths: `{key} = [A, b::B]`"),
        );
        return Vec::new();
    };
    let mut paths = Vec::new();
    for elem in &array.elems {
        match elem {
            Expr::Path(p)
                if p.qself.is_none() && p.path.segments.iter().all(|s| s.arguments.is_none()) =>
            {
                paths.push(p.path.clone())
            }
            other => cx.error_spanned_by(
                other,
                format!(
                    "expected a path to a {} here, e.g. `db::Database`",
                    if key == "imports" {
                        "module"
                    } else {
                        "provider"
                    }
                ),
            ),
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn rendered(paths: &[Path]) -> Vec<String> {
        paths
            .iter()
            .map(|p| p.to_token_stream().to_string())
            .collect()
    }

    #[test]
    fn plain_lists_read_as_syn_reads_them() {
        for tokens in [
            quote!(
                providers = [
                    Config,
                    db::Pool,
                    ::ext::Client,
                    crate::a::B,
                    self::C,
                    super::D
                ]
            ),
            quote!(imports = [DbModule, http::HttpModule,], providers = [A],),
            quote!(providers = [], imports = []),
            quote!(),
        ] {
            let plain = plain_module_options(tokens.clone()).expect("plain options");
            let mut cx = Ctxt::default();
            let metas = Punctuated::<Meta, Token![,]>::parse_terminated
                .parse2(tokens.clone())
                .unwrap();
            let mut full = ModuleOptions::default();
            for meta in metas {
                let Meta::NameValue(nv) = &meta else {
                    unreachable!()
                };
                let list = path_list(&mut cx, &nv.value, "providers");
                if nv.path.is_ident("imports") {
                    full.imports = list;
                } else {
                    full.providers = list;
                }
            }
            assert!(!cx.has_errors());
            assert_eq!(
                rendered(&plain.imports),
                rendered(&full.imports),
                "{tokens}"
            );
            assert_eq!(
                rendered(&plain.providers),
                rendered(&full.providers),
                "{tokens}"
            );
        }
    }

    #[test]
    fn anything_else_goes_the_long_way() {
        for tokens in [
            quote!(providers = [Config], exports = [Config]),
            quote!(providers = [A], providers = [B]),
            quote!(crate = "::lifecycle_runtime", providers = [A]),
            quote!(providers = [Vec<u8>]),
            quote!(providers = [a::<T>::B]),
            quote!(providers = Config),
            quote!(providers = [A B]),
            quote!(providers = [A] imports = [B]),
            quote!(providers(A)),
            quote!(providers = [a:::b]),
        ] {
            assert!(plain_module_options(tokens.clone()).is_none(), "{tokens}");
        }
    }
}
