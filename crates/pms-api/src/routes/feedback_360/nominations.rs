//! Nominations of raters for a subject in a 360 cycle: made by the subject, their chain or HR
//! while the cycle is NOMINATING or COLLECTING; approved or declined by the subject's chain
//! (FEEDBACK delegates too) or HR. The database refuses a nomination that breaks the
//! conflict-of-interest rule (409 `conflict_of_interest`: the rater reports to the subject and
//! the cycle forbids rating one's own managers) and the subject as anything but SELF (422
//! `self_as_rater`), whoever writes.

use super::cycles::fetch_cycle;
use super::{RELATIONSHIPS, refused};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::routes::checks::{Checks, person_exists, query_one_of};
use crate::routes::idempotency::{IdempotencyKey, claim, remember};
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
        .routes(routes!(list_nominations, nominate))
        .routes(routes!(get_nomination, withdraw_nomination))
        .routes(routes!(approve_nomination))
        .routes(routes!(decline_nomination))
}

const NOMINATION_STATUSES: [&str; 3] = ["PENDING", "APPROVED", "DECLINED"];

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360NominationResponse {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub subject_id: Uuid,
    pub nominee_id: Uuid,
    pub nominee_first_name: String,
    pub nominee_last_name: String,
    pub nominated_by: Option<Uuid>,
    /// MANAGER, PEER, DIRECT_REPORT, SELF, EXTERNAL or OTHER: the rater group.
    pub relationship: String,
    /// PENDING, APPROVED or DECLINED.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const NOMINATION_SELECT: &str = "SELECT n.id, n.cycle_id, n.subject_id, n.nominee_id, u.first_name AS nominee_first_name,
        u.last_name AS nominee_last_name, n.nominated_by, n.relationship, n.status, n.created_at, n.updated_at
   FROM feedback_360_nominations n JOIN users u ON u.tenant_id = n.tenant_id AND u.id = n.nominee_id";

async fn fetch_nomination(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Feedback360NominationResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{NOMINATION_SELECT} WHERE n.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Whether the acting user may approve (or decline) nominations about `subject`: HR, or
/// someone the subject is below in the chain (FEEDBACK delegates too).
async fn may_approve(conn: &mut PgConnection, subject: Uuid) -> Result<bool, ApiError> {
    Ok(sqlx::query_scalar(
        "SELECT pms_is_tenant_hr() OR $1 IN (SELECT m FROM pms_managed_people('FEEDBACK') m)",
    )
    .bind(subject)
    .fetch_one(conn)
    .await?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Feedback360NominationFilter {
    pub subject_id: Option<Uuid>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The nominations of a cycle that I may see (about me, of me, by me, about people below me;
/// HR: all), oldest first.
#[utoipa::path(get, path = "/feedback-360/cycles/{id}/nominations", tag = "feedback-360",
    params(("id" = Uuid, Path), Feedback360NominationFilter),
    responses((status = 200, body = Page<Feedback360NominationResponse>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_nominations(
    mut db: Db,
    ApiPath(cycle): ApiPath<Uuid>,
    ApiQuery(f): ApiQuery<Feedback360NominationFilter>,
) -> Result<Json<Page<Feedback360NominationResponse>>, ApiError> {
    query_one_of("status", f.status.as_deref(), &NOMINATION_STATUSES)?;
    let p = PageParams {
        cursor: f.cursor,
        limit: f.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    fetch_cycle(db.conn(), cycle)
        .await?
        .ok_or(ApiError::NotFound)?;
    let rows: Vec<Feedback360NominationResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{NOMINATION_SELECT}
          WHERE n.cycle_id = $1 AND ($2::uuid IS NULL OR n.subject_id = $2) AND ($3::text IS NULL OR n.status = $3)
            AND ($4::timestamptz IS NULL OR (n.created_at, n.id) > ($4, $5))
          ORDER BY n.created_at, n.id LIMIT $6"
    )))
    .bind(cycle)
    .bind(f.subject_id)
    .bind(f.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(
        rows,
        limit,
        |n: &Feedback360NominationResponse| (time_key(n.created_at), n.id),
    )))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFeedback360NominationRequest {
    /// The person rated; default me.
    pub subject_id: Option<Uuid>,
    /// The rater.
    pub nominee_id: Uuid,
    /// MANAGER, PEER, DIRECT_REPORT, SELF (the subject only), EXTERNAL or OTHER.
    pub relationship: String,
}

/// Nominates a rater (the subject, their chain or HR); the nomination is PENDING until the
/// subject's chain or HR approves it. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/feedback-360/cycles/{id}/nominations", tag = "feedback-360",
    request_body = CreateFeedback360NominationRequest, params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Feedback360NominationResponse), (status = 404, body = ErrorBody),
              (status = 409, description = "conflict_of_interest, cycle_phase, already_exists", body = ErrorBody),
              (status = 422, description = "validation_failed, self_as_rater", body = ErrorBody)))]
async fn nominate(
    mut db: Db,
    ApiPath(cycle): ApiPath<Uuid>,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateFeedback360NominationRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.one_of("relationship", Some(&req.relationship), &RELATIONSHIPS);
    c.done()?;
    fetch_cycle(db.conn(), cycle)
        .await?
        .ok_or(ApiError::NotFound)?;
    let me = db.auth().user.as_uuid();
    let subject = req.subject_id.unwrap_or(me);
    let visible: bool = sqlx::query_scalar("SELECT pms_feedback_360_can_see_report($1)")
        .bind(subject)
        .fetch_one(db.conn())
        .await?;
    if !visible {
        return Err(ApiError::NotFound);
    }
    if !person_exists(db.conn(), req.nominee_id).await? {
        return Err(ApiError::field("nominee_id", "no such person"));
    }
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO feedback_360_nominations (tenant_id, cycle_id, subject_id, nominee_id, nominated_by, relationship)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(db.auth().tenant.as_uuid())
    .bind(cycle)
    .bind(subject)
    .bind(req.nominee_id)
    .bind(me)
    .bind(&req.relationship)
    .fetch_one(db.conn())
    .await
    .map_err(refused)?;
    let n = fetch_nomination(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new nomination is not visible to its nominator"))?;
    remember(&mut db, &key, StatusCode::CREATED, &n).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(n.updated_at)], Json(n)).into_response())
}

