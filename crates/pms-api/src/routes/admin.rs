//! Administration (ADMIN or HR_ADMIN; anyone else gets 403 on every `/admin` endpoint, and a
//! person or record of another tenant is 404): users — invite, disable (their sessions end at
//! once), enable, change manager, change department — and their roles. Every write is a row
//! change the audit trail records with the acting person (`app.user_id`). Departments, teams,
//! retention and legal holds: `admin_org.rs`; the erasure of a person: `admin_erasure.rs`;
//! audit reads: `admin_audit.rs`.

use super::checks::Checks;
use super::people::{PERSON_COLUMNS, PersonResponse, person_changed};
use crate::auth::Role;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pms_core::UserId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(invite_user))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(change_manager))
        .routes(routes!(change_department))
        .routes(routes!(list_roles))
        .routes(routes!(user_roles, grant_role))
        .routes(routes!(revoke_role))
        .merge(super::admin_org::router())
        .merge(super::admin_erasure::router())
        .merge(super::admin_audit::router())
}

/// The caller is ADMIN or HR_ADMIN, or this is a 403 (administration is not hidden).
pub(crate) fn admin_only(db: &Db) -> Result<(), ApiError> {
    db.auth().require_hr()
}

/// A person of the caller's tenant (any status; not a removed account), else 404.
pub(crate) async fn admin_person(db: &mut Db, id: Uuid) -> Result<PersonResponse, ApiError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PERSON_COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub job_title: Option<String>,
    pub department_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    /// Role codes to grant (default EMPLOYEE).
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Invites a person: an INVITED account (no password yet) with its roles.
#[utoipa::path(post, path = "/admin/users", tag = "admin", request_body = InviteRequest,
    responses((status = 201, body = PersonResponse), (status = 403, body = ErrorBody),
              (status = 409, description = "the email is taken", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn invite_user(
    State(state): State<AppState>,
    mut db: Db,
    ApiJson(req): ApiJson<InviteRequest>,
) -> Result<Response, ApiError> {
    admin_only(&db)?;
    let email = req.email.trim().to_lowercase();
    let mut c = Checks::new();
    c.text("email", &email, 254);
    let at = email.split_once('@');
    if !at.is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        || email.contains(char::is_whitespace)
    {
        c.push("email", "an email address");
    }
    c.text("first_name", &req.first_name, 100);
    c.text("last_name", &req.last_name, 100);
    c.opt_text("job_title", req.job_title.as_deref(), 200);
    if req.roles.len() > 5 {
        c.push("roles", "at most 5");
    }
    c.done()?;
    let roles = if req.roles.is_empty() {
        vec!["EMPLOYEE".to_string()]
    } else {
        req.roles.clone()
    };
    for r in &roles {
        may_grant(&db, r)?;
    }
    let tenant = db.auth().tenant.as_uuid();
    let p: PersonResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO users (tenant_id, email, first_name, last_name, job_title, department_id, manager_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'INVITED') RETURNING {PERSON_COLUMNS}"
    )))
    .bind(tenant)
    .bind(&email)
    .bind(req.first_name.trim())
    .bind(req.last_name.trim())
    .bind(req.job_title.as_deref().map(str::trim))
    .bind(req.department_id)
    .bind(req.manager_id)
    .fetch_one(db.conn())
    .await?;
    for r in &roles {
        grant(&mut db, p.id, r).await?;
    }
    let tenant = db.auth().tenant;
    db.commit().await?;
    person_changed(&state, tenant, p.id, true).await;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

/// Who may grant a role: HR grants the everyday roles; ADMIN and SUPER_ADMIN are granted by
/// an ADMIN only; an unknown role code is a 422.
fn may_grant(db: &Db, code: &str) -> Result<(), ApiError> {
    let Some(role) = Role::from_code(code) else {
        return Err(ApiError::field(
            "role",
            "one of EMPLOYEE, MANAGER, HR_ADMIN, ADMIN",
        ));
    };
    if role == Role::SuperAdmin {
        return Err(ApiError::Forbidden(
            "SUPER_ADMIN is granted by the platform's operators, not over the API".into(),
        ));
    }
    if role == Role::Admin && !db.auth().has(Role::Admin) {
        return Err(ApiError::Forbidden(
            "only an ADMIN grants or revokes ADMIN".into(),
        ));
    }
    Ok(())
}

