//! Termination signals. One listener serves the whole process: a thread of
//! its own with a small runtime, started by the first app that handles
//! signals (when `bootstrap` starts, or at `run_until_signal`). Each such
//! app registers with it and leaves when it stopped or failed; the first
//! SIGINT/SIGTERM requests a graceful shutdown of every registered app,
//! another one while an app is shutting down exits the process at once
//! with code 130. If the listener cannot be started, that is logged once
//! and apps run without it; if one of the two signals cannot be listened
//! for, that is logged and the other still works.
//!
//! The listener owns its runtime, so it works whichever runtime an app
//! runs on, for as long as the process lives: runtimes may come and go (a
//! `#[tokio::test]` each), and an app costs a registration, not a task.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use crate::control::Control;

/// Exit code of a forced exit on a second signal (128 + SIGINT).
pub(crate) const FORCED_EXIT: i32 = 130;

/// The apps that handle signals now.
static APPS: Mutex<Vec<Weak<Control>>> = Mutex::new(Vec::new());

fn apps() -> MutexGuard<'static, Vec<Weak<Control>>> {
    APPS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether `control` is registered now.
#[cfg(test)]
pub(crate) fn is_registered(control: &Arc<Control>) -> bool {
    apps()
        .iter()
        .any(|app| std::ptr::eq(app.as_ptr(), Arc::as_ptr(control)))
}

/// Register `control` with the process's listener (started now if it is
/// the first): from the return on, a signal reaches this app.
pub(crate) fn install(control: &Arc<Control>) {
    if !control.claim_signals() || !listening() {
        return;
    }
    let mut apps = apps();
    // Apps dropped without a shutdown leave an entry behind: drop those
    // before the list would grow.
    if apps.len() == apps.capacity() {
        apps.retain(|app| app.strong_count() > 0);
    }
    apps.push(Arc::downgrade(control));
}

/// Once the app stopped or failed: signals no longer concern it.
pub(crate) fn release(control: &Control) {
    if !control.signals_claimed() {
        return;
    }
    let mut apps = apps();
    if let Some(i) = apps
        .iter()
        .rposition(|app| std::ptr::eq(app.as_ptr(), control))
    {
        apps.swap_remove(i);
    }
}

/// Start the listener once per process; `false` if it could not start.
/// The first call waits until both signals are registered.
fn listening() -> bool {
    static LISTENING: OnceLock<bool> = OnceLock::new();
    *LISTENING.get_or_init(|| match start() {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!("cannot listen for termination signals: {e}");
            false
        }
    })
}

fn start() -> std::io::Result<()> {
    let (ready, registered) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("lifecycle-signals".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                let mut listener = Listener::new();
                let _ = ready.send(Ok(()));
                loop {
                    deliver(listener.next().await);
                }
            });
        })?;
    registered
        .recv()
        .unwrap_or_else(|_| Err(std::io::Error::other("the listener thread ended at start")))
}

/// A signal arrived: request shutdown of every registered app, or exit if
/// one of them is shutting down already.
fn deliver(signal: &'static str) {
    let apps: Vec<Arc<Control>> = apps().iter().filter_map(Weak::upgrade).collect();
    if apps.iter().any(|control| control.is_requested()) {
        tracing::error!(
            signal,
            "signal during shutdown: exiting now with code {FORCED_EXIT}"
        );
        std::process::exit(FORCED_EXIT);
    }
    if apps.is_empty() {
        return;
    }
    // Logged before the request, so that it comes before what shutdown logs.
    tracing::info!(
        signal,
        "shutting down gracefully; send it again to exit at once"
    );
    for control in &apps {
        control.request(0);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_is_registered_once_until_it_is_released_or_dropped() {
        let (first, second) = (Control::new(), Control::new());
        let (a, b) = (Arc::downgrade(&first), Arc::downgrade(&second));
        let count = |app: &Weak<Control>| apps().iter().filter(|x| x.ptr_eq(app)).count();
        install(&first);
        install(&first);
        install(&second);
        assert_eq!((count(&a), count(&b)), (1, 1));
        assert_eq!(
            b.strong_count(),
            1,
            "the listener holds no strong reference"
        );
        release(&first);
        assert_eq!((count(&a), count(&b)), (0, 1));
        drop(second);
        // Registrations drop the entries of apps that are gone before the
        // list grows.
        let others: Vec<_> = (0..apps().capacity() + 1).map(|_| Control::new()).collect();
        others.iter().for_each(install);
        assert_eq!(count(&b), 0);
        others.iter().for_each(|other| release(other));
    }
}
