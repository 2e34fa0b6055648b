//! Collects every error of one macro call, in the style of serde's `Ctxt`.

use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

/// Errors found while reading or checking one item.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Option<syn::Error>,
}

impl Ctxt {
    /// An error at the span of `tokens`.
    pub(crate) fn error_spanned_by<T: ToTokens, M: Display>(&mut self, tokens: T, message: M) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error at `span`.
    pub(crate) fn error_at<M: Display>(&mut self, span: Span, message: M) {
        self.push(syn::Error::new(span, message));
    }

    /// A parse error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors.is_some()
    }

    /// All errors as `compile_error!` invocations (empty if none).
    pub(crate) fn into_compile_errors(self) -> proc_macro2::TokenStream {
        self.errors
            .map(|e| e.to_compile_error())
            .unwrap_or_default()
    }
}
