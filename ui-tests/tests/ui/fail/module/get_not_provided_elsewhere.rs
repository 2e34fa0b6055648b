use lifecycle_runtime::{module, provider};

#[provider]
pub struct Local;

#[module(imports = [lifecycle_fixture::DbModule])]
pub struct DbOnly;

#[module(providers = [Local])]
pub struct LocalOnly;

async fn run() {
    // Declared in a file whose other providers this graph has.
    let db = DbOnly::bootstrap().await.unwrap();
    let _ = db.get::<lifecycle_fixture::Unlisted>();
    // Declared in a file of which this graph has nothing.
    let local = LocalOnly::bootstrap().await.unwrap();
    let _ = local.get::<lifecycle_fixture::db::Pool>();
}

fn main() { let _ = run; }
