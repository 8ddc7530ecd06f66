//! `GET /me` (my profile and roles) and `POST /me/password` (which ends all my sessions).

use super::people::{PersonResponse, load_person};
use crate::auth::Role;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use pms_audit::events::{NewSecurityEvent, SecurityEventKind, record};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(change_password))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub person: PersonResponse,
    pub tenant_id: Uuid,
    pub roles: Vec<Role>,
    pub session_id: Uuid,
}

/// Who I am: my profile, my roles, this session.
#[utoipa::path(get, path = "/me", tag = "me",
    responses((status = 200, body = MeResponse), (status = 401, body = ErrorBody)))]
async fn me(State(state): State<AppState>, mut db: Db) -> Result<Json<MeResponse>, ApiError> {
    let me = db.auth().user.as_uuid();
    let person = load_person(&state, &mut db, me)
        .await?
        .ok_or(ApiError::NotFound)?;
    let auth = db.auth().clone();
    db.commit().await?;
    Ok(Json(MeResponse {
        person,
        tenant_id: auth.tenant.as_uuid(),
        roles: auth.roles,
        session_id: auth.session_id,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// 10 to 1024 characters, not the current one.
    pub new_password: String,
}

/// Changes my password. Every one of my sessions ends, this one included: sign in again.
#[utoipa::path(post, path = "/me/password", tag = "me", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    mut db: Db,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    let n = req.new_password.chars().count();
    if !(10..=1024).contains(&n) {
        return Err(ApiError::field("new_password", "10 to 1024 characters"));
    }
    if req.new_password == req.current_password {
        return Err(ApiError::field(
            "new_password",
            "must differ from the current password",
        ));
    }
    let me = db.auth().user;
    let phc: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(me.as_uuid())
        .fetch_optional(db.conn())
        .await?
        .flatten();
    if !crate::auth::password_ok(&state, req.current_password, phc).await? {
        return Err(ApiError::invalid(vec![FieldError::new(
            "current_password",
            "is not your current password",
        )]));
    }
    let hash = crate::auth::password_hash(&state, req.new_password).await?;
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(me.as_uuid())
        .bind(hash)
        .execute(db.conn())
        .await?;
    let mut e = NewSecurityEvent::new(SecurityEventKind::PasswordChange);
    e.user = Some(me);
    record(db.conn(), &e).await.map_err(ApiError::internal)?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    state.sessions().revoke_user(tenant, me).await?;
    Ok(StatusCode::NO_CONTENT)
}
