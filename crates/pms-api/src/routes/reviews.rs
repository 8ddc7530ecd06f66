//! Review cycles (the forward-only workflow, kept by a trigger) and performance reviews:
//! write, submit, calibrate, share, acknowledge. Which reviews a caller sees is decided by the
//! database's visibility policies; the handlers add the domain's one rule on top: a review
//! written about you is yours to read once it is shared.

use super::idempotency::{IdempotencyKey, claim, remember};
use super::versions::{IfMatch, etag_header, version_matches};
use crate::auth::Auth;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pms_cache::{Category, Key, Scope};
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
        .routes(routes!(list_cycles, create_cycle))
        .routes(routes!(get_cycle))
        .routes(routes!(transition_cycle))
        .routes(routes!(list_reviews, create_review))
        .routes(routes!(team_reviews))
        .routes(routes!(get_review, write_review))
        .routes(routes!(submit_review))
        .routes(routes!(calibrate_review))
        .routes(routes!(share_review))
        .routes(routes!(acknowledge_review))
}

const CYCLE_STATUSES: [&str; 9] = [
    "DRAFT",
    "SCHEDULED",
    "SELF_ASSESSMENT",
    "MANAGER_REVIEW",
    "CALIBRATION",
    "FINALIZATION",
    "SHARING",
    "COMPLETED",
    "CANCELLED",
];

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct CycleResponse {
    pub id: Uuid,
    pub name: String,
    pub cycle_type: String,
    pub status: String,
    #[serde(with = "crate::day")]
    pub period_start: Date,
    #[serde(with = "crate::day")]
    pub period_end: Date,
    #[serde(default, with = "crate::day::option")]
    pub self_assessment_due: Option<Date>,
    #[serde(default, with = "crate::day::option")]
    pub manager_review_due: Option<Date>,
    #[serde(default, with = "crate::day::option")]
    pub calibration_due: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const CYCLE_COLUMNS: &str = "id, name, cycle_type, status, period_start, period_end, self_assessment_due, manager_review_due, calibration_due, created_at, updated_at";

async fn fetch_cycle(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<CycleResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CYCLE_COLUMNS} FROM review_cycles WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Review cycles, newest first.
#[utoipa::path(get, path = "/review-cycles", tag = "reviews", params(PageParams),
    responses((status = 200, body = Page<CycleResponse>)))]
async fn list_cycles(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<CycleResponse>>, ApiError> {
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    let rows: Vec<CycleResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CYCLE_COLUMNS} FROM review_cycles WHERE deleted_at IS NULL
            AND ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2))
          ORDER BY created_at DESC, id DESC LIMIT $3"
    )))
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |c: &CycleResponse| {
        (time_key(c.created_at), c.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCycleRequest {
    pub name: String,
    /// ANNUAL, SEMI_ANNUAL, QUARTERLY, PROBATION or PROJECT (default ANNUAL).
    pub cycle_type: Option<String>,
    #[serde(with = "crate::day")]
    pub period_start: Date,
    #[serde(with = "crate::day")]
    pub period_end: Date,
    #[serde(default, with = "crate::day::option")]
    pub self_assessment_due: Option<Date>,
    #[serde(default, with = "crate::day::option")]
    pub manager_review_due: Option<Date>,
    #[serde(default, with = "crate::day::option")]
    pub calibration_due: Option<Date>,
}

/// Creates a review cycle in DRAFT (ADMIN or HR_ADMIN). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/review-cycles", tag = "reviews", request_body = CreateCycleRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = CycleResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_cycle(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateCycleRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if req.name.trim().is_empty() || req.name.chars().count() > 200 {
        f.push(FieldError::new("name", "1 to 200 characters"));
    }
    if let Some(t) = &req.cycle_type
        && !["ANNUAL", "SEMI_ANNUAL", "QUARTERLY", "PROBATION", "PROJECT"].contains(&t.as_str())
    {
        f.push(FieldError::new(
            "cycle_type",
            "one of ANNUAL, SEMI_ANNUAL, QUARTERLY, PROBATION, PROJECT",
        ));
    }
    if req.period_end < req.period_start {
        f.push(FieldError::new(
            "period_end",
            "must not be before period_start",
        ));
    }
    for (name, d) in [
        ("period_start", Some(req.period_start)),
        ("period_end", Some(req.period_end)),
        ("self_assessment_due", req.self_assessment_due),
        ("manager_review_due", req.manager_review_due),
        ("calibration_due", req.calibration_due),
    ] {
        if let Some(d) = d
            && !(1900..=2200).contains(&d.year())
        {
            f.push(FieldError::new(name, "a date between 1900 and 2200"));
        }
    }
    if !f.is_empty() {
        return Err(ApiError::invalid(f));
    }
    db.auth().require_hr()?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let auth = db.auth().clone();
    let c: CycleResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO review_cycles (tenant_id, name, cycle_type, period_start, period_end, self_assessment_due, manager_review_due, calibration_due, created_by)
         VALUES ($1, $2, coalesce($3, 'ANNUAL'), $4, $5, $6, $7, $8, $9) RETURNING {CYCLE_COLUMNS}"
    )))
    .bind(auth.tenant.as_uuid())
    .bind(req.name.trim())
    .bind(req.cycle_type.as_deref())
    .bind(req.period_start)
    .bind(req.period_end)
    .bind(req.self_assessment_due)
    .bind(req.manager_review_due)
    .bind(req.calibration_due)
    .bind(auth.user.as_uuid())
    .fetch_one(db.conn())
    .await?;
    remember(&mut db, &key, StatusCode::CREATED, &c).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(c.updated_at)], Json(c)).into_response())
}

