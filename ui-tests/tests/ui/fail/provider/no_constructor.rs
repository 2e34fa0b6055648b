use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn create() -> Self { Grid }
}

fn main() {}
