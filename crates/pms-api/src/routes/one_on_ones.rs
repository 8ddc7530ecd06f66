//! One-on-ones: schedule, move, complete, cancel, with the agenda, the action items and each
//! participant's private note (`one_on_one_items.rs`). Who sees a meeting is the database's
//! rule (the two people meeting, the employee's chain and its delegates, HR); its workflow
//! (scheduled -> completed or cancelled) is a trigger. Scheduling notifies the other person.

use super::checks::{Checks, person_exists, query_one_of, workflow};
use super::idempotency::{IdempotencyKey, claim, remember};
use super::one_on_one_items::{ActionItem, AgendaItem, PrivateNote, insert_agenda_item};
use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
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
        .routes(routes!(list_one_on_ones, schedule_one_on_one))
        .routes(routes!(get_one_on_one, update_one_on_one))
        .routes(routes!(complete_one_on_one))
        .routes(routes!(cancel_one_on_one))
        .merge(super::one_on_one_items::router())
}

pub(crate) const STATUSES: [&str; 4] = ["SCHEDULED", "COMPLETED", "CANCELLED", "RESCHEDULED"];
const RECURRENCES: [&str; 4] = ["NONE", "WEEKLY", "BIWEEKLY", "MONTHLY"];

/// A one-on-one. Lists leave `agenda`, `action_items` and `my_private_note` empty.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct OneOnOneResponse {
    pub id: Uuid,
    pub manager_id: Uuid,
    pub employee_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub scheduled_at: OffsetDateTime,
    pub duration_minutes: i16,
    /// SCHEDULED, COMPLETED, CANCELLED (RESCHEDULED: older data only).
    pub status: String,
    pub recurrence: String,
    /// Notes both people (and whoever may see the meeting) read.
    pub shared_notes: Option<String>,
    pub mood: Option<i16>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub cancelled_at: Option<OffsetDateTime>,
    pub cancellation_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[sqlx(skip)]
    pub agenda: Vec<AgendaItem>,
    #[sqlx(skip)]
    pub action_items: Vec<ActionItem>,
    /// The caller's own private note on this meeting; nobody else's is ever shown.
    #[sqlx(skip)]
    pub my_private_note: Option<PrivateNote>,
}

const COLUMNS: &str = "o.id, o.manager_id, o.employee_id, o.scheduled_at, o.duration_minutes, o.status, o.recurrence,
    o.shared_notes, o.mood, o.completed_at, o.cancelled_at, o.cancellation_reason, o.created_at, o.updated_at";

