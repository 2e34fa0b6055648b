use lifecycle_runtime::module;

#[module(providers = [])]
pub enum AppModule { A }

fn main() {}
