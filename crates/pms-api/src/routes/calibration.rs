//! Calibration sessions of a review cycle and their participants. A session runs PLANNED →
//! IN_PROGRESS → COMPLETED (or CANCELLED while open); the moves, what a closed session refuses
//! and the lock of a finalized cycle are triggers' (`078_api_c_calibration.sql`). HR runs
//! sessions; a session is visible to HR and to its participants, to nobody else (404). The
//! ratings grid, adjustments, the distribution and finalizing: `calibration_grid.rs`.

use super::checks::{Checks, person_exists, workflow};
use super::idempotency::{IdempotencyKey, claim, remember};
use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sessions, create_session))
        .routes(routes!(get_session, update_session))
        .routes(routes!(transition_session))
        .routes(routes!(list_participants, add_participant))
        .routes(routes!(remove_participant))
        .merge(super::calibration_grid::router())
}

pub(crate) const SESSION_STATUSES: [&str; 4] = ["PLANNED", "IN_PROGRESS", "COMPLETED", "CANCELLED"];
const PARTICIPANT_ROLES: [&str; 4] = ["CALIBRATOR", "FACILITATOR", "OBSERVER", "HR_PARTNER"];

/// The reasons the calibration triggers give (their HINT) beyond the shared workflow codes.
const CALIBRATION_CODES: [&str; 6] = [
    "ratings_locked",
    "rationale_required",
    "original_kept",
    "cycle_phase",
    "sessions_open",
    "record_closed",
];

