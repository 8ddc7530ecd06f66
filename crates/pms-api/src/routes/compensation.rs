//! Compensation decisions and their approval workflow (PROPOSED → APPROVED | REJECTED, APPROVED
//! → APPLIED), kept by the trigger `pms_compensation_decision_workflow` and checked here first
//! for a clear answer. Who sees a decision is the table's visibility rule: HR, the person's
//! chain and its APPROVALS delegates, and the person once it is APPROVED or APPLIED (what is
//! decided about their pay is theirs to know; a proposal or a rejection is not shown to them).

use super::promotions::{after_time, can_see_person, check_one_of, done, manages_or_hr};
use super::reports::check_free_text;
use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, time_key};
use crate::routes::idempotency::{IdempotencyKey, claim, remember};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_compensation, create_compensation))
        .routes(routes!(get_compensation))
        .routes(routes!(transition_compensation))
}

pub(crate) const COMPENSATION_STATUSES: [&str; 4] = ["PROPOSED", "APPROVED", "REJECTED", "APPLIED"];
const DECISION_TYPES: [&str; 5] = [
    "MERIT_INCREASE",
    "BONUS",
    "EQUITY",
    "MARKET_ADJUSTMENT",
    "PROMOTION_INCREASE",
];
/// The largest amount `numeric(14, 2)` holds.
const MAX_AMOUNT: i64 = 999_999_999_999;

/// The workflow, as the trigger `pms_compensation_decision_workflow` keeps it.
pub(crate) fn compensation_next(from: &str) -> &'static [&'static str] {
    match from {
        "PROPOSED" => &["APPROVED", "REJECTED"],
        "APPROVED" => &["APPLIED"],
        _ => &[],
    }
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CompensationDecisionResponse {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub cycle_id: Option<Uuid>,
    /// Who proposed it (set by the database).
    pub decided_by: Option<Uuid>,
    /// MERIT_INCREASE, BONUS, EQUITY, MARKET_ADJUSTMENT or PROMOTION_INCREASE.
    pub decision_type: String,
    /// PROPOSED, APPROVED, REJECTED or APPLIED.
    pub status: String,
    /// ISO 4217 code.
    pub currency: String,
    #[serde(with = "rust_decimal::serde::float_option")]
    #[schema(value_type = Option<f64>)]
    pub current_amount: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub proposed_amount: Decimal,
    #[serde(with = "crate::day")]
    pub effective_date: Date,
    pub rationale: Option<String>,
    /// Who approved or rejected it (set by the database).
    pub approved_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub approved_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub applied_at: Option<OffsetDateTime>,
    pub decision_note: Option<String>,
    /// The statuses it may move to next.
    pub next: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, employee_id, cycle_id, decided_by, decision_type, status, currency::text AS currency, current_amount,
    proposed_amount, effective_date, rationale, approved_by, approved_at, applied_at, decision_note,
    pms_compensation_decision_next(status) AS next, created_at, updated_at";

async fn fetch(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<CompensationDecisionResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM compensation_decisions WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompensationQuery {
    pub employee_id: Option<Uuid>,
    pub cycle_id: Option<Uuid>,
    /// PROPOSED, APPROVED, REJECTED or APPLIED.
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Compensation decisions I may see, newest first.
#[utoipa::path(get, path = "/compensation-decisions", tag = "compensation", params(CompensationQuery),
    responses((status = 200, body = Page<CompensationDecisionResponse>), (status = 400, body = ErrorBody)))]
async fn list_compensation(
    mut db: Db,
    ApiQuery(q): ApiQuery<CompensationQuery>,
) -> Result<Json<Page<CompensationDecisionResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = after_time(&p)?;
    if let Some(s) = &q.status
        && !COMPENSATION_STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("status must be one of {}", COMPENSATION_STATUSES.join(", ")),
            fields: vec![FieldError::new("status", "unknown")],
        });
    }
    let rows: Vec<CompensationDecisionResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM compensation_decisions
          WHERE ($1::uuid IS NULL OR employee_id = $1) AND ($2::uuid IS NULL OR cycle_id = $2)
            AND ($3::text IS NULL OR status = $3)
            AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5))
          ORDER BY created_at DESC, id DESC LIMIT $6"
    )))
    .bind(q.employee_id)
    .bind(q.cycle_id)
    .bind(q.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(
        rows,
        limit,
        |r: &CompensationDecisionResponse| (time_key(r.created_at), r.id),
    )))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCompensationDecisionRequest {
    pub employee_id: Uuid,
    /// MERIT_INCREASE, BONUS, EQUITY, MARKET_ADJUSTMENT or PROMOTION_INCREASE.
    pub decision_type: String,
    /// ISO 4217 code, three capital letters (default USD).
    pub currency: Option<String>,
    /// The pay before the change (an increase must be above it).
    #[serde(default, with = "rust_decimal::serde::float_option")]
    #[schema(value_type = Option<f64>)]
    pub current_amount: Option<Decimal>,
    /// The new pay, or the bonus or grant: 0 to 999,999,999,999.99, two decimals at most.
    #[serde(with = "rust_decimal::serde::float")]
    #[schema(value_type = f64)]
    pub proposed_amount: Decimal,
    #[serde(with = "crate::day")]
    pub effective_date: Date,
    pub cycle_id: Option<Uuid>,
    pub rationale: Option<String>,
}

