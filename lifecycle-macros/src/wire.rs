//! The metadata an annotated item publishes through its hidden
//! `macro_rules!`, and its parser on the receiving side (`module_impl`).
//!
//! ```text
//! provider { KEY "Name" "file:line:col" LOCAL SCOPE
//!            [ { "Dep" "label" "file:line:col" ARITY } .. ]
//!            [ { KEY "dyn Trait" "file:line:col" GROUP } .. ] }
//! module   { KEY "Name" "file:line:col" [ IMPORT_KEY .. ] [ provider { .. } .. ] }
//! ```
//! `SCOPE` is `singleton`, `input`, `request` or `transient`; `ARITY` is
//! `one`, `optional` or `all`; the last list holds the provider's
//! `bind(..)` (`GROUP` false) and `group(..)` (true) aliases.
//! ```text
//! ```
//! String literals carry the span of what they describe, so that inside one
//! crate an error can point at the exact field or parameter.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};
use syn::parse::{Parse, ParseStream};
use syn::{LitBool, LitInt, LitStr, Token, braced, bracketed, parenthesized};

use crate::ast::provider::Provider;
use crate::ast::types::Arity;
use crate::attr::Scope;

/// One dependency as published.
#[derive(Clone, Debug)]
pub(crate) struct WireDep {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) location: String,
    pub(crate) span: Span,
    pub(crate) arity: Arity,
}

/// A `bind(..)` or `group(..)` alias as published.
#[derive(Clone, Debug)]
pub(crate) struct WireAlias {
    pub(crate) key: u64,
    pub(crate) name: String,
    pub(crate) location: String,
    pub(crate) span: Span,
    pub(crate) group: bool,
}

/// One provider as published.
#[derive(Clone, Debug)]
pub(crate) struct WireProvider {
    pub(crate) key: u64,
    pub(crate) name: String,
    pub(crate) span: Span,
    pub(crate) location: String,
    pub(crate) local: bool,
    pub(crate) scope: Scope,
    pub(crate) deps: Vec<WireDep>,
    pub(crate) aliases: Vec<WireAlias>,
}

/// One module as published.
#[derive(Clone, Debug)]
pub(crate) struct WireModule {
    pub(crate) key: u64,
    pub(crate) name: String,
    pub(crate) location: String,
    pub(crate) imports: Vec<u64>,
    pub(crate) providers: Vec<WireProvider>,
}

fn key_lit(key: u64) -> LitInt {
    LitInt::new(&format!("{key}u64"), Span::call_site())
}

/// The key of a provider's `index`-th alias.
pub(crate) fn alias_key(provider: u64, index: usize) -> u64 {
    crate::names::hash(&[&provider.to_string(), "alias", &index.to_string()])
}

/// The published form of a parsed provider.
pub(crate) fn provider(p: &Provider, key: u64) -> WireProvider {
    WireProvider {
        key,
        name: p.name.clone(),
        span: p.name_span,
        location: p.location.clone(),
        local: p.local,
        scope: p.scope,
        deps: p
            .deps
            .iter()
            .map(|d| WireDep {
                name: d.name.clone(),
                label: d.label.clone(),
                location: crate::names::location(d.span),
                span: d.span,
                arity: d.arity,
            })
            .collect(),
        aliases: p
            .aliases
            .iter()
            .enumerate()
            .map(|(i, a)| WireAlias {
                key: alias_key(key, i),
                name: a.name.clone(),
                location: crate::names::location(a.span),
                span: a.span,
                group: a.group,
            })
            .collect(),
    }
}

