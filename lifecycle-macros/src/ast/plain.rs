//! Reading the common struct provider without `syn`'s general parser.
//!
//! `#[provider]` runs on every provider of every build, and proc macros
//! are built unoptimized in a debug profile: there `syn` parses a struct of
//! two `Arc<Dep>` fields in about 150,000 instructions, most of them in its
//! type grammar, a fifth of what the whole macro costs. Most providers are
//! plain: outer attributes, a visibility, `struct Name { field: Type, .. }`
//! with types that are paths, references or trait objects. [`read`] takes
//! exactly that shape and builds the same `syn` values straight from the
//! tokens, spans included; anything else (generics, a tuple struct, a
//! lifetime, a tuple or fn type, a `where` clause) returns `None`, and
//! the caller parses with `syn` as before, so its errors are unchanged.

use proc_macro2::{Delimiter, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::token::{Brace, Paren};
use syn::{
    AngleBracketedGenericArguments, Field, FieldMutability, Fields, FieldsNamed, GenericArgument,
    Generics, ItemStruct, Path, PathArguments, PathSegment, TraitBound, TraitBoundModifier, Type,
    TypeParamBound, TypePath, TypeReference, TypeTraitObject, Visibility,
};

/// `input` as a struct of the plain shape, or `None`. The struct's and
/// its fields' attributes are left out: `#[provider]` reads neither, and
/// passes the user's tokens on as they are.
pub(crate) fn read(input: &TokenStream) -> Option<ItemStruct> {
    let tokens: Vec<TokenTree> = input.clone().into_iter().collect();
    let mut at = skip_attributes(&tokens, 0);
    let (vis, next) = visibility(&tokens, at)?;
    at = next;
    let struct_token = match tokens.get(at)? {
        TokenTree::Ident(i) if i == "struct" => syn::token::Struct(i.span()),
        _ => return None,
    };
    let ident = match tokens.get(at + 1)? {
        TokenTree::Ident(i) => i.clone(),
        _ => return None,
    };
    let (fields, semi_token) = match (tokens.get(at + 2)?, tokens.get(at + 3)) {
        (TokenTree::Group(g), None) if g.delimiter() == Delimiter::Brace => {
            let brace_token = Brace {
                span: g.delim_span(),
            };
            let named = named_fields(&g.stream().into_iter().collect::<Vec<_>>())?;
            (Fields::Named(FieldsNamed { brace_token, named }), None)
        }
        (TokenTree::Punct(p), None) if p.as_char() == ';' => {
            (Fields::Unit, Some(syn::token::Semi(p.span())))
        }
        _ => return None,
    };
    Some(ItemStruct {
        attrs: Vec::new(),
        vis,
        struct_token,
        ident,
        generics: Generics::default(),
        fields,
        semi_token,
    })
}

/// The index past any `#[..]` attributes from `at`.
fn skip_attributes(tokens: &[TokenTree], mut at: usize) -> usize {
    while let (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g))) =
        (tokens.get(at), tokens.get(at + 1))
    {
        if p.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        at += 2;
    }
    at
}

/// `pub`, `pub(..)` (read by `syn`, it is short) or nothing.
fn visibility(tokens: &[TokenTree], at: usize) -> Option<(Visibility, usize)> {
    match tokens.get(at) {
        Some(TokenTree::Ident(i)) if i == "pub" => match tokens.get(at + 1) {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                let tokens: TokenStream = tokens[at..at + 2].iter().cloned().collect();
                Some((syn::parse2(tokens).ok()?, at + 2))
            }
            _ => Some((Visibility::Public(syn::token::Pub(i.span())), at + 1)),
        },
        _ => Some((Visibility::Inherited, at)),
    }
}

