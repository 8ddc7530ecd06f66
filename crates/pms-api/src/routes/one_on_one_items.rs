//! The parts of a one-on-one: agenda topics, action items, and private notes. A private note
//! is its author's alone: the database shows it to nobody else (not the other person, not
//! their managers, not HR), and its audit entries withhold its words.

use super::checks::{Checks, workflow};
use super::idempotency::{IdempotencyKey, claim, remember};
use super::one_on_ones::fetch_meeting;
use super::versions::{IfMatch, etag_header, version_matches};
use crate::auth::Auth;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_agenda_item))
        .routes(routes!(update_agenda_item, delete_agenda_item))
        .routes(routes!(add_action_item))
        .routes(routes!(update_action_item))
        .routes(routes!(
            get_private_note,
            put_private_note,
            delete_private_note
        ))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct AgendaItem {
    pub id: Uuid,
    pub added_by: Option<Uuid>,
    pub position: i16,
    pub topic: String,
    pub is_discussed: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ActionItem {
    pub id: Uuid,
    pub assignee_id: Uuid,
    pub description: String,
    #[serde(with = "crate::day::option")]
    pub due_date: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PrivateNote {
    pub id: Uuid,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const AGENDA_COLUMNS: &str = "id, added_by, position, topic, is_discussed, created_at, updated_at";
const ACTION_COLUMNS: &str =
    "id, assignee_id, description, due_date, completed_at, created_at, updated_at";

pub(crate) async fn insert_agenda_item(
    conn: &mut PgConnection,
    auth: &Auth,
    meeting: Uuid,
    topic: &str,
    position: i16,
) -> Result<AgendaItem, ApiError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO one_on_one_agenda_items (tenant_id, one_on_one_id, added_by, position, topic)
         VALUES ($1, $2, $3, $4, $5) RETURNING {AGENDA_COLUMNS}"
    )))
    .bind(auth.tenant.as_uuid())
    .bind(meeting)
    .bind(auth.user.as_uuid())
    .bind(position)
    .bind(topic.trim())
    .fetch_one(conn)
    .await
    .map_err(workflow)
}

fn created<T: Serialize>(updated_at: OffsetDateTime, v: T) -> Response {
    (StatusCode::CREATED, [etag_header(updated_at)], Json(v)).into_response()
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgendaItem {
    pub topic: String,
    /// 0 to 1000; default: after the last topic.
    pub position: Option<i16>,
}

/// Adds a topic to a meeting's agenda. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/one-on-ones/{id}/agenda", tag = "one-on-ones", request_body = NewAgendaItem,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = AgendaItem), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_agenda_item(
    mut db: Db,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<NewAgendaItem>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("topic", &req.topic, 500);
    c.range("position", req.position.map(i64::from), 0, 1000);
    c.done()?;
    fetch_meeting(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(replay) = claim(&mut db, &key, &(id, &req)).await? {
        return Ok(replay);
    }
    let position = match req.position {
        Some(p) => p,
        None => sqlx::query_scalar(
            "SELECT least(coalesce(max(position), 0) + 1, 1000)::smallint FROM one_on_one_agenda_items WHERE one_on_one_id = $1",
        )
        .bind(id)
        .fetch_one(db.conn())
        .await?,
    };
    let auth = db.auth().clone();
    let item = insert_agenda_item(db.conn(), &auth, id, &req.topic, position).await?;
    remember(&mut db, &key, StatusCode::CREATED, &item).await?;
    db.commit().await?;
    Ok(created(item.updated_at, item))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAgendaItem {
    pub topic: Option<String>,
    pub position: Option<i16>,
    pub is_discussed: Option<bool>,
}

/// Changes an agenda topic (mark it discussed, reword, reorder). Honors `If-Match`.
#[utoipa::path(patch, path = "/one-on-ones/{id}/agenda/{item_id}", tag = "one-on-ones", request_body = UpdateAgendaItem,
    params(("id" = Uuid, Path), ("item_id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = AgendaItem), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_agenda_item(
    mut db: Db,
    ApiPath((id, item_id)): ApiPath<(Uuid, Uuid)>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateAgendaItem>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("topic", req.topic.as_deref(), 500);
    c.range("position", req.position.map(i64::from), 0, 1000);
    c.done()?;
    exists(
        db.conn(),
        "one_on_one_agenda_items",
        "one_on_one_id",
        id,
        item_id,
    )
    .await?;
    let item: Option<AgendaItem> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE one_on_one_agenda_items SET topic = coalesce($3, topic), position = coalesce($4, position),
                is_discussed = coalesce($5, is_discussed)
          WHERE id = $2 AND one_on_one_id = $1 AND {} RETURNING {AGENDA_COLUMNS}",
        version_matches(6)
    )))
    .bind(id)
    .bind(item_id)
    .bind(req.topic.as_deref().map(str::trim))
    .bind(req.position)
    .bind(req.is_discussed)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    let item = item.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(([etag_header(item.updated_at)], Json(item)).into_response())
}

