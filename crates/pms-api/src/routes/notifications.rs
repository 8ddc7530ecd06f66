//! My notifications and how I want them. The workflows write notifications themselves, in the
//! transaction of the change that causes them (`076_api_a_notify.sql`); the database shows a
//! notification and a preference to their person only, HR included.

use super::checks::query_one_of;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::state::AppState;
use axum::Json;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(get_preferences, put_preferences))
        .routes(routes!(mark_all_read))
        .routes(routes!(get_notification))
        .routes(routes!(mark_read))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct NotificationResponse {
    pub id: Uuid,
    /// The workflow event (one_on_one.scheduled, pip.check_in_due, ...), when a workflow sent it.
    pub event: Option<String>,
    pub channel: String,
    pub status: String,
    pub title: String,
    pub body: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub read_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

const COLUMNS: &str =
    "id, event, channel, status, title, body, entity_type, entity_id, read_at, created_at";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// true: only unread ones.
    pub unread: Option<bool>,
    pub event: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// My in-app notifications, newest first.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(NotificationQuery),
    responses((status = 200, body = Page<NotificationResponse>), (status = 400, body = ErrorBody)))]
async fn list_notifications(
    mut db: Db,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> Result<Json<Page<NotificationResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    let events = known_events(&mut db).await?;
    let refs: Vec<&str> = events.iter().map(|(e, _)| e.as_str()).collect();
    query_one_of("event", q.event.as_deref(), &refs)?;
    let rows: Vec<NotificationResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications WHERE recipient_id = pms_current_user_id() AND channel = 'IN_APP'
            AND (NOT coalesce($1, false) OR read_at IS NULL) AND ($2::text IS NULL OR event = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
          ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(q.unread)
    .bind(q.event.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |n: &NotificationResponse| {
        (time_key(n.created_at), n.id)
    })))
}

/// One of my notifications.
#[utoipa::path(get, path = "/notifications/{id}", tag = "notifications", params(("id" = Uuid, Path)),
    responses((status = 200, body = NotificationResponse), (status = 404, body = ErrorBody)))]
async fn get_notification(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<NotificationResponse>, ApiError> {
    let n: NotificationResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications WHERE id = $1 AND channel = 'IN_APP'"
    )))
    .bind(id)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(n))
}

/// Marks one of my notifications read (again: no change).
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", params(("id" = Uuid, Path)),
    responses((status = 200, body = NotificationResponse), (status = 404, body = ErrorBody)))]
async fn mark_read(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<NotificationResponse>, ApiError> {
    sqlx::query("UPDATE notifications SET read_at = now(), status = 'READ' WHERE id = $1 AND channel = 'IN_APP' AND read_at IS NULL")
        .bind(id)
        .execute(db.conn())
        .await?;
    let n: NotificationResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM notifications WHERE id = $1 AND channel = 'IN_APP'"
    )))
    .bind(id)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(n))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedRead {
    /// How many notifications were unread and are read now.
    pub marked: i64,
}

/// Marks all my in-app notifications read (email ones are the delivery worker's).
#[utoipa::path(post, path = "/notifications/read-all", tag = "notifications",
    responses((status = 200, body = MarkedRead)))]
async fn mark_all_read(mut db: Db) -> Result<Json<MarkedRead>, ApiError> {
    let n = sqlx::query(
        "UPDATE notifications SET read_at = now(), status = 'READ' WHERE recipient_id = pms_current_user_id() AND channel = 'IN_APP' AND read_at IS NULL",
    )
    .execute(db.conn())
    .await?
    .rows_affected();
    db.commit().await?;
    Ok(Json(MarkedRead { marked: n as i64 }))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preference {
    /// A workflow event (see GET /notifications/preferences for the list).
    pub event: String,
    /// Show it in the app (default true).
    pub in_app: bool,
    /// Send it by email (default false).
    pub email: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreferenceResponse {
    pub event: String,
    pub description: String,
    pub in_app: bool,
    pub email: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesResponse {
    /// Every event, with my choice or the default.
    pub preferences: Vec<PreferenceResponse>,
}

async fn known_events(db: &mut Db) -> Result<Vec<(String, String)>, ApiError> {
    Ok(
        sqlx::query_as("SELECT event, description FROM pms_notification_events() ORDER BY 1")
            .fetch_all(db.conn())
            .await?,
    )
}

async fn preferences(db: &mut Db) -> Result<PreferencesResponse, ApiError> {
    let rows: Vec<(String, String, bool, bool)> = sqlx::query_as(
        "SELECT e.event, e.description, coalesce(p.in_app, true), coalesce(p.email, false)
           FROM pms_notification_events() e
           LEFT JOIN notification_preferences p ON p.event = e.event AND p.user_id = pms_current_user_id()
          ORDER BY e.event",
    )
    .fetch_all(db.conn())
    .await?;
    Ok(PreferencesResponse {
        preferences: rows
            .into_iter()
            .map(|(event, description, in_app, email)| PreferenceResponse {
                event,
                description,
                in_app,
                email,
            })
            .collect(),
    })
}

/// My notification preferences, one per workflow event.
#[utoipa::path(get, path = "/notifications/preferences", tag = "notifications",
    responses((status = 200, body = PreferencesResponse)))]
async fn get_preferences(mut db: Db) -> Result<Json<PreferencesResponse>, ApiError> {
    let p = preferences(&mut db).await?;
    db.commit().await?;
    Ok(Json(p))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesRequest {
    /// The events to set; the others keep their setting.
    pub preferences: Vec<Preference>,
}

/// Sets my notification preferences for the events named.
#[utoipa::path(put, path = "/notifications/preferences", tag = "notifications", request_body = PreferencesRequest,
    responses((status = 200, body = PreferencesResponse), (status = 422, body = ErrorBody)))]
async fn put_preferences(
    mut db: Db,
    ApiJson(req): ApiJson<PreferencesRequest>,
) -> Result<Json<PreferencesResponse>, ApiError> {
    let events = known_events(&mut db).await?;
    let mut f = Vec::new();
    if req.preferences.len() > 50 {
        f.push(FieldError::new("preferences", "at most 50"));
    }
    for (i, p) in req.preferences.iter().enumerate() {
        if !events.iter().any(|(e, _)| *e == p.event) {
            f.push(FieldError::new(
                format!("preferences[{i}].event"),
                "not a notification event",
            ));
        }
    }
    if !f.is_empty() {
        return Err(ApiError::invalid(f));
    }
    let auth = db.auth().clone();
    for p in &req.preferences {
        sqlx::query(
            "INSERT INTO notification_preferences (tenant_id, user_id, event, in_app, email) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (tenant_id, user_id, event) DO UPDATE SET in_app = EXCLUDED.in_app, email = EXCLUDED.email
             WHERE (notification_preferences.in_app, notification_preferences.email) IS DISTINCT FROM (EXCLUDED.in_app, EXCLUDED.email)",
        )
        .bind(auth.tenant.as_uuid())
        .bind(auth.user.as_uuid())
        .bind(&p.event)
        .bind(p.in_app)
        .bind(p.email)
        .execute(db.conn())
        .await?;
    }
    let out = preferences(&mut db).await?;
    db.commit().await?;
    Ok(Json(out))
}
