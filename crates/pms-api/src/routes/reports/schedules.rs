//! Report schedules: when a report of mine runs (a cron expression, UTC), in which format, and
//! pausing and resuming it. The database computes the next run (`pms_cron_next`) and refuses an
//! expression that never fires; the worker queues each due run as the report's owner.

use super::{check_format, fetch_definition};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, time_key};
use crate::routes::idempotency::{IdempotencyKey, claim, remember};
use crate::routes::promotions::{after_time, done};
use crate::routes::versions::{IfMatch, etag_header, version_matches};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_schedules, create_schedule))
        .routes(routes!(pause_schedule))
        .routes(routes!(resume_schedule))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ReportScheduleResponse {
    pub id: Uuid,
    pub report_id: Uuid,
    /// Five fields (minute hour day-of-month month day-of-week), UTC.
    pub cron: String,
    /// CSV or JSON (older schedules may say PDF or XLSX; they are generated as CSV).
    pub format: String,
    pub recipients: Vec<String>,
    /// False while paused.
    pub is_active: bool,
    /// When it runs next; absent while paused.
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_run_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_run_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, report_id, cron, format, recipients, is_active, next_run_at, last_run_at, created_at, updated_at";

pub(super) async fn fetch(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<ReportScheduleResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM report_schedules WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportScheduleQuery {
    pub report_id: Option<Uuid>,
    /// true: running schedules; false: paused ones.
    pub active: Option<bool>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The schedules of my reports (HR: every report's), newest first.
#[utoipa::path(get, path = "/reports/schedules", tag = "reports", params(ReportScheduleQuery),
    responses((status = 200, body = Page<ReportScheduleResponse>), (status = 400, body = ErrorBody)))]
async fn list_schedules(
    mut db: Db,
    ApiQuery(q): ApiQuery<ReportScheduleQuery>,
) -> Result<Json<Page<ReportScheduleResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = after_time(&p)?;
    let rows: Vec<ReportScheduleResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM report_schedules
          WHERE ($1::uuid IS NULL OR report_id = $1) AND ($2::boolean IS NULL OR is_active = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
          ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(q.report_id)
    .bind(q.active)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &ReportScheduleResponse| {
        (time_key(r.created_at), r.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReportScheduleRequest {
    pub report_id: Uuid,
    /// `minute hour day-of-month month day-of-week` in UTC, e.g. `0 8 * * MON`.
    pub cron: String,
    /// CSV (default) or JSON.
    pub format: Option<String>,
    /// Email addresses to tell (at most 50).
    #[serde(default)]
    pub recipients: Vec<String>,
}

fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    e.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',')
        && !domain.contains('@')
}

/// A cron expression with its spaces made single, checked (422 on `cron` when it is not five
/// fields that fire).
pub(super) async fn check_cron(
    db: &mut Db,
    f: &mut Vec<FieldError>,
    raw: &str,
) -> Result<String, ApiError> {
    let cron = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if !(9..=100).contains(&cron.len()) || cron.contains('\0') {
        f.push(FieldError::new("cron", "five fields, 9 to 100 characters"));
        return Ok(cron);
    }
    let fires: bool = sqlx::query_scalar("SELECT pms_cron_next($1, now()) IS NOT NULL")
        .bind(&cron)
        .fetch_one(db.conn())
        .await?;
    if !fires {
        f.push(FieldError::new(
            "cron",
            "a cron expression that fires: minute hour day-of-month month day-of-week (UTC), e.g. 0 8 * * MON",
        ));
    }
    Ok(cron)
}

/// At most 50 email addresses.
pub(super) fn check_recipients(f: &mut Vec<FieldError>, recipients: &[String]) {
    if recipients.len() > 50 {
        f.push(FieldError::new("recipients", "at most 50"));
    }
    for (i, r) in recipients.iter().enumerate() {
        if !valid_email(r) {
            f.push(FieldError::new(
                format!("recipients[{i}]"),
                "an email address",
            ));
        }
    }
}

/// Schedules a report of mine. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/reports/schedules", tag = "reports", request_body = CreateReportScheduleRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = ReportScheduleResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_schedule(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateReportScheduleRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    let cron = check_cron(&mut db, &mut f, &req.cron).await?;
    check_format(&mut f, "format", req.format.as_deref());
    check_recipients(&mut f, &req.recipients);
    done(f)?;
    let me = db.auth().user.as_uuid();
    let report = fetch_definition(db.conn(), req.report_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if report.owner_id != Some(me) {
        return Err(ApiError::Forbidden(
            "only the owner of a report schedules it".into(),
        ));
    }
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO report_schedules (tenant_id, report_id, cron, format, recipients)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(db.auth().tenant.as_uuid())
    .bind(req.report_id)
    .bind(&cron)
    .bind(req.format.as_deref().unwrap_or("CSV"))
    .bind(
        req.recipients
            .iter()
            .map(|r| r.trim().to_lowercase())
            .collect::<Vec<_>>(),
    )
    .fetch_one(db.conn())
    .await?;
    let s = fetch(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new schedule is not visible to its owner"))?;
    remember(&mut db, &key, StatusCode::CREATED, &s).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(s.updated_at)], Json(s)).into_response())
}

/// Pauses or resumes a schedule of mine (409 `invalid_transition` when it already is).
async fn set_active(
    mut db: Db,
    id: Uuid,
    version: Option<i64>,
    active: bool,
) -> Result<Response, ApiError> {
    let me = db.auth().user.as_uuid();
    let current = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    let report = fetch_definition(db.conn(), current.report_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if report.owner_id != Some(me) {
        return Err(ApiError::Forbidden(
            "only the owner of a report pauses or resumes its schedules".into(),
        ));
    }
    if current.is_active == active {
        return Err(ApiError::conflict(
            "invalid_transition",
            if active {
                "the schedule is running already"
            } else {
                "the schedule is paused already"
            },
        ));
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE report_schedules SET is_active = $2 WHERE id = $1 AND is_active = $3 AND {} RETURNING id",
        version_matches(4)
    )))
    .bind(id)
    .bind(active)
    .bind(!active)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let s = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(s.updated_at)], Json(s)).into_response())
}

/// Pauses a schedule: no run until it resumes. Honors `If-Match`.
#[utoipa::path(post, path = "/reports/schedules/{id}/pause", tag = "reports",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = ReportScheduleResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
async fn pause_schedule(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<Response, ApiError> {
    set_active(db, id, version, false).await
}

/// Resumes a paused schedule: its next run is computed from now. Honors `If-Match`.
#[utoipa::path(post, path = "/reports/schedules/{id}/resume", tag = "reports",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = ReportScheduleResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
async fn resume_schedule(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<Response, ApiError> {
    set_active(db, id, version, true).await
}
