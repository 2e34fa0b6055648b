//! Procedural macros of [`lifecycle-runtime`](https://docs.rs/lifecycle-runtime).
//! Depend on `lifecycle-runtime`, which re-exports them; their documentation
//! lives there.
//!
//! How the whole graph reaches one macro call: every `#[provider]` and
//! `#[module]` publishes its metadata as a hidden `macro_rules!` named like
//! the item. `#[module]` chains those macros over its own list
//! (`A! { [B! …, C! …, module_impl!] … }`), so the last one, `module_impl`,
//! sees the module's whole subtree, checks it and generates its plan.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod graph;
mod names;
mod timeout;
mod wire;

use proc_macro::TokenStream;

/// Marks a struct, an `impl` block or a fn as a provider. See `lifecycle_runtime::provider`.
#[proc_macro_attribute]
pub fn provider(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::provider::expand(args.into(), item.into()).into()
}

/// Declares a module of providers and imported modules. See `lifecycle_runtime::module`.
#[proc_macro_attribute]
pub fn module(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::module::expand(args.into(), item.into()).into()
}

/// Marks the method of a `#[provider] impl` that runs after construction.
#[proc_macro_attribute]
pub fn post_construct(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::misplaced("post_construct", args.into(), item.into()).into()
}

/// Marks the method of a `#[provider] impl` that runs during shutdown.
#[proc_macro_attribute]
pub fn pre_destruct(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::misplaced("pre_destruct", args.into(), item.into()).into()
}

/// Marks the associated fn of a `#[provider] impl` that constructs the value.
#[proc_macro_attribute]
pub fn constructor(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::misplaced("constructor", args.into(), item.into()).into()
}

#[doc(hidden)]
#[proc_macro]
pub fn __module_impl(input: TokenStream) -> TokenStream {
    expand::plan::module_impl(input.into()).into()
}

#[doc(hidden)]
#[proc_macro]
pub fn __module_chunk(input: TokenStream) -> TokenStream {
    expand::plan::chunk(input.into()).into()
}