/// Removes a topic from the agenda.
#[utoipa::path(delete, path = "/one-on-ones/{id}/agenda/{item_id}", tag = "one-on-ones",
    params(("id" = Uuid, Path), ("item_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_agenda_item(
    mut db: Db,
    ApiPath((id, item_id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    exists(
        db.conn(),
        "one_on_one_agenda_items",
        "one_on_one_id",
        id,
        item_id,
    )
    .await?;
    sqlx::query("DELETE FROM one_on_one_agenda_items WHERE id = $2 AND one_on_one_id = $1")
        .bind(id)
        .bind(item_id)
        .execute(db.conn())
        .await
        .map_err(workflow)?;
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 404 unless the caller may see the part `item` of the record `parent`.
pub(crate) async fn exists(
    conn: &mut PgConnection,
    table: &str,
    parent_column: &str,
    parent: Uuid,
    item: Uuid,
) -> Result<(), ApiError> {
    let found: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT EXISTS (SELECT 1 FROM {table} WHERE id = $2 AND {parent_column} = $1)"
    )))
    .bind(parent)
    .bind(item)
    .fetch_one(conn)
    .await?;
    if found {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActionItem {
    /// One of the two people meeting.
    pub assignee_id: Uuid,
    pub description: String,
    #[serde(default, with = "crate::day::option")]
    pub due_date: Option<Date>,
}

/// Adds a follow-up agreed in the meeting. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/one-on-ones/{id}/action-items", tag = "one-on-ones", request_body = NewActionItem,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = ActionItem), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_action_item(
    mut db: Db,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<NewActionItem>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("description", &req.description, 2000);
    c.date("due_date", req.due_date);
    c.done()?;
    let meeting = fetch_meeting(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if req.assignee_id != meeting.manager_id && req.assignee_id != meeting.employee_id {
        return Err(ApiError::field(
            "assignee_id",
            "one of the two people meeting",
        ));
    }
    if let Some(replay) = claim(&mut db, &key, &(id, &req)).await? {
        return Ok(replay);
    }
    let tenant = db.auth().tenant.as_uuid();
    let item: ActionItem = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO one_on_one_action_items (tenant_id, one_on_one_id, assignee_id, description, due_date)
         VALUES ($1, $2, $3, $4, $5) RETURNING {ACTION_COLUMNS}"
    )))
    .bind(tenant)
    .bind(id)
    .bind(req.assignee_id)
    .bind(req.description.trim())
    .bind(req.due_date)
    .fetch_one(db.conn())
    .await
    .map_err(workflow)?;
    remember(&mut db, &key, StatusCode::CREATED, &item).await?;
    db.commit().await?;
    Ok(created(item.updated_at, item))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateActionItem {
    pub description: Option<String>,
    #[serde(default, with = "crate::day::option")]
    pub due_date: Option<Date>,
    /// true: done (now); false: open again.
    pub done: Option<bool>,
}

/// Changes an action item or marks it done. Honors `If-Match`.
#[utoipa::path(patch, path = "/one-on-ones/{id}/action-items/{item_id}", tag = "one-on-ones", request_body = UpdateActionItem,
    params(("id" = Uuid, Path), ("item_id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = ActionItem), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_action_item(
    mut db: Db,
    ApiPath((id, item_id)): ApiPath<(Uuid, Uuid)>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateActionItem>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("description", req.description.as_deref(), 2000);
    c.date("due_date", req.due_date);
    c.done()?;
    exists(
        db.conn(),
        "one_on_one_action_items",
        "one_on_one_id",
        id,
        item_id,
    )
    .await?;
    let item: Option<ActionItem> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE one_on_one_action_items SET description = coalesce($3, description), due_date = coalesce($4, due_date),
                completed_at = CASE WHEN $5 IS NULL THEN completed_at WHEN $5 THEN coalesce(completed_at, now()) END
          WHERE id = $2 AND one_on_one_id = $1 AND {} RETURNING {ACTION_COLUMNS}",
        version_matches(6)
    )))
    .bind(id)
    .bind(item_id)
    .bind(req.description.as_deref().map(str::trim))
    .bind(req.due_date)
    .bind(req.done)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    let item = item.ok_or(ApiError::PreconditionFailed)?;
    db.commit().await?;
    Ok(([etag_header(item.updated_at)], Json(item)).into_response())
}

