//! The parts of a PIP: its templates (the tenant's configuration, HR writes them), its
//! milestones and its check-ins. A closed plan's parts refuse changes (`record_closed`);
//! check-ins are held while the plan runs, within its period, and each one moves the plan's
//! next check-in (whose due date is notified).

use super::checks::{Checks, workflow};
use super::idempotency::{IdempotencyKey, claim, remember};
use super::one_on_one_items::exists;
use super::pips::{fetch_full, plan_to_run};
use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, create_template))
        .routes(routes!(get_template))
        .routes(routes!(add_milestone))
        .routes(routes!(update_milestone))
        .routes(routes!(add_check_in))
}

const MILESTONE_STATUSES: [&str; 4] = ["PENDING", "MET", "NOT_MET", "WAIVED"];
const RATINGS: [&str; 3] = ["ON_TRACK", "SOME_PROGRESS", "NO_PROGRESS"];

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Milestone {
    pub id: Uuid,
    pub description: String,
    #[serde(with = "crate::day")]
    pub due_date: Date,
    /// PENDING, MET, NOT_MET or WAIVED.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CheckIn {
    pub id: Uuid,
    pub conducted_by: Option<Uuid>,
    #[serde(with = "crate::day")]
    pub check_in_date: Date,
    /// ON_TRACK, SOME_PROGRESS or NO_PROGRESS.
    pub progress_rating: String,
    pub notes: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMilestone {
    pub description: String,
    #[serde(with = "crate::day")]
    pub due_date: Date,
}

const MILESTONE_COLUMNS: &str = "id, description, due_date, status, created_at, updated_at";

pub(crate) async fn insert_milestone(
    conn: &mut PgConnection,
    tenant: Uuid,
    pip: Uuid,
    m: &NewMilestone,
) -> Result<Milestone, ApiError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO pip_milestones (tenant_id, pip_id, description, due_date) VALUES ($1, $2, $3, $4)
         RETURNING {MILESTONE_COLUMNS}"
    )))
    .bind(tenant)
    .bind(pip)
    .bind(m.description.trim())
    .bind(m.due_date)
    .fetch_one(conn)
    .await
    .map_err(workflow)
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct PipTemplate {
    pub id: Uuid,
    pub name: String,
    pub duration_days: i16,
    pub expectations: Option<String>,
    pub check_in_every_days: i16,
    /// `[{"title": ...}]`: the sections a plan of this template covers.
    #[schema(value_type = Vec<Object>)]
    pub sections: serde_json::Value,
    /// `[{"description": ..., "offset_days": n}]`: milestones a new plan starts with.
    #[schema(value_type = Vec<Object>)]
    pub milestones: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const TEMPLATE_COLUMNS: &str = "id, name, duration_days, expectations, check_in_every_days, sections, milestones, created_at, updated_at";

/// The tenant's PIP templates, by name.
#[utoipa::path(get, path = "/pip-templates", tag = "pips", params(PageParams),
    responses((status = 200, body = Page<PipTemplate>), (status = 400, body = ErrorBody)))]
async fn list_templates(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<PipTemplate>>, ApiError> {
    let limit = p.limit()?;
    let after = p.after()?;
    let rows: Vec<PipTemplate> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM pip_templates WHERE deleted_at IS NULL
            AND ($1::text IS NULL OR (name, id) > ($1, $2)) ORDER BY name, id LIMIT $3"
    )))
    .bind(after.as_ref().map(|a| a.0.clone()))
    .bind(after.as_ref().map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |t: &PipTemplate| {
        (t.name.clone(), t.id)
    })))
}

/// One PIP template.
#[utoipa::path(get, path = "/pip-templates/{id}", tag = "pips", params(("id" = Uuid, Path)),
    responses((status = 200, body = PipTemplate), (status = 404, body = ErrorBody)))]
async fn get_template(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let t: PipTemplate = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM pip_templates WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(t.updated_at)], Json(t)).into_response())
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateMilestone {
    pub description: String,
    /// Days after the plan starts, 0 to 365.
    pub offset_days: i16,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTemplateRequest {
    pub name: String,
    /// 14 to 365 (default 60).
    pub duration_days: Option<i16>,
    pub expectations: Option<String>,
    /// 1 to 90 (default 14).
    pub check_in_every_days: Option<i16>,
    /// Section titles.
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub milestones: Vec<TemplateMilestone>,
}

/// Creates a PIP template (HR). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/pip-templates", tag = "pips", request_body = CreateTemplateRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = PipTemplate), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_template(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateTemplateRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("name", &req.name, 200);
    c.range("duration_days", req.duration_days.map(i64::from), 14, 365);
    c.opt_text("expectations", req.expectations.as_deref(), 10_000);
    c.range(
        "check_in_every_days",
        req.check_in_every_days.map(i64::from),
        1,
        90,
    );
    if req.sections.len() > 30 {
        c.push("sections", "at most 30");
    }
    for (i, s) in req.sections.iter().enumerate() {
        c.text(&format!("sections[{i}]"), s, 200);
    }
    if req.milestones.len() > 30 {
        c.push("milestones", "at most 30");
    }
    for (i, m) in req.milestones.iter().enumerate() {
        c.text(
            &format!("milestones[{i}].description"),
            &m.description,
            2000,
        );
        c.range(
            &format!("milestones[{i}].offset_days"),
            Some(i64::from(m.offset_days)),
            0,
            365,
        );
    }
    c.done()?;
    db.auth().require_hr()?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let sections: Vec<serde_json::Value> = req
        .sections
        .iter()
        .map(|s| serde_json::json!({"title": s.trim()}))
        .collect();
    let milestones: Vec<serde_json::Value> = req
        .milestones
        .iter()
        .map(|m| serde_json::json!({"description": m.description.trim(), "offset_days": m.offset_days}))
        .collect();
    let tenant = db.auth().tenant.as_uuid();
    let t: PipTemplate = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO pip_templates (tenant_id, name, duration_days, expectations, check_in_every_days, sections, milestones)
         VALUES ($1, $2, coalesce($3, 60), $4, coalesce($5, 14), $6, $7) RETURNING {TEMPLATE_COLUMNS}"
    )))
    .bind(tenant)
    .bind(req.name.trim())
    .bind(req.duration_days)
    .bind(req.expectations.as_deref().map(str::trim))
    .bind(req.check_in_every_days)
    .bind(serde_json::Value::Array(sections))
    .bind(serde_json::Value::Array(milestones))
    .fetch_one(db.conn())
    .await?;
    remember(&mut db, &key, StatusCode::CREATED, &t).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(t.updated_at)], Json(t)).into_response())
}

