use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new() -> Self { Grid }

    #[pre_destruct]
    fn close(&self) {}

    #[pre_destruct]
    fn close_again(&self) {}
}

fn main() {}