async fn grant(db: &mut Db, user: Uuid, code: &str) -> Result<bool, ApiError> {
    let me = db.auth().user.as_uuid();
    let tenant = db.auth().tenant.as_uuid();
    let done: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO user_roles (tenant_id, user_id, role_id, granted_by)
         SELECT $1, $2, r.id, $4 FROM roles r WHERE r.code = $3
         ON CONFLICT (tenant_id, user_id, role_id) DO NOTHING RETURNING id",
    )
    .bind(tenant)
    .bind(user)
    .bind(code)
    .bind(me)
    .fetch_optional(db.conn())
    .await?;
    if done.is_none() {
        let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM roles WHERE code = $1)")
            .bind(code)
            .fetch_one(db.conn())
            .await?;
        if !known {
            return Err(ApiError::field("role", "this tenant has no such role"));
        }
    }
    Ok(done.is_some())
}

/// Sets a person's status and answers with the person; ends their sessions when they can no
/// longer sign in.
async fn set_status(
    state: &AppState,
    mut db: Db,
    id: Uuid,
    from: &[&str],
    to: &str,
) -> Result<Json<PersonResponse>, ApiError> {
    admin_only(&db)?;
    let current = admin_person(&mut db, id).await?;
    if id == db.auth().user.as_uuid() {
        return Err(ApiError::conflict(
            "cannot_change_self",
            "you cannot disable or enable your own account",
        ));
    }
    if !from.contains(&current.status.as_str()) {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!(
                "the account is {}; this needs {}",
                current.status,
                from.join(" or ")
            ),
        ));
    }
    let p: PersonResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE users SET status = $2 WHERE id = $1 RETURNING {PERSON_COLUMNS}"
    )))
    .bind(id)
    .bind(to)
    .fetch_one(db.conn())
    .await?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    if !matches!(to, "ACTIVE" | "ON_LEAVE") {
        state.sessions().revoke_user(tenant, UserId(id)).await?;
    }
    person_changed(state, tenant, id, false).await;
    Ok(Json(p))
}

/// Disables an account: the person can no longer sign in and every session of theirs ends now.
#[utoipa::path(post, path = "/admin/users/{id}/disable", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn disable_user(
    State(state): State<AppState>,
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PersonResponse>, ApiError> {
    set_status(
        &state,
        db,
        id,
        &["ACTIVE", "ON_LEAVE", "INVITED"],
        "DISABLED",
    )
    .await
}

/// Enables a disabled account again (ACTIVE).
#[utoipa::path(post, path = "/admin/users/{id}/enable", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn enable_user(
    State(state): State<AppState>,
    db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PersonResponse>, ApiError> {
    set_status(&state, db, id, &["DISABLED"], "ACTIVE").await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerRequest {
    /// The new manager; null: nobody.
    pub manager_id: Option<Uuid>,
}

/// Changes a person's manager. The reporting chain (and with it who sees whom) follows in the
/// same transaction; a manager below the person would make a loop and is refused (409).
#[utoipa::path(put, path = "/admin/users/{id}/manager", tag = "admin", request_body = ManagerRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_manager(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<ManagerRequest>,
) -> Result<Json<PersonResponse>, ApiError> {
    admin_only(&db)?;
    admin_person(&mut db, id).await?;
    if req.manager_id == Some(id) {
        return Err(ApiError::field(
            "manager_id",
            "a person cannot manage themself",
        ));
    }
    if let Some(m) = req.manager_id {
        let below: Option<bool> = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM reporting_chain c WHERE c.tenant_id = pms_current_tenant()
                              AND c.ancestor_id = $1 AND c.descendant_id = $2)
               FROM users u WHERE u.id = $2 AND u.deleted_at IS NULL",
        )
        .bind(id)
        .bind(m)
        .fetch_optional(db.conn())
        .await?;
        match below {
            None => return Err(ApiError::field("manager_id", "no such person")),
            Some(true) => {
                return Err(ApiError::conflict(
                    "reporting_loop",
                    "the new manager reports to this person: that would make a loop",
                ));
            }
            Some(false) => {}
        }
    }
    let p: PersonResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE users SET manager_id = $2 WHERE id = $1 RETURNING {PERSON_COLUMNS}"
    )))
    .bind(id)
    .bind(req.manager_id)
    .fetch_one(db.conn())
    .await?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    person_changed(&state, tenant, id, true).await;
    Ok(Json(p))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentRequest {
    /// The new department; null: none.
    pub department_id: Option<Uuid>,
}