/// `name: Type, ..` with an optional trailing comma.
fn named_fields(tokens: &[TokenTree]) -> Option<Punctuated<Field, syn::token::Comma>> {
    let mut fields = Punctuated::new();
    let mut at = 0;
    while at < tokens.len() {
        at = skip_attributes(tokens, at);
        let (vis, next) = visibility(tokens, at)?;
        at = next;
        let ident = match tokens.get(at)? {
            TokenTree::Ident(i) => i.clone(),
            _ => return None,
        };
        let colon_token = match tokens.get(at + 1)? {
            TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Alone => {
                syn::token::Colon(p.span())
            }
            _ => return None,
        };
        at += 2;
        let end = type_end(tokens, at);
        let ty = whole_type(&tokens[at..end])?;
        fields.push_value(Field {
            attrs: Vec::new(),
            vis,
            mutability: FieldMutability::None,
            ident: Some(ident),
            colon_token: Some(colon_token),
            ty,
        });
        match tokens.get(end) {
            Some(TokenTree::Punct(p)) => {
                fields.push_punct(syn::token::Comma(p.span()));
                at = end + 1;
            }
            _ => at = end,
        }
    }
    Some(fields)
}

/// Where the type starting at `at` ends: the next `,` outside `<..>`.
fn type_end(tokens: &[TokenTree], at: usize) -> usize {
    let mut depth = 0usize;
    let mut after_dash = false;
    for (i, token) in tokens.iter().enumerate().skip(at) {
        if let TokenTree::Punct(p) = token {
            match p.as_char() {
                ',' if depth == 0 => return i,
                '<' => depth += 1,
                // Not the `>` of `->`.
                '>' if !after_dash => depth = depth.saturating_sub(1),
                _ => {}
            }
            after_dash = p.as_char() == '-' && p.spacing() == Spacing::Joint;
        } else {
            after_dash = false;
        }
    }
    tokens.len()
}

/// All of `tokens` as one type, or `None`.
fn whole_type(tokens: &[TokenTree]) -> Option<Type> {
    let mut reader = Reader { tokens, at: 0 };
    let ty = reader.ty()?;
    (reader.at == tokens.len()).then_some(ty)
}

/// A cursor over the tokens of a type.
struct Reader<'a> {
    tokens: &'a [TokenTree],
    at: usize,
}

