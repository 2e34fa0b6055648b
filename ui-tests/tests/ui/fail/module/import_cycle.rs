// Two modules that import each other: neither graph can be gathered.
use lifecycle_runtime::module;

#[module(imports = [BModule])]
pub struct AModule;

#[module(imports = [AModule])]
pub struct BModule;

fn main() {}