/// One review cycle.
#[utoipa::path(get, path = "/review-cycles/{id}", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = CycleResponse), (status = 404, body = ErrorBody)))]
async fn get_cycle(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let c = fetch_cycle(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(c.updated_at)], Json(c)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// The next status: one step forward in DRAFT → SCHEDULED → SELF_ASSESSMENT →
    /// MANAGER_REVIEW → CALIBRATION → FINALIZATION → SHARING → COMPLETED, or CANCELLED.
    pub status: String,
}

/// Moves a cycle one step forward, or cancels it (ADMIN or HR_ADMIN). Honors `If-Match`.
#[utoipa::path(post, path = "/review-cycles/{id}/transition", tag = "reviews", request_body = TransitionRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CycleResponse), (status = 409, description = "not the next step", body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_cycle(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> Result<Response, ApiError> {
    if !CYCLE_STATUSES.contains(&req.status.as_str()) {
        return Err(ApiError::field(
            "status",
            format!("one of {}", CYCLE_STATUSES.join(", ")),
        ));
    }
    fetch_cycle(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.auth().require_hr()?;
    let c: Option<CycleResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE review_cycles SET status = $2 WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING {CYCLE_COLUMNS}",
        version_matches(3)
    )))
    .bind(id)
    .bind(&req.status)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(|e| match ApiError::from(e) {
        ApiError::Conflict { message, .. } => ApiError::conflict("invalid_transition", message),
        other => other,
    })?;
    let c = c.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(([etag_header(c.updated_at)], Json(c)).into_response())
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct ReviewResponse {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub reviewee_id: Uuid,
    pub reviewer_id: Option<Uuid>,
    pub review_type: String,
    pub status: String,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub overall_rating: Option<Decimal>,
    pub summary: Option<String>,
    pub strengths: Option<String>,
    pub improvements: Option<String>,
    pub answers: serde_json::Value,
    #[serde(default, with = "crate::day::option")]
    pub due_date: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub shared_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub acknowledged_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const REVIEW_COLUMNS: &str = "r.id, r.cycle_id, r.reviewee_id, r.reviewer_id, r.review_type, r.status, r.overall_rating, r.summary,
    r.strengths, r.improvements, r.answers, r.due_date, r.submitted_at, r.shared_at, r.acknowledged_at, r.created_at, r.updated_at";
/// What the policies let through, less the reviews about the caller that are not shared yet
/// (self reviews excepted: the caller wrote them).
const READABLE: &str = "r.deleted_at IS NULL AND NOT (r.reviewee_id = pms_current_user_id()
    AND r.reviewer_id IS DISTINCT FROM pms_current_user_id() AND r.status NOT IN ('SHARED', 'ACKNOWLEDGED'))";

async fn fetch_review(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<ReviewResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REVIEW_COLUMNS} FROM performance_reviews r WHERE r.id = $1 AND {READABLE}"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

