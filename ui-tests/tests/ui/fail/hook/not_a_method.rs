use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new() -> Self { Grid }

    #[post_construct]
    fn warm_up() {}
}

fn main() {}
