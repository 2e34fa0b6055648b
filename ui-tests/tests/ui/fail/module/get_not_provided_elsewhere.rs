use lifecycle_runtime::{module, provider};

#[provider]
pub struct Local;

#[provider]
pub struct Listed;

#[provider]
pub struct Beside;

#[module(imports = [lifecycle_fixture::DbModule])]
pub struct DbOnly;

#[module(providers = [Local])]
pub struct LocalOnly;

#[module(providers = [Listed])]
pub struct Inner;

#[module(imports = [Inner])]
pub struct Outer;

async fn run() {
    // Declared in a file whose other providers this graph has, from the
    // module it imports: another crate's, then this file's.
    let db = DbOnly::bootstrap().await.unwrap();
    let _ = db.get::<lifecycle_fixture::Unlisted>();
    let outer = Outer::bootstrap().await.unwrap();
    let _ = outer.get::<Beside>();
    // Declared in a file of which this graph has nothing.
    let local = LocalOnly::bootstrap().await.unwrap();
    let _ = local.get::<lifecycle_fixture::db::Pool>();
}

fn main() { let _ = run; }
