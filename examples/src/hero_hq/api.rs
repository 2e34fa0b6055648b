//! What every handler shares: the app once it exists, injection of
//! providers by type, and JSON errors.

use std::sync::{Arc, OnceLock};

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use lifecycle_runtime::App;

use super::HeroHq;
use super::db::Database;
use super::dispatch::Dispatch;
use super::identity::Roster;
use super::mission_control::MissionLog;
use super::operations::PowerGrid;

/// The router's state. The server starts listening before bootstrap, so
/// that a load balancer sees `503` rather than a refused connection while
/// HQ warms up; the app is set once bootstrap returns.
#[derive(Debug, Clone, Default)]
pub struct Hq {
    app: Arc<OnceLock<App<HeroHq>>>,
}

impl Hq {
    /// Hand the bootstrapped app to the handlers.
    pub fn set(&self, app: App<HeroHq>) {
        let _ = self.app.set(app);
    }

    /// The app, once bootstrap returned.
    pub fn app(&self) -> Option<&App<HeroHq>> {
        self.app.get()
    }
}

/// A provider of Hero HQ, injected into a handler by its type:
/// `Inject(roster): Inject<Roster>`. Before the app exists the request is
/// answered `503 Service Unavailable`.
#[derive(Debug)]
pub struct Inject<T>(pub Arc<T>);

/// The providers a handler may ask for. Each impl is `app.get::<T>()`,
/// which does not compile for a type `HeroHq` does not provide.
pub trait Injectable: Send + Sync + Sized + 'static {
    fn from_app(app: &App<HeroHq>) -> Arc<Self>;
}

macro_rules! injectable {
    ($($ty:ty),* $(,)?) => {$(
        impl Injectable for $ty {
            fn from_app(app: &App<HeroHq>) -> Arc<Self> {
                app.get::<$ty>()
            }
        }
    )*};
}

injectable!(Database, PowerGrid, Roster, MissionLog, Dispatch);

impl<T: Injectable> FromRequestParts<Hq> for Inject<T> {
    type Rejection = ApiError;

    async fn from_request_parts(_parts: &mut Parts, hq: &Hq) -> Result<Self, ApiError> {
        match hq.app() {
            Some(app) => Ok(Inject(T::from_app(app))),
            None => Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "hq_starting",
                "Hero HQ is still starting",
            )),
        }
    }
}

/// An error answer: `{"error": "<code>", "message": "…"}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {error}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            error.to_string(),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code, "message": self.message });
        (self.status, Json(body)).into_response()
    }
}
