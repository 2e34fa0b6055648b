//! The metadata an annotated item publishes through its hidden
//! `macro_rules!`, and its reader on the receiving side (`module_impl`).
//!
//! ```text
//! provider { "KEY|FILE|Name|file:line:col|LOCAL|SCOPE|DEPS|ALIASES"
//!            "Dep|label|file:line:col|ARITY" ..
//!            "KEY|dyn Trait|file:line:col|GROUP" .. }
//! module   "KEY|Name|file:line:col|IMPORTS|IMPORT_KEY..|PROVIDERS|provider.."
//! ```
//! Each literal holds `|`-separated fields (see [`Fields`]). `FILE` is
//! the key of the provider's source file (`names::Mangled::file`). `SCOPE` is
//! `singleton`, `input`, `request` or `transient`; `ARITY` is `one`,
//! `optional` or `all`; `DEPS` and `ALIASES` count the literals that
//! follow, dependencies then the provider's `bind(..)` (`GROUP` false) and
//! `group(..)` (true) aliases. In a module's literal each provider is the
//! fields of its literals in that order.
//!
//! A provider's literals carry the span of what they describe, so that
//! inside one crate an error can point at the exact field or parameter:
//! its module reads them, and checks and reports everything about its own
//! providers. A module publishes itself and its subtree again for its
//! importers, each module as one literal: an importer's chain carries the
//! subtree through every step of the chain and into `module_impl`, and a
//! module republishes what it imported as received, one token per module.
//! What an importer reports about an imported provider's dependency (rare:
//! an optional or collection dependency that only the importer's graph
//! satisfies) points at the imported provider's `#[provider]`.

use proc_macro2::{Delimiter, Group, Ident, Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::LitBool;

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
    /// The key of its source file.
    pub(crate) file: u64,
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
    /// The tokens it was read from.
    pub(crate) raw: Option<TokenStream>,
}

fn key_lit(key: u64) -> Literal {
    Literal::u64_suffixed(key)
}

/// The key of a provider's `index`-th alias.
pub(crate) fn alias_key(provider: u64, index: usize) -> u64 {
    crate::names::hash(&[&provider.to_string(), "alias", &index.to_string()])
}

/// The published form of a parsed provider.
pub(crate) fn provider(p: &Provider, key: u64, file: u64) -> WireProvider {
    WireProvider {
        key,
        file,
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
        // One literal for the provider, spanned at its name, and one per
        // dependency or alias, spanned at it.
        let literal = |f: Fields, span: Span| {
            let mut l = Literal::string(&f.0);
            l.set_span(span);
            TokenTree::Literal(l)
        };
        let mut header = Fields::default();
        self.header(&mut header);
        let mut body = vec![literal(header, self.span)];
        for d in &self.deps {
            let mut f = Fields::default();
            d.push(&mut f);
            body.push(literal(f, d.span));
        }
        for a in &self.aliases {
            let mut f = Fields::default();
            a.push(&mut f);
            body.push(literal(f, a.span));
        }
        let body = Group::new(Delimiter::Brace, body.into_iter().collect());
        out.extend([
            TokenTree::Ident(Ident::new("provider", Span::call_site())),
            TokenTree::Group(body),
        ]);
    }
}

impl WireProvider {
    /// Key, file key, name, location, local, scope and the counts of
    /// dependencies and aliases.
    fn header(&self, f: &mut Fields) {
        f.push(self.key).push(self.file).push(&self.name);
        f.push(&self.location)
            .push(self.local)
            .push(self.scope.as_str());
        f.push(self.deps.len()).push(self.aliases.len());
    }

    /// What [`WireProvider::header`] wrote; the lists are left empty.
    fn read_header(f: &mut FieldReader<'_>) -> syn::Result<(Self, usize, usize)> {
        let provider = WireProvider {
            key: f.parse()?,
            file: f.parse()?,
            name: f.text()?,
            span: f.span,
            location: f.text()?,
            local: f.parse()?,
            scope: Scope::from_str(&f.text()?).ok_or_else(|| f.error())?,
            deps: Vec::new(),
            aliases: Vec::new(),
        };
        Ok((provider, f.parse()?, f.parse()?))
    }
}

impl WireDep {
    fn push(&self, f: &mut Fields) {
        f.push(&self.name).push(&self.label).push(&self.location);
        f.push(self.arity.as_str());
    }

