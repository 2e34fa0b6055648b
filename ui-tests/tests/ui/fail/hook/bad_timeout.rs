use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new() -> Self { Grid }

    #[post_construct(timeout = "0s")]
    fn warm_up(&self) {}

    #[pre_destruct(timeout = "5 parsecs")]
    fn close(&self) {}
}

fn main() {}