/// Moves a person to another department (the time-series department grain follows from the
/// next point on).
#[utoipa::path(put, path = "/admin/users/{id}/department", tag = "admin", request_body = DepartmentRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn change_department(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<DepartmentRequest>,
) -> Result<Json<PersonResponse>, ApiError> {
    admin_only(&db)?;
    admin_person(&mut db, id).await?;
    if let Some(d) = req.department_id {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM departments WHERE id = $1 AND deleted_at IS NULL)",
        )
        .bind(d)
        .fetch_one(db.conn())
        .await?;
        if !known {
            return Err(ApiError::field("department_id", "no such department"));
        }
    }
    let p: PersonResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE users SET department_id = $2 WHERE id = $1 RETURNING {PERSON_COLUMNS}"
    )))
    .bind(id)
    .bind(req.department_id)
    .fetch_one(db.conn())
    .await?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    person_changed(&state, tenant, id, true).await;
    Ok(Json(p))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct RoleResponse {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub is_system: bool,
}

/// The tenant's roles.
#[utoipa::path(get, path = "/admin/roles", tag = "admin",
    responses((status = 200, body = Vec<RoleResponse>), (status = 403, body = ErrorBody)))]
async fn list_roles(mut db: Db) -> Result<Json<Vec<RoleResponse>>, ApiError> {
    admin_only(&db)?;
    let rows: Vec<RoleResponse> = sqlx::query_as(
        "SELECT id, code, name, description, is_system FROM roles ORDER BY code LIMIT 200",
    )
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(rows))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct GrantResponse {
    pub role: String,
    pub granted_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
}

async fn grants_of(db: &mut Db, id: Uuid) -> Result<Vec<GrantResponse>, ApiError> {
    Ok(sqlx::query_as(
        "SELECT r.code AS role, ur.granted_by, ur.granted_at, ur.expires_at
           FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
          WHERE ur.user_id = $1 ORDER BY r.code",
    )
    .bind(id)
    .fetch_all(db.conn())
    .await?)
}

/// A person's roles.
#[utoipa::path(get, path = "/admin/users/{id}/roles", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<GrantResponse>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn user_roles(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<GrantResponse>>, ApiError> {
    admin_only(&db)?;
    admin_person(&mut db, id).await?;
    let rows = grants_of(&mut db, id).await?;
    db.commit().await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    /// EMPLOYEE, MANAGER, HR_ADMIN or ADMIN (ADMIN: by an ADMIN only).
    pub role: String,
}

/// Grants a role (its rights apply from the person's next request).
#[utoipa::path(post, path = "/admin/users/{id}/roles", tag = "admin", request_body = GrantRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<GrantResponse>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "the person has the role already", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn grant_role(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<GrantRequest>,
) -> Result<Json<Vec<GrantResponse>>, ApiError> {
    admin_only(&db)?;
    admin_person(&mut db, id).await?;
    may_grant(&db, &req.role)?;
    if !grant(&mut db, id, &req.role).await? {
        return Err(ApiError::conflict(
            "already_granted",
            format!("the person has {} already", req.role),
        ));
    }
    let rows = grants_of(&mut db, id).await?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    state.cache().invalidate_user(tenant, UserId(id)).await;
    Ok(Json(rows))
}

/// Revokes a role (effective from the person's next request).
#[utoipa::path(delete, path = "/admin/users/{id}/roles/{role}", tag = "admin",
    params(("id" = Uuid, Path), ("role" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke_role(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath((id, role)): ApiPath<(Uuid, String)>,
) -> Result<StatusCode, ApiError> {
    admin_only(&db)?;
    admin_person(&mut db, id).await?;
    may_grant(&db, &role)?;
    if id == db.auth().user.as_uuid() && matches!(role.as_str(), "ADMIN" | "HR_ADMIN") {
        return Err(ApiError::conflict(
            "cannot_change_self",
            "you cannot revoke your own administration role",
        ));
    }
    let n = sqlx::query(
        "DELETE FROM user_roles ur USING roles r
          WHERE r.tenant_id = ur.tenant_id AND r.id = ur.role_id AND ur.user_id = $1 AND r.code = $2",
    )
    .bind(id)
    .bind(&role)
    .execute(db.conn())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    let tenant = db.auth().tenant;
    db.commit().await?;
    state.cache().invalidate_user(tenant, UserId(id)).await;
    Ok(StatusCode::NO_CONTENT)
}
