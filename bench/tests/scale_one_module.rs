//! 1,000 providers in one module build with the default recursion limit and
//! bootstrap in dependency order.

include!(concat!(env!("OUT_DIR"), "/one_module_1000.rs"));

#[tokio::test]
async fn thousand_providers_in_one_module() {
    let app = graph::AppModule::bootstrap().await.unwrap();
    let _ = app.get::<graph::P999>();
    app.shutdown().await.unwrap();
}
