//! Feedback: give, request, answer a request, and read what I received and gave. Who may read a
//! feedback row is the database's policy; anonymity is this module's: an anonymous item is
//! stored without its giver, and the anonymous items a person received are shown only once there are at
//! least [`ANONYMITY_THRESHOLD`] of them, in an order and with dates (the week) that say
//! nothing about who wrote which.

use super::dashboard::dashboards_changed;
use super::idempotency::{IdempotencyKey, claim, remember};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Anonymous feedback received is shown only when at least this many items exist.
pub const ANONYMITY_THRESHOLD: i64 = 3;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(give_feedback))
        .routes(routes!(request_feedback, requests_for_me))
        .routes(routes!(received))
        .routes(routes!(received_anonymous))
        .routes(routes!(given))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct FeedbackResponse {
    pub id: Uuid,
    /// Absent for anonymous feedback, whoever asks.
    pub giver_id: Option<Uuid>,
    pub recipient_id: Uuid,
    pub feedback_type: String,
    pub visibility: String,
    pub is_anonymous: bool,
    pub body: String,
    pub goal_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

const COLUMNS: &str =
    "f.id, CASE WHEN f.is_anonymous THEN NULL ELSE f.giver_id END AS giver_id, f.recipient_id,
    f.feedback_type, f.visibility, f.is_anonymous, f.body, f.goal_id, f.created_at";

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiveFeedbackRequest {
    pub recipient_id: Uuid,
    pub body: String,
    /// PRAISE, CONSTRUCTIVE, SUGGESTION or RECOGNITION (default PRAISE).
    pub feedback_type: Option<String>,
    /// PRIVATE (recipient only), MANAGER (also their managers) or PUBLIC (default PRIVATE).
    pub visibility: Option<String>,
    #[serde(default)]
    pub is_anonymous: bool,
    pub goal_id: Option<Uuid>,
    /// Answers this request of the recipient's (asked of me).
    pub request_id: Option<Uuid>,
}

/// Gives feedback. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/feedback", tag = "feedback", request_body = GiveFeedbackRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = FeedbackResponse), (status = 422, body = ErrorBody)))]
async fn give_feedback(
    State(state): State<AppState>,
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<GiveFeedbackRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if req.body.trim().is_empty() || req.body.chars().count() > 10_000 {
        f.push(FieldError::new("body", "1 to 10000 characters"));
    }
    if let Some(t) = &req.feedback_type
        && !["PRAISE", "CONSTRUCTIVE", "SUGGESTION", "RECOGNITION"].contains(&t.as_str())
    {
        f.push(FieldError::new(
            "feedback_type",
            "one of PRAISE, CONSTRUCTIVE, SUGGESTION, RECOGNITION",
        ));
    }
    if let Some(v) = &req.visibility
        && !["PRIVATE", "MANAGER", "PUBLIC"].contains(&v.as_str())
    {
        f.push(FieldError::new(
            "visibility",
            "one of PRIVATE, MANAGER, PUBLIC",
        ));
    }
    if req.is_anonymous && req.visibility.as_deref() == Some("PUBLIC") {
        f.push(FieldError::new(
            "visibility",
            "anonymous feedback cannot be PUBLIC",
        ));
    }
    let auth = db.auth().clone();
    if req.recipient_id == auth.user.as_uuid() {
        f.push(FieldError::new(
            "recipient_id",
            "feedback goes to someone else",
        ));
    }
    if !f.is_empty() {
        return Err(ApiError::invalid(f));
    }
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL)",
    )
    .bind(req.recipient_id)
    .fetch_one(db.conn())
    .await?;
    if !exists {
        return Err(ApiError::field("recipient_id", "no such person"));
    }
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    if let Some(rq) = req.request_id {
        let n = sqlx::query(
            "UPDATE feedback SET read_at = coalesce(read_at, now()) WHERE id = $1 AND feedback_type = 'REQUEST'
                AND giver_id = $2 AND recipient_id = $3 AND deleted_at IS NULL",
        )
        .bind(rq)
        .bind(auth.user.as_uuid())
        .bind(req.recipient_id)
        .execute(db.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(ApiError::field(
                "request_id",
                "no request of the recipient asked of you",
            ));
        }
    }
    // No RETURNING: an anonymous row keeps no giver, so its writer may not read it back.
    let id = Uuid::new_v4();
    let created_at: OffsetDateTime = sqlx::query_scalar(
        "INSERT INTO feedback (tenant_id, id, giver_id, recipient_id, requested_by, goal_id, feedback_type, visibility, is_anonymous, body, created_at)
         VALUES ($1, $2, CASE WHEN $8 THEN NULL ELSE $3 END, $4, CASE WHEN $10::uuid IS NULL THEN NULL ELSE $4 END, $5,
                 coalesce($6, 'PRAISE'), coalesce($7, 'PRIVATE'), $8, $9, now())
         RETURNING now()",
    )
    .bind(auth.tenant.as_uuid())
    .bind(id)
    .bind(auth.user.as_uuid())
    .bind(req.recipient_id)
    .bind(req.goal_id)
    .bind(req.feedback_type.as_deref())
    .bind(req.visibility.as_deref())
    .bind(req.is_anonymous)
    .bind(req.body.trim())
    .bind(req.request_id)
    .fetch_one(db.conn())
    .await?;
    let fb = FeedbackResponse {
        id,
        giver_id: (!req.is_anonymous).then_some(auth.user.as_uuid()),
        recipient_id: req.recipient_id,
        feedback_type: req.feedback_type.clone().unwrap_or_else(|| "PRAISE".into()),
        visibility: req.visibility.clone().unwrap_or_else(|| "PRIVATE".into()),
        is_anonymous: req.is_anonymous,
        body: req.body.trim().to_string(),
        goal_id: req.goal_id,
        created_at,
    };
    remember(&mut db, &key, StatusCode::CREATED, &fb).await?;
    db.commit().await?;
    dashboards_changed(&state, &auth, fb.recipient_id).await?;
    Ok((StatusCode::CREATED, Json(fb)).into_response())
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestFeedbackRequest {
    /// Who is asked to give it.
    pub from_id: Uuid,
    pub message: String,
    pub goal_id: Option<Uuid>,
}

