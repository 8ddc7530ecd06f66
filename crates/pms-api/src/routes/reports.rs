//! Reports: saved report definitions (every type the schema stores: the weekly summary,
//! monthly performance card, quarterly review and period-over-period comparison, the goal
//! progress, review completion, performance summary, feedback activity, engagement,
//! compensation and calibration reports, and custom ones), changed and deleted by their owner
//! (`reports/definition.rs`), their schedules (`reports/schedules.rs`, `reports/schedule.rs`),
//! runs requested now, and the generated reports with their download as CSV or JSON. The worker's `generate_reports` job
//! computes each run as its requester (`pms_report_content`, under the requester's visibility);
//! who sees what is the tables' visibility rules (`079_api_e_01_visibility.sql`).

mod definition;
mod generated;
mod schedule;
mod schedules;

use super::idempotency::{IdempotencyKey, claim, remember};
use super::promotions::{after_time, check_one_of, done};
use super::versions::etag_header;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiQuery};
use crate::pagination::{Page, PageParams, page, time_key};
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

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_definitions, create_definition))
        .merge(definition::router())
        .merge(schedules::router())
        .merge(schedule::router())
        .merge(generated::router())
}

/// The report types the platform generates: every type the schema stores
/// (`report_definitions_report_type_check`), computed by `pms_report_content`.
pub(crate) const REPORT_KINDS: [&str; 12] = [
    "WEEKLY_SUMMARY",
    "MONTHLY_PERFORMANCE_CARD",
    "QUARTERLY_REVIEW",
    "PERIOD_COMPARISON",
    "GOAL_PROGRESS",
    "REVIEW_COMPLETION",
    "PERFORMANCE_SUMMARY",
    "FEEDBACK_ACTIVITY",
    "ENGAGEMENT",
    "COMPENSATION",
    "CALIBRATION",
    "CUSTOM",
];

/// The per-person figures a CUSTOM report chooses from (`pms_report_figure_names()`).
pub(crate) const FIGURES: [&str; 11] = [
    "department",
    "goals_total",
    "goals_completed",
    "avg_goal_progress",
    "reviews_submitted",
    "avg_rating",
    "latest_rating",
    "feedback_received",
    "feedback_given",
    "one_on_ones_held",
    "engagement_score",
];

/// What one period of a PERIOD_COMPARISON is.
const PERIOD_UNITS: [&str; 3] = ["week", "month", "quarter"];

/// The formats a report is generated in.
pub(crate) const REPORT_FORMATS: [&str; 2] = ["CSV", "JSON"];

/// What a report covers beyond its kind.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportParameters {
    /// Only the people of this department (of those the requester may see).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<Uuid>,
    /// PERIOD_COMPARISON only: week, month (default) or quarter, the length of each period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// CUSTOM only: the figures shown after person_id and name, in this order (1 to 11 of
    /// department, goals_total, goals_completed, avg_goal_progress, reviews_submitted,
    /// avg_rating, latest_rating, feedback_received, feedback_given, one_on_ones_held,
    /// engagement_score; none: all of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<String>>,
}

/// The checks of a definition's parameters against its type, each bad field named.
pub(crate) fn check_parameters(f: &mut Vec<FieldError>, kind: &str, params: &ReportParameters) {
    if let Some(u) = &params.period {
        if kind != "PERIOD_COMPARISON" {
            f.push(FieldError::new(
                "definition.period",
                "only a PERIOD_COMPARISON has a period",
            ));
        } else {
            check_one_of(f, "definition.period", Some(u.as_str()), &PERIOD_UNITS);
        }
    }
    if let Some(cols) = &params.columns {
        if kind != "CUSTOM" {
            f.push(FieldError::new(
                "definition.columns",
                "only a CUSTOM report chooses its columns",
            ));
        } else if cols.is_empty() || cols.len() > FIGURES.len() {
            f.push(FieldError::new(
                "definition.columns",
                format!("1 to {} figures", FIGURES.len()),
            ));
        } else {
            for (i, c) in cols.iter().enumerate() {
                if !FIGURES.contains(&c.as_str()) {
                    f.push(FieldError::new(
                        format!("definition.columns[{i}]"),
                        format!("one of {}", FIGURES.join(", ")),
                    ));
                } else if cols[..i].contains(c) {
                    f.push(FieldError::new(
                        format!("definition.columns[{i}]"),
                        "named twice",
                    ));
                }
            }
        }
    }
}

