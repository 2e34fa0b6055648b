//! Missions: the log of what every hero was sent to do, and a deliberately
//! slow mission to watch graceful shutdown let in-flight work finish.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use lifecycle_runtime::{module, provider};
use serde::{Deserialize, Serialize};

use super::api::{ApiError, Hq, Inject};
use super::db::{Database, DatabaseModule, DbError};
use super::operations::{OperationsModule, PowerGrid};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mission {
    pub id: i64,
    pub hero_id: i64,
    pub task: String,
}

/// The mission log. Missions need power, so it also depends on the grid:
/// it stops before the grid powers down.
#[derive(Debug)]
pub struct MissionLog {
    db: Arc<Database>,
    grid: Arc<PowerGrid>,
}

#[provider]
impl MissionLog {
    pub fn new(db: Arc<Database>, grid: Arc<PowerGrid>) -> Self {
        MissionLog { db, grid }
    }

    #[pre_destruct]
    fn seal(&self) {
        tracing::info!("teardown: MissionLog sealed");
    }
}

impl MissionLog {
    /// Record a mission; refused while the grid is down.
    pub async fn record(&self, hero_id: i64, task: String) -> Result<Option<Mission>, DbError> {
        if !self.grid.is_online() {
            return Ok(None);
        }
        self.db
            .call(move |conn| {
                conn.execute(
                    "INSERT INTO missions (hero_id, task) VALUES (?1, ?2)",
                    (hero_id, &task),
                )?;
                Ok(Some(Mission {
                    id: conn.last_insert_rowid(),
                    hero_id,
                    task,
                }))
            })
            .await
    }

    pub async fn all(&self) -> Result<Vec<Mission>, DbError> {
        self.db
            .call(|conn| {
                let mut stmt =
                    conn.prepare("SELECT id, hero_id, task FROM missions ORDER BY id")?;
                let missions = stmt.query_map([], |row| {
                    Ok(Mission {
                        id: row.get(0)?,
                        hero_id: row.get(1)?,
                        task: row.get(2)?,
                    })
                })?;
                missions.collect()
            })
            .await
    }
}

#[module(imports = [DatabaseModule, OperationsModule], providers = [MissionLog])]
#[derive(Debug)]
pub struct MissionControlModule;

async fn list(Inject(log): Inject<MissionLog>) -> Result<Json<Vec<Mission>>, ApiError> {
    log.all().await.map(Json).map_err(ApiError::internal)
}

#[derive(Debug, Deserialize)]
struct Slow {
    ms: u64,
}

/// `GET /missions/slow?ms=N`: a mission that takes `N` ms (at most 60 s).
async fn slow(Query(Slow { ms }): Query<Slow>) -> Result<Json<serde_json::Value>, ApiError> {
    if ms > 60_000 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "too_slow",
            "a mission takes at most 60000 ms",
        ));
    }
    tracing::info!(ms, "slow mission started");
    tokio::time::sleep(Duration::from_millis(ms)).await;
    tracing::info!(ms, "slow mission complete");
    Ok(Json(serde_json::json!({ "mission": "slow", "ms": ms })))
}

pub fn routes() -> Router<Hq> {
    Router::new()
        .route("/missions", get(list))
        .route("/missions/slow", get(slow))
}
