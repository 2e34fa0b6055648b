//! One file, two modules: neither import holds every provider of it.

use lifecycle_runtime::{module, provider};

pub struct Left;

#[provider]
impl Left {
    pub fn new() -> Self {
        Left
    }
}

pub struct Right(pub &'static str);

#[provider]
impl Right {
    pub fn new() -> Self {
        Right("right")
    }
}

#[module(providers = [Left])]
pub struct LeftModule;

#[module(providers = [Right])]
pub struct RightModule;
