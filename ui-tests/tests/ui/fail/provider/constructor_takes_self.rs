use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new(&self) -> Self { Grid }
}

fn main() {}
