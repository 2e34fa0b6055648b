use std::sync::Arc;
use lifecycle_runtime::{module, provider};

#[provider]
pub struct A { b: Arc<B> }

#[provider]
pub struct B { c: Arc<C> }

pub struct C { a: Arc<A> }

#[provider]
impl C {
    pub fn new(a: Arc<A>) -> Self { C { a } }
}

#[module(providers = [A, B, C])]
pub struct AppModule;

fn main() {}