fn review_key(auth: &Auth, id: Uuid) -> Key {
    Key::new(
        auth.tenant,
        Category::Review,
        &[&id.to_string(), &auth.user.to_string()],
    )
    .unwrap_or_else(|_| Key::dashboard(auth.tenant, auth.user))
    .depends_on(Scope::Entity(id))
    .depends_on(Scope::User(auth.user))
    .depends_on(Scope::Org)
}

async fn review_changed(state: &AppState, auth: &Auth, r: &ReviewResponse) -> Result<(), ApiError> {
    state
        .cache()
        .invalidate(auth.tenant, Scope::Entity(r.id))
        .await;
    state
        .cache()
        .put(&review_key(auth, r.id), &Some(r.clone()))
        .await
        .ok();
    super::dashboard::dashboards_changed(state, auth, r.reviewee_id).await?;
    if let Some(rv) = r.reviewer_id {
        super::dashboard::dashboards_changed(state, auth, rv).await?;
    }
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    pub cycle_id: Option<Uuid>,
    pub reviewee_id: Option<Uuid>,
    pub reviewer_id: Option<Uuid>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

async fn review_list(
    db: &mut Db,
    q: ReviewQuery,
    team_only: bool,
) -> Result<Page<ReviewResponse>, ApiError> {
    let p = PageParams {
        cursor: q.cursor.clone(),
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    // Only the filters given are in the text, so each shape gets a plan of its own (a generic
    // plan with `$1 IS NULL OR ...` arms cannot use the team's index range).
    let mut b = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!(
        "SELECT {REVIEW_COLUMNS} FROM performance_reviews r WHERE {READABLE}"
    ));
    if team_only {
        // The team's reviews: one index-only range of the reporting chain, joined.
        b.push(" AND r.reviewee_id IN (SELECT person_id FROM pms_my_team())");
    }
    if let Some(c) = q.cycle_id {
        b.push(" AND r.cycle_id = ").push_bind(c);
    }
    if let Some(e) = q.reviewee_id {
        b.push(" AND r.reviewee_id = ").push_bind(e);
    }
    if let Some(r) = q.reviewer_id {
        b.push(" AND r.reviewer_id = ").push_bind(r);
    }
    if let Some((t, id)) = after {
        b.push(" AND (r.created_at, r.id) < (")
            .push_bind(t)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    b.push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ")
        .push_bind(limit + 1);
    let rows: Vec<ReviewResponse> = b.build_query_as().fetch_all(db.conn()).await?;
    Ok(page(rows, limit, |r: &ReviewResponse| {
        (time_key(r.created_at), r.id)
    }))
}

/// Reviews I may see, newest first.
#[utoipa::path(get, path = "/reviews", tag = "reviews", params(ReviewQuery),
    responses((status = 200, body = Page<ReviewResponse>), (status = 400, body = ErrorBody)))]
async fn list_reviews(
    mut db: Db,
    ApiQuery(q): ApiQuery<ReviewQuery>,
) -> Result<Json<Page<ReviewResponse>>, ApiError> {
    let page = review_list(&mut db, q, false).await?;
    db.commit().await?;
    Ok(Json(page))
}

/// Reviews of the people I manage (directly or not), newest first.
#[utoipa::path(get, path = "/team/reviews", tag = "reviews", params(ReviewQuery),
    responses((status = 200, body = Page<ReviewResponse>), (status = 400, body = ErrorBody)))]
