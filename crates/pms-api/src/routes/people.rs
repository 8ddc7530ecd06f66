//! The people directory: list and search, one person, their reports and management chain, and
//! HR's changes (title, department, manager, status; disabling ends the person's sessions).

use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pms_cache::{Key, Scope};
use pms_core::{TenantId, UserId};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_people))
        .routes(routes!(get_person, update_person, delete_person))
        .routes(routes!(reports))
        .routes(routes!(chain))
}

/// A person as the directory shows them (nothing HR-confidential).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct PersonResponse {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: Option<String>,
    pub job_title: Option<String>,
    pub department_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    pub status: String,
    pub timezone: String,
    pub locale: String,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

pub(crate) const PERSON_COLUMNS: &str = "id, email, first_name, last_name, display_name, job_title, department_id, manager_id, status, timezone, locale, updated_at";

/// One person, through the profile cache (1 h, dropped when the person changes).
pub(crate) async fn load_person(
    state: &AppState,
    db: &mut Db,
    id: Uuid,
) -> Result<Option<PersonResponse>, ApiError> {
    let tenant = db.auth().tenant;
    let key = Key::user_profile(tenant, UserId(id));
    if let Some(p) = state.cache().get::<Option<PersonResponse>>(&key).await {
        return Ok(p);
    }
    let p = fetch_person(db.conn(), id).await?;
    state.cache().put(&key, &p).await.ok();
    Ok(p)
}

async fn fetch_person(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<PersonResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PERSON_COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Words to search for: each must start the first name, the last name or the email.
    pub q: Option<String>,
    pub department_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    /// ACTIVE, ON_LEAVE, INVITED or TERMINATED.
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The directory, by last name; `q` searches names and emails.
#[utoipa::path(get, path = "/people", tag = "people", params(PeopleQuery),
    responses((status = 200, body = Page<PersonResponse>), (status = 400, body = ErrorBody)))]
async fn list_people(
    mut db: Db,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> Result<Json<Page<PersonResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor.clone(),
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = p.after()?;
    if let Some(s) = &q.status
        && !["ACTIVE", "ON_LEAVE", "INVITED", "TERMINATED"].contains(&s.as_str())
    {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("status {s:?} is not ACTIVE, ON_LEAVE, INVITED or TERMINATED"),
            fields: vec![FieldError::new("status", "unknown status")],
        });
    }
    // Each word must start the first name, the last name or the email: three index ranges
    // per word over keys the database generates (migration 20261220100000 says why the
    // comparisons are plain ones on stored columns: only those serve an index under RLS).
    let words: Vec<(String, String)> =
        q.q.as_deref()
            .unwrap_or("")
            .split_whitespace()
            .take(5)
            .map(|w| {
                let w = w.to_lowercase();
                // Every text that starts with w sorts (bytewise) below w + U+10FFFF.
                let end = format!("{w}\u{10FFFF}");
                (w, end)
            })
            .collect();
    let mut sql = format!(
        "SELECT {PERSON_COLUMNS}, directory_key FROM users u
          WHERE deleted_at IS NULL
            AND ($1::uuid IS NULL OR department_id = $1)
            AND ($2::uuid IS NULL OR manager_id = $2)
            AND ($3::text IS NULL OR status = $3)
            AND (directory_key, id) > ($4, $5)"
    );
    for i in 0..words.len() {
        let (a, b) = (7 + 2 * i, 8 + 2 * i);
        sql.push_str(&format!(
            "\n            AND ((directory_key >= ${a} AND directory_key < ${b})
                 OR (first_key >= ${a} AND first_key < ${b})
                 OR (email ~>=~ ${a} AND email ~<~ ${b}))"
        ));
    }
    sql.push_str("\n          ORDER BY directory_key, id LIMIT $6");
    // No cursor: start before every name (names are never empty, by check).
    let (after_key, after_id) = after.unwrap_or_default();
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(q.department_id)
        .bind(q.manager_id)
        .bind(q.status.as_deref())
        .bind(after_key)
        .bind(after_id)
        .bind(limit + 1);
    for (from, to) in &words {
        query = query.bind(from).bind(to);
    }
    let rows: Vec<Listed> = query.fetch_all(db.conn()).await?;
    db.commit().await?;
    let page = page(rows, limit, |p: &Listed| {
        (p.directory_key.clone(), p.person.id)
    });
    Ok(Json(Page {
        items: page.items.into_iter().map(|l| l.person).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// A directory row with its sort key (the cursor is the database's key, not one made here).
#[derive(sqlx::FromRow)]
struct Listed {
    #[sqlx(flatten)]
    person: PersonResponse,
    directory_key: String,
}

/// One person.
#[utoipa::path(get, path = "/people/{id}", tag = "people",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonResponse), (status = 404, body = ErrorBody)))]
async fn get_person(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    let p = load_person(&state, &mut db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(p.updated_at)], Json(p)).into_response())
}

/// HR's change to a person. Absent fields stay as they are; `null` clears.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePersonRequest {
    #[serde(default, deserialize_with = "super::double_option")]
    pub job_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub department_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub manager_id: Option<Option<Uuid>>,
    /// ACTIVE, ON_LEAVE, INVITED or TERMINATED; anything but ACTIVE/ON_LEAVE ends their sessions.
    pub status: Option<String>,
}

