//! MicroAPI's ideas: app-level hooks and the lifespan form, in order.

use lifecycle_examples::hook_order::{Trace, builder};

#[tokio::test]
async fn hooks_lifespan_and_providers_run_in_the_documented_order() {
    let trace = Trace::default();
    let app = builder(&trace).bootstrap().await.unwrap();
    assert!(app.is_ready());
    trace.line("3. running");
    app.shutdown().await.unwrap();
    assert_eq!(
        trace.lines(),
        [
            "1. on_startup hook (sync, init_db)",
            "1. on_startup hook (async, init_cache)",
            "   construct Database",
            "   post_construct Database",
            "2. lifespan startup",
            "   after_startup hook",
            "3. running",
            "   on_shutdown hook",
            "4. lifespan shutdown",
            "   pre_destruct Database",
            "5. after_shutdown hook",
        ]
    );
}