impl Reader<'_> {
    fn punct(&self, c: char) -> Option<&Punct> {
        match self.tokens.get(self.at) {
            Some(TokenTree::Punct(p)) if p.as_char() == c => Some(p),
            _ => None,
        }
    }

    fn ident(&self) -> Option<&Ident> {
        match self.tokens.get(self.at) {
            Some(TokenTree::Ident(i)) => Some(i),
            _ => None,
        }
    }

    /// `::` as two joined colons.
    fn path_sep(&self) -> Option<[Span; 2]> {
        let first = self.punct(':').filter(|p| p.spacing() == Spacing::Joint)?;
        match self.tokens.get(self.at + 1) {
            Some(TokenTree::Punct(p)) if p.as_char() == ':' => Some([first.span(), p.span()]),
            _ => None,
        }
    }

    /// A path, `&Type` or `dyn Trait (+ Trait)*`.
    fn ty(&mut self) -> Option<Type> {
        if let Some(and) = self.punct('&') {
            // `&&T` arrives as one `&&` token pair; `syn` handles it.
            if and.spacing() == Spacing::Joint {
                return None;
            }
            let and_token = syn::token::And(and.span());
            self.at += 1;
            if self.ident().is_some_and(|i| i == "mut") {
                return None;
            }
            let elem = self.ty()?;
            return Some(Type::Reference(TypeReference {
                and_token,
                lifetime: None,
                mutability: None,
                elem: Box::new(elem),
            }));
        }
        if let Some(dyn_ident) = self.ident().filter(|i| *i == "dyn") {
            let dyn_token = Some(syn::token::Dyn(dyn_ident.span()));
            self.at += 1;
            let mut bounds = Punctuated::new();
            loop {
                bounds.push_value(TypeParamBound::Trait(TraitBound {
                    paren_token: None::<Paren>,
                    modifier: TraitBoundModifier::None,
                    lifetimes: None,
                    path: self.path()?,
                }));
                let Some(plus) = self.punct('+') else { break };
                bounds.push_punct(syn::token::Plus(plus.span()));
                self.at += 1;
            }
            return Some(Type::TraitObject(TypeTraitObject { dyn_token, bounds }));
        }
        Some(Type::Path(TypePath {
            qself: None,
            path: self.path()?,
        }))
    }

    /// `(::)? Segment (:: Segment)*`, each segment an identifier with
    /// optional `<Type, ..>`.
    fn path(&mut self) -> Option<Path> {
        let leading_colon = self.path_sep().map(|spans| {
            self.at += 2;
            syn::token::PathSep(spans)
        });
        let mut segments = Punctuated::new();
        loop {
            let ident = self.ident()?.clone();
            if ident == "dyn" || ident == "mut" || ident == "impl" || ident == "fn" {
                return None;
            }
            self.at += 1;
            let arguments = match self.punct('<') {
                Some(lt) => {
                    let lt_token = syn::token::Lt(lt.span());
                    self.at += 1;
                    let mut args = Punctuated::new();
                    loop {
                        args.push_value(GenericArgument::Type(self.ty()?));
                        if let Some(comma) = self.punct(',') {
                            args.push_punct(syn::token::Comma(comma.span()));
                            self.at += 1;
                        }
                        if let Some(gt) = self.punct('>') {
                            let gt_token = syn::token::Gt(gt.span());
                            self.at += 1;
                            break PathArguments::AngleBracketed(AngleBracketedGenericArguments {
                                colon2_token: None,
                                lt_token,
                                args,
                                gt_token,
                            });
                        }
                        if args.trailing_punct() {
                            continue;
                        }
                        return None;
                    }
                }
                None => PathArguments::None,
            };
            segments.push_value(PathSegment { ident, arguments });
            let Some(spans) = self.path_sep() else { break };
            segments.push_punct(syn::token::PathSep(spans));
            self.at += 2;
        }
        Some(Path {
            leading_colon,
            segments,
        })
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// `read` builds what `syn` parses, but for attributes.
    fn same_as_syn(input: TokenStream) {
        let fast = read(&input).unwrap_or_else(|| panic!("`{input}` should be read"));
        let mut slow: ItemStruct = syn::parse2(input).expect("valid test input");
        slow.attrs.clear();
        for field in slow.fields.iter_mut() {
            field.attrs.clear();
        }
        assert_eq!(fast, slow);
    }

    #[test]
    fn reads_the_plain_shapes_as_syn_does() {
        same_as_syn(quote!(
            pub struct A;
        ));
        same_as_syn(quote!(
            struct A {}
        ));
        same_as_syn(quote!(
            #[derive(Debug)]
            pub struct A {
                pub b: Arc<B>,
                c: Arc<C>,
            }
        ));
        same_as_syn(quote!(
            pub(crate) struct A {
                b: std::sync::Arc<crate::b::B>,
            }
        ));
        same_as_syn(quote!(
            struct A {
                #[doc = "x"]
                pub(crate) b: Option<Arc<B>>,
            }
        ));
        same_as_syn(quote!(
            struct A {
                b: Vec<Arc<dyn Mailer + Send + Sync>>,
            }
        ));
        same_as_syn(quote!(
            struct A {
                b: ::std::sync::Arc<Repo<User, Id>>,
                c: u32,
            }
        ));
        same_as_syn(quote!(
            struct A {
                b: &Config,
            }
        ));
    }

    #[test]
    fn leaves_everything_else_to_syn() {
        for input in [
            quote!(
                struct A<T> {
                    b: Arc<T>,
                }
            ),
            quote!(
                struct A(Arc<B>);
            ),
            quote!(
                struct A {
                    b: &'static str,
                }
            ),
            quote!(
                struct A {
                    b: (u8, u8),
                }
            ),
            quote!(
                struct A {
                    b: fn() -> u8,
                }
            ),
            quote!(
                struct A {
                    b: &mut B,
                }
            ),
            quote!(
                struct A {
                    b: <B as C>::D,
                }
            ),
            quote!(
                struct A
                where
                    B: C,
                {
                    b: Arc<B>,
                }
            ),
            quote!(
                enum A {
                    B,
                }
            ),
            quote!(struct A { b Arc<B> }),
            quote!(struct A { b: Arc<B }),
            quote!(struct A { b: Arc<B>> }),
        ] {
            assert!(read(&input).is_none(), "`{input}` should be left to syn");
        }
    }
}