    fn read(f: &mut FieldReader<'_>) -> syn::Result<Self> {
        Ok(WireDep {
            name: f.text()?,
            label: f.text()?,
            location: f.text()?,
            span: f.span,
            arity: Arity::from_str(&f.text()?).ok_or_else(|| f.error())?,
        })
    }
}

impl WireAlias {
    fn push(&self, f: &mut Fields) {
        f.push(self.key).push(&self.name).push(&self.location);
        f.push(self.group);
    }

    fn read(f: &mut FieldReader<'_>) -> syn::Result<Self> {
        Ok(WireAlias {
            key: f.parse()?,
            name: f.text()?,
            location: f.text()?,
            span: f.span,
            group: f.parse()?,
        })
    }
}

impl ToTokens for WireModule {
    fn to_tokens(&self, out: &mut TokenStream) {
        if let Some(raw) = &self.raw {
            out.extend(std::iter::once(raw.clone()));
            return;
        }
        let mut f = Fields::default();
        f.push(self.key).push(&self.name).push(&self.location);
        f.push(self.imports.len());
        for key in &self.imports {
            f.push(key);
        }
        f.push(self.providers.len());
        for p in &self.providers {
            p.header(&mut f);
            for d in &p.deps {
                d.push(&mut f);
            }
            for a in &p.aliases {
                a.push(&mut f);
            }
        }
        // Lexed by the compiler from text escaped by `str`'s `Debug`:
        // `Literal::string` escapes a subtree's metadata, often hundreds
        // of kilobytes, char by char in unoptimized code.
        out.extend(crate::expand::src::lex(&format!("module {:?}", f.0)));
    }
}

/// `|`-separated fields, the text of a metadata literal; a `|` or `%` in a
/// field is written `%7C` or `%25`.
#[derive(Default)]
struct Fields(String);

impl Fields {
    fn push(&mut self, field: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write as _;
        if !self.0.is_empty() {
            self.0.push('|');
        }
        let start = self.0.len();
        write!(self.0, "{field}").expect("writing to a String");
        if contains_any(&self.0[start..], b"|%") {
            let escaped = self.0[start..].replace('%', "%25").replace('|', "%7C");
            self.0.truncate(start);
            self.0.push_str(&escaped);
        }
        self
    }
}

/// Reads the fields [`Fields`] wrote, in order.
struct FieldReader<'a> {
    fields: std::str::Split<'a, char>,
    span: Span,
}

impl<'a> FieldReader<'a> {
    fn new(text: &'a str, span: Span) -> Self {
        FieldReader {
            fields: text.split('|'),
            span,
        }
    }

    fn error(&self) -> syn::Error {
        syn::Error::new(self.span, "lifecycle: malformed metadata")
    }

    fn text(&mut self) -> syn::Result<String> {
        let field = self.fields.next().ok_or_else(|| self.error())?;
        Ok(if field.contains('%') {
            field.replace("%7C", "|").replace("%25", "%")
        } else {
            field.to_owned()
        })
    }

    fn parse<T: std::str::FromStr>(&mut self) -> syn::Result<T> {
        let field = self.fields.next().ok_or_else(|| self.error())?;
        field.parse().map_err(|_| self.error())
    }

    fn done(&mut self) -> syn::Result<()> {
        match self.fields.next() {
            None => Ok(()),
            Some(_) => Err(self.error()),
        }
    }
}

/// Reads metadata token by token: `module_impl` reads the published
/// metadata of its whole subtree, thousands of entries in a large graph,
/// and `syn`'s general parsers (integer literals through big integers,
/// string literals through their escapes) cost several times more.
struct Reader {
    tokens: std::iter::Peekable<proc_macro2::token_stream::IntoIter>,
    /// Where the enclosing group ends, for errors.
    end: Span,
}

impl Reader {
    fn new(tokens: TokenStream, end: Span) -> Self {
        Reader {
            tokens: tokens.into_iter().peekable(),
            end,
        }
    }

    fn next(&mut self) -> syn::Result<TokenTree> {
        self.tokens
            .next()
            .ok_or_else(|| syn::Error::new(self.end, "lifecycle: metadata ends early"))
    }

    fn peek_ident(&mut self) -> Option<Ident> {
        match self.tokens.peek() {
            Some(TokenTree::Ident(i)) => Some(i.clone()),
            _ => None,
        }
    }

