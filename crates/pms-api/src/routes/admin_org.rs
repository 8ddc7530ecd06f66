//! Administration of the organisation and of retention (ADMIN or HR_ADMIN): departments and
//! teams (create, change; reads are `org.rs`'s), the tenant's retention overrides (within each
//! type's legal bounds, which the database checks) and legal holds (place, release). Audited
//! like every write, with the acting person.

use super::admin::admin_only;
use super::checks::Checks;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pms_cache::Scope;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_department))
        .routes(routes!(update_department))
        .routes(routes!(create_team))
        .routes(routes!(update_team))
        .routes(routes!(list_overrides))
        .routes(routes!(put_override, delete_override))
        .routes(routes!(list_holds, place_hold))
        .routes(routes!(release_hold))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AdminDepartment {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub head_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const DEPT_COLUMNS: &str = "id, code, name, parent_id, head_id, updated_at";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentBody {
    /// 1 to 32 characters, unique in the tenant (required to create).
    pub code: Option<String>,
    /// Required to create.
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub parent_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub head_id: Option<Option<Uuid>>,
}

fn check_department(b: &DepartmentBody, create: bool) -> Result<(), ApiError> {
    let mut c = Checks::new();
    match (&b.code, create) {
        (Some(code), _) => c.text("code", code, 32),
        (None, true) => c.push("code", "required"),
        _ => {}
    }
    match (&b.name, create) {
        (Some(name), _) => c.text("name", name, 200),
        (None, true) => c.push("name", "required"),
        _ => {}
    }
    c.done()
}

/// Creates a department.
#[utoipa::path(post, path = "/admin/departments", tag = "admin", request_body = DepartmentBody,
    responses((status = 201, body = AdminDepartment), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_department(
    State(state): State<AppState>,
    mut db: Db,
    ApiJson(b): ApiJson<DepartmentBody>,
) -> Result<Response, ApiError> {
    admin_only(&db)?;
    check_department(&b, true)?;
    let tenant = db.auth().tenant;
    let d: AdminDepartment = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO departments (tenant_id, code, name, parent_id, head_id) VALUES ($1, $2, $3, $4, $5) RETURNING {DEPT_COLUMNS}"
    )))
    .bind(tenant.as_uuid())
    .bind(b.code.as_deref().map(str::trim))
    .bind(b.name.as_deref().map(str::trim))
    .bind(b.parent_id.flatten())
    .bind(b.head_id.flatten())
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    state.cache().invalidate(tenant, Scope::Org).await;
    Ok((StatusCode::CREATED, Json(d)).into_response())
}

/// Changes a department (code, name, parent, head).
#[utoipa::path(patch, path = "/admin/departments/{id}", tag = "admin", request_body = DepartmentBody,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AdminDepartment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_department(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<DepartmentBody>,
) -> Result<Json<AdminDepartment>, ApiError> {
    admin_only(&db)?;
    check_department(&b, false)?;
    if b.parent_id == Some(Some(id)) {
        return Err(ApiError::field(
            "parent_id",
            "a department cannot be its own parent",
        ));
    }
    let d: Option<AdminDepartment> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE departments SET code = coalesce($2, code), name = coalesce($3, name),
                parent_id = CASE WHEN $4 THEN $5 ELSE parent_id END, head_id = CASE WHEN $6 THEN $7 ELSE head_id END
          WHERE id = $1 AND deleted_at IS NULL RETURNING {DEPT_COLUMNS}"
    )))
    .bind(id)
    .bind(b.code.as_deref().map(str::trim))
    .bind(b.name.as_deref().map(str::trim))
    .bind(b.parent_id.is_some())
    .bind(b.parent_id.flatten())
    .bind(b.head_id.is_some())
    .bind(b.head_id.flatten())
    .fetch_optional(db.conn())
    .await?;
    let d = d.ok_or(ApiError::NotFound)?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    state.cache().invalidate(tenant, Scope::Org).await;
    Ok(Json(d))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct AdminTeam {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub team_type: String,
    pub department_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const TEAM_COLUMNS: &str = "id, code, name, team_type, department_id, lead_id, updated_at";
const TEAM_TYPES: [&str; 4] = ["FUNCTIONAL", "PROJECT", "CROSS_FUNCTIONAL", "VIRTUAL"];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamBody {
    /// Required to create.
    pub code: Option<String>,
    /// Required to create.
    pub name: Option<String>,
    /// FUNCTIONAL (default), PROJECT, CROSS_FUNCTIONAL or VIRTUAL.
    pub team_type: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub department_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub lead_id: Option<Option<Uuid>>,
}

fn check_team(b: &TeamBody, create: bool) -> Result<(), ApiError> {
    let mut c = Checks::new();
    match (&b.code, create) {
        (Some(code), _) => c.text("code", code, 32),
        (None, true) => c.push("code", "required"),
        _ => {}
    }
    match (&b.name, create) {
        (Some(name), _) => c.text("name", name, 200),
        (None, true) => c.push("name", "required"),
        _ => {}
    }
    c.one_of("team_type", b.team_type.as_deref(), &TEAM_TYPES);
    c.done()
}

/// Creates a team.
#[utoipa::path(post, path = "/admin/teams", tag = "admin", request_body = TeamBody,
    responses((status = 201, body = AdminTeam), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_team(
    State(state): State<AppState>,
    mut db: Db,
    ApiJson(b): ApiJson<TeamBody>,
) -> Result<Response, ApiError> {
    admin_only(&db)?;
    check_team(&b, true)?;
    let tenant = db.auth().tenant;
    let t: AdminTeam = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO teams (tenant_id, code, name, team_type, department_id, lead_id)
         VALUES ($1, $2, $3, coalesce($4, 'FUNCTIONAL'), $5, $6) RETURNING {TEAM_COLUMNS}"
    )))
    .bind(tenant.as_uuid())
    .bind(b.code.as_deref().map(str::trim))
    .bind(b.name.as_deref().map(str::trim))
    .bind(b.team_type.as_deref())
    .bind(b.department_id.flatten())
    .bind(b.lead_id.flatten())
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    state.cache().invalidate(tenant, Scope::Org).await;
    Ok((StatusCode::CREATED, Json(t)).into_response())
}

