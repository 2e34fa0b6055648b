use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new() -> Self { Grid }

    #[pre_destruct]
    fn close<T: Default>(&self) { let _ = T::default(); }
}

fn main() {}