async fn team_reviews(
    mut db: Db,
    ApiQuery(q): ApiQuery<ReviewQuery>,
) -> Result<Json<Page<ReviewResponse>>, ApiError> {
    let page = review_list(&mut db, q, true).await?;
    db.commit().await?;
    Ok(Json(page))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReviewRequest {
    pub cycle_id: Uuid,
    pub reviewee_id: Uuid,
    /// Default: the reviewee for SELF reviews, me otherwise.
    pub reviewer_id: Option<Uuid>,
    /// SELF, MANAGER, PEER, UPWARD or FULL_360.
    pub review_type: String,
    #[serde(default, with = "crate::day::option")]
    pub due_date: Option<Date>,
}

/// Opens a review in a cycle (HR, or a manager of the reviewee). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/reviews", tag = "reviews", request_body = CreateReviewRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = ReviewResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_review(
    State(state): State<AppState>,
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateReviewRequest>,
) -> Result<Response, ApiError> {
    if !["SELF", "MANAGER", "PEER", "UPWARD", "FULL_360"].contains(&req.review_type.as_str()) {
        return Err(ApiError::field(
            "review_type",
            "one of SELF, MANAGER, PEER, UPWARD, FULL_360",
        ));
    }
    if let Some(d) = req.due_date
        && !(1900..=2200).contains(&d.year())
    {
        return Err(ApiError::field("due_date", "a date between 1900 and 2200"));
    }
    let auth = db.auth().clone();
    let cycle = fetch_cycle(db.conn(), req.cycle_id)
        .await?
        .ok_or_else(|| ApiError::field("cycle_id", "no such review cycle"))?;
    if matches!(cycle.status.as_str(), "COMPLETED" | "CANCELLED") {
        return Err(ApiError::conflict(
            "cycle_closed",
            format!("the cycle is {}", cycle.status),
        ));
    }
    let manages: bool = sqlx::query_scalar("SELECT pms_api_manages($1, $2)")
        .bind(auth.user.as_uuid())
        .bind(req.reviewee_id)
        .fetch_one(db.conn())
        .await?;
    if !(auth.is_hr() || manages) {
        return Err(ApiError::Forbidden(
            "reviews are opened by HR or by a manager of the reviewee".into(),
        ));
    }
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let reviewer = req.reviewer_id.unwrap_or(if req.review_type == "SELF" {
        req.reviewee_id
    } else {
        auth.user.as_uuid()
    });
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO performance_reviews (tenant_id, cycle_id, reviewee_id, reviewer_id, review_type, due_date)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.cycle_id)
    .bind(req.reviewee_id)
    .bind(reviewer)
    .bind(&req.review_type)
    .bind(req.due_date)
    .fetch_one(db.conn())
    .await?;
    let r = sqlx::query_as::<_, ReviewResponse>(sqlx::AssertSqlSafe(format!(
        "SELECT {REVIEW_COLUMNS} FROM performance_reviews r WHERE r.id = $1"
    )))
    .bind(id)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)?;
    remember(&mut db, &key, StatusCode::CREATED, &r).await?;
    db.commit().await?;
    review_changed(&state, &auth, &r).await?;
    Ok((StatusCode::CREATED, [etag_header(r.updated_at)], Json(r)).into_response())
}

/// One review (cached per viewer for 30 min; any change drops every copy).
#[utoipa::path(get, path = "/reviews/{id}", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewResponse), (status = 404, body = ErrorBody)))]
async fn get_review(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    let key = review_key(db.auth(), id);
    let r = match state.cache().get::<Option<ReviewResponse>>(&key).await {
        Some(r) => r,
        None => {
            let r = fetch_review(db.conn(), id).await?;
            state.cache().put(&key, &r).await.ok();
            r
        }
    };
    let r = r.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(r.updated_at)], Json(r)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteReviewRequest {
    /// 0 to 5, two decimals.
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub overall_rating: Option<Decimal>,
    pub summary: Option<String>,
    pub strengths: Option<String>,
    pub improvements: Option<String>,
    /// Answers to the template's questions, an object.
    pub answers: Option<serde_json::Value>,
}

fn rating_ok(r: Decimal) -> bool {
    r >= Decimal::ZERO && r <= Decimal::from(5) && r.scale() <= 2
}

