//! The metadata an annotated item publishes through its hidden
//! `macro_rules!`, and its parser on the receiving side (`module_impl`).
//!
//! ```text
//! provider { KEY "Name" "file:line:col" LOCAL [ { "Dep" "label" "file:line:col" } .. ] }
//! module   { KEY "Name" "file:line:col" [ IMPORT_KEY .. ] [ provider { .. } .. ] }
//! ```
//! String literals carry the span of what they describe, so that inside one
//! crate an error can point at the exact field or parameter.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};
use syn::parse::{Parse, ParseStream};
use syn::{LitBool, LitInt, LitStr, Token, braced, bracketed, parenthesized};

use crate::ast::provider::Provider;

/// One dependency as published.
#[derive(Clone, Debug)]
pub(crate) struct WireDep {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) location: String,
    pub(crate) span: Span,
}

/// One provider as published.
#[derive(Clone, Debug)]
pub(crate) struct WireProvider {
    pub(crate) key: u64,
    pub(crate) name: String,
    pub(crate) span: Span,
    pub(crate) location: String,
    pub(crate) local: bool,
    pub(crate) deps: Vec<WireDep>,
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

/// Publish a parsed provider.
pub(crate) fn provider(p: &Provider, key: u64) -> TokenStream {
    let deps = p.deps.iter().map(|d| {
        let name = LitStr::new(&d.name, d.span);
        let label = LitStr::new(&d.label, d.span);
        let loc = LitStr::new(&crate::names::location(d.span), d.span);
        quote!({ #name #label #loc })
    });
    WireProvider::tokens(
        key,
        &LitStr::new(&p.name, p.name_span),
        &p.location,
        p.local,
        quote!(#(#deps)*),
    )
}

impl WireProvider {
    fn tokens(
        key: u64,
        name: &LitStr,
        location: &str,
        local: bool,
        deps: TokenStream,
    ) -> TokenStream {
        let key = key_lit(key);
        let loc = LitStr::new(location, name.span());
        let local = LitBool::new(local, Span::call_site());
        quote!(provider { #key #name #loc #local [ #deps ] })
    }
}

impl ToTokens for WireProvider {
    fn to_tokens(&self, out: &mut TokenStream) {
        let deps = self.deps.iter().map(|d| {
            let name = LitStr::new(&d.name, d.span);
            let label = LitStr::new(&d.label, d.span);
            let loc = LitStr::new(&d.location, d.span);
            quote!({ #name #label #loc })
        });
        out.extend(Self::tokens(
            self.key,
            &LitStr::new(&self.name, self.span),
            &self.location,
            self.local,
            quote!(#(#deps)*),
        ));
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
        Ok(WireDep {
            name: name.value(),
            label: label.value(),
            location: loc.value(),
            span: name.span(),
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
        let list;
        bracketed!(list in content);
        let mut deps = Vec::new();
        while !list.is_empty() {
            deps.push(list.parse()?);
        }
        Ok(WireProvider {
            key,
            name: name.value(),
            span: name.span(),
            location: loc.value(),
            local: local.value,
            deps,
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
