//! Promotion decisions and their approval workflow (PROPOSED → APPROVED | REJECTED, APPROVED →
//! EFFECTIVE), kept by the trigger `pms_promotion_decision_workflow` and checked here first
//! for a clear answer.

use super::{after_time, can_see_person, check_one_of, check_text, done, manages_or_hr};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, time_key};
use crate::routes::versions::{IfMatch, etag_header, version_matches};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
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
        .routes(routes!(list_decisions, create_decision))
        .routes(routes!(get_decision))
        .routes(routes!(transition_decision))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DecisionResponse {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub cycle_id: Option<Uuid>,
    /// Who proposed it.
    pub decided_by: Option<Uuid>,
    pub from_level: Option<i16>,
    pub to_level: i16,
    pub from_title: Option<String>,
    pub to_title: String,
    /// PROPOSED, APPROVED, REJECTED or EFFECTIVE.
    pub status: String,
    #[serde(with = "crate::day")]
    pub effective_date: Date,
    pub rationale: Option<String>,
    /// Who approved or rejected it (set by the database).
    pub approved_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub approved_at: Option<OffsetDateTime>,
    pub decision_note: Option<String>,
    /// The statuses it may move to next.
    pub next: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const DECISION_COLUMNS: &str = "id, employee_id, cycle_id, decided_by, from_level, to_level, from_title, to_title, status,
    effective_date, rationale, approved_by, approved_at, decision_note, pms_promotion_decision_next(status) AS next,
    created_at, updated_at";

pub(crate) const DECISION_STATUSES: [&str; 4] = ["PROPOSED", "APPROVED", "REJECTED", "EFFECTIVE"];

/// The workflow, as the trigger `pms_promotion_decision_workflow` keeps it.
pub(crate) fn decision_next(from: &str) -> &'static [&'static str] {
    match from {
        "PROPOSED" => &["APPROVED", "REJECTED"],
        "APPROVED" => &["EFFECTIVE"],
        _ => &[],
    }
}

async fn fetch_decision(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<DecisionResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION_COLUMNS} FROM promotion_decisions WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionQuery {
    pub employee_id: Option<Uuid>,
    /// PROPOSED, APPROVED, REJECTED or EFFECTIVE.
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Promotion decisions I may see, newest first.
#[utoipa::path(get, path = "/promotion-decisions", tag = "promotions", params(DecisionQuery),
    responses((status = 200, body = Page<DecisionResponse>), (status = 400, body = ErrorBody)))]
