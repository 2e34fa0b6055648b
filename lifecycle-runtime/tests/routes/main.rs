//! `app.get::<T>()` finds providers of other files through the module
//! that imports them: two imports deep, through a diamond, and from a
//! file whose providers two sibling modules list.

#![allow(missing_debug_implementations)]

mod leaf;
mod mid;
mod split;

use std::sync::Arc;

use lifecycle_runtime::{module, provider};

#[provider]
pub struct Root {
    pub cache: Arc<mid::Cache>,
    pub left: Arc<split::Left>,
    pub tick: Arc<dyn leaf::Tick>,
}

// `LeafModule` is reached through `MidModule` and directly: one graph.
#[module(
    imports = [mid::MidModule, split::LeftModule, split::RightModule, leaf::LeafModule],
    providers = [Root]
)]
pub struct AppModule;

#[tokio::test]
async fn a_root_gets_providers_of_every_file_of_its_graph() {
    let app = AppModule::bootstrap().await.unwrap();
    let root = app.get::<Root>();
    let cache = app.get::<mid::Cache>();
    let store = app.get::<leaf::Store>();
    assert!(Arc::ptr_eq(&root.cache, &cache));
    assert!(Arc::ptr_eq(&cache.store, &store));
    assert!(Arc::ptr_eq(&store.clock, &app.get::<leaf::Clock>()));
    assert!(Arc::ptr_eq(&root.left, &app.get::<split::Left>()));
    assert_eq!(app.get::<split::Right>().0, "right");
    assert_eq!(root.tick.tick(), 8);
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_imported_module_bootstrapped_alone_gets_its_own_graph() {
    let app = mid::MidModule::bootstrap().await.unwrap();
    assert_eq!(app.get::<leaf::Store>().clock.0, 7);
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_scope_finds_providers_two_imports_deep() {
    let app = AppModule::bootstrap().await.unwrap();
    let scope = app.scope();
    let store = scope.get::<leaf::Store>().await.unwrap();
    assert!(Arc::ptr_eq(&store, &app.get::<leaf::Store>()));
    drop(scope);
    app.shutdown().await.unwrap();
}
