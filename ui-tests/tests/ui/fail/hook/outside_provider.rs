use lifecycle_runtime::post_construct;

pub struct Grid;

impl Grid {
    #[post_construct]
    fn warm_up(&self) {}
}

fn main() {}
