use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new() -> Self { Grid }

    #[post_construct(retries = 3)]
    fn warm_up(&self) {}
}

fn main() {}