/// Writes a review (its reviewer, before submitting). Honors `If-Match`.
#[utoipa::path(patch, path = "/reviews/{id}", tag = "reviews", request_body = WriteReviewRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = ReviewResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn write_review(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<WriteReviewRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if let Some(r) = req.overall_rating
        && !rating_ok(r)
    {
        f.push(FieldError::new(
            "overall_rating",
            "from 0 to 5 with at most two decimals",
        ));
    }
    for (name, v) in [
        ("summary", &req.summary),
        ("strengths", &req.strengths),
        ("improvements", &req.improvements),
    ] {
        if let Some(v) = v
            && v.chars().count() > 20_000
        {
            f.push(FieldError::new(name, "at most 20000 characters"));
        }
    }
    if let Some(a) = &req.answers
        && !a.is_object()
    {
        f.push(FieldError::new("answers", "an object of answers"));
    }
    if !f.is_empty() {
        return Err(ApiError::invalid(f));
    }
    let auth = db.auth().clone();
    let current = fetch_review(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if current.reviewer_id != Some(auth.user.as_uuid()) {
        return Err(ApiError::Forbidden(
            "only the review's reviewer writes it".into(),
        ));
    }
    if !matches!(current.status.as_str(), "NOT_STARTED" | "IN_PROGRESS") {
        return Err(ApiError::conflict(
            "review_submitted",
            format!(
                "the review is {} and can no longer be edited",
                current.status
            ),
        ));
    }
    let r: Option<ReviewResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE performance_reviews r SET overall_rating = coalesce($2, overall_rating), summary = coalesce($3, summary),
                strengths = coalesce($4, strengths), improvements = coalesce($5, improvements),
                answers = coalesce($6, answers), status = 'IN_PROGRESS'
          WHERE r.id = $1 AND {} RETURNING {REVIEW_COLUMNS}",
        version_matches(7)
    )))
    .bind(id)
    .bind(req.overall_rating)
    .bind(req.summary.as_deref())
    .bind(req.strengths.as_deref())
    .bind(req.improvements.as_deref())
    .bind(req.answers.as_ref())
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    let r = r.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    review_changed(&state, &auth, &r).await?;
    Ok(([etag_header(r.updated_at)], Json(r)).into_response())
}

/// One workflow step on a review: from which statuses, in which cycle phases, who may, and
/// the SQL assignments it makes (`$2` is the step's value, if any).
struct Step {
    from: &'static [&'static str],
    cycle_in: &'static [&'static str],
    who: fn(&Auth, &ReviewResponse) -> bool,
    who_msg: &'static str,
    set: &'static str,
}

impl Step {
    /// Checks the step and applies it in one statement, in the request's transaction.
    async fn run(
        &self,
        db: &mut Db,
        id: Uuid,
        value: Option<Decimal>,
    ) -> Result<ReviewResponse, ApiError> {
        let auth = db.auth().clone();
        let current = fetch_review(db.conn(), id)
            .await?
            .ok_or(ApiError::NotFound)?;
        if !(self.who)(&auth, &current) {
            return Err(ApiError::Forbidden(self.who_msg.to_string()));
        }
        if !self.from.contains(&current.status.as_str()) {
            return Err(ApiError::conflict(
                "invalid_transition",
                format!(
                    "the review is {}; this step needs {}",
                    current.status,
                    self.from.join(" or ")
                ),
            ));
        }
        let cycle = fetch_cycle(db.conn(), current.cycle_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        if !self.cycle_in.contains(&cycle.status.as_str()) {
            return Err(ApiError::conflict(
                "cycle_phase",
                format!(
                    "the cycle is in {}; this step needs {}",
                    cycle.status,
                    self.cycle_in.join(" or ")
                ),
            ));
        }
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE performance_reviews r SET {} WHERE r.id = $1 RETURNING {REVIEW_COLUMNS}",
            self.set
        )))
        .bind(id)
        .bind(value)
        .fetch_one(db.conn())
        .await?)
    }
}

/// Submits a review (its reviewer), in the cycle's self-assessment or manager-review phase.
#[utoipa::path(post, path = "/reviews/{id}/submit", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn submit_review(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ReviewResponse>, ApiError> {
    let auth = db.auth().clone();
    let r = Step {
        from: &["NOT_STARTED", "IN_PROGRESS"],
        cycle_in: &["SELF_ASSESSMENT", "MANAGER_REVIEW"],
        who: |a, r| r.reviewer_id == Some(a.user.as_uuid()),
        who_msg: "only the review's reviewer submits it",
        set: "status = 'SUBMITTED', submitted_at = now(), overall_rating = coalesce(overall_rating, $2)",
    }
    .run(&mut db, id, None)
    .await?;
    db.commit().await?;
    review_changed(&state, &auth, &r).await?;
    Ok(Json(r))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalibrateRequest {
    /// The calibration session (of this review's cycle) the change is made in.
    pub session_id: Uuid,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub rating: Decimal,
    /// Why the rating moved; required when it does.
    pub rationale: Option<String>,
}

