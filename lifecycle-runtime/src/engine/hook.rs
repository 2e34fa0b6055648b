//! Running one hook: under its timeout, with panics caught, sync hooks on a
//! thread of their own, and a tracing span that names provider and phase.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;

use crate::error::{Cause, HookFailure, Phase};
use crate::wiring::BoxError;

/// Polls a future with panics turned into `Err(message)`.
pub(crate) struct CatchUnwind<F>(pub(crate) F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.0;
        match catch_unwind(AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(payload) => Poll::Ready(Err(panic_message(payload))),
        }
    }
}

pub(crate) fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

/// The work of one hook, already type-erased.
pub(crate) enum Work<T> {
    Ready(Result<T, BoxError>),
    Async(Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>),
    Blocking(Box<dyn FnOnce() -> Result<T, BoxError> + Send>),
    /// Making the call itself panicked (the message).
    Panicked(String),
}

/// Run `work` for `provider` in `phase` under `timeout`, inside a span
/// named `lifecycle.hook` with fields `provider` and `phase`. A timed-out
/// hook is abandoned: an async one is dropped, a sync one's thread is left
/// to finish on its own.
pub(crate) async fn run<T: Send + 'static>(
    provider: &'static str,
    phase: Phase,
    timeout: Duration,
    work: Work<T>,
) -> Result<T, HookFailure> {
    let span = tracing::info_span!("lifecycle.hook", provider, %phase);
    let started = Instant::now();
    let outcome: Result<Result<T, BoxError>, Cause> = match work {
        Work::Ready(result) => Ok(result),
        Work::Panicked(panic) => Err(Cause::Panic(panic)),
        Work::Async(fut) => {
            match tokio::time::timeout(timeout, CatchUnwind(fut))
                .instrument(span.clone())
                .await
            {
                Ok(Ok(result)) => Ok(result),
                Ok(Err(panic)) => Err(Cause::Panic(panic)),
                Err(_) => Err(Cause::TimedOut(timeout)),
            }
        }
        Work::Blocking(f) => run_on_thread(provider, phase, timeout, f, &span).await,
    };
    let _enter = span.enter();
    let elapsed = started.elapsed();
    match outcome {
        Ok(Ok(value)) => {
            tracing::debug!(?elapsed, "hook finished");
            Ok(value)
        }
        Ok(Err(error)) => Err(failed(provider, phase, elapsed, Cause::Error(error))),
        Err(cause) => Err(failed(provider, phase, elapsed, cause)),
    }
}

/// A failure, logged: `error` for a timeout, `warn` for everything else.
pub(crate) fn failed(
    provider: &'static str,
    phase: Phase,
    elapsed: Duration,
    cause: Cause,
) -> HookFailure {
    let failure = HookFailure {
        provider,
        phase,
        elapsed,
        cause,
    };
    match failure.cause {
        Cause::TimedOut(_) | Cause::DeadlinePassed(_) => {
            tracing::error!(provider, %phase, ?elapsed, "{failure}");
        }
        Cause::Cancelled => tracing::info!(provider, %phase, "{failure}"),
        _ => tracing::warn!(provider, %phase, ?elapsed, "{failure}"),
    }
    failure
}

/// A sync hook runs on a detached OS thread, never on the executor. If it
/// times out, the thread is abandoned: unlike `spawn_blocking`, nothing waits
/// for it when the runtime shuts down, so it cannot keep the process alive.
///
/// A `spawn_blocking` sentinel waits alongside until the hook finishes or
/// times out (then it is released at once). It keeps tokio's paused test
/// clock from jumping past the timeout while the hook thread does real
/// work, exactly as for `spawn_blocking`, and costs one pooled thread.
async fn run_on_thread<T: Send + 'static>(
    provider: &'static str,
    phase: Phase,
    timeout: Duration,
    f: Box<dyn FnOnce() -> Result<T, BoxError> + Send>,
    span: &tracing::Span,
) -> Result<Result<T, BoxError>, Cause> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (finished, sentinel_rx) = std::sync::mpsc::channel::<()>();
    let hook_finished = finished.clone();
    let thread_span = span.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("lifecycle-{provider}-{phase}"))
        .spawn(move || {
            let _enter = thread_span.enter();
            let _ = tx.send(catch_unwind(AssertUnwindSafe(f)).map_err(panic_message));
            let _ = hook_finished.send(());
        });
    if let Err(e) = spawned {
        return Ok(Err(Box::new(e)));
    }
    let sentinel = tokio::task::spawn_blocking(move || {
        let _ = sentinel_rx.recv();
    });
    let outcome = tokio::time::timeout(timeout, rx).await;
    // Release the sentinel: the hook finished, or it is abandoned.
    let _ = finished.send(());
    drop(sentinel);
    match outcome {
        Ok(Ok(Ok(result))) => Ok(result),
        Ok(Ok(Err(panic))) => Err(Cause::Panic(panic)),
        Ok(Err(_closed)) => Err(Cause::Panic("hook thread ended without a result".into())),
        Err(_) => Err(Cause::TimedOut(timeout)),
    }
}

/// Run an inline sync constructor with its panic caught.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(panic_message)
}
