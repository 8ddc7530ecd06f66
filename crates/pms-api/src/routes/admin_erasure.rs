//! The erasure of a person (`pms privacy erase` as an endpoint), in two steps. The first
//! (`POST /admin/users/{id}/erasure-request`) names who would be erased, says whether a legal
//! hold stops it, and answers with a confirmation code; the second
//! (`POST /admin/users/{id}/erasure`) erases only with that code. The code is bound to the
//! caller's session and to the person's current version: another administrator, another
//! session, or a change to the person in between make it stale (422), so nobody erases by a
//! mistyped id or a replayed request.

use super::admin::{admin_only, admin_person};
use crate::db::Db;
use crate::erasure::EraseError;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use pms_audit::events::{NewSecurityEvent, SecurityEventKind, record};
use pms_core::UserId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_erasure))
        .routes(routes!(confirm_erasure))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureRequestResponse {
    pub person_id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// A legal hold covers the person: the erasure would be refused.
    pub legal_hold: bool,
    /// Send it back to `POST /admin/users/{id}/erasure` to erase.
    pub confirmation: String,
}

fn confirmation(db: &Db, person: Uuid, version: time::OffsetDateTime) -> String {
    let a = db.auth();
    let text = format!(
        "erase|{}|{person}|{}|{}|{}",
        a.tenant.as_uuid(),
        version.unix_timestamp_nanos(),
        a.user.as_uuid(),
        a.session_id
    );
    hex::encode(&Sha256::digest(text.as_bytes())[..16])
}

async fn held(db: &mut Db, person: Uuid) -> Result<bool, ApiError> {
    let tenant = db.auth().tenant.as_uuid();
    Ok(
        sqlx::query_scalar("SELECT pms_retention.person_held($1, $2)")
            .bind(tenant)
            .bind(person)
            .fetch_one(db.conn())
            .await?,
    )
}

async fn target(db: &mut Db, id: Uuid) -> Result<super::people::PersonResponse, ApiError> {
    admin_only(db)?;
    let p = admin_person(db, id).await?;
    if id == db.auth().user.as_uuid() {
        return Err(ApiError::conflict(
            "cannot_change_self",
            "you cannot erase your own account",
        ));
    }
    Ok(p)
}

/// Step one of an erasure: who would be erased, whether a legal hold stops it, and the
/// confirmation code for step two. Changes nothing; records a SENSITIVE_READ security event.
#[utoipa::path(post, path = "/admin/users/{id}/erasure-request", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = ErasureRequestResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn request_erasure(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ErasureRequestResponse>, ApiError> {
    let p = target(&mut db, id).await?;
    let legal_hold = held(&mut db, id).await?;
    let code = confirmation(&db, id, p.updated_at);
    // It changes no row, so the audit trail has nothing to say; that someone looked at a
    // person with a view to erasing them is a security event.
    let mut e = NewSecurityEvent::new(SecurityEventKind::SensitiveRead);
    e.resource_type = Some("User".into());
    e.resource_id = Some(id);
    e.details = serde_json::json!({ "purpose": "erasure_request", "legal_hold": legal_hold });
    record(db.conn(), &e).await.map_err(ApiError::internal)?;
    db.commit().await?;
    Ok(Json(ErasureRequestResponse {
        person_id: p.id,
        email: p.email,
        first_name: p.first_name,
        last_name: p.last_name,
        legal_hold,
        confirmation: code,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmErasureRequest {
    /// The code step one answered.
    pub confirmation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureResponse {
    pub person_id: Uuid,
    /// What `pms privacy erase` reports: per tier, what was deleted, kept and pseudonymised.
    pub report: serde_json::Value,
}

/// Step two: erases the person in every tier, as `pms privacy erase` does. Their account is
/// closed first in this request's transaction (audited with the acting person) and their
/// sessions end; a legal hold refuses it (409 legal_hold); a stale or wrong code is a 422.
#[utoipa::path(post, path = "/admin/users/{id}/erasure", tag = "admin", request_body = ConfirmErasureRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ErasureResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn confirm_erasure(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<ConfirmErasureRequest>,
) -> Result<Json<ErasureResponse>, ApiError> {
    let p = target(&mut db, id).await?;
    if req.confirmation != confirmation(&db, id, p.updated_at) {
        return Err(ApiError::field(
            "confirmation",
            "not the code of POST /admin/users/{id}/erasure-request for this person, session and version: ask for a new one",
        ));
    }
    if held(&mut db, id).await? {
        return Err(ApiError::conflict(
            "legal_hold",
            "a legal hold covers this person: release it before erasing",
        ));
    }
    let Some(eraser) = state.eraser().cloned() else {
        return Err(ApiError::Unavailable(
            "erasure is not configured on this server (pms serve provides it)".into(),
        ));
    };
    sqlx::query("UPDATE users SET status = 'TERMINATED' WHERE id = $1")
        .bind(id)
        .execute(db.conn())
        .await?;
    let tenant = db.auth().tenant;
    db.commit().await?;
    state.sessions().revoke_user(tenant, UserId(id)).await?;
    let report = eraser
        .erase(tenant, UserId(id))
        .await
        .map_err(|e| match e {
            EraseError::Held => ApiError::conflict(
                "legal_hold",
                "a legal hold covers this person: release it before erasing",
            ),
            EraseError::Failed(m) => ApiError::Unavailable(format!(
                "the erasure did not complete ({m}); it can be run again"
            )),
        })?;
    state.cache().invalidate_user(tenant, UserId(id)).await;
    state
        .cache()
        .invalidate(tenant, pms_cache::Scope::Org)
        .await;
    Ok(Json(ErasureResponse {
        person_id: id,
        report,
    }))
}
