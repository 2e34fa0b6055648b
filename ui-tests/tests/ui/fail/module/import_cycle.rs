use lifecycle_runtime::module;

#[module(imports = [BModule])]
pub struct AModule;

#[module(imports = [AModule])]
pub struct BModule;

fn main() {}