/// Changes a person (ADMIN or HR_ADMIN). Honors `If-Match`.
#[utoipa::path(patch, path = "/people/{id}", tag = "people",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    request_body = UpdatePersonRequest,
    responses((status = 200, body = PersonResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_person(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdatePersonRequest>,
) -> Result<Response, ApiError> {
    let mut fields = Vec::new();
    if let Some(s) = &req.status
        && !["ACTIVE", "ON_LEAVE", "INVITED", "TERMINATED"].contains(&s.as_str())
    {
        fields.push(FieldError::new(
            "status",
            "one of ACTIVE, ON_LEAVE, INVITED, TERMINATED",
        ));
    }
    if let Some(Some(t)) = &req.job_title
        && (t.trim().is_empty() || t.len() > 200)
    {
        fields.push(FieldError::new("job_title", "1 to 200 characters"));
    }
    if req.manager_id == Some(Some(id)) {
        fields.push(FieldError::new(
            "manager_id",
            "a person cannot manage themself",
        ));
    }
    if !fields.is_empty() {
        return Err(ApiError::invalid(fields));
    }
    if fetch_person(db.conn(), id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    db.auth().require_hr()?;
    let sql = format!(
        "UPDATE users SET
            job_title = CASE WHEN $2 THEN $3 ELSE job_title END,
            department_id = CASE WHEN $4 THEN $5 ELSE department_id END,
            manager_id = CASE WHEN $6 THEN $7 ELSE manager_id END,
            status = coalesce($8, status)
          WHERE id = $1 AND deleted_at IS NULL AND {}
          RETURNING {PERSON_COLUMNS}",
        version_matches(9)
    );
    let updated: Option<PersonResponse> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(req.job_title.is_some())
        .bind(req.job_title.clone().flatten())
        .bind(req.department_id.is_some())
        .bind(req.department_id.flatten())
        .bind(req.manager_id.is_some())
        .bind(req.manager_id.flatten())
        .bind(req.status.as_deref())
        .bind(version)
        .fetch_optional(db.conn())
        .await?;
    let p = updated.ok_or(ApiError::PreconditionFailed)?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    person_changed(
        &state,
        tenant,
        id,
        req.manager_id.is_some() || req.department_id.is_some(),
    )
    .await;
    if !matches!(p.status.as_str(), "ACTIVE" | "ON_LEAVE") {
        state.sessions().revoke_user(tenant, UserId(id)).await?;
    }
    Ok(([etag_header(p.updated_at)], Json(p)).into_response())
}

/// Drops what a change to a person makes stale: their profile and roles, and with a move,
/// everything cached per viewer (visibility follows the reporting lines).
pub(crate) async fn person_changed(state: &AppState, tenant: TenantId, id: Uuid, moved: bool) {
    state.cache().invalidate_user(tenant, UserId(id)).await;
    if moved {
        state.cache().invalidate(tenant, Scope::Org).await;
    }
}

/// Removes a person (ADMIN or HR_ADMIN): their account is closed and their sessions end now.
#[utoipa::path(delete, path = "/people/{id}", tag = "people", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_person(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    if fetch_person(db.conn(), id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    db.auth().require_hr()?;
    if id == db.auth().user.as_uuid() {
        return Err(ApiError::conflict(
            "cannot_remove_self",
            "you cannot remove your own account",
        ));
    }
    sqlx::query("UPDATE users SET deleted_at = now(), status = 'TERMINATED' WHERE id = $1 AND deleted_at IS NULL")
        .bind(id)
        .execute(db.conn())
        .await?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    state.sessions().revoke_user(tenant, UserId(id)).await?;
    person_changed(&state, tenant, id, true).await;
    Ok(StatusCode::NO_CONTENT)
}

/// A person's direct reports.
#[utoipa::path(get, path = "/people/{id}/reports", tag = "people", params(("id" = Uuid, Path), PageParams),
    responses((status = 200, body = Page<PersonResponse>), (status = 404, body = ErrorBody)))]
async fn reports(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<PersonResponse>>, ApiError> {
    let limit = p.limit()?;
    let after = p.after()?;
    if fetch_person(db.conn(), id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let rows: Vec<PersonResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PERSON_COLUMNS} FROM users WHERE manager_id = $1 AND deleted_at IS NULL
            AND ($2::text IS NULL OR (lower(last_name || ' ' || first_name), id) > ($2, $3))
          ORDER BY lower(last_name || ' ' || first_name), id LIMIT $4"
    )))
    .bind(id)
    .bind(after.as_ref().map(|a| a.0.clone()))
    .bind(after.as_ref().map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |p: &PersonResponse| {
        (
            format!("{} {}", p.last_name, p.first_name).to_lowercase(),
            p.id,
        )
    })))
}

/// A person's management chain, nearest manager first.
#[utoipa::path(get, path = "/people/{id}/chain", tag = "people", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<PersonResponse>), (status = 404, body = ErrorBody)))]
async fn chain(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<PersonResponse>>, ApiError> {
    if fetch_person(db.conn(), id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let rows: Vec<PersonResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM reporting_chain c JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.ancestor_id
          WHERE c.tenant_id = pms_current_tenant() AND c.descendant_id = $1 AND c.depth > 0 AND u.deleted_at IS NULL
          ORDER BY c.depth",
        PERSON_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
    )))
    .bind(id)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(rows))
}
