//! Generated code written as Rust source text and lexed by the compiler in
//! one call, with the user's own tokens spliced in where their spans
//! matter.
//!
//! Building the same code token by token with `quote!` costs several
//! times more: every token crosses the compiler's bridge on its own, and a
//! graph of a thousand providers emits megabytes of code. So the
//! boilerplate is text; what names the user's code (types, fields, the
//! constructor's call) stays as the user's tokens, so that errors point at
//! them.

use std::fmt;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;

/// A token stream written as text, with spliced tokens and groups.
///
/// Kept as a list of streams joined once at the end: inside a macro,
/// joining whole streams is one call to the compiler, while appending a
/// lexed stream to another tree by tree sends every token across the
/// bridge twice (out as a tree, back in as a tree).
#[derive(Default)]
pub(crate) struct Src {
    parts: Vec<TokenStream>,
    text: String,
}

impl Src {
    /// Appends source text; its delimiters must balance.
    pub(crate) fn s(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends tokens as they are, spans included.
    pub(crate) fn t(&mut self, tokens: &impl ToTokens) -> &mut Self {
        self.flush();
        self.parts.push(tokens.to_token_stream());
        self
    }

    /// Appends a group whose content holds spliced tokens.
    pub(crate) fn group(&mut self, delimiter: Delimiter, f: impl FnOnce(&mut Src)) -> &mut Self {
        self.flush();
        let mut inner = Src::default();
        f(&mut inner);
        self.parts
            .push(TokenStream::from(TokenTree::Group(Group::new(
                delimiter,
                inner.finish(),
            ))));
        self
    }

    pub(crate) fn finish(mut self) -> TokenStream {
        self.flush();
        if self.parts.len() == 1 {
            return self.parts.pop().expect("one part");
        }
        self.parts.into_iter().collect()
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.parts.push(lex(&self.text));
            self.text.clear();
        }
    }
}

/// What `w!` writes to.
pub(crate) trait WriteArgs {
    fn write_args(&mut self, args: fmt::Arguments<'_>);
}

impl WriteArgs for String {
    fn write_args(&mut self, args: fmt::Arguments<'_>) {
        fmt::Write::write_fmt(self, args).expect("writing to a String");
    }
}

impl WriteArgs for Src {
    fn write_args(&mut self, args: fmt::Arguments<'_>) {
        self.text.write_args(args);
    }
}

/// The compiler's tokens for `text`, which this crate wrote.
///
/// Inside a macro this goes straight to the compiler's lexer: `proc_macro2`
/// would first lex the text once more with its own lexer, to guard against
/// malformed input, which generated code is not.
pub(crate) fn lex(text: &str) -> TokenStream {
    let fail = |e: &dyn fmt::Display| -> ! {
        panic!("lifecycle: generated code does not lex ({e}): {text}")
    };
    if proc_macro::is_available() {
        match text.parse::<proc_macro::TokenStream>() {
            Ok(tokens) => tokens.into(),
            Err(e) => fail(&e),
        }
    } else {
        text.parse().unwrap_or_else(|e| fail(&e))
    }
}

/// `s` as a Rust string literal.
pub(crate) fn lit(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn text_and_spliced_tokens_read_as_one_stream_in_order() {
        let ty = quote!(Vec<u8>);
        let mut src = Src::default();
        src.s("impl Foo for ").t(&ty).group(Delimiter::Brace, |b| {
            w!(b, "const N: u32 = {};", 3);
            b.s("type T = ").t(&ty).s(";");
        });
        src.s("struct Bar;");
        let expected =
            quote!(impl Foo for Vec<u8> { const N: u32 = 3; type T = Vec<u8>; } struct Bar;);
        assert_eq!(src.finish().to_string(), expected.to_string());
    }

    #[test]
    fn a_literal_survives_quotes_backslashes_and_newlines() {
        let text = "a \"quoted\" \\ path\nand more";
        let tokens: TokenStream = lit(text).parse().unwrap();
        let parsed: syn::LitStr = syn::parse2(tokens).unwrap();
        assert_eq!(parsed.value(), text);
    }
}
