//! `cargo run -p lifecycle-examples --bin request-pool [-- --port 8082]`,
//! then `curl localhost:8082/users/1`; Ctrl-C to stop.

use lifecycle_examples::request_pool::{AppState, PoolModule, router};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = std::env::args()
        .skip_while(|a| a != "--port")
        .nth(1)
        .map(|p| p.parse())
        .transpose()?
        .unwrap_or(8082u16);
    let app = PoolModule::bootstrap().await?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let server =
        axum::serve(listener, router(AppState::of(&app))).with_graceful_shutdown(app.draining());
    app.spawn(async move { server.await });
    app.run_until_signal().await?;
    Ok(())
}