/// A database error of a calibration write: a trigger's refusal is a 409 with its code.
pub(crate) fn refused(e: sqlx::Error) -> ApiError {
    if let sqlx::Error::Database(db) = &e
        && db.code().as_deref() == Some("P0001")
        && let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        && let Some(code) = CALIBRATION_CODES
            .iter()
            .find(|c| pg.hint() == Some(**c))
            .copied()
    {
        return ApiError::conflict(code, pg.message().to_string());
    }
    workflow(e)
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CalibrationSessionResponse {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub name: String,
    /// PLANNED, IN_PROGRESS, COMPLETED or CANCELLED.
    pub status: String,
    pub facilitator_id: Option<Uuid>,
    /// Calibrates the people of this department only (all the cycle's people when absent).
    pub department_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub scheduled_at: Option<OffsetDateTime>,
    /// The target curve: shares per band, `{"1": 0.1, ..., "5": 0.1}` or
    /// `{"below": 0.1, "meets": 0.7, "exceeds": 0.2}`.
    pub target_distribution: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const SESSION_COLUMNS: &str = "s.id, s.cycle_id, s.name, s.status, s.facilitator_id, s.department_id, s.scheduled_at, s.target_distribution, s.created_at, s.updated_at";

/// HR sees every session; anyone else the sessions they take part in.
pub(crate) const SESSION_VISIBLE: &str = "(pms_is_tenant_hr() OR s.facilitator_id = pms_current_user_id()
    OR EXISTS (SELECT 1 FROM calibration_participants p WHERE p.tenant_id = s.tenant_id AND p.session_id = s.id
                  AND p.user_id = pms_current_user_id()))";

pub(crate) async fn fetch_session(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<CalibrationSessionResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SESSION_COLUMNS} FROM calibration_sessions s WHERE s.id = $1 AND {SESSION_VISIBLE}"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The session if the caller sees it (else 404), and the caller is HR (else 403).
pub(crate) async fn session_to_run(
    db: &mut Db,
    id: Uuid,
) -> Result<CalibrationSessionResponse, ApiError> {
    let s = fetch_session(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.auth().require_hr()?;
    Ok(s)
}

/// A target curve: bands `1`..`5` or `below`/`meets`/`exceeds`, shares from 0 to 1 adding
/// up to 1 (an empty object: no target).
pub(crate) fn check_target(c: &mut Checks, path: &str, v: &serde_json::Value) {
    let Some(obj) = v.as_object() else {
        c.push(path, "an object of shares per band");
        return;
    };
    if obj.is_empty() {
        return;
    }
    let numeric = obj
        .keys()
        .all(|k| ["1", "2", "3", "4", "5"].contains(&k.as_str()));
    let named = obj
        .keys()
        .all(|k| ["below", "meets", "exceeds"].contains(&k.as_str()));
    if !numeric && !named {
        c.push(path, "bands 1 to 5, or below, meets and exceeds");
        return;
    }
    let mut sum = 0.0;
    for (k, share) in obj {
        match share.as_f64() {
            Some(x) if (0.0..=1.0).contains(&x) => sum += x,
            _ => c.push(&format!("{path}.{k}"), "a share from 0 to 1"),
        }
    }
    if (sum - 1.0).abs() > 0.011 {
        c.push(path, "the shares add up to 1");
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionFilter {
    /// The sessions of one cycle.
    pub cycle_id: Option<Uuid>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Calibration sessions the caller sees (HR: all; others: those they take part in), newest first.
#[utoipa::path(get, path = "/calibration/sessions", tag = "calibration", params(SessionFilter),
    responses((status = 200, body = Page<CalibrationSessionResponse>), (status = 400, body = ErrorBody)))]
async fn list_sessions(
    mut db: Db,
    ApiQuery(f): ApiQuery<SessionFilter>,
) -> Result<Json<Page<CalibrationSessionResponse>>, ApiError> {
    super::checks::query_one_of("status", f.status.as_deref(), &SESSION_STATUSES)?;
    let p = PageParams {
        cursor: f.cursor,
        limit: f.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    let rows: Vec<CalibrationSessionResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SESSION_COLUMNS} FROM calibration_sessions s
          WHERE {SESSION_VISIBLE} AND ($1::uuid IS NULL OR s.cycle_id = $1) AND ($2::text IS NULL OR s.status = $2)
            AND ($3::timestamptz IS NULL OR (s.created_at, s.id) < ($3, $4))
          ORDER BY s.created_at DESC, s.id DESC LIMIT $5"
    )))
    .bind(f.cycle_id)
    .bind(f.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |s: &CalibrationSessionResponse| {
        (time_key(s.created_at), s.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSessionRequest {
    pub cycle_id: Uuid,
    pub name: String,
    pub facilitator_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub scheduled_at: Option<OffsetDateTime>,
    /// Shares per band (see the session); empty or absent: no target.
    pub target_distribution: Option<serde_json::Value>,
}

/// Plans a calibration session in a cycle (ADMIN or HR_ADMIN). The facilitator takes a seat
/// as FACILITATOR. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/calibration/sessions", tag = "calibration", request_body = CreateSessionRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = CalibrationSessionResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_session(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateSessionRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("name", &req.name, 200);
    c.instant("scheduled_at", req.scheduled_at);
    if let Some(t) = &req.target_distribution {
        check_target(&mut c, "target_distribution", t);
    }
    c.done()?;
    db.auth().require_hr()?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let cycle: Option<String> =
        sqlx::query_scalar("SELECT status FROM review_cycles WHERE id = $1 AND deleted_at IS NULL")
            .bind(req.cycle_id)
            .fetch_optional(db.conn())
            .await?;
    let cycle = cycle.ok_or_else(|| ApiError::field("cycle_id", "no such review cycle"))?;
    if matches!(cycle.as_str(), "COMPLETED" | "CANCELLED") {
        return Err(ApiError::conflict(
            "cycle_phase",
            format!("the cycle is {cycle}: no new calibration session"),
        ));
    }
    if let Some(f) = req.facilitator_id
        && !person_exists(db.conn(), f).await?
    {
        return Err(ApiError::field("facilitator_id", "no such person"));
    }
    let tenant = db.auth().tenant.as_uuid();
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO calibration_sessions (tenant_id, cycle_id, name, facilitator_id, department_id, scheduled_at, target_distribution)
         VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, '{}'::jsonb)) RETURNING id",
    )
    .bind(tenant)
    .bind(req.cycle_id)
    .bind(req.name.trim())
    .bind(req.facilitator_id)
    .bind(req.department_id)
    .bind(req.scheduled_at)
    .bind(req.target_distribution.as_ref())
    .fetch_one(db.conn())
    .await
    .map_err(refused)?;
    if let Some(f) = req.facilitator_id {
        sqlx::query(
            "INSERT INTO calibration_participants (tenant_id, session_id, user_id, participant_role) VALUES ($1, $2, $3, 'FACILITATOR')",
        )
        .bind(tenant)
        .bind(id)
        .bind(f)
        .execute(db.conn())
        .await
        .map_err(refused)?;
    }
    let s = fetch_session(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new session is not visible to HR"))?;
    remember(&mut db, &key, StatusCode::CREATED, &s).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(s.updated_at)], Json(s)).into_response())
}

/// One calibration session.
#[utoipa::path(get, path = "/calibration/sessions/{id}", tag = "calibration", params(("id" = Uuid, Path)),
    responses((status = 200, body = CalibrationSessionResponse), (status = 404, body = ErrorBody)))]
