// Every mistake of one item is reported in one pass.
use lifecycle_runtime::provider;

pub struct Grid;

#[provider(timeout = "soon")]
impl Grid {
    pub fn new(level: u8) -> Self { let _ = level; Grid }

    #[post_construct(timeout = "0ms")]
    fn warm_up(&mut self) {}

    #[pre_destruct(retries = 2)]
    fn close(&self, force: bool) { let _ = force; }
}

fn main() {}
