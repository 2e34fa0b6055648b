//! Scopes: request-scoped and transient values, built on demand and torn
//! down when the scope ends.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::app::{App, Inner, State};
use crate::control::InFlight;
use crate::engine::{Boxed, Held, ScopeState};
use crate::error::{Cause, Error, Failures, HookFailure, Phase};
use crate::wiring::{Has, Injectable, KeyOf, Provider};

/// A unit of work — one request, one job — with values of its own.
///
/// `#[provider(scope = request)]` values are built the first time the
/// scope needs them and shared within it; `#[provider(scope = transient)]`
/// values are built afresh for every dependent and every
/// [`get`](Self::get). Singletons and inputs come from the app. Every value
/// the scope built gets its `pre_destruct` in reverse build order when the
/// scope [closes](Self::close) — or, if it is dropped unclosed, in a task
/// that app shutdown waits for. An open scope counts as in-flight work:
/// shutdown drains it before tearing down the singletons it uses.
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use lifecycle_runtime::{module, provider};
///
/// pub struct Pool { in_use: AtomicUsize }
///
/// #[provider]
/// impl Pool {
///     fn new() -> Self { Pool { in_use: AtomicUsize::new(0) } }
/// }
///
/// pub struct Connection { pool: Arc<Pool> }
///
/// #[provider(scope = request)]
/// impl Connection {
///     fn new(pool: Arc<Pool>) -> Self {
///         pool.in_use.fetch_add(1, Ordering::SeqCst);
///         Connection { pool }
///     }
///
///     #[pre_destruct]
///     fn release(&self) {
///         self.pool.in_use.fetch_sub(1, Ordering::SeqCst);
///     }
/// }
///
/// #[module(providers = [Pool, Connection])]
/// pub struct AppModule;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), lifecycle_runtime::Error> {
/// let app = AppModule::bootstrap().await?;
/// let scope = app.scope();
/// let a = scope.get::<Connection>().await?;
/// let b = scope.get::<Connection>().await?;
/// assert!(Arc::ptr_eq(&a, &b)); // one per scope
/// assert_eq!(app.get::<Pool>().in_use.load(Ordering::SeqCst), 1);
/// scope.close().await?;         // the connection goes back to the pool
/// assert_eq!(app.get::<Pool>().in_use.load(Ordering::SeqCst), 0);
/// # app.shutdown().await }
/// ```
pub struct Scope<M> {
    open: Open,
    module: PhantomData<fn() -> M>,
}

/// An open scope, generic over nothing: its futures are boxed and its
/// teardown is here, so that they are compiled once, into this crate,
/// rather than in every crate that uses `Scope<M>` (see
/// `engine::lifecycle::start`).
struct Open {
    inner: Arc<Inner>,
    state: tokio::sync::Mutex<Option<ScopeState>>,
    /// Held while the scope is open, so shutdown drains it.
    _open: InFlight,
}

impl<M> std::fmt::Debug for Scope<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope")
            .field("module", &self.open.inner.plan.module)
            .finish_non_exhaustive()
    }
}

impl Drop for Open {
    /// Dropped unclosed (an early return, a panic, a cancelled request):
    /// tear down in a task that app shutdown waits for.
    fn drop(&mut self) {
        let Some(state) = self.state.get_mut().take() else {
            return;
        };
        if state.is_empty() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(
                module = self.inner.plan.module,
                "a scope was dropped outside a tokio runtime: its values are released without `pre_destruct`"
            );
            return;
        };
        let inner = self.inner.clone();
        let open = inner.control.in_flight();
        runtime.spawn(async move {
            let _open = open;
            for failure in state.close(&inner).await {
                tracing::warn!(
                    module = inner.plan.module,
                    "closing a dropped scope: {failure}"
                );
            }
        });
    }
}

impl Open {
    fn new(inner: Arc<Inner>) -> Self {
        Open {
            state: tokio::sync::Mutex::new(Some(ScopeState::new(&inner))),
            _open: inner.control.in_flight(),
            inner,
        }
    }

    /// The scope's value of `slot`, built if it has to be, and the lock
    /// that keeps it in place while [`Scope::slot`] reads it by type.
    fn locate(&self, slot: usize) -> Boxed<'_, Result<(Locked<'_>, Held), Error>> {
        Box::pin(async move {
            let meta = self.inner.started.entries[slot].step.meta;
            let failed = |failure| Error::Scope {
                module: self.inner.plan.module,
                provider: meta.name,
                failure,
            };
            // Draining is fine (in-flight requests finish with their
            // scopes); once `pre_destruct` hooks run, singletons may be
            // closed.
            if self.inner.control.state() >= State::Stopping && !meta.scope.is_app_wide() {
                return Err(failed(HookFailure {
                    provider: meta.name,
                    phase: Phase::Construct,
                    elapsed: Duration::ZERO,
                    cause: Cause::AppStopping,
                }));
            }
            let mut locked = self.state.lock().await;
            let state = locked.as_mut().expect("an open scope has its state");
            let held = state.locate(&self.inner, slot).await.map_err(failed)?;
            Ok((locked, held))
        })
    }

    /// Tear down what the scope built (see [`Scope::close`]).
    fn close(&self) -> Boxed<'_, Result<(), Error>> {
        Box::pin(async move {
            let state = self.state.lock().await.take();
            let Some(state) = state else { return Ok(()) };
            let failures = state.close(&self.inner).await;
            if failures.is_empty() {
                Ok(())
            } else {
                Err(Error::ScopeClose {
                    module: self.inner.plan.module,
                    failures: Failures(failures),
                })
            }
        })
    }
}

/// A scope's state, locked.
type Locked<'a> = tokio::sync::MutexGuard<'a, Option<ScopeState>>;

impl<M> App<M> {
    /// Open a [`Scope`] for one unit of work.
    pub fn scope(&self) -> Scope<M> {
        Scope {
            open: Open::new(self.inner().clone()),
            module: PhantomData,
        }
    }
}

impl<M> Scope<M> {
    /// The value of `T` in this scope, built (with whatever it needs that
    /// the scope does not hold yet) if it is request-scoped and not built
    /// yet, or transient; a singleton's or an input's value comes from the
    /// app. A `T` that `M`'s graph does not provide is a compile error.
    pub async fn get<T>(&self) -> Result<Arc<T>, Error>
    where
        T: ?Sized + Injectable + 'static,
        M: Has<T, T::Id>,
    {
        self.slot::<T>(const { M::PLAN.slot_of(<T::Id as KeyOf>::KEY) })
            .await
    }

    /// [`get`](Self::get) for a provider fn `P` whose type comes from
    /// another crate.
    pub async fn get_from<P>(&self) -> Result<Arc<P::Output>, Error>
    where
        P: Provider,
        M: Has<P::Output, P::Key>,
    {
        self.slot::<P::Output>(const { M::PLAN.slot_of(<P::Key as KeyOf>::KEY) })
            .await
    }

    async fn slot<T: ?Sized + 'static>(&self, slot: usize) -> Result<Arc<T>, Error> {
        let (locked, held) = self.open.locate(slot).await?;
        let state = locked.as_ref().expect("an open scope has its state");
        Ok(state.read::<T>(held))
    }

    /// The app this scope belongs to.
    pub fn app(&self) -> App<M> {
        App::from_inner(self.open.inner.clone())
    }

    /// End the scope: every value it built gets its `pre_destruct`, in
    /// reverse build order, each under its timeout, best effort; all
    /// failures are reported together.
    pub async fn close(self) -> Result<(), Error> {
        self.open.close().await
    }
}
