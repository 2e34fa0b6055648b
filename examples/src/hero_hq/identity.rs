//! Heroes: who they are and what they can do.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use lifecycle_runtime::{module, provider};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::api::{ApiError, Hq, Inject};
use super::db::{Database, DatabaseModule, DbError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hero {
    pub id: i64,
    pub name: String,
    pub power: String,
}

#[derive(Debug, Deserialize)]
pub struct CreateHero {
    pub name: String,
    pub power: String,
}

/// The roster of heroes, kept in the database.
#[derive(Debug)]
pub struct Roster {
    db: Arc<Database>,
}

#[provider]
impl Roster {
    pub fn new(db: Arc<Database>) -> Self {
        Roster { db }
    }

    #[pre_destruct]
    fn close(&self) {
        tracing::info!("teardown: Roster closed to new recruits");
    }
}

impl Roster {
    pub async fn recruit(&self, name: String, power: String) -> Result<Hero, DbError> {
        self.db
            .call(move |conn| {
                conn.execute(
                    "INSERT INTO heroes (name, power) VALUES (?1, ?2)",
                    (&name, &power),
                )?;
                Ok(Hero {
                    id: conn.last_insert_rowid(),
                    name,
                    power,
                })
            })
            .await
    }

    pub async fn find(&self, id: i64) -> Result<Option<Hero>, DbError> {
        self.db
            .call(move |conn| {
                conn.query_row(
                    "SELECT id, name, power FROM heroes WHERE id = ?1",
                    [id],
                    |row| {
                        Ok(Hero {
                            id: row.get(0)?,
                            name: row.get(1)?,
                            power: row.get(2)?,
                        })
                    },
                )
                .optional()
            })
            .await
    }

    pub async fn all(&self) -> Result<Vec<Hero>, DbError> {
        self.db
            .call(|conn| {
                let mut stmt = conn.prepare("SELECT id, name, power FROM heroes ORDER BY id")?;
                let heroes = stmt.query_map([], |row| {
                    Ok(Hero {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        power: row.get(2)?,
                    })
                })?;
                heroes.collect()
            })
            .await
    }
}

#[module(imports = [DatabaseModule], providers = [Roster])]
#[derive(Debug)]
pub struct IdentityModule;

async fn recruit(
    Inject(roster): Inject<Roster>,
    Json(hero): Json<CreateHero>,
) -> Result<(StatusCode, Json<Hero>), ApiError> {
    let name = hero.name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_hero",
            "a hero needs a name",
        ));
    }
    if name.to_lowercase().starts_with("dr.") {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "villain_detected",
            format!("{name} is on the villain watch list"),
        ));
    }
    match roster.recruit(name, hero.power).await {
        Ok(hero) => Ok((StatusCode::CREATED, Json(hero))),
        Err(DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(ApiError::new(
                StatusCode::CONFLICT,
                "hero_exists",
                "a hero of that name is already on the roster",
            ))
        }
        Err(e) => Err(ApiError::internal(e)),
    }
}

async fn list(Inject(roster): Inject<Roster>) -> Result<Json<Vec<Hero>>, ApiError> {
    roster.all().await.map(Json).map_err(ApiError::internal)
}

async fn show(Inject(roster): Inject<Roster>, Path(id): Path<i64>) -> Result<Json<Hero>, ApiError> {
    match roster.find(id).await.map_err(ApiError::internal)? {
        Some(hero) => Ok(Json(hero)),
        None => Err(hero_not_found(id)),
    }
}

pub(super) fn hero_not_found(id: i64) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "hero_not_found",
        format!("no hero with id {id}"),
    )
}

pub fn routes() -> Router<Hq> {
    Router::new()
        .route("/heroes", get(list).post(recruit))
        .route("/heroes/{id}", get(show))
}
