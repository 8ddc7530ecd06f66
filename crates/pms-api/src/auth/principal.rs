//! The caller: a live session, its person (active, not deleted) and their roles. Extracted once
//! per request; every handler that touches tenant data takes it (through [`crate::db::Db`]).

use super::token::{COOKIE, Token};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use pms_cache::Key;
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// The roles the API knows. `SuperAdmin` operates the platform and sees no tenant's HR data
/// by default; it is granted only in the platform's own tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    SuperAdmin,
    Admin,
    HrAdmin,
    Manager,
    Employee,
}

impl Role {
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "SUPER_ADMIN" => Self::SuperAdmin,
            "ADMIN" => Self::Admin,
            "HR_ADMIN" => Self::HrAdmin,
            "MANAGER" => Self::Manager,
            "EMPLOYEE" => Self::Employee,
            _ => return None,
        })
    }
}

/// What the cache keeps about a signed-in person (15 min, dropped with the person).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Principal {
    status: String,
    roles: Vec<Role>,
}

/// An authenticated request's caller.
#[derive(Clone)]
pub struct Auth {
    pub tenant: TenantId,
    pub user: UserId,
    pub session_id: Uuid,
    pub roles: Vec<Role>,
    pub(crate) token: Token,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("tenant", &self.tenant)
            .field("user", &self.user)
            .field("roles", &self.roles)
            .finish_non_exhaustive()
    }
}

impl Auth {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// ADMIN or HR_ADMIN of the tenant: sees and manages its people's HR records.
    pub fn is_hr(&self) -> bool {
        self.has(Role::Admin) || self.has(Role::HrAdmin)
    }

    pub fn require_hr(&self) -> Result<(), ApiError> {
        if self.is_hr() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "this needs the ADMIN or HR_ADMIN role".into(),
            ))
        }
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    if let Some(v) = parts.headers.get(header::AUTHORIZATION) {
        let v = v.to_str().ok()?;
        let (scheme, rest) = v.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| rest.trim().to_string());
    }
    let cookies = parts.headers.get_all(header::COOKIE);
    for c in cookies {
        let Ok(c) = c.to_str() else { continue };
        for pair in c.split(';') {
            if let Some((k, v)) = pair.trim().split_once('=')
                && k == COOKIE
            {
                return Some(v.to_string());
            }
        }
    }
    None
}

async fn principal(
    state: &AppState,
    tenant: TenantId,
    user: UserId,
) -> Result<Principal, ApiError> {
    let pool = state.pool().clone();
    let key = Key::permissions(tenant, user);
    let p = state
        .cache()
        .get_or_set(&key, || async move {
            let mut tx = TenantTx::begin(&pool, tenant, Some(user)).await?;
            let row: Option<(String, Option<OffsetDateTime>, Vec<String>)> = sqlx::query_as(
                "SELECT u.status, u.deleted_at,
                        coalesce(array_agg(r.code) FILTER (WHERE r.code IS NOT NULL), '{}')
                   FROM users u
                   LEFT JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id
                        AND (ur.expires_at IS NULL OR ur.expires_at > now())
                   LEFT JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
                  WHERE u.id = $1
                  GROUP BY u.status, u.deleted_at",
            )
            .bind(user.as_uuid())
            .fetch_optional(&mut **tx)
            .await?;
            tx.commit().await?;
            let (status, deleted, codes) = row.unwrap_or(("GONE".into(), None, Vec::new()));
            let status = if deleted.is_some() {
                "DELETED".to_string()
            } else {
                status
            };
            Ok::<_, sqlx::Error>(Principal {
                status,
                roles: codes.iter().filter_map(|c| Role::from_code(c)).collect(),
            })
        })
        .await?;
    Ok(p)
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(a) = parts.extensions.get::<Auth>() {
            return Ok(a.clone());
        }
        let Some(raw) = bearer(parts) else {
            return Err(ApiError::unauthorized(
                "unauthenticated",
                "sign in first: send Authorization: Bearer <token> from POST /api/v1/auth/login",
            ));
        };
        let invalid = || {
            ApiError::unauthorized(
                "session_invalid",
                "the session is unknown, expired or revoked",
            )
        };
        let token = Token::parse(&raw).ok_or_else(invalid)?;
        let session = state
            .sessions()
            .lookup(token.tenant, &token.text)
            .await?
            .ok_or_else(invalid)?;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let idle = now - session.last_seen_at;
        if idle > state.config().session_idle.as_secs() as i64 {
            state.sessions().revoke(token.tenant, &token.text).await?;
            return Err(ApiError::unauthorized(
                "session_idle",
                "the session ended after a period without use; sign in again",
            ));
        }
        if idle >= state.config().touch_interval.as_secs() as i64 {
            state.sessions().touch(token.tenant, &token.text).await?;
        }
        let p = principal(state, session.tenant, session.user).await?;
        if !matches!(p.status.as_str(), "ACTIVE" | "ON_LEAVE") {
            return Err(invalid());
        }
        let auth = Auth {
            tenant: session.tenant,
            user: session.user,
            session_id: session.id,
            roles: p.roles,
            token,
        };
        parts.extensions.insert(auth.clone());
        Ok(auth)
    }
}