fn check_amount(f: &mut Vec<FieldError>, path: &str, v: Decimal) {
    if v.is_sign_negative() || v > Decimal::from(MAX_AMOUNT) || v.normalize().scale() > 2 {
        f.push(FieldError::new(
            path,
            "from 0 to 999999999999.99, with at most two decimals",
        ));
    }
}

fn validate(req: &CreateCompensationDecisionRequest) -> Result<(), ApiError> {
    let mut f = Vec::new();
    check_one_of(
        &mut f,
        "decision_type",
        Some(req.decision_type.as_str()),
        &DECISION_TYPES,
    );
    if let Some(c) = &req.currency
        && !(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        f.push(FieldError::new("currency", "an ISO 4217 code such as EUR"));
    }
    check_amount(&mut f, "proposed_amount", req.proposed_amount);
    if let Some(c) = req.current_amount {
        check_amount(&mut f, "current_amount", c);
    }
    if f.is_empty() {
        let increase = matches!(
            req.decision_type.as_str(),
            "MERIT_INCREASE" | "MARKET_ADJUSTMENT" | "PROMOTION_INCREASE"
        );
        if increase
            && let Some(c) = req.current_amount
            && req.proposed_amount <= c
        {
            f.push(FieldError::new(
                "proposed_amount",
                "an increase must be above current_amount",
            ));
        }
        if !increase && req.proposed_amount.is_zero() {
            f.push(FieldError::new(
                "proposed_amount",
                "a bonus or equity grant must be more than zero",
            ));
        }
    }
    if !(1900..=2200).contains(&req.effective_date.year()) {
        f.push(FieldError::new(
            "effective_date",
            "a date between 1900 and 2200",
        ));
    }
    check_free_text(&mut f, "rationale", req.rationale.as_deref(), 5000);
    done(f)
}

