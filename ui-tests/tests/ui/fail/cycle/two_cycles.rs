use std::sync::Arc;
use lifecycle_runtime::{module, provider};

#[provider]
pub struct A { b: Arc<B> }
#[provider]
pub struct B { a: Arc<A> }
#[provider]
pub struct C { d: Arc<D> }
#[provider]
pub struct D { c: Arc<C> }

#[module(providers = [A, B, C, D])]
pub struct AppModule;

fn main() {}
