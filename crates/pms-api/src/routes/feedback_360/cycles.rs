//! 360 cycles: DRAFT → NOMINATING (launch) → COLLECTING → CLOSED, CANCELLED from any open
//! status; what each move sets off is the database's (`079_api_d_01_workflows.sql`). Every member
//! of the tenant reads them; HR (ADMIN, HR_ADMIN) creates and runs them.

use super::refused;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::routes::checks::{Checks, query_one_of};
use crate::routes::idempotency::{IdempotencyKey, claim, remember};
use crate::routes::versions::{IfMatch, etag_header, version_matches};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cycles, create_cycle))
        .routes(routes!(get_cycle, update_cycle))
        .routes(routes!(transition_cycle))
        .routes(routes!(launch_cycle))
        .routes(routes!(close_cycle))
}

pub(super) const CYCLE_STATUSES: [&str; 5] =
    ["DRAFT", "NOMINATING", "COLLECTING", "CLOSED", "CANCELLED"];

/// The statuses a cycle may move to from `status`.
pub(super) fn cycle_next(status: &str) -> Vec<String> {
    let next: &[&str] = match status {
        "DRAFT" => &["NOMINATING", "CANCELLED"],
        "NOMINATING" => &["COLLECTING", "CANCELLED"],
        "COLLECTING" => &["CLOSED", "CANCELLED"],
        _ => &[],
    };
    next.iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback360StatusRequest {
    /// The status to move to.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360CycleResponse {
    pub id: Uuid,
    pub name: String,
    pub questionnaire_id: Uuid,
    pub review_cycle_id: Option<Uuid>,
    /// DRAFT, NOMINATING, COLLECTING, CLOSED or CANCELLED.
    pub status: String,
    /// A rater group with fewer respondents is withheld from the report.
    pub min_respondents: i16,
    /// Nobody may rate a person above them in the reporting chain.
    pub forbid_rating_managers: bool,
    #[serde(with = "crate::day")]
    pub opens_on: Date,
    #[serde(with = "crate::day")]
    pub closes_on: Date,
    /// The statuses it may move to.
    #[sqlx(skip)]
    pub next_statuses: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const CYCLE_COLUMNS: &str =
    "c.id, c.name, c.questionnaire_id, c.review_cycle_id, c.status, c.min_respondents,
    c.forbid_rating_managers, c.opens_on, c.closes_on, c.created_at, c.updated_at";

pub(super) async fn fetch_cycle(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Feedback360CycleResponse>, sqlx::Error> {
    let c: Option<Feedback360CycleResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CYCLE_COLUMNS} FROM feedback_360_cycles c WHERE c.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(c.map(with_next))
}

fn with_next(mut c: Feedback360CycleResponse) -> Feedback360CycleResponse {
    c.next_statuses = cycle_next(&c.status);
    c
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Feedback360CycleFilter {
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The tenant's 360 cycles, newest first.
#[utoipa::path(get, path = "/feedback-360/cycles", tag = "feedback-360", params(Feedback360CycleFilter),
    responses((status = 200, body = Page<Feedback360CycleResponse>), (status = 400, body = ErrorBody)))]
async fn list_cycles(
    mut db: Db,
    ApiQuery(f): ApiQuery<Feedback360CycleFilter>,
) -> Result<Json<Page<Feedback360CycleResponse>>, ApiError> {
    query_one_of("status", f.status.as_deref(), &CYCLE_STATUSES)?;
    let p = PageParams {
        cursor: f.cursor,
        limit: f.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    let rows: Vec<Feedback360CycleResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CYCLE_COLUMNS} FROM feedback_360_cycles c
          WHERE ($1::text IS NULL OR c.status = $1)
            AND ($2::timestamptz IS NULL OR (c.created_at, c.id) < ($2, $3))
          ORDER BY c.created_at DESC, c.id DESC LIMIT $4"
    )))
    .bind(f.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    let rows = rows.into_iter().map(with_next).collect();
    Ok(Json(page(rows, limit, |c: &Feedback360CycleResponse| {
        (time_key(c.created_at), c.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFeedback360CycleRequest {
    pub name: String,
    pub questionnaire_id: Uuid,
    pub review_cycle_id: Option<Uuid>,
    /// 1 to 50 (default 3).
    pub min_respondents: Option<i16>,
    /// Default true.
    pub forbid_rating_managers: Option<bool>,
    #[serde(with = "crate::day")]
    pub opens_on: Date,
    #[serde(with = "crate::day")]
    pub closes_on: Date,
}

/// Creates a DRAFT cycle (HR). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/feedback-360/cycles", tag = "feedback-360", request_body = CreateFeedback360CycleRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Feedback360CycleResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_cycle(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateFeedback360CycleRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("name", &req.name, 200);
    c.range("min_respondents", req.min_respondents.map(i64::from), 1, 50);
    c.date("opens_on", Some(req.opens_on));
    c.date("closes_on", Some(req.closes_on));
    if req.closes_on < req.opens_on {
        c.push("closes_on", "on or after opens_on");
    }
    c.done()?;
    db.auth().require_hr()?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM feedback_360_questionnaires WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(req.questionnaire_id)
    .fetch_optional(db.conn())
    .await?;
    match status.as_deref() {
        None => return Err(ApiError::field("questionnaire_id", "no such questionnaire")),
        Some("RETIRED") => {
            return Err(ApiError::field(
                "questionnaire_id",
                "the questionnaire is retired",
            ));
        }
        Some(_) => {}
    }
    if let Some(rc) = req.review_cycle_id {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM review_cycles WHERE id = $1 AND deleted_at IS NULL)",
        )
        .bind(rc)
        .fetch_one(db.conn())
        .await?;
        if !known {
            return Err(ApiError::field("review_cycle_id", "no such review cycle"));
        }
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO feedback_360_cycles (tenant_id, name, questionnaire_id, review_cycle_id, min_respondents,
                                          forbid_rating_managers, opens_on, closes_on)
         VALUES ($1, $2, $3, $4, coalesce($5, 3), coalesce($6, true), $7, $8) RETURNING id",
    )
    .bind(db.auth().tenant.as_uuid())
    .bind(req.name.trim())
    .bind(req.questionnaire_id)
    .bind(req.review_cycle_id)
    .bind(req.min_respondents)
    .bind(req.forbid_rating_managers)
    .bind(req.opens_on)
    .bind(req.closes_on)
    .fetch_one(db.conn())
    .await
    .map_err(refused)?;
    let cy = fetch_cycle(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new cycle is not visible"))?;
    remember(&mut db, &key, StatusCode::CREATED, &cy).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(cy.updated_at)], Json(cy)).into_response())
}

/// One cycle.
#[utoipa::path(get, path = "/feedback-360/cycles/{id}", tag = "feedback-360", params(("id" = Uuid, Path)),
    responses((status = 200, body = Feedback360CycleResponse), (status = 404, body = ErrorBody)))]
