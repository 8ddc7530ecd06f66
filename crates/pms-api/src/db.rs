//! The only way a handler reaches PostgreSQL: one transaction per request, as `pms_app`, with
//! `app.tenant_id`, `app.user_id` and `app.request_id` set by `set_config(..., true)` from the
//! caller's session, never from the request. Dropped without [`Db::commit`], it rolls back, so
//! an error, a timeout or a client that goes away leaves nothing half-written.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use pms_db::TenantTx;
use sqlx::PgConnection;
use tower_http::request_id::RequestId;

/// A request's tenant transaction and its caller.
pub struct Db {
    tx: TenantTx,
    auth: Auth,
}

impl Db {
    /// Begins the transaction of `auth`'s request.
    pub async fn begin(
        state: &AppState,
        auth: Auth,
        request_id: Option<&str>,
    ) -> Result<Self, ApiError> {
        let tx =
            TenantTx::begin_with_request(state.pool(), auth.tenant, Some(auth.user), request_id)
                .await
                .map_err(|e| ApiError::Unavailable(format!("database: {e}")))?;
        Ok(Self { tx, auth })
    }

    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<(), ApiError> {
        self.tx.commit().await.map_err(ApiError::from)
    }
}

pub(crate) fn request_id(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<RequestId>()
        .and_then(|r| r.header_value().to_str().ok())
        .map(str::to_string)
}

impl FromRequestParts<AppState> for Db {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = Auth::from_request_parts(parts, state).await?;
        let rid = request_id(parts);
        Db::begin(state, auth, rid.as_deref()).await
    }
}
