//! `cargo run -p lifecycle-examples --bin hook-order`: prints every stage
//! as it runs; Ctrl-C (or `--once`) to shut down.

use lifecycle_examples::hook_order::{Trace, builder};

#[tokio::main]
async fn main() -> Result<(), lifecycle_runtime::Error> {
    let once = std::env::args().any(|a| a == "--once");
    let trace = Trace::default();
    let app = builder(&trace).bootstrap().await?;
    trace.line(format!("3. running (ready = {})", app.is_ready()));
    if once {
        app.request_shutdown();
    } else {
        println!("   … press Ctrl-C to shut down");
    }
    app.run_until_signal().await
}
