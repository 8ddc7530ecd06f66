//! The parts of a development plan: activities (whose status drives the plan's progress) and
//! checkpoints (completing one keeps the progress of that day). A closed plan's parts refuse
//! changes (`record_closed`).

use super::checks::{Checks, workflow};
use super::development::{fetch_full, fetch_plan};
use super::idempotency::{IdempotencyKey, claim, remember};
use super::one_on_one_items::exists;
use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_activity))
        .routes(routes!(update_activity))
        .routes(routes!(add_checkpoint))
        .routes(routes!(complete_checkpoint))
}

const ACTIVITY_TYPES: [&str; 7] = [
    "COURSE",
    "MENTORING",
    "STRETCH_ASSIGNMENT",
    "READING",
    "CERTIFICATION",
    "SHADOWING",
    "CONFERENCE",
];
const ACTIVITY_STATUSES: [&str; 4] = ["PLANNED", "IN_PROGRESS", "DONE", "DROPPED"];

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Activity {
    pub id: Uuid,
    pub activity_type: String,
    pub title: String,
    /// PLANNED, IN_PROGRESS, DONE or DROPPED.
    pub status: String,
    pub skill_id: Option<Uuid>,
    pub competency_id: Option<Uuid>,
    #[serde(with = "crate::day::option")]
    pub due_date: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

pub(crate) const ACTIVITY_COLUMNS: &str = "id, activity_type, title, status, skill_id, competency_id, due_date, completed_at, created_at, updated_at";

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Checkpoint {
    pub id: Uuid,
    pub reviewer_id: Option<Uuid>,
    #[serde(with = "crate::day")]
    pub scheduled_on: Date,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
    pub notes: Option<String>,
    /// The plan's progress when the checkpoint was completed.
    #[schema(value_type = Option<f64>)]
    #[serde(with = "rust_decimal::serde::float_option")]
    pub progress_snapshot: Option<Decimal>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

pub(crate) const CHECKPOINT_COLUMNS: &str =
    "id, reviewer_id, scheduled_on, completed_at, notes, progress_snapshot, created_at, updated_at";

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    pub title: String,
    /// COURSE (default), MENTORING, STRETCH_ASSIGNMENT, READING, CERTIFICATION, SHADOWING, CONFERENCE.
    pub activity_type: Option<String>,
    #[serde(default, with = "crate::day::option")]
    pub due_date: Option<Date>,
    pub skill_id: Option<Uuid>,
    pub competency_id: Option<Uuid>,
}

/// Adds an activity to a plan; returns the plan (its progress follows). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/development-plans/{id}/activities", tag = "development", request_body = NewActivity,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = super::development::DevelopmentPlanResponse), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_activity(
    mut db: Db,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<NewActivity>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("title", &req.title, 300);
    c.one_of(
        "activity_type",
        req.activity_type.as_deref(),
        &ACTIVITY_TYPES,
    );
    c.date("due_date", req.due_date);
    c.done()?;
    fetch_plan(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if let Some(replay) = claim(&mut db, &key, &(id, &req)).await? {
        return Ok(replay);
    }
    let refs_ok: bool = sqlx::query_scalar(
        "SELECT ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM skills WHERE id = $1))
            AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM competencies WHERE id = $2))",
    )
    .bind(req.skill_id)
    .bind(req.competency_id)
    .fetch_one(db.conn())
    .await?;
    if !refs_ok {
        return Err(ApiError::field("skill_id", "no such skill or competency"));
    }
    let tenant = db.auth().tenant.as_uuid();
    sqlx::query(
        "INSERT INTO development_activities (tenant_id, plan_id, title, activity_type, due_date, skill_id, competency_id)
         VALUES ($1, $2, $3, coalesce($4, 'COURSE'), $5, $6, $7)",
    )
    .bind(tenant)
    .bind(id)
    .bind(req.title.trim())
    .bind(req.activity_type.as_deref())
    .bind(req.due_date)
    .bind(req.skill_id)
    .bind(req.competency_id)
    .execute(db.conn())
    .await
    .map_err(workflow)?;
    let p = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    remember(&mut db, &key, StatusCode::CREATED, &p).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(p.updated_at)], Json(p)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateActivity {
    pub title: Option<String>,
    /// PLANNED, IN_PROGRESS, DONE or DROPPED.
    pub status: Option<String>,
    #[serde(default, with = "crate::day::option")]
    pub due_date: Option<Date>,
}