async fn list_decisions(
    mut db: Db,
    ApiQuery(q): ApiQuery<DecisionQuery>,
) -> Result<Json<Page<DecisionResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = after_time(&p)?;
    if let Some(s) = &q.status
        && !DECISION_STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("status must be one of {}", DECISION_STATUSES.join(", ")),
            fields: vec![FieldError::new("status", "unknown")],
        });
    }
    let rows: Vec<DecisionResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION_COLUMNS} FROM promotion_decisions
          WHERE ($1::uuid IS NULL OR employee_id = $1) AND ($2::text IS NULL OR status = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
          ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(q.employee_id)
    .bind(q.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &DecisionResponse| {
        (time_key(r.created_at), r.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDecisionRequest {
    pub employee_id: Uuid,
    /// 1 to 20, above the current level.
    pub to_level: i16,
    pub to_title: String,
    #[serde(with = "crate::day")]
    pub effective_date: Date,
    pub cycle_id: Option<Uuid>,
    pub rationale: Option<String>,
}

/// Proposes a promotion (status PROPOSED; from the person's current level and title). For
/// the person's chain and HR.
#[utoipa::path(post, path = "/promotion-decisions", tag = "promotions", request_body = CreateDecisionRequest,
    responses((status = 201, body = DecisionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_decision(
    mut db: Db,
    ApiJson(req): ApiJson<CreateDecisionRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_text(&mut f, "to_title", &req.to_title, 200);
    if !(1..=20).contains(&req.to_level) {
        f.push(FieldError::new("to_level", "from 1 to 20"));
    }
    if !(1900..=2200).contains(&req.effective_date.year()) {
        f.push(FieldError::new(
            "effective_date",
            "a date between 1900 and 2200",
        ));
    }
    if let Some(r) = &req.rationale
        && r.chars().count() > 5000
    {
        f.push(FieldError::new("rationale", "at most 5000 characters"));
    }
    done(f)?;
    let auth = db.auth().clone();
    if !can_see_person(db.conn(), req.employee_id, "APPROVALS").await? {
        return Err(ApiError::NotFound);
    }
    if !manages_or_hr(db.conn(), &auth, req.employee_id, "APPROVALS").await? {
        return Err(ApiError::Forbidden(
            "only the person's managers and HR may propose their promotion".into(),
        ));
    }
    let level: Option<i16> = sqlx::query_scalar("SELECT level FROM users WHERE id = $1")
        .bind(req.employee_id)
        .fetch_one(db.conn())
        .await?;
    if level.is_some_and(|l| req.to_level <= l) {
        return Err(ApiError::field(
            "to_level",
            "must be above the person's current level",
        ));
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO promotion_decisions (tenant_id, employee_id, cycle_id, decided_by, from_level, to_level, from_title, to_title,
                                          status, effective_date, rationale)
         SELECT $1, u.id, $3, $4, u.level, $5, u.job_title, $6, 'PROPOSED', $7, $8 FROM users u WHERE u.id = $2
         RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.employee_id)
    .bind(req.cycle_id)
    .bind(auth.user.as_uuid())
    .bind(req.to_level)
    .bind(req.to_title.trim())
    .bind(req.effective_date)
    .bind(req.rationale.as_deref())
    .fetch_one(db.conn())
    .await?;
    let d = fetch_decision(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new decision is not visible to its proposer"))?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(d.updated_at)], Json(d)).into_response())
}

/// One promotion decision.
#[utoipa::path(get, path = "/promotion-decisions/{id}", tag = "promotions", params(("id" = Uuid, Path)),
    responses((status = 200, body = DecisionResponse), (status = 404, body = ErrorBody)))]
async fn get_decision(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let d = fetch_decision(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(d.updated_at)], Json(d)).into_response())
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionTransitionRequest {
    /// APPROVED or REJECTED (from PROPOSED), EFFECTIVE (from APPROVED).
    pub status: String,
    /// The approver's note.
    pub note: Option<String>,
}

/// Moves a promotion decision along its workflow: approve or reject a proposal (HR or the
/// person's chain, not its proposer: 409 `four_eyes`), make an approved one effective (HR;
/// the person's level and job title become the new ones).
/// Any other move is 409 `invalid_transition` and changes nothing. Honors `If-Match`.
#[utoipa::path(post, path = "/promotion-decisions/{id}/transition", tag = "promotions", request_body = DecisionTransitionRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = DecisionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "not a next step, or the proposer approving", body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_decision(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<DecisionTransitionRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_one_of(
        &mut f,
        "status",
        Some(req.status.as_str()),
        &DECISION_STATUSES,
    );
    if let Some(n) = &req.note
        && n.chars().count() > 2000
    {
        f.push(FieldError::new("note", "at most 2000 characters"));
    }
    done(f)?;
    let auth = db.auth().clone();
    let current = fetch_decision(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !manages_or_hr(db.conn(), &auth, current.employee_id, "APPROVALS").await? {
        return Err(ApiError::Forbidden(
            "only the person's managers and HR decide on their promotion".into(),
        ));
    }
    let next = decision_next(&current.status);
    if !next.contains(&req.status.as_str()) {
        let message = if next.is_empty() {
            format!(
                "the decision is {} and final: it cannot move to {}",
                current.status, req.status
            )
        } else {
            format!(
                "the decision is {}: it may move to {}, not {}",
                current.status,
                next.join(" or "),
                req.status
            )
        };
        return Err(ApiError::conflict("invalid_transition", message));
    }
    if current.status == "PROPOSED" && current.decided_by == Some(auth.user.as_uuid()) {
        return Err(ApiError::conflict(
            "four_eyes",
            "the proposer of a promotion cannot also approve or reject it",
        ));
    }
    if req.status == "EFFECTIVE" && !auth.is_hr() {
        return Err(ApiError::Forbidden(
            "only HR makes a promotion effective".into(),
        ));
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE promotion_decisions SET status = $2, decision_note = coalesce($3, decision_note)
          WHERE id = $1 AND status = $4 AND {} RETURNING id",
        version_matches(5)
    )))
    .bind(id)
    .bind(&req.status)
    .bind(req.note.as_deref())
    .bind(&current.status)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let d = fetch_decision(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    if d.status == "EFFECTIVE" {
        // The person's level and title changed (the workflow's trigger): their cached
        // profile goes.
        state
            .cache()
            .invalidate_user(auth.tenant, pms_core::UserId::from(d.employee_id))
            .await;
    }
    Ok(([etag_header(d.updated_at)], Json(d)).into_response())
}
