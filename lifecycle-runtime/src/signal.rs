//! Termination signals. Listeners are installed once per app, when
//! `bootstrap` starts (or at `run_until_signal`): the first SIGINT/SIGTERM
//! requests a graceful shutdown, another one during shutdown exits the
//! process at once with code 130. If a listener cannot be installed, that is
//! logged and the other signals still work.

use std::sync::Arc;

use crate::control::Control;

/// Exit code of a forced exit on a second signal (128 + SIGINT).
pub(crate) const FORCED_EXIT: i32 = 130;

/// Install listeners for `control` now, and watch them on a task of their
/// own until the app stopped or failed; shutdown (or a failed startup)
/// waits for that task to end.
pub(crate) fn install(control: &Arc<Control>) {
    if !control.claim_signals() {
        return;
    }
    // Registered before anything else runs: a signal from here on is ours.
    let mut listener = Listener::new();
    let app = Arc::downgrade(control);
    let ended = control.ended();
    let task = tokio::spawn(async move {
        let mut ended = std::pin::pin!(ended);
        loop {
            tokio::select! {
                signal = listener.next() => {
                    let Some(control) = app.upgrade() else { return };
                    if control.request(0) {
                        tracing::info!(signal, "shutting down gracefully; send it again to exit at once");
                    } else {
                        tracing::error!(signal, "signal during shutdown: exiting now with code {FORCED_EXIT}");
                        std::process::exit(FORCED_EXIT);
                    }
                }
                () = &mut ended => return,
            }
        }
    });
    control.keep_signal_task(task);
}

#[cfg(unix)]
struct Listener {
    term: Option<tokio::signal::unix::Signal>,
    int: Option<tokio::signal::unix::Signal>,
}

#[cfg(unix)]
impl Listener {
    fn new() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate())
            .inspect_err(|e| tracing::warn!("cannot listen for SIGTERM: {e}"))
            .ok();
        let int = signal(SignalKind::interrupt())
            .inspect_err(|e| tracing::warn!("cannot listen for SIGINT: {e}"))
            .ok();
        Listener { term, int }
    }

    /// The name of the next signal.
    async fn next(&mut self) -> &'static str {
        async fn recv(signal: &mut Option<tokio::signal::unix::Signal>) {
            let received = match signal {
                Some(s) => s.recv().await.is_some(),
                None => false,
            };
            if !received {
                std::future::pending::<()>().await;
            }
        }
        tokio::select! {
            () = recv(&mut self.term) => "SIGTERM",
            () = recv(&mut self.int) => "SIGINT",
        }
    }
}

#[cfg(not(unix))]
struct Listener;

#[cfg(not(unix))]
impl Listener {
    fn new() -> Self {
        Listener
    }

    /// The name of the next signal.
    async fn next(&mut self) -> &'static str {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
        "Ctrl-C"
    }
}