/// Changes an activity (its status moves the plan's progress); returns the plan. Honors
/// `If-Match` (the activity's version).
#[utoipa::path(patch, path = "/development-plans/{id}/activities/{activity_id}", tag = "development", request_body = UpdateActivity,
    params(("id" = Uuid, Path), ("activity_id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = super::development::DevelopmentPlanResponse), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_activity(
    mut db: Db,
    ApiPath((id, activity_id)): ApiPath<(Uuid, Uuid)>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateActivity>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("title", req.title.as_deref(), 300);
    c.one_of("status", req.status.as_deref(), &ACTIVITY_STATUSES);
    c.date("due_date", req.due_date);
    c.done()?;
    exists(
        db.conn(),
        "development_activities",
        "plan_id",
        id,
        activity_id,
    )
    .await?;
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE development_activities SET title = coalesce($3, title), status = coalesce($4, status),
                due_date = coalesce($5, due_date)
          WHERE id = $2 AND plan_id = $1 AND {} RETURNING id",
        version_matches(6)
    )))
    .bind(id)
    .bind(activity_id)
    .bind(req.title.as_deref().map(str::trim))
    .bind(req.status.as_deref())
    .bind(req.due_date)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let p = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(p.updated_at)], Json(p)).into_response())
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCheckpoint {
    #[serde(with = "crate::day")]
    pub scheduled_on: Date,
    /// Default: me.
    pub reviewer_id: Option<Uuid>,
}

/// Schedules a checkpoint of a plan. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/development-plans/{id}/checkpoints", tag = "development", request_body = NewCheckpoint,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Checkpoint), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_checkpoint(
    mut db: Db,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<NewCheckpoint>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.date("scheduled_on", Some(req.scheduled_on));
    c.done()?;
    fetch_plan(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if let Some(replay) = claim(&mut db, &key, &(id, &req)).await? {
        return Ok(replay);
    }
    let auth = db.auth().clone();
    let reviewer = req.reviewer_id.unwrap_or(auth.user.as_uuid());
    if !super::checks::person_exists(db.conn(), reviewer).await? {
        return Err(ApiError::field("reviewer_id", "no such person"));
    }
    let cp: Checkpoint = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO development_checkpoints (tenant_id, plan_id, reviewer_id, scheduled_on) VALUES ($1, $2, $3, $4)
         RETURNING {CHECKPOINT_COLUMNS}"
    )))
    .bind(auth.tenant.as_uuid())
    .bind(id)
    .bind(reviewer)
    .bind(req.scheduled_on)
    .fetch_one(db.conn())
    .await
    .map_err(workflow)?;
    remember(&mut db, &key, StatusCode::CREATED, &cp).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(cp.updated_at)], Json(cp)).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteCheckpoint {
    pub notes: Option<String>,
}

/// Completes a checkpoint (once), keeping the plan's progress of today. Honors `If-Match`.
#[utoipa::path(post, path = "/development-plans/{id}/checkpoints/{checkpoint_id}/complete", tag = "development",
    request_body = CompleteCheckpoint,
    params(("id" = Uuid, Path), ("checkpoint_id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Checkpoint), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn complete_checkpoint(
    mut db: Db,
    ApiPath((id, checkpoint_id)): ApiPath<(Uuid, Uuid)>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<CompleteCheckpoint>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("notes", req.notes.as_deref(), 10_000);
    c.done()?;
    exists(
        db.conn(),
        "development_checkpoints",
        "plan_id",
        id,
        checkpoint_id,
    )
    .await?;
    let done: bool = sqlx::query_scalar(
        "SELECT completed_at IS NOT NULL FROM development_checkpoints WHERE id = $1",
    )
    .bind(checkpoint_id)
    .fetch_one(db.conn())
    .await?;
    if done {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the checkpoint is completed already",
        ));
    }
    let cp: Option<Checkpoint> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE development_checkpoints SET completed_at = now(), notes = coalesce($3, notes)
          WHERE id = $2 AND plan_id = $1 AND {} RETURNING {CHECKPOINT_COLUMNS}",
        version_matches(4)
    )))
    .bind(id)
    .bind(checkpoint_id)
    .bind(req.notes.as_deref().map(str::trim))
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    let cp = cp.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(([etag_header(cp.updated_at)], Json(cp)).into_response())
}
