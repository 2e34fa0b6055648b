use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    #[constructor]
    pub fn create() -> Self { Grid }

    #[constructor]
    pub fn build() -> Self { Grid }
}

fn main() {}
