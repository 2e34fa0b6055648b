//! WebFluid's idea: independent startup work overlaps. On tokio's paused
//! clock the times are exact.

use std::time::Duration;

use lifecycle_examples::concurrent_start::boot;

#[tokio::test(start_paused = true)]
async fn concurrent_startup_takes_the_slowest_chain_not_the_sum() {
    let (app, order) = boot(false).await.unwrap();
    let sequential = app.startup_report().total();
    assert_eq!(order, ["Scheduler", "ProxyClient", "Tables", "Portal"]);
    app.shutdown().await.unwrap();

    let (app, order) = boot(true).await.unwrap();
    let concurrent = app.startup_report().total();
    // The fastest finishes first; the dependent still waits for all three.
    assert_eq!(order, ["Tables", "ProxyClient", "Scheduler", "Portal"]);
    app.shutdown().await.unwrap();

    let ms = Duration::from_millis;
    assert!(
        sequential >= ms(600) && sequential < ms(610),
        "sequential took {sequential:?}"
    );
    assert!(
        concurrent >= ms(300) && concurrent < ms(310),
        "concurrent took {concurrent:?}"
    );
}
