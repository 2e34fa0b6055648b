//! Termination signals. If a handler cannot be installed, that is logged and
//! the other signals still work.

/// Resolves at the next SIGINT or SIGTERM.
#[cfg(unix)]
pub(crate) async fn any() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())
        .inspect_err(|e| tracing::warn!("cannot listen for SIGTERM: {e}"))
        .ok();
    let mut int = signal(SignalKind::interrupt())
        .inspect_err(|e| tracing::warn!("cannot listen for SIGINT: {e}"))
        .ok();
    let term = async {
        match &mut term {
            Some(s) => drop(s.recv().await),
            None => std::future::pending().await,
        }
    };
    let int = async {
        match &mut int {
            Some(s) => drop(s.recv().await),
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        () = term => {}
        () = int => {}
    }
}

/// Resolves at the next Ctrl-C.
#[cfg(not(unix))]
pub(crate) async fn any() {
    if let Err(e) = tokio::signal::ctrl_c().await {
        tracing::warn!("cannot listen for Ctrl-C: {e}");
        std::future::pending::<()>().await;
    }
}
