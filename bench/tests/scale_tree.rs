//! 2,080 providers across 130 modules in a four-level import tree build
//! with the default recursion limit and bootstrap.

include!(concat!(env!("OUT_DIR"), "/tree_2080.rs"));

#[tokio::test]
async fn two_thousand_providers_across_130_modules() {
    let app = graph::AppModule::bootstrap().await.unwrap();
    let _ = app.get::<graph::P2079>();
    let _ = app.get::<graph::P0>();
    app.shutdown().await.unwrap();
}