impl ToTokens for WireProvider {
    fn to_tokens(&self, out: &mut TokenStream) {
        let deps = self.deps.iter().map(|d| {
            let name = LitStr::new(&d.name, d.span);
            let label = LitStr::new(&d.label, d.span);
            let loc = LitStr::new(&d.location, d.span);
            let arity = Ident::new(d.arity.as_str(), Span::call_site());
            quote!({ #name #label #loc #arity })
        });
        let aliases = self.aliases.iter().map(|a| {
            let key = key_lit(a.key);
            let name = LitStr::new(&a.name, a.span);
            let loc = LitStr::new(&a.location, a.span);
            let group = LitBool::new(a.group, Span::call_site());
            quote!({ #key #name #loc #group })
        });
        let key = key_lit(self.key);
        let name = LitStr::new(&self.name, self.span);
        let loc = LitStr::new(&self.location, self.span);
        let local = LitBool::new(self.local, Span::call_site());
        let scope = Ident::new(self.scope.as_str(), Span::call_site());
        out.extend(
            quote!(provider { #key #name #loc #local #scope [ #(#deps)* ] [ #(#aliases)* ] }),
        );
    }
}

impl ToTokens for WireModule {
    fn to_tokens(&self, out: &mut TokenStream) {
        let key = key_lit(self.key);
        let name = &self.name;
        let loc = &self.location;
        let imports = self.imports.iter().map(|k| key_lit(*k));
        let providers = &self.providers;
        out.extend(quote!(module { #key #name #loc [ #(#imports)* ] [ #(#providers)* ] }));
    }
}

fn kw(input: ParseStream<'_>, expected: &str) -> syn::Result<()> {
    let ident: Ident = input.parse()?;
    if ident == expected {
        Ok(())
    } else {
        Err(syn::Error::new(
            ident.span(),
            format!("lifecycle: expected `{expected}` in metadata"),
        ))
    }
}

fn parse_key(input: ParseStream<'_>) -> syn::Result<u64> {
    input.parse::<LitInt>()?.base10_parse()
}

impl Parse for WireDep {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        braced!(content in input);
        let name: LitStr = content.parse()?;
        let label: LitStr = content.parse()?;
        let loc: LitStr = content.parse()?;
        let arity: Ident = content.parse()?;
        Ok(WireDep {
            name: name.value(),
            label: label.value(),
            location: loc.value(),
            span: name.span(),
            arity: Arity::from_str(&arity.to_string())
                .ok_or_else(|| syn::Error::new(arity.span(), "lifecycle: unknown arity"))?,
        })
    }
}

impl Parse for WireAlias {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        braced!(content in input);
        let key = parse_key(&content)?;
        let name: LitStr = content.parse()?;
        let loc: LitStr = content.parse()?;
        let group: LitBool = content.parse()?;
        Ok(WireAlias {
            key,
            name: name.value(),
            location: loc.value(),
            span: name.span(),
            group: group.value,
        })
    }
}

impl Parse for WireProvider {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        kw(input, "provider")?;
        let content;
        braced!(content in input);
        let key = parse_key(&content)?;
        let name: LitStr = content.parse()?;
        let loc: LitStr = content.parse()?;
        let local: LitBool = content.parse()?;
        let scope: Ident = content.parse()?;
        let list;
        bracketed!(list in content);
        let mut deps = Vec::new();
        while !list.is_empty() {
            deps.push(list.parse()?);
        }
        let list;
        bracketed!(list in content);
        let mut aliases = Vec::new();
        while !list.is_empty() {
            aliases.push(list.parse()?);
        }
        Ok(WireProvider {
            key,
            name: name.value(),
            span: name.span(),
            location: loc.value(),
            local: local.value,
            scope: Scope::from_str(&scope.to_string())
                .ok_or_else(|| syn::Error::new(scope.span(), "lifecycle: unknown scope"))?,
            deps,
            aliases,
        })
    }
}

impl Parse for WireModule {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        kw(input, "module")?;
        let content;
        braced!(content in input);
        let key = parse_key(&content)?;
        let name: LitStr = content.parse()?;
        let loc: LitStr = content.parse()?;
        let list;
        bracketed!(list in content);
        let mut imports = Vec::new();
        while !list.is_empty() {
            imports.push(parse_key(&list)?);
        }
        let list;
        bracketed!(list in content);
        let mut providers = Vec::new();
        while !list.is_empty() {
            providers.push(list.parse()?);
        }
        Ok(WireModule {
            key,
            name: name.value(),
            location: loc.value(),
            imports,
            providers,
        })
    }
}

/// What `#[module]` passes to the end of its chain about itself.
pub(crate) struct ModuleArgs {
    pub(crate) key: u64,
    pub(crate) name: String,
    pub(crate) location: String,
    pub(crate) ident: Ident,
    pub(crate) own_providers: usize,
    pub(crate) own_imports: usize,
    pub(crate) krate: TokenStream,
    pub(crate) macro_name: Ident,
    /// `#[module]` already reported an error: publish, generate no plan.
    pub(crate) failed: bool,
}

impl ModuleArgs {
    pub(crate) fn to_tokens(&self) -> TokenStream {
        let key = key_lit(self.key);
        let name = &self.name;
        let loc = &self.location;
        let ident = &self.ident;
        let np = self.own_providers;
        let ni = self.own_imports;
        let krate = &self.krate;
        let mac = &self.macro_name;
        let failed = LitBool::new(self.failed, Span::call_site());
        quote!(( #key #name #loc #ident #np #ni [#krate] #mac #failed ))
    }
}

impl Parse for ModuleArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        parenthesized!(content in input);
        let key = parse_key(&content)?;
        let name: LitStr = content.parse()?;
        let loc: LitStr = content.parse()?;
        let ident: Ident = content.parse()?;
        let own_providers = content.parse::<LitInt>()?.base10_parse()?;
        let own_imports = content.parse::<LitInt>()?.base10_parse()?;
        let krate;
        bracketed!(krate in content);
        let macro_name: Ident = content.parse()?;
        let failed: LitBool = content.parse()?;
        Ok(ModuleArgs {
            key,
            name: name.value(),
            location: loc.value(),
            ident,
            own_providers,
            own_imports,
            krate: krate.parse()?,
            macro_name,
            failed: failed.value,
        })
    }
}

/// Everything a chain delivered to `module_impl`.
pub(crate) struct Collected {
    pub(crate) args: ModuleArgs,
    /// Own providers, in the order listed.
    pub(crate) providers: Vec<WireProvider>,
    /// Keys of direct imports, in the order listed.
    pub(crate) imports: Vec<u64>,
    /// Every module of the subtree (duplicates possible).
    pub(crate) modules: Vec<WireModule>,
}

impl Parse for Collected {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        kw(input, "sink")?;
        let empty;
        bracketed!(empty in input);
        let _: TokenStream = empty.parse()?;
        let args: ModuleArgs = input.parse()?;
        let mut providers = Vec::new();
        let mut imports = Vec::new();
        let mut modules = Vec::new();
        while !input.is_empty() {
            let fork = input.fork();
            let ident: Ident = fork.parse()?;
            if ident == "provider" {
                providers.push(input.parse()?);
            } else if ident == "module" {
                modules.push(input.parse()?);
            } else if ident == "import" {
                kw(input, "import")?;
                imports.push(parse_key(input)?);
            } else {
                return Err(syn::Error::new(
                    ident.span(),
                    "lifecycle: unexpected metadata",
                ));
            }
            let _ = input.parse::<Option<Token![,]>>()?;
        }
        Ok(Collected {
            args,
            providers,
            imports,
            modules,
        })
    }
}