/// Changes a team.
#[utoipa::path(patch, path = "/admin/teams/{id}", tag = "admin", request_body = TeamBody, params(("id" = Uuid, Path)),
    responses((status = 200, body = AdminTeam), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_team(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<TeamBody>,
) -> Result<Json<AdminTeam>, ApiError> {
    admin_only(&db)?;
    check_team(&b, false)?;
    let t: Option<AdminTeam> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE teams SET code = coalesce($2, code), name = coalesce($3, name), team_type = coalesce($4, team_type),
                department_id = CASE WHEN $5 THEN $6 ELSE department_id END, lead_id = CASE WHEN $7 THEN $8 ELSE lead_id END
          WHERE id = $1 AND deleted_at IS NULL RETURNING {TEAM_COLUMNS}"
    )))
    .bind(id)
    .bind(b.code.as_deref().map(str::trim))
    .bind(b.name.as_deref().map(str::trim))
    .bind(b.team_type.as_deref())
    .bind(b.department_id.is_some())
    .bind(b.department_id.flatten())
    .bind(b.lead_id.is_some())
    .bind(b.lead_id.flatten())
    .fetch_optional(db.conn())
    .await?;
    let t = t.ok_or(ApiError::NotFound)?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    state.cache().invalidate(tenant, Scope::Org).await;
    Ok(Json(t))
}

/// A tenant's retention override of one entity type, in days.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct RetentionOverride {
    pub entity_type: String,
    pub hot_days: i64,
    pub warm_days: i64,
    pub cold_days: i64,
    /// Absent: deleted after the cold tier instead of archived.
    pub archive_days: Option<i64>,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const OVERRIDE_COLUMNS: &str = "entity_type, round(extract(epoch FROM hot_for) / 86400)::bigint AS hot_days,
    round(extract(epoch FROM warm_for) / 86400)::bigint AS warm_days, round(extract(epoch FROM cold_for) / 86400)::bigint AS cold_days,
    round(extract(epoch FROM archive_for) / 86400)::bigint AS archive_days, reason, updated_at";

/// The tenant's retention overrides.
#[utoipa::path(get, path = "/admin/retention/overrides", tag = "admin",
    responses((status = 200, body = Vec<RetentionOverride>), (status = 403, body = ErrorBody)))]
async fn list_overrides(mut db: Db) -> Result<Json<Vec<RetentionOverride>>, ApiError> {
    admin_only(&db)?;
    let rows: Vec<RetentionOverride> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {OVERRIDE_COLUMNS} FROM retention_policy_overrides ORDER BY entity_type"
    )))
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideBody {
    pub hot_days: i32,
    pub warm_days: i32,
    pub cold_days: i32,
    pub archive_days: Option<i32>,
    pub reason: String,
}

/// Sets the tenant's retention of one entity type (within its legal bounds: the database
/// refuses anything else with a 422).
#[utoipa::path(put, path = "/admin/retention/overrides/{entity_type}", tag = "admin", request_body = OverrideBody,
    params(("entity_type" = String, Path)),
    responses((status = 200, body = RetentionOverride), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_override(
    mut db: Db,
    ApiPath(entity): ApiPath<String>,
    ApiJson(b): ApiJson<OverrideBody>,
) -> Result<Json<RetentionOverride>, ApiError> {
    admin_only(&db)?;
    let mut c = Checks::new();
    c.text("reason", &b.reason, 2000);
    for (k, v) in [
        ("hot_days", Some(b.hot_days)),
        ("warm_days", Some(b.warm_days)),
        ("cold_days", Some(b.cold_days)),
        ("archive_days", b.archive_days),
    ] {
        c.range(k, v.map(i64::from), 0, 36_500);
    }
    c.done()?;
    let known: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pms_retention.policies WHERE entity_type = $1)",
    )
    .bind(&entity)
    .fetch_one(db.conn())
    .await?;
    if !known {
        return Err(ApiError::NotFound);
    }
    let tenant = db.auth().tenant.as_uuid();
    let row: RetentionOverride = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO retention_policy_overrides (tenant_id, entity_type, hot_for, warm_for, cold_for, archive_for, reason)
         VALUES ($1, $2, make_interval(days => $3), make_interval(days => $4), make_interval(days => $5),
                 CASE WHEN $6::int IS NULL THEN NULL ELSE make_interval(days => $6) END, $7)
         ON CONFLICT (tenant_id, entity_type) DO UPDATE SET hot_for = EXCLUDED.hot_for, warm_for = EXCLUDED.warm_for,
             cold_for = EXCLUDED.cold_for, archive_for = EXCLUDED.archive_for, reason = EXCLUDED.reason
         RETURNING {OVERRIDE_COLUMNS}"
    )))
    .bind(tenant)
    .bind(&entity)
    .bind(b.hot_days)
    .bind(b.warm_days)
    .bind(b.cold_days)
    .bind(b.archive_days)
    .bind(b.reason.trim())
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(row))
}