/// Adds a milestone to an open PIP. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/pips/{id}/milestones", tag = "pips", request_body = NewMilestone,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Milestone), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_milestone(
    mut db: Db,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<NewMilestone>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("description", &req.description, 2000);
    c.date("due_date", Some(req.due_date));
    c.done()?;
    plan_to_run(&mut db, id).await?;
    if let Some(replay) = claim(&mut db, &key, &(id, &req)).await? {
        return Ok(replay);
    }
    let tenant = db.auth().tenant.as_uuid();
    let m = insert_milestone(db.conn(), tenant, id, &req).await?;
    remember(&mut db, &key, StatusCode::CREATED, &m).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(m.updated_at)], Json(m)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMilestone {
    pub description: Option<String>,
    #[serde(default, with = "crate::day::option")]
    pub due_date: Option<Date>,
    /// PENDING, MET, NOT_MET or WAIVED.
    pub status: Option<String>,
}

/// Changes a milestone of an open PIP (mark it met, not met, waived). Honors `If-Match`.
#[utoipa::path(patch, path = "/pips/{id}/milestones/{milestone_id}", tag = "pips", request_body = UpdateMilestone,
    params(("id" = Uuid, Path), ("milestone_id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Milestone), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_milestone(
    mut db: Db,
    ApiPath((id, milestone_id)): ApiPath<(Uuid, Uuid)>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateMilestone>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("description", req.description.as_deref(), 2000);
    c.date("due_date", req.due_date);
    c.one_of("status", req.status.as_deref(), &MILESTONE_STATUSES);
    c.done()?;
    plan_to_run(&mut db, id).await?;
    exists(db.conn(), "pip_milestones", "pip_id", id, milestone_id).await?;
    let m: Option<Milestone> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE pip_milestones SET description = coalesce($3, description), due_date = coalesce($4, due_date),
                status = coalesce($5, status)
          WHERE id = $2 AND pip_id = $1 AND {} RETURNING {MILESTONE_COLUMNS}",
        version_matches(6)
    )))
    .bind(id)
    .bind(milestone_id)
    .bind(req.description.as_deref().map(str::trim))
    .bind(req.due_date)
    .bind(req.status.as_deref())
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    let m = m.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(([etag_header(m.updated_at)], Json(m)).into_response())
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCheckIn {
    #[serde(with = "crate::day")]
    pub check_in_date: Date,
    /// ON_TRACK, SOME_PROGRESS or NO_PROGRESS.
    pub progress_rating: String,
    pub notes: Option<String>,
}

/// Records a check-in of a running PIP (not a draft, not closed, within its period); the next
/// check-in is due one interval later, and its manager and person are told when. Returns the
/// plan. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/pips/{id}/check-ins", tag = "pips", request_body = NewCheckIn,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = super::pips::PipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_check_in(
    mut db: Db,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<NewCheckIn>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.date("check_in_date", Some(req.check_in_date));
    c.one_of(
        "progress_rating",
        Some(req.progress_rating.as_str()),
        &RATINGS,
    );
    c.opt_text("notes", req.notes.as_deref(), 10_000);
    c.done()?;
    plan_to_run(&mut db, id).await?;
    if let Some(replay) = claim(&mut db, &key, &(id, &req)).await? {
        return Ok(replay);
    }
    let auth = db.auth().clone();
    sqlx::query(
        "INSERT INTO pip_check_ins (tenant_id, pip_id, conducted_by, check_in_date, progress_rating, notes)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(auth.tenant.as_uuid())
    .bind(id)
    .bind(auth.user.as_uuid())
    .bind(req.check_in_date)
    .bind(&req.progress_rating)
    .bind(req.notes.as_deref().map(str::trim))
    .execute(db.conn())
    .await
    .map_err(workflow)?;
    let p = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    remember(&mut db, &key, StatusCode::CREATED, &p).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(p.updated_at)], Json(p)).into_response())
}
