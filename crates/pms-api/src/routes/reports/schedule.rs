//! One report schedule: reading it, changing when and how it runs, and deleting it. A schedule
//! is read by the report's owner and HR and changed by the owner only (403 for HR, 404 for
//! anyone else: `079_api_e_01_visibility.sql`). The database computes the next run again when
//! the cron changes (`pms_report_schedule_next_run`); the runs a deleted schedule queued stay,
//! as requested runs (`generated_reports.schedule_id` is set null by its foreign key).

use super::check_format;
use super::fetch_definition;
use super::schedules::{ReportScheduleResponse, check_cron, check_recipients, fetch};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::routes::promotions::done;
use crate::routes::versions::{IfMatch, etag_header, version_matches};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_schedule, update_schedule, delete_schedule))
}

/// One schedule.
#[utoipa::path(get, path = "/reports/schedules/{id}", tag = "reports", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReportScheduleResponse), (status = 404, body = ErrorBody)))]
async fn get_schedule(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let s = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(s.updated_at)], Json(s)).into_response())
}

/// 404 unless the caller sees the schedule; 403 unless they own its report.
async fn owned(db: &mut Db, id: Uuid, what: &str) -> Result<ReportScheduleResponse, ApiError> {
    let s = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    let report = fetch_definition(db.conn(), s.report_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if report.owner_id != Some(db.auth().user.as_uuid()) {
        return Err(ApiError::Forbidden(format!(
            "only the owner of a report {what} its schedules"
        )));
    }
    Ok(s)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReportScheduleRequest {
    /// `minute hour day-of-month month day-of-week` in UTC; the next run follows it.
    pub cron: Option<String>,
    /// CSV or JSON.
    pub format: Option<String>,
    /// Replaces the recipients (at most 50 email addresses).
    pub recipients: Option<Vec<String>>,
}

/// Changes a schedule of mine: its cron, format and recipients. Honors `If-Match`.
#[utoipa::path(patch, path = "/reports/schedules/{id}", tag = "reports", request_body = UpdateReportScheduleRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = ReportScheduleResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_schedule(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateReportScheduleRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    let cron = match &req.cron {
        Some(c) => Some(check_cron(&mut db, &mut f, c).await?),
        None => None,
    };
    check_format(&mut f, "format", req.format.as_deref());
    if let Some(r) = &req.recipients {
        check_recipients(&mut f, r);
    }
    done(f)?;
    owned(&mut db, id, "changes").await?;
    let recipients = req.recipients.as_ref().map(|r| {
        r.iter()
            .map(|e| e.trim().to_lowercase())
            .collect::<Vec<_>>()
    });
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE report_schedules SET cron = coalesce($2, cron), format = coalesce($3, format),
                recipients = coalesce($4, recipients)
          WHERE id = $1 AND {} RETURNING id",
        version_matches(5)
    )))
    .bind(id)
    .bind(cron)
    .bind(req.format.as_deref())
    .bind(recipients)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let s = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(s.updated_at)], Json(s)).into_response())
}

/// Deletes a schedule of mine: it runs no more; the runs it queued stay, as requested ones.
/// Honors `If-Match`.
#[utoipa::path(delete, path = "/reports/schedules/{id}", tag = "reports",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 412, body = ErrorBody)))]
async fn delete_schedule(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    owned(&mut db, id, "deletes").await?;
    let deleted: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "DELETE FROM report_schedules WHERE id = $1 AND {} RETURNING id",
        version_matches(2)
    )))
    .bind(id)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    deleted.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