/// One nomination.
#[utoipa::path(get, path = "/feedback-360/nominations/{id}", tag = "feedback-360", params(("id" = Uuid, Path)),
    responses((status = 200, body = Feedback360NominationResponse), (status = 404, body = ErrorBody)))]
async fn get_nomination(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let n = fetch_nomination(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(n.updated_at)], Json(n)).into_response())
}

/// Decides a PENDING nomination (the subject's chain or HR).
async fn decide(
    mut db: Db,
    id: Uuid,
    version: Option<i64>,
    status: &str,
) -> Result<Response, ApiError> {
    let n = fetch_nomination(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !may_approve(db.conn(), n.subject_id).await? {
        return Err(ApiError::Forbidden(
            "a nomination is approved or declined by the subject's managers or HR".into(),
        ));
    }
    if n.status != "PENDING" {
        return Err(ApiError::conflict(
            "record_closed",
            format!("the nomination is {} already: it is decided", n.status),
        ));
    }
    let done: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE feedback_360_nominations SET status = $2 WHERE id = $1 AND {} RETURNING id",
        version_matches(3)
    )))
    .bind(id)
    .bind(status)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(refused)?;
    done.ok_or(ApiError::PreconditionFailed)?;
    let n = fetch_nomination(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(n.updated_at)], Json(n)).into_response())
}

/// Approves a PENDING nomination (the subject's chain or HR); in a COLLECTING cycle its request
/// is sent at once. Honors `If-Match`.
#[utoipa::path(post, path = "/feedback-360/nominations/{id}/approve", tag = "feedback-360",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Feedback360NominationResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "record_closed, cycle_phase, conflict_of_interest", body = ErrorBody),
              (status = 412, body = ErrorBody)))]
async fn approve_nomination(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<Response, ApiError> {
    decide(db, id, version, "APPROVED").await
}

/// Declines a PENDING nomination (the subject's chain or HR). Honors `If-Match`.
#[utoipa::path(post, path = "/feedback-360/nominations/{id}/decline", tag = "feedback-360",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Feedback360NominationResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "record_closed, cycle_phase", body = ErrorBody), (status = 412, body = ErrorBody)))]
async fn decline_nomination(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<Response, ApiError> {
    decide(db, id, version, "DECLINED").await
}

/// Withdraws a PENDING nomination (the subject, their chain or HR).
#[utoipa::path(delete, path = "/feedback-360/nominations/{id}", tag = "feedback-360", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "record_closed, cycle_phase", body = ErrorBody)))]
async fn withdraw_nomination(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let n = fetch_nomination(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let me = db.auth().user.as_uuid();
    if n.subject_id != me && !may_approve(db.conn(), n.subject_id).await? {
        return Err(ApiError::Forbidden(
            "a nomination is withdrawn by the subject, their managers or HR".into(),
        ));
    }
    let gone = sqlx::query("DELETE FROM feedback_360_nominations WHERE id = $1")
        .bind(id)
        .execute(db.conn())
        .await
        .map_err(refused)?
        .rows_affected();
    if gone == 0 {
        return Err(ApiError::NotFound);
    }
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
