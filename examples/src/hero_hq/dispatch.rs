//! Dispatch: send a hero from the roster on a mission.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use lifecycle_runtime::{module, provider};
use serde::Deserialize;

use super::api::{ApiError, Hq, Inject};
use super::identity::{IdentityModule, Roster, hero_not_found};
use super::mission_control::{Mission, MissionControlModule, MissionLog};

/// Dispatch works with the roster and the mission log, so it starts after
/// both and stops before either.
#[provider]
#[derive(Debug)]
pub struct Dispatch {
    roster: Arc<Roster>,
    log: Arc<MissionLog>,
}

#[module(imports = [IdentityModule, MissionControlModule], providers = [Dispatch])]
#[derive(Debug)]
pub struct DispatchModule;

#[derive(Debug, Deserialize)]
pub struct Assignment {
    pub hero_id: i64,
    pub task: String,
}

impl Dispatch {
    pub async fn send(&self, assignment: Assignment) -> Result<Mission, ApiError> {
        let hero = self
            .roster
            .find(assignment.hero_id)
            .await
            .map_err(ApiError::internal)?
            .ok_or_else(|| hero_not_found(assignment.hero_id))?;
        let mission = self
            .log
            .record(hero.id, assignment.task)
            .await
            .map_err(ApiError::internal)?;
        mission.ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "grid_offline",
                "the power grid is offline",
            )
        })
    }

    /// Called by the app's `on_shutdown` hook: every provider is still up.
    pub fn recall_everyone(&self) {
        tracing::info!("teardown: Dispatch recalled every hero");
    }
}

async fn dispatch(
    Inject(dispatch): Inject<Dispatch>,
    Json(assignment): Json<Assignment>,
) -> Result<(StatusCode, Json<Mission>), ApiError> {
    let mission = dispatch.send(assignment).await?;
    Ok((StatusCode::CREATED, Json(mission)))
}

pub fn routes() -> Router<Hq> {
    Router::new().route("/dispatch", post(dispatch))
}