async fn get_cycle(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let c = fetch_cycle(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(c.updated_at)], Json(c)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFeedback360CycleRequest {
    pub name: Option<String>,
    /// DRAFT only.
    pub min_respondents: Option<i16>,
    /// DRAFT only.
    pub forbid_rating_managers: Option<bool>,
    #[serde(default, with = "crate::day::option")]
    pub opens_on: Option<Date>,
    #[serde(default, with = "crate::day::option")]
    pub closes_on: Option<Date>,
}

/// Changes an open cycle (HR): name and dates; threshold and rules while it is a DRAFT.
/// Honors `If-Match`.
#[utoipa::path(patch, path = "/feedback-360/cycles/{id}", tag = "feedback-360", request_body = UpdateFeedback360CycleRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Feedback360CycleResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "record_closed, cycle_phase", body = ErrorBody), (status = 412, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn update_cycle(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateFeedback360CycleRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("name", req.name.as_deref(), 200);
    c.range("min_respondents", req.min_respondents.map(i64::from), 1, 50);
    c.date("opens_on", req.opens_on);
    c.date("closes_on", req.closes_on);
    c.done()?;
    let current = fetch_cycle(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.auth().require_hr()?;
    if req.closes_on.unwrap_or(current.closes_on) < req.opens_on.unwrap_or(current.opens_on) {
        return Err(ApiError::field("closes_on", "on or after opens_on"));
    }
    let done: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE feedback_360_cycles SET name = coalesce($2, name), min_respondents = coalesce($3, min_respondents),
                forbid_rating_managers = coalesce($4, forbid_rating_managers), opens_on = coalesce($5, opens_on),
                closes_on = coalesce($6, closes_on)
          WHERE id = $1 AND {} RETURNING id",
        version_matches(7)
    )))
    .bind(id)
    .bind(req.name.as_deref().map(str::trim))
    .bind(req.min_respondents)
    .bind(req.forbid_rating_managers)
    .bind(req.opens_on)
    .bind(req.closes_on)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(refused)?;
    done.ok_or(ApiError::PreconditionFailed)?;
    let cy = fetch_cycle(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(cy.updated_at)], Json(cy)).into_response())
}

/// Moves a cycle (HR) and whatever the move sets off, in one transaction.
async fn move_cycle(
    mut db: Db,
    id: Uuid,
    version: Option<i64>,
    status: &str,
) -> Result<Response, ApiError> {
    let current = fetch_cycle(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.auth().require_hr()?;
    if current.status == status {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the cycle is {} already", current.status),
        ));
    }
    let done: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE feedback_360_cycles SET status = $2 WHERE id = $1 AND {} RETURNING id",
        version_matches(3)
    )))
    .bind(id)
    .bind(status)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(refused)?;
    done.ok_or(ApiError::PreconditionFailed)?;
    let cy = fetch_cycle(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(cy.updated_at)], Json(cy)).into_response())
}

/// Moves a cycle (HR): to NOMINATING (launch: needs a published questionnaire with
/// questions), COLLECTING (sends a request to every approved rater), CLOSED (open requests
/// expire; the report is aggregated) or CANCELLED. Honors `If-Match`.
#[utoipa::path(post, path = "/feedback-360/cycles/{id}/transition", tag = "feedback-360",
    request_body = Feedback360StatusRequest, params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Feedback360CycleResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition, record_closed, questionnaire_not_ready", body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_cycle(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<Feedback360StatusRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.one_of("status", Some(&req.status), &CYCLE_STATUSES);
    c.done()?;
    move_cycle(db, id, version, &req.status).await
}

/// Launches a DRAFT cycle: nominations open (`transition` to NOMINATING). Honors `If-Match`.
#[utoipa::path(post, path = "/feedback-360/cycles/{id}/launch", tag = "feedback-360",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Feedback360CycleResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
async fn launch_cycle(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<Response, ApiError> {
    move_cycle(db, id, version, "NOMINATING").await
}

/// Closes a COLLECTING cycle: open requests expire and the report is aggregated
/// (`transition` to CLOSED). Honors `If-Match`.
#[utoipa::path(post, path = "/feedback-360/cycles/{id}/close", tag = "feedback-360",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Feedback360CycleResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
async fn close_cycle(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<Response, ApiError> {
    move_cycle(db, id, version, "CLOSED").await
}
