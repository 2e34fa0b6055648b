use lifecycle_runtime::module;

#[module(providers = [])]
pub struct AppModule { name: String }

fn main() {}
