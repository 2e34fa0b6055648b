use lifecycle_runtime::{module, provider};

pub struct Grid;

#[provider]
impl Grid {
    pub fn create() -> Self { Grid }
}

// Listing the broken provider adds no further error.
#[module(providers = [Grid])]
pub struct AppModule;

fn main() {}
