//! `cargo run -p lifecycle-examples --bin model [-- 1 2.5 10]`: load the
//! model, answer one message per number, shut down.

use lifecycle_examples::model::{ModelModule, ask, start_consumer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs: Vec<f64> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let inputs = if inputs.is_empty() {
        vec![1.0, 2.5, 10.0]
    } else {
        inputs
    };
    let app = ModelModule::bootstrap().await?;
    let broker = start_consumer(&app);
    for x in inputs {
        match ask(&broker, x).await {
            Some(Ok(y)) => println!("predict({x}) = {y}"),
            Some(Err(e)) => println!("predict({x}) failed: {e}"),
            None => println!("predict({x}): no consumer"),
        }
    }
    app.shutdown().await?;
    Ok(())
}