/// Asks someone for feedback. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/feedback/requests", tag = "feedback", request_body = RequestFeedbackRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = FeedbackResponse), (status = 422, body = ErrorBody)))]
async fn request_feedback(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<RequestFeedbackRequest>,
) -> Result<Response, ApiError> {
    let auth = db.auth().clone();
    let mut f = Vec::new();
    if req.message.trim().is_empty() || req.message.chars().count() > 2000 {
        f.push(FieldError::new("message", "1 to 2000 characters"));
    }
    if req.from_id == auth.user.as_uuid() {
        f.push(FieldError::new("from_id", "ask someone else"));
    }
    if !f.is_empty() {
        return Err(ApiError::invalid(f));
    }
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL)",
    )
    .bind(req.from_id)
    .fetch_one(db.conn())
    .await?;
    if !exists {
        return Err(ApiError::field("from_id", "no such person"));
    }
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let fb: FeedbackResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO feedback AS f (tenant_id, giver_id, recipient_id, requested_by, goal_id, feedback_type, visibility, body)
         VALUES ($1, $2, $3, $3, $4, 'REQUEST', 'PRIVATE', $5) RETURNING {COLUMNS}"
    )))
    .bind(auth.tenant.as_uuid())
    .bind(req.from_id)
    .bind(auth.user.as_uuid())
    .bind(req.goal_id)
    .bind(req.message.trim())
    .fetch_one(db.conn())
    .await?;
    remember(&mut db, &key, StatusCode::CREATED, &fb).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, Json(fb)).into_response())
}

/// Open requests for feedback asked of me, newest first.
#[utoipa::path(get, path = "/feedback/requests", tag = "feedback", params(PageParams),
    responses((status = 200, body = Page<FeedbackResponse>)))]
async fn requests_for_me(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<FeedbackResponse>>, ApiError> {
    list(
        &mut db,
        p,
        "f.giver_id = pms_current_user_id() AND f.feedback_type = 'REQUEST' AND f.read_at IS NULL",
    )
    .await
}

/// Feedback I received (not anonymous; see `/feedback/received/anonymous`), newest first.
#[utoipa::path(get, path = "/feedback/received", tag = "feedback", params(PageParams),
    responses((status = 200, body = Page<FeedbackResponse>)))]
async fn received(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<FeedbackResponse>>, ApiError> {
    list(&mut db, p, "f.recipient_id = pms_current_user_id() AND f.feedback_type <> 'REQUEST' AND NOT f.is_anonymous").await
}

/// Feedback I gave under my name, newest first (anonymous feedback keeps no giver at all).
#[utoipa::path(get, path = "/feedback/given", tag = "feedback", params(PageParams),
    responses((status = 200, body = Page<FeedbackResponse>)))]
async fn given(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<FeedbackResponse>>, ApiError> {
    list(
        &mut db,
        p,
        "f.giver_id = pms_current_user_id() AND f.feedback_type <> 'REQUEST'",
    )
    .await
}

async fn list(
    db: &mut Db,
    p: PageParams,
    filter: &str,
) -> Result<Json<Page<FeedbackResponse>>, ApiError> {
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    let rows: Vec<FeedbackResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM feedback f WHERE f.deleted_at IS NULL AND {filter}
            AND ($1::timestamptz IS NULL OR (f.created_at, f.id) < ($1, $2))
          ORDER BY f.created_at DESC, f.id DESC LIMIT $3"
    )))
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    Ok(Json(page(rows, limit, |f: &FeedbackResponse| {
        (time_key(f.created_at), f.id)
    })))
}

/// An anonymous item as its recipient sees it: no id, no giver, the week it was given.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AnonymousFeedback {
    pub feedback_type: String,
    pub body: String,
    /// Monday of the week it was given.
    #[serde(with = "crate::day")]
    pub week: Date,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnonymousFeedbackResponse {
    /// True when fewer than the threshold exist: then nothing (not even how many) is shown.
    pub withheld: bool,
    pub threshold: i64,
    pub items: Vec<AnonymousFeedback>,
}

/// Anonymous feedback I received, all at once (at most 500), only when there are enough of
/// them that none can be told apart by author; ordered by its text, not its time.
#[utoipa::path(get, path = "/feedback/received/anonymous", tag = "feedback",
    responses((status = 200, body = AnonymousFeedbackResponse)))]
async fn received_anonymous(mut db: Db) -> Result<Json<AnonymousFeedbackResponse>, ApiError> {
    let items: Vec<AnonymousFeedback> = sqlx::query_as(
        "SELECT feedback_type, body, date_trunc('week', created_at AT TIME ZONE 'UTC')::date AS week
           FROM feedback WHERE recipient_id = pms_current_user_id() AND is_anonymous AND deleted_at IS NULL
            AND feedback_type <> 'REQUEST'
          ORDER BY md5(body), body LIMIT 500",
    )
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    let withheld = (items.len() as i64) < ANONYMITY_THRESHOLD;
    Ok(Json(AnonymousFeedbackResponse {
        withheld,
        threshold: ANONYMITY_THRESHOLD,
        items: if withheld { Vec::new() } else { items },
    }))
}