async fn get_session(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let s = fetch_session(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(s.updated_at)], Json(s)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSessionRequest {
    pub name: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub scheduled_at: Option<OffsetDateTime>,
    pub target_distribution: Option<serde_json::Value>,
}

/// Changes an open session's name, time or target curve (HR). Honors `If-Match`.
#[utoipa::path(patch, path = "/calibration/sessions/{id}", tag = "calibration", request_body = UpdateSessionRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CalibrationSessionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_session(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateSessionRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("name", req.name.as_deref(), 200);
    c.instant("scheduled_at", req.scheduled_at);
    if let Some(t) = &req.target_distribution {
        check_target(&mut c, "target_distribution", t);
    }
    c.done()?;
    session_to_run(&mut db, id).await?;
    let s: Option<CalibrationSessionResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE calibration_sessions s SET name = coalesce($2, name), scheduled_at = coalesce($3, scheduled_at),
                target_distribution = coalesce($4, target_distribution)
          WHERE s.id = $1 AND {} RETURNING {SESSION_COLUMNS}",
        version_matches(5)
    )))
    .bind(id)
    .bind(req.name.as_deref().map(str::trim))
    .bind(req.scheduled_at)
    .bind(req.target_distribution.as_ref())
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(refused)?;
    let s = s.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(([etag_header(s.updated_at)], Json(s)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionTransitionRequest {
    /// PLANNED → IN_PROGRESS → COMPLETED; CANCELLED from PLANNED or IN_PROGRESS.
    pub status: String,
}

/// Moves a session (HR). Honors `If-Match`.
#[utoipa::path(post, path = "/calibration/sessions/{id}/transition", tag = "calibration",
    request_body = SessionTransitionRequest, params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = CalibrationSessionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition, record_closed or ratings_locked", body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_session(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<SessionTransitionRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.one_of("status", Some(&req.status), &SESSION_STATUSES);
    c.done()?;
    let current = session_to_run(&mut db, id).await?;
    if current.status == req.status {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the session is {} already", current.status),
        ));
    }
    let s: Option<CalibrationSessionResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE calibration_sessions s SET status = $2 WHERE s.id = $1 AND {} RETURNING {SESSION_COLUMNS}",
        version_matches(3)
    )))
    .bind(id)
    .bind(&req.status)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(refused)?;
    let s = s.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(([etag_header(s.updated_at)], Json(s)).into_response())
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ParticipantResponse {
    pub id: Uuid,
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    /// CALIBRATOR, FACILITATOR, OBSERVER or HR_PARTNER.
    pub participant_role: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The roster of a session.
#[utoipa::path(get, path = "/calibration/sessions/{id}/participants", tag = "calibration", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ParticipantResponse>), (status = 404, body = ErrorBody)))]
async fn list_participants(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<ParticipantResponse>>, ApiError> {
    fetch_session(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let rows: Vec<ParticipantResponse> = sqlx::query_as(
        "SELECT p.id, p.session_id, p.user_id, u.first_name, u.last_name, p.participant_role, p.created_at
           FROM calibration_participants p JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id
          WHERE p.session_id = $1 ORDER BY p.created_at, p.id LIMIT 500",
    )
    .bind(id)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddParticipantRequest {
    pub user_id: Uuid,
    /// CALIBRATOR (default), FACILITATOR, OBSERVER or HR_PARTNER.
    pub participant_role: Option<String>,
}

/// Seats a person in an open session (HR).
#[utoipa::path(post, path = "/calibration/sessions/{id}/participants", tag = "calibration",
    request_body = AddParticipantRequest, params(("id" = Uuid, Path)),
    responses((status = 201, body = ParticipantResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "already seated, or the session is closed", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn add_participant(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<AddParticipantRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.one_of(
        "participant_role",
        req.participant_role.as_deref(),
        &PARTICIPANT_ROLES,
    );
    c.done()?;
    session_to_run(&mut db, id).await?;
    if !person_exists(db.conn(), req.user_id).await? {
        return Err(ApiError::field("user_id", "no such person"));
    }
    let tenant = db.auth().tenant.as_uuid();
    let pid: Uuid = sqlx::query_scalar(
        "INSERT INTO calibration_participants (tenant_id, session_id, user_id, participant_role)
         VALUES ($1, $2, $3, coalesce($4, 'CALIBRATOR')) RETURNING id",
    )
    .bind(tenant)
    .bind(id)
    .bind(req.user_id)
    .bind(req.participant_role.as_deref())
    .fetch_one(db.conn())
    .await
    .map_err(refused)?;
    let p: ParticipantResponse = sqlx::query_as(
        "SELECT p.id, p.session_id, p.user_id, u.first_name, u.last_name, p.participant_role, p.created_at
           FROM calibration_participants p JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id WHERE p.id = $1",
    )
    .bind(pid)
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

/// Takes a person's seat away in an open session (HR).
#[utoipa::path(delete, path = "/calibration/sessions/{id}/participants/{user_id}", tag = "calibration",
    params(("id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn remove_participant(
    mut db: Db,
    ApiPath((id, user)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    session_to_run(&mut db, id).await?;
    let n =
        sqlx::query("DELETE FROM calibration_participants WHERE session_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .execute(db.conn())
            .await
            .map_err(refused)?
            .rows_affected();
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A rating with at most two decimals from 0 to 5 (the column's range).
pub(crate) fn rating_ok(r: Decimal) -> bool {
    r >= Decimal::ZERO && r <= Decimal::from(5) && r.scale() <= 2
}
