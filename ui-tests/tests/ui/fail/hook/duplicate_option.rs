use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new() -> Self { Grid }

    #[pre_destruct(timeout = "1s", timeout = "2s")]
    fn close(&self) {}
}

fn main() {}