/// 422 on `definition.department_id` unless it names a department of the tenant.
pub(crate) async fn check_department(
    conn: &mut PgConnection,
    params: &ReportParameters,
) -> Result<(), ApiError> {
    if let Some(d) = params.department_id {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM departments WHERE id = $1 AND deleted_at IS NULL)",
        )
        .bind(d)
        .fetch_one(conn)
        .await?;
        if !exists {
            return Err(ApiError::field(
                "definition.department_id",
                "no such department",
            ));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ReportDefinitionResponse {
    pub id: Uuid,
    pub name: String,
    /// WEEKLY_SUMMARY, MONTHLY_PERFORMANCE_CARD, QUARTERLY_REVIEW, PERIOD_COMPARISON,
    /// GOAL_PROGRESS, REVIEW_COMPLETION, PERFORMANCE_SUMMARY, FEEDBACK_ACTIVITY, ENGAGEMENT,
    /// COMPENSATION, CALIBRATION or CUSTOM.
    pub report_type: String,
    pub owner_id: Option<Uuid>,
    /// `{"department_id", "period", "columns"}` (older definitions may carry other keys).
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
    /// Shared: everyone in the tenant may see it and run it (each run is the runner's view).
    pub is_shared: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const DEFINITION_COLUMNS: &str =
    "id, name, report_type, owner_id, definition, is_shared, created_at, updated_at";

pub(crate) async fn fetch_definition(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<ReportDefinitionResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DEFINITION_COLUMNS} FROM report_definitions WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportDefinitionQuery {
    /// One report type.
    pub report_type: Option<String>,
    /// true: only mine; false: only others' (shared, or HR's view).
    pub mine: Option<bool>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Report definitions I may see (mine, shared ones, and every one for HR), newest first.
#[utoipa::path(get, path = "/reports/definitions", tag = "reports", params(ReportDefinitionQuery),
    responses((status = 200, body = Page<ReportDefinitionResponse>), (status = 400, body = ErrorBody)))]
async fn list_definitions(
    mut db: Db,
    ApiQuery(q): ApiQuery<ReportDefinitionQuery>,
) -> Result<Json<Page<ReportDefinitionResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = after_time(&p)?;
    if let Some(t) = &q.report_type
        && (t.len() > 40 || !t.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
    {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            message: "report_type must be a report type such as WEEKLY_SUMMARY".into(),
            fields: vec![FieldError::new("report_type", "unknown")],
        });
    }
    let me = db.auth().user.as_uuid();
    let rows: Vec<ReportDefinitionResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DEFINITION_COLUMNS} FROM report_definitions
          WHERE deleted_at IS NULL AND ($1::text IS NULL OR report_type = $1)
            AND ($2::boolean IS NULL OR (owner_id IS NOT DISTINCT FROM $3) = $2)
            AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5))
          ORDER BY created_at DESC, id DESC LIMIT $6"
    )))
    .bind(q.report_type.as_deref())
    .bind(q.mine)
    .bind(me)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &ReportDefinitionResponse| {
        (time_key(r.created_at), r.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReportDefinitionRequest {
    /// 1 to 200 characters, unique among my reports.
    pub name: String,
    /// WEEKLY_SUMMARY, MONTHLY_PERFORMANCE_CARD, QUARTERLY_REVIEW, PERIOD_COMPARISON,
    /// GOAL_PROGRESS, REVIEW_COMPLETION, PERFORMANCE_SUMMARY, FEEDBACK_ACTIVITY, ENGAGEMENT,
    /// COMPENSATION, CALIBRATION or CUSTOM.
    pub report_type: String,
    #[serde(default)]
    pub definition: Option<ReportParameters>,
    #[serde(default)]
    pub is_shared: Option<bool>,
}

/// Saves a report definition of mine. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/reports/definitions", tag = "reports", request_body = CreateReportDefinitionRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = ReportDefinitionResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_definition(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateReportDefinitionRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_text(&mut f, "name", &req.name, 200);
    check_one_of(
        &mut f,
        "report_type",
        Some(req.report_type.as_str()),
        &REPORT_KINDS,
    );
    let params = req.definition.clone().unwrap_or_default();
    check_parameters(&mut f, &req.report_type, &params);
    done(f)?;
    check_department(db.conn(), &params).await?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let tenant = db.auth().tenant.as_uuid();
    let me = db.auth().user.as_uuid();
    let taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM report_definitions WHERE owner_id = $1 AND name = $2 AND deleted_at IS NULL)",
    )
    .bind(me)
    .bind(req.name.trim())
    .fetch_one(db.conn())
    .await?;
    if taken {
        return Err(ApiError::conflict(
            "already_exists",
            "I already have a report of that name",
        ));
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO report_definitions (tenant_id, name, report_type, owner_id, definition, is_shared)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(tenant)
    .bind(req.name.trim())
    .bind(&req.report_type)
    .bind(me)
    .bind(serde_json::to_value(&params).map_err(ApiError::internal)?)
    .bind(req.is_shared.unwrap_or(false))
    .fetch_one(db.conn())
    .await?;
    let d = fetch_definition(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new report is not visible to its owner"))?;
    remember(&mut db, &key, StatusCode::CREATED, &d).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(d.updated_at)], Json(d)).into_response())
}

/// Text of 1 to `max` characters, not blank, without NUL (PostgreSQL refuses it).
pub(crate) fn check_text(f: &mut Vec<FieldError>, path: &str, v: &str, max: usize) {
    if v.trim().is_empty() || v.chars().count() > max || v.contains('\0') {
        f.push(FieldError::new(
            path,
            format!("1 to {max} characters, not blank"),
        ));
    }
}

/// Optional free text of at most `max` characters, without NUL.
pub(crate) fn check_free_text(f: &mut Vec<FieldError>, path: &str, v: Option<&str>, max: usize) {
    if let Some(v) = v
        && (v.chars().count() > max || v.contains('\0'))
    {
        f.push(FieldError::new(
            path,
            format!("at most {max} characters, no NUL"),
        ));
    }
}

/// A format of a request: CSV or JSON (default CSV).
pub(crate) fn check_format(f: &mut Vec<FieldError>, path: &str, v: Option<&str>) {
    check_one_of(f, path, v, &REPORT_FORMATS);
}
