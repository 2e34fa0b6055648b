use lifecycle_runtime::provider;

pub struct Args;

// `input` is for structs whose value `main` supplies.
#[provider(input)]
pub fn args() -> Args {
    Args
}

// An input has no scope: its one value is supplied.
#[provider(input, scope = request)]
pub struct Settings {
    pub verbose: bool,
}

fn main() {}
