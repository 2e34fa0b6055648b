//! `cargo run -p lifecycle-examples --bin concurrent-start`: the same three
//! slow providers (300, 200 and 100 ms) started sequentially, then
//! concurrently.

use lifecycle_examples::concurrent_start::boot;

#[tokio::main]
async fn main() -> Result<(), lifecycle_runtime::Error> {
    for concurrent in [false, true] {
        let (app, order) = boot(concurrent).await?;
        let mode = if concurrent {
            "concurrent"
        } else {
            "sequential"
        };
        let report = app.startup_report();
        println!(
            "{mode}: started in {:?}; finished in order {order:?}",
            report.total()
        );
        println!("{report}\n");
        app.shutdown().await?;
    }
    Ok(())
}