/// My private note on a meeting (404 when I have none: nobody else's is ever shown).
#[utoipa::path(get, path = "/one-on-ones/{id}/private-note", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 200, body = PrivateNote), (status = 404, body = ErrorBody)))]
async fn get_private_note(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let note: PrivateNote = sqlx::query_as(
        "SELECT n.id, n.body, n.created_at, n.updated_at FROM one_on_one_private_notes n
          JOIN one_on_ones o ON o.tenant_id = n.tenant_id AND o.id = n.one_on_one_id AND o.deleted_at IS NULL
         WHERE n.one_on_one_id = $1 AND n.author_id = pms_current_user_id()",
    )
    .bind(id)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(note.updated_at)], Json(note)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivateNoteRequest {
    pub body: String,
}

/// Writes my private note on a meeting I take part in (created or replaced). Honors `If-Match`.
#[utoipa::path(put, path = "/one-on-ones/{id}/private-note", tag = "one-on-ones", request_body = PrivateNoteRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = PrivateNote), (status = 403, description = "not one of the two people meeting", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_private_note(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<PrivateNoteRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("body", &req.body, 20_000);
    c.done()?;
    let meeting = fetch_meeting(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let me = db.auth().user.as_uuid();
    if me != meeting.manager_id && me != meeting.employee_id {
        return Err(ApiError::Forbidden(
            "only the two people meeting keep private notes on it".into(),
        ));
    }
    let tenant = db.auth().tenant.as_uuid();
    // Without If-Match: created or replaced. With it: only that version is replaced.
    let note: Option<PrivateNote> = sqlx::query_as(
        "INSERT INTO one_on_one_private_notes AS n (tenant_id, one_on_one_id, author_id, body)
         SELECT $1, $2, $3, $4 WHERE $5::bigint IS NULL
         ON CONFLICT (tenant_id, author_id, one_on_one_id) DO UPDATE SET body = EXCLUDED.body
         RETURNING n.id, n.body, n.created_at, n.updated_at",
    )
    .bind(tenant)
    .bind(id)
    .bind(me)
    .bind(req.body.trim())
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    let note = match note {
        Some(n) => n,
        None => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE one_on_one_private_notes SET body = $3 WHERE one_on_one_id = $1 AND author_id = $2 AND {}
             RETURNING id, body, created_at, updated_at",
            version_matches(4)
        )))
        .bind(id)
        .bind(me)
        .bind(req.body.trim())
        .bind(version)
        .fetch_optional(db.conn())
        .await?
        .ok_or(ApiError::PreconditionFailed)?,
    };
    db.commit().await?;
    Ok(([etag_header(note.updated_at)], Json(note)).into_response())
}

/// Deletes my private note on a meeting.
#[utoipa::path(delete, path = "/one-on-ones/{id}/private-note", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_private_note(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let n = sqlx::query(
        "DELETE FROM one_on_one_private_notes WHERE one_on_one_id = $1 AND author_id = pms_current_user_id()",
    )
    .bind(id)
    .execute(db.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