/// The meeting row, when the caller may see it.
pub(crate) async fn fetch_meeting(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<OneOnOneResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM one_on_ones o WHERE o.id = $1 AND o.deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The meeting with its agenda, action items and the caller's private note.
pub(crate) async fn fetch_full(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<OneOnOneResponse>, sqlx::Error> {
    let Some(mut o) = fetch_meeting(&mut *conn, id).await? else {
        return Ok(None);
    };
    o.agenda = sqlx::query_as(
        "SELECT id, added_by, position, topic, is_discussed, created_at, updated_at
           FROM one_on_one_agenda_items WHERE one_on_one_id = $1 ORDER BY position, created_at, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    o.action_items = sqlx::query_as(
        "SELECT id, assignee_id, description, due_date, completed_at, created_at, updated_at
           FROM one_on_one_action_items WHERE one_on_one_id = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    // The policy shows a note to its author only; the filter says the same for clarity.
    o.my_private_note = sqlx::query_as(
        "SELECT id, body, created_at, updated_at FROM one_on_one_private_notes
          WHERE one_on_one_id = $1 AND author_id = pms_current_user_id()",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(Some(o))
}

fn respond(status: StatusCode, o: OneOnOneResponse) -> Response {
    (status, [etag_header(o.updated_at)], Json(o)).into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OneOnOneQuery {
    /// Meetings where this person is the manager or the employee.
    pub person_id: Option<Uuid>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// One-on-ones I may see, latest scheduled first.
#[utoipa::path(get, path = "/one-on-ones", tag = "one-on-ones", params(OneOnOneQuery),
    responses((status = 200, body = Page<OneOnOneResponse>), (status = 400, body = ErrorBody)))]
async fn list_one_on_ones(
    mut db: Db,
    ApiQuery(q): ApiQuery<OneOnOneQuery>,
) -> Result<Json<Page<OneOnOneResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    query_one_of("status", q.status.as_deref(), &STATUSES)?;
    let rows: Vec<OneOnOneResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM one_on_ones o WHERE o.deleted_at IS NULL
            AND ($1::uuid IS NULL OR $1 IN (o.manager_id, o.employee_id))
            AND ($2::text IS NULL OR o.status = $2)
            AND ($3::timestamptz IS NULL OR (o.scheduled_at, o.id) < ($3, $4))
          ORDER BY o.scheduled_at DESC, o.id DESC LIMIT $5"
    )))
    .bind(q.person_id)
    .bind(q.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |o: &OneOnOneResponse| {
        (time_key(o.scheduled_at), o.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleOneOnOneRequest {
    /// The report. The manager must be above them in the reporting chain.
    pub employee_id: Uuid,
    /// Default: me.
    pub manager_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub scheduled_at: OffsetDateTime,
    /// 5 to 480 (default 30).
    pub duration_minutes: Option<i16>,
    /// NONE, WEEKLY, BIWEEKLY or MONTHLY (default NONE).
    pub recurrence: Option<String>,
    /// Agenda topics to start with, in order.
    #[serde(default)]
    pub agenda: Vec<String>,
}

/// Schedules a one-on-one (the caller is the manager, the employee, someone above the
/// employee, or HR). Notifies the other person. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/one-on-ones", tag = "one-on-ones", request_body = ScheduleOneOnOneRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = OneOnOneResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn schedule_one_on_one(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<ScheduleOneOnOneRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.instant("scheduled_at", Some(req.scheduled_at));
    c.range(
        "duration_minutes",
        req.duration_minutes.map(i64::from),
        5,
        480,
    );
    c.one_of("recurrence", req.recurrence.as_deref(), &RECURRENCES);
    if req.agenda.len() > 50 {
        c.push("agenda", "at most 50 topics");
    }
    for (i, t) in req.agenda.iter().enumerate() {
        c.text(&format!("agenda[{i}]"), t, 500);
    }
    c.done()?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let auth = db.auth().clone();
    let manager = req.manager_id.unwrap_or(auth.user.as_uuid());
    // No such employee: 404, as for every record of someone I may not see.
    if !person_exists(db.conn(), req.employee_id).await? {
        return Err(ApiError::NotFound);
    }
    if !person_exists(db.conn(), manager).await? {
        return Err(ApiError::field("manager_id", "no such person"));
    }
    if manager == req.employee_id {
        return Err(ApiError::field(
            "employee_id",
            "a one-on-one is between two people",
        ));
    }
    let manages: bool = sqlx::query_scalar("SELECT pms_api_manages($1, $2)")
        .bind(manager)
        .bind(req.employee_id)
        .fetch_one(db.conn())
        .await?;
    if !manages {
        return Err(ApiError::field(
            "manager_id",
            "must be above the employee in the reporting chain",
        ));
    }
    let may: bool = sqlx::query_scalar(
        "SELECT pms_current_user_id() IN ($1, $2) OR pms_can_see_person($2, 'REVIEWS')",
    )
    .bind(manager)
    .bind(req.employee_id)
    .fetch_one(db.conn())
    .await?;
    if !may {
        // Neither of the two and the employee is not mine to see: 404.
        return Err(ApiError::NotFound);
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO one_on_ones (tenant_id, manager_id, employee_id, scheduled_at, duration_minutes, recurrence)
         VALUES ($1, $2, $3, $4, coalesce($5, 30), coalesce($6, 'NONE')) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(manager)
    .bind(req.employee_id)
    .bind(req.scheduled_at)
    .bind(req.duration_minutes)
    .bind(req.recurrence.as_deref())
    .fetch_one(db.conn())
    .await
    .map_err(workflow)?;
    for (i, topic) in req.agenda.iter().enumerate() {
        insert_agenda_item(db.conn(), &auth, id, topic, i as i16 + 1).await?;
    }
    let o = fetch_full(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new one-on-one is not visible to its creator"))?;
    remember(&mut db, &key, StatusCode::CREATED, &o).await?;
    db.commit().await?;
    Ok(respond(StatusCode::CREATED, o))
}

/// One one-on-one with its agenda, action items and my private note.
#[utoipa::path(get, path = "/one-on-ones/{id}", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 200, body = OneOnOneResponse), (status = 404, body = ErrorBody)))]
async fn get_one_on_one(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let o = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, o))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOneOnOneRequest {
    /// Moves the meeting (only while it is scheduled); the other person is notified.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub scheduled_at: Option<OffsetDateTime>,
    pub duration_minutes: Option<i16>,
    pub recurrence: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub shared_notes: Option<Option<String>>,
    /// 1 to 5; null clears it.
    #[serde(default, deserialize_with = "super::double_option")]
    pub mood: Option<Option<i16>>,
}

/// Changes a one-on-one: move it, change its rhythm, write the shared notes. Honors `If-Match`.
#[utoipa::path(patch, path = "/one-on-ones/{id}", tag = "one-on-ones", request_body = UpdateOneOnOneRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = OneOnOneResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_one_on_one(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateOneOnOneRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.instant("scheduled_at", req.scheduled_at);
    c.range(
        "duration_minutes",
        req.duration_minutes.map(i64::from),
        5,
        480,
    );
    c.one_of("recurrence", req.recurrence.as_deref(), &RECURRENCES);
    if let Some(Some(n)) = &req.shared_notes {
        c.text("shared_notes", n, 20_000);
    }
    if let Some(Some(m)) = req.mood {
        c.range("mood", Some(i64::from(m)), 1, 5);
    }
    c.done()?;
    fetch_meeting(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE one_on_ones SET scheduled_at = coalesce($2, scheduled_at),
                duration_minutes = coalesce($3, duration_minutes), recurrence = coalesce($4, recurrence),
                shared_notes = CASE WHEN $5 THEN $6 ELSE shared_notes END,
                mood = CASE WHEN $7 THEN $8 ELSE mood END,
                status = CASE WHEN $2::timestamptz IS NOT NULL AND status = 'RESCHEDULED' THEN 'SCHEDULED' ELSE status END
          WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(9)
    )))
    .bind(id)
    .bind(req.scheduled_at)
    .bind(req.duration_minutes)
    .bind(req.recurrence.as_deref())
    .bind(req.shared_notes.is_some())
    .bind(req.shared_notes.clone().flatten())
    .bind(req.mood.is_some())
    .bind(req.mood.flatten())
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let o = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, o))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteOneOnOneRequest {
    pub shared_notes: Option<String>,
    /// 1 to 5.
    pub mood: Option<i16>,
}

/// Marks a scheduled one-on-one as held (with its notes and mood). Honors `If-Match`.
#[utoipa::path(post, path = "/one-on-ones/{id}/complete", tag = "one-on-ones", request_body = CompleteOneOnOneRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = OneOnOneResponse), (status = 404, body = ErrorBody),
              (status = 409, description = "not scheduled (invalid_transition, record_closed)", body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn complete_one_on_one(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<CompleteOneOnOneRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("shared_notes", req.shared_notes.as_deref(), 20_000);
    c.range("mood", req.mood.map(i64::from), 1, 5);
    c.done()?;
    transition(
        db,
        id,
        version,
        "COMPLETED",
        "status = 'COMPLETED', shared_notes = coalesce($3, shared_notes), mood = coalesce($4::smallint, mood)",
        req.shared_notes.as_deref(),
        req.mood,
    )
    .await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelOneOnOneRequest {
    pub reason: Option<String>,
}

/// Cancels a scheduled one-on-one; the other person is notified. Honors `If-Match`.
#[utoipa::path(post, path = "/one-on-ones/{id}/cancel", tag = "one-on-ones", request_body = CancelOneOnOneRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = OneOnOneResponse), (status = 404, body = ErrorBody),
              (status = 409, description = "not scheduled (invalid_transition, record_closed)", body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel_one_on_one(
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<CancelOneOnOneRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("reason", req.reason.as_deref(), 2000);
    c.done()?;
    transition(
        db,
        id,
        version,
        "CANCELLED",
        "status = 'CANCELLED', cancellation_reason = $3, mood = coalesce($4::smallint, mood)",
        req.reason.as_deref(),
        None,
    )
    .await
}

async fn transition(
    mut db: Db,
    id: Uuid,
    version: Option<i64>,
    target: &str,
    set: &str,
    text: Option<&str>,
    mood: Option<i16>,
) -> Result<Response, ApiError> {
    let current = fetch_meeting(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if current.status == target {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the one-on-one is {target} already"),
        ));
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE one_on_ones SET {set} WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(2)
    )))
    .bind(id)
    .bind(version)
    .bind(text)
    .bind(mood)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let o = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, o))
}