    fn is_empty(&mut self) -> bool {
        self.tokens.peek().is_none()
    }

    fn ident(&mut self) -> syn::Result<Ident> {
        match self.next()? {
            TokenTree::Ident(i) => Ok(i),
            other => Err(unexpected(&other, "a name")),
        }
    }

    fn kw(&mut self, expected: &str) -> syn::Result<Ident> {
        let ident = self.ident()?;
        if ident == expected {
            Ok(ident)
        } else {
            Err(syn::Error::new(
                ident.span(),
                format!("lifecycle: expected `{expected}` in metadata"),
            ))
        }
    }

    fn group(&mut self, delimiter: Delimiter) -> syn::Result<Group> {
        match self.next()? {
            TokenTree::Group(g) if g.delimiter() == delimiter => Ok(g),
            other => Err(unexpected(&other, "a group")),
        }
    }

    /// The reader of a group's content.
    fn inside(&mut self, delimiter: Delimiter) -> syn::Result<Reader> {
        let group = self.group(delimiter)?;
        Ok(Reader::new(group.stream(), group.span_close()))
    }

    fn literal(&mut self) -> syn::Result<Literal> {
        match self.next()? {
            TokenTree::Literal(l) => Ok(l),
            other => Err(unexpected(&other, "a literal")),
        }
    }

    /// A key: digits, maybe suffixed `u64`.
    fn key(&mut self) -> syn::Result<u64> {
        self.integer("u64", "a key")
    }

    /// A count: digits, maybe suffixed `usize`.
    fn count(&mut self) -> syn::Result<usize> {
        self.integer("usize", "a count")
    }

    fn integer<T: std::str::FromStr>(&mut self, suffix: &str, what: &str) -> syn::Result<T> {
        let lit = self.literal()?;
        lit.to_string()
            .trim_end_matches(suffix)
            .parse()
            .map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    format!("lifecycle: expected {what} in metadata"),
                )
            })
    }

    /// A string literal's value and span.
    fn string(&mut self) -> syn::Result<(String, Span)> {
        string_value(self.literal()?)
    }

    fn boolean(&mut self) -> syn::Result<bool> {
        let ident = self.ident()?;
        if ident == "true" {
            Ok(true)
        } else if ident == "false" {
            Ok(false)
        } else {
            Err(syn::Error::new(
                ident.span(),
                "lifecycle: expected `true` or `false` in metadata",
            ))
        }
    }

    fn skip_comma(&mut self) {
        if matches!(self.tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
            self.tokens.next();
        }
    }

    fn done(&mut self) -> syn::Result<()> {
        match self.tokens.next() {
            None => Ok(()),
            Some(other) => Err(unexpected(&other, "the end")),
        }
    }
}

/// Whether `text` holds one of `bytes` (ASCII). One `memchr` per byte:
/// a proc macro usually runs unoptimized, and `str::contains` with a
/// set of chars then walks a module's metadata char by char through
/// generic code, about 35 instructions per char.
fn contains_any(text: &str, bytes: &[u8]) -> bool {
    bytes.iter().any(|b| text.as_bytes().contains(b))
}

/// A string literal's value and span.
fn string_value(lit: Literal) -> syn::Result<(String, Span)> {
    let span = lit.span();
    let repr = lit.to_string();
    // What this crate writes has no escapes but in odd names and
    // paths: read those through `syn`.
    if let Some(plain) = repr
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|r| !contains_any(r, b"\\\""))
    {
        return Ok((plain.to_owned(), span));
    }
    match syn::Lit::new(lit) {
        syn::Lit::Str(s) => Ok((s.value(), span)),
        _ => Err(syn::Error::new(
            span,
            "lifecycle: expected a string in metadata",
        )),
    }
}

fn unexpected(token: &TokenTree, expected: &str) -> syn::Error {
    syn::Error::new(
        token.span(),
        format!("lifecycle: expected {expected} in metadata"),
    )
}

impl WireProvider {
    /// `provider { "…" "…" .. }`, as its module reads it: each literal's
    /// span is that of what it describes.
    fn read(r: &mut Reader) -> syn::Result<Self> {
        r.kw("provider")?;
        let mut body = r.inside(Delimiter::Brace)?;
        let (header, span) = body.string()?;
        let mut f = FieldReader::new(&header, span);
        let (mut provider, deps, aliases) = WireProvider::read_header(&mut f)?;
        f.done()?;
        for _ in 0..deps {
            let (text, span) = body.string()?;
            let mut f = FieldReader::new(&text, span);
            provider.deps.push(WireDep::read(&mut f)?);
            f.done()?;
        }
        for _ in 0..aliases {
            let (text, span) = body.string()?;
            let mut f = FieldReader::new(&text, span);
            provider.aliases.push(WireAlias::read(&mut f)?);
            f.done()?;
        }
        body.done()?;
        Ok(provider)
    }
}

