use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new() -> Self { Grid }

    #[pre_destruct(timeout = 5)]
    fn close(&self) {}
}

fn main() {}
