use lifecycle_runtime::provider;

pub struct Grid;

#[provider]
impl Grid {
    pub fn new() -> u32 { 7 }
}

fn main() {}