/// Proposes a pay change for a person (status PROPOSED). For the person's chain (and its
/// APPROVALS delegates) and HR; a person I may not see is 404, one I see but do not manage (my
/// own pay included) 403. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/compensation-decisions", tag = "compensation", request_body = CreateCompensationDecisionRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = CompensationDecisionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_compensation(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateCompensationDecisionRequest>,
) -> Result<Response, ApiError> {
    validate(&req)?;
    let auth = db.auth().clone();
    if !can_see_person(db.conn(), req.employee_id, "APPROVALS").await? {
        return Err(ApiError::NotFound);
    }
    if req.employee_id == auth.user.as_uuid()
        || !manages_or_hr(db.conn(), &auth, req.employee_id, "APPROVALS").await?
    {
        return Err(ApiError::Forbidden(
            "only the person's managers and HR propose their pay (never one's own)".into(),
        ));
    }
    if let Some(c) = req.cycle_id {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM review_cycles WHERE id = $1 AND deleted_at IS NULL)",
        )
        .bind(c)
        .fetch_one(db.conn())
        .await?;
        if !exists {
            return Err(ApiError::field("cycle_id", "no such review cycle"));
        }
    }
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO compensation_decisions (tenant_id, employee_id, cycle_id, decision_type, status, currency,
                                             current_amount, proposed_amount, effective_date, rationale)
         VALUES ($1, $2, $3, $4, 'PROPOSED', $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.employee_id)
    .bind(req.cycle_id)
    .bind(&req.decision_type)
    .bind(req.currency.as_deref().unwrap_or("USD"))
    .bind(req.current_amount)
    .bind(req.proposed_amount)
    .bind(req.effective_date)
    .bind(req.rationale.as_deref())
    .fetch_one(db.conn())
    .await?;
    let d = fetch(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new decision is not visible to its proposer"))?;
    remember(&mut db, &key, StatusCode::CREATED, &d).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(d.updated_at)], Json(d)).into_response())
}

/// One compensation decision.
#[utoipa::path(get, path = "/compensation-decisions/{id}", tag = "compensation", params(("id" = Uuid, Path)),
    responses((status = 200, body = CompensationDecisionResponse), (status = 404, body = ErrorBody)))]
async fn get_compensation(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let d = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(d.updated_at)], Json(d)).into_response())
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompensationTransitionRequest {
    /// APPROVED or REJECTED (from PROPOSED), APPLIED (from APPROVED).
    pub status: String,
    /// The approver's note.
    pub note: Option<String>,
}

/// Moves a compensation decision along its workflow: approve or reject a proposal (HR, or a
/// manager above its proposer; never the proposer: 409 `four_eyes`), apply an approved one
/// (HR). Any other move is 409 `invalid_transition` and changes nothing. Honors `If-Match`.
#[utoipa::path(post, path = "/compensation-decisions/{id}/transition", tag = "compensation",
    request_body = CompensationTransitionRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CompensationDecisionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "not a next step, or the proposer deciding", body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_compensation(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<CompensationTransitionRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_one_of(
        &mut f,
        "status",
        Some(req.status.as_str()),
        &COMPENSATION_STATUSES,
    );
    check_free_text(&mut f, "note", req.note.as_deref(), 2000);
    done(f)?;
    let auth = db.auth().clone();
    let current = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if !manages_or_hr(db.conn(), &auth, current.employee_id, "APPROVALS").await? {
        return Err(ApiError::Forbidden(
            "only the person's managers and HR decide on their pay".into(),
        ));
    }
    let next = compensation_next(&current.status);
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
    if current.status == "PROPOSED" {
        if current.decided_by == Some(auth.user.as_uuid()) {
            return Err(ApiError::conflict(
                "four_eyes",
                "the proposer of a pay change cannot also approve or reject it",
            ));
        }
        let above: bool = auth.is_hr()
            || sqlx::query_scalar("SELECT $1 IN (SELECT m FROM pms_managed_people('APPROVALS') m)")
                .bind(current.decided_by.unwrap_or(current.employee_id))
                .fetch_one(db.conn())
                .await?;
        if !above {
            return Err(ApiError::Forbidden(
                "only HR or a manager above its proposer approves or rejects a pay change".into(),
            ));
        }
    }
    if req.status == "APPLIED" && !auth.is_hr() {
        return Err(ApiError::Forbidden(
            "only HR applies an approved pay change".into(),
        ));
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE compensation_decisions SET status = $2, decision_note = coalesce($3, decision_note)
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
    let d = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(d.updated_at)], Json(d)).into_response())
}