/// Removes the tenant's override of one entity type (the platform's policy applies again).
#[utoipa::path(delete, path = "/admin/retention/overrides/{entity_type}", tag = "admin",
    params(("entity_type" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_override(
    mut db: Db,
    ApiPath(entity): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    admin_only(&db)?;
    let n = sqlx::query("DELETE FROM retention_policy_overrides WHERE entity_type = $1")
        .bind(&entity)
        .execute(db.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct LegalHold {
    pub id: Uuid,
    /// TENANT, PERSON or ENTITY.
    pub scope: String,
    pub person_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub reason: String,
    pub placed_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub placed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub released_at: Option<OffsetDateTime>,
}

const HOLD_COLUMNS: &str =
    "id, scope, person_id, entity_type, entity_id, reason, placed_by, placed_at, released_at";

/// The tenant's legal holds, standing ones first.
#[utoipa::path(get, path = "/admin/legal-holds", tag = "admin",
    responses((status = 200, body = Vec<LegalHold>), (status = 403, body = ErrorBody)))]
async fn list_holds(mut db: Db) -> Result<Json<Vec<LegalHold>>, ApiError> {
    admin_only(&db)?;
    let rows: Vec<LegalHold> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {HOLD_COLUMNS} FROM legal_holds ORDER BY released_at IS NOT NULL, placed_at DESC, id LIMIT 500"
    )))
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldBody {
    /// TENANT, PERSON (with person_id) or ENTITY (with entity_type and entity_id).
    pub scope: String,
    pub person_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub reason: String,
}

/// Places a legal hold: while it stands, nothing it covers is deleted or archived away, and a
/// covered person cannot be erased.
#[utoipa::path(post, path = "/admin/legal-holds", tag = "admin", request_body = HoldBody,
    responses((status = 201, body = LegalHold), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn place_hold(mut db: Db, ApiJson(b): ApiJson<HoldBody>) -> Result<Response, ApiError> {
    admin_only(&db)?;
    let mut c = Checks::new();
    c.one_of("scope", Some(&b.scope), &["TENANT", "PERSON", "ENTITY"]);
    c.text("reason", &b.reason, 2000);
    c.opt_text("entity_id", b.entity_id.as_deref(), 200);
    match b.scope.as_str() {
        "PERSON" if b.person_id.is_none() => c.push("person_id", "required for a PERSON hold"),
        "ENTITY" if b.entity_type.is_none() || b.entity_id.is_none() => c.push(
            "entity_id",
            "entity_type and entity_id are required for an ENTITY hold",
        ),
        _ => {}
    }
    c.done()?;
    if let Some(p) = b.person_id {
        let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)")
            .bind(p)
            .fetch_one(db.conn())
            .await?;
        if !known {
            return Err(ApiError::field("person_id", "no such person"));
        }
    }
    let tenant = db.auth().tenant.as_uuid();
    let me = db.auth().user.as_uuid();
    let h: LegalHold = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO legal_holds (tenant_id, scope, person_id, entity_type, entity_id, reason, placed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {HOLD_COLUMNS}"
    )))
    .bind(tenant)
    .bind(&b.scope)
    .bind(b.person_id)
    .bind(b.entity_type.as_deref())
    .bind(b.entity_id.as_deref())
    .bind(b.reason.trim())
    .bind(me)
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, Json(h)).into_response())
}

/// Releases a standing legal hold (a released hold stays as a record).
#[utoipa::path(post, path = "/admin/legal-holds/{id}/release", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = LegalHold), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn release_hold(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Json<LegalHold>, ApiError> {
    admin_only(&db)?;
    let released: Option<Option<OffsetDateTime>> =
        sqlx::query_scalar("SELECT released_at FROM legal_holds WHERE id = $1")
            .bind(id)
            .fetch_optional(db.conn())
            .await?;
    match released {
        None => return Err(ApiError::NotFound),
        Some(Some(_)) => {
            return Err(ApiError::conflict(
                "record_closed",
                "the hold was released already",
            ));
        }
        Some(None) => {}
    }
    let h: LegalHold = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE legal_holds SET released_at = greatest(now(), placed_at) WHERE id = $1 RETURNING {HOLD_COLUMNS}"
    )))
    .bind(id)
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(h))
}