/// Calibrates a submitted review (HR, in the cycle's calibration phase): the original rating
/// is kept in `calibration_ratings` with the rationale.
#[utoipa::path(post, path = "/reviews/{id}/calibrate", tag = "reviews", request_body = CalibrateRequest, params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn calibrate_review(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<CalibrateRequest>,
) -> Result<Json<ReviewResponse>, ApiError> {
    if !rating_ok(req.rating) {
        return Err(ApiError::field(
            "rating",
            "from 0 to 5 with at most two decimals",
        ));
    }
    let auth = db.auth().clone();
    let current = fetch_review(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    auth.require_hr()?;
    let original = current
        .overall_rating
        .ok_or_else(|| ApiError::conflict("no_rating", "the review has no rating to calibrate"))?;
    if original != req.rating && req.rationale.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(ApiError::field(
            "rationale",
            "required when the rating changes",
        ));
    }
    let session_ok: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM calibration_sessions WHERE id = $1 AND cycle_id = $2)",
    )
    .bind(req.session_id)
    .bind(current.cycle_id)
    .fetch_one(db.conn())
    .await?;
    if !session_ok {
        return Err(ApiError::field(
            "session_id",
            "no calibration session of this review's cycle",
        ));
    }
    sqlx::query(
        "INSERT INTO calibration_ratings (tenant_id, session_id, review_id, employee_id, adjusted_by, original_rating, adjusted_rating, rationale, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ACCEPTED')
         ON CONFLICT (tenant_id, session_id, review_id) DO UPDATE
            SET adjusted_rating = EXCLUDED.adjusted_rating, rationale = EXCLUDED.rationale, adjusted_by = EXCLUDED.adjusted_by",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.session_id)
    .bind(id)
    .bind(current.reviewee_id)
    .bind(auth.user.as_uuid())
    .bind(original)
    .bind(req.rating)
    .bind(req.rationale.as_deref())
    .execute(db.conn())
    .await?;
    let r = Step {
        from: &["SUBMITTED", "CALIBRATED"],
        cycle_in: &["CALIBRATION"],
        who: |a, _| a.is_hr(),
        who_msg: "calibration is HR's",
        set: "status = 'CALIBRATED', overall_rating = $2",
    }
    .run(&mut db, id, Some(req.rating))
    .await?;
    db.commit().await?;
    review_changed(&state, &auth, &r).await?;
    Ok(Json(r))
}

/// Shares a review with its reviewee (HR, in the cycle's sharing phase).
#[utoipa::path(post, path = "/reviews/{id}/share", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn share_review(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ReviewResponse>, ApiError> {
    let auth = db.auth().clone();
    let r = Step {
        from: &["SUBMITTED", "CALIBRATED", "FINALIZED"],
        cycle_in: &["SHARING"],
        who: |a, _| a.is_hr(),
        who_msg: "sharing is HR's",
        set: "status = 'SHARED', shared_at = now(), overall_rating = coalesce(overall_rating, $2)",
    }
    .run(&mut db, id, None)
    .await?;
    db.commit().await?;
    review_changed(&state, &auth, &r).await?;
    Ok(Json(r))
}

/// Acknowledges a shared review (its reviewee). The reviewee may not write a review someone
/// else wrote, so this goes through `pms_acknowledge_review`, which changes only the status.
#[utoipa::path(post, path = "/reviews/{id}/acknowledge", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn acknowledge_review(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ReviewResponse>, ApiError> {
    let auth = db.auth().clone();
    let current = fetch_review(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if current.reviewee_id != auth.user.as_uuid() {
        return Err(ApiError::Forbidden(
            "only the reviewee acknowledges a review".into(),
        ));
    }
    if current.status != "SHARED" {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!(
                "the review is {}; acknowledging needs SHARED",
                current.status
            ),
        ));
    }
    let done: bool = sqlx::query_scalar("SELECT pms_acknowledge_review($1)")
        .bind(id)
        .fetch_one(db.conn())
        .await?;
    if !done {
        return Err(ApiError::conflict(
            "invalid_transition",
            "the review is no longer shared",
        ));
    }
    let r = fetch_review(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    review_changed(&state, &auth, &r).await?;
    Ok(Json(r))
}