impl WireModule {
    /// `module "…"`, kept as received to publish it again. Every span is
    /// the literal's.
    fn read(r: &mut Reader) -> syn::Result<Self> {
        let kw = r.kw("module")?;
        let literal = r.literal()?;
        let span = literal.span();
        let raw: TokenStream = [TokenTree::Ident(kw), TokenTree::Literal(literal.clone())]
            .into_iter()
            .collect();
        let payload = string_value(literal)?.0;
        let mut f = FieldReader::new(&payload, span);
        let key = f.parse()?;
        let name = f.text()?;
        let location = f.text()?;
        let imports = (0..f.parse::<usize>()?)
            .map(|_| f.parse())
            .collect::<syn::Result<_>>()?;
        let mut providers = Vec::new();
        for _ in 0..f.parse::<usize>()? {
            let (mut provider, deps, aliases) = WireProvider::read_header(&mut f)?;
            for _ in 0..deps {
                provider.deps.push(WireDep::read(&mut f)?);
            }
            for _ in 0..aliases {
                provider.aliases.push(WireAlias::read(&mut f)?);
            }
            providers.push(provider);
        }
        f.done()?;
        Ok(WireModule {
            key,
            name,
            location,
            imports,
            providers,
            raw: Some(raw),
        })
    }
}

/// What `#[module]` passes to the end of its chain about itself.
pub(crate) struct ModuleArgs {
    pub(crate) key: u64,
    pub(crate) name: String,
    pub(crate) location: String,
    pub(crate) ident: Ident,
    /// Each own provider's path as listed, as text: where the module is
    /// declared, generated code names its own providers by their paths.
    pub(crate) own_providers: Vec<String>,
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
        let np = &self.own_providers;
        let ni = self.own_imports;
        let krate = &self.krate;
        let mac = &self.macro_name;
        let failed = LitBool::new(self.failed, Span::call_site());
        quote!(( #key #name #loc #ident [#(#np)*] #ni [#krate] #mac #failed ))
    }
}

impl ModuleArgs {
    fn read(r: &mut Reader) -> syn::Result<Self> {
        let mut r = r.inside(Delimiter::Parenthesis)?;
        let key = r.key()?;
        let (name, _) = r.string()?;
        let (location, _) = r.string()?;
        let ident = r.ident()?;
        let mut list = r.inside(Delimiter::Bracket)?;
        let mut own_providers = Vec::new();
        while !list.is_empty() {
            own_providers.push(list.string()?.0);
        }
        let own_imports = r.count()?;
        let krate = r.group(Delimiter::Bracket)?.stream();
        let macro_name = r.ident()?;
        let failed = r.boolean()?;
        r.done()?;
        Ok(ModuleArgs {
            key,
            name,
            location,
            ident,
            own_providers,
            own_imports,
            krate,
            macro_name,
            failed,
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

impl Collected {
    /// `sink [] (args) items…`
    pub(crate) fn read(input: TokenStream) -> syn::Result<Self> {
        let mut r = Reader::new(input, Span::call_site());
        r.kw("sink")?;
        r.group(Delimiter::Bracket)?;
        let args = ModuleArgs::read(&mut r)?;
        let mut providers = Vec::new();
        let mut imports = Vec::new();
        let mut modules = Vec::new();
        while let Some(ident) = r.peek_ident() {
            if ident == "provider" {
                providers.push(WireProvider::read(&mut r)?);
            } else if ident == "module" {
                modules.push(WireModule::read(&mut r)?);
            } else if ident == "import" {
                r.kw("import")?;
                imports.push(r.key()?);
            } else {
                return Err(syn::Error::new(
                    ident.span(),
                    "lifecycle: unexpected metadata",
                ));
            }
            r.skip_comma();
        }
        r.done()?;
        Ok(Collected {
            args,
            providers,
            imports,
            modules,
        })
    }
}

#[cfg(test)]
mod tests;
