//! `POST /auth/login`, `POST /auth/logout`, `GET /auth/sessions`, `DELETE /auth/sessions/{id}`.

use super::password;
use super::principal::Auth;
use super::token::{COOKIE, Token};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::state::AppState;
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pms_audit::events::{NewSecurityEvent, SecurityEventKind, record};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop behind a trusted
/// proxy.
pub(crate) struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.config().trust_proxy
            && let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse().ok())
        {
            return Ok(Self(ip));
        }
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(Self(ip))
    }
}

/// Sign in to one tenant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The tenant's slug (required: an email alone could name people in two tenants).
    pub tenant: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`. Shown once; the server keeps only its hash.
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

fn validate(req: &LoginRequest) -> Result<(), ApiError> {
    let mut fields = Vec::new();
    let slug_ok = req.tenant.len() >= 2
        && req.tenant.len() <= 63
        && req
            .tenant
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !req.tenant.starts_with('-');
    if !slug_ok {
        fields.push(FieldError::new(
            "tenant",
            "a tenant slug: 2 to 63 of a-z, 0-9 and '-'",
        ));
    }
    if req.email.is_empty() || req.email.len() > 320 || !req.email.contains('@') {
        fields.push(FieldError::new("email", "an email address"));
    }
    if req.password.is_empty() || req.password.len() > 1024 {
        fields.push(FieldError::new("password", "1 to 1024 characters"));
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(fields))
    }
}

/// The tenant of a slug, through the policy that shows a tenant's row to whoever names it.
async fn tenant_of(state: &AppState, slug: &str) -> Result<Option<TenantId>, ApiError> {
    let mut tx = state
        .pool()
        .begin()
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    sqlx::query("SELECT set_config('app.login_slug', $1, true)")
        .bind(slug)
        .execute(&mut *tx)
        .await?;
    let id: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM tenants WHERE slug = $1 AND status = 'ACTIVE' AND deleted_at IS NULL",
    )
    .bind(slug)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id.map(TenantId))
}

pub(crate) async fn security_event(
    state: &AppState,
    tenant: TenantId,
    user: Option<UserId>,
    event: NewSecurityEvent,
) {
    let result = async {
        let mut tx = TenantTx::begin(state.pool(), tenant, user).await?;
        record(&mut tx, &event)
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        tx.commit().await
    }
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, kind = event.kind.as_str(), "could not record a security event");
    }
}

fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(512).collect())
}

pub(crate) fn session_cookie(state: &AppState, token: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if state.config().cookie_secure {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .ok()
}

fn bad_credentials() -> ApiError {
    ApiError::unauthorized(
        "invalid_credentials",
        "the tenant, email or password is wrong",
    )
}

/// Sign in: an opaque session token for `tenant` + `email` + `password`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "unknown tenant, unknown email or wrong password (one answer for all three)", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "too many attempts; see Retry-After", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let (token, expires_at, max_age) = sign_in(&state, addr, &headers, req).await?;
    let mut resp = Json(LoginResponse {
        token: token.clone(),
        expires_at,
    })
    .into_response();
    if let Some(c) = session_cookie(&state, &token, max_age) {
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    Ok(resp)
}

/// The login itself, shared by `POST /auth/login` and the console's login form: checks,
/// rate limits, records the security event and opens the session. Returns the token, when it
/// expires and its remaining lifetime in seconds.
pub(crate) async fn sign_in(
    state: &AppState,
    addr: IpAddr,
    headers: &HeaderMap,
    req: LoginRequest,
) -> Result<(String, OffsetDateTime, i64), ApiError> {
    let state = state.clone();
    validate(&req)?;
    let email = req.email.trim().to_lowercase();
    let tenant = tenant_of(&state, &req.tenant).await?;
    let limit_scope = tenant.unwrap_or(TenantId(Uuid::nil()));
    let decision = state.limiter().check(limit_scope, &email, addr).await?;
    let agent = user_agent(headers);
    let event = |kind: SecurityEventKind, reason: &str| {
        let mut e = NewSecurityEvent::new(kind);
        e.account = Some(email.clone());
        e.ip = Some(addr);
        e.user_agent = agent.clone();
        e.details = serde_json::json!({ "reason": reason });
        e
    };
    if !decision.allowed {
        if let Some(t) = tenant {
            security_event(
                &state,
                t,
                None,
                event(SecurityEventKind::LoginFailure, "rate_limited"),
            )
            .await;
        }
        return Err(ApiError::TooManyRequests(decision.retry_after));
    }
    let account: Option<(Uuid, Option<String>)> = match tenant {
        None => None,
        Some(t) => {
            let mut tx = TenantTx::begin(state.pool(), t, None).await?;
            let row = sqlx::query_as(
                "SELECT id, password_hash FROM users
                  WHERE email = $1 AND deleted_at IS NULL AND status IN ('ACTIVE', 'ON_LEAVE')",
            )
            .bind(&email)
            .fetch_optional(&mut **tx)
            .await?;
            tx.commit().await?;
            row
        }
    };
    let (user, phc) = match account {
        Some((id, Some(h))) => (Some(UserId(id)), Some(h)),
        _ => (None, None),
    };
    let ok = password::verify(&state, req.password, phc).await?;
    let (Some(tenant), Some(user), true) = (tenant, user, ok) else {
        if let Some(t) = tenant {
            security_event(
                &state,
                t,
                None,
                event(SecurityEventKind::LoginFailure, "bad_credentials"),
            )
            .await;
        }
        return Err(bad_credentials());
    };
    state.limiter().reset_account(tenant, &email).await.ok();
    let token = Token::generate(tenant);
    let session = state
        .sessions()
        .create(tenant, user, &token.text, state.config().session_ttl)
        .await?;
    {
        let mut tx = TenantTx::begin(state.pool(), tenant, Some(user)).await?;
        sqlx::query("UPDATE sessions SET ip_address = $2::inet, user_agent = $3 WHERE id = $1")
            .bind(session.id)
            .bind(addr.to_string())
            .bind(agent.as_deref())
            .execute(&mut **tx)
            .await?;
        sqlx::query("UPDATE users SET last_login_at = now() WHERE id = $1")
            .bind(user.as_uuid())
            .execute(&mut **tx)
            .await?;
        let mut e = event(SecurityEventKind::LoginSuccess, "password");
        e.user = Some(user);
        record(&mut tx, &e).await.map_err(ApiError::internal)?;
        tx.commit().await?;
    }
    let expires_at =
        OffsetDateTime::from_unix_timestamp(session.expires_at).map_err(ApiError::internal)?;
    let max_age = session.expires_at - OffsetDateTime::now_utc().unix_timestamp();
    Ok((token.text, expires_at, max_age))
}

/// Sign out: ends the session that sent this request.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    ClientAddr(addr): ClientAddr,
) -> Result<Response, ApiError> {
    state
        .sessions()
        .revoke(auth.tenant, &auth.token.text)
        .await?;
    let mut e = NewSecurityEvent::new(SecurityEventKind::Logout);
    e.user = Some(auth.user);
    e.ip = Some(addr);
    security_event(&state, auth.tenant, Some(auth.user), e).await;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    if let Some(c) = session_cookie(&state, "", 0) {
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    Ok(resp)
}

/// One of my live sessions.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct SessionResponse {
    pub id: Uuid,
    /// This request's own session.
    pub current: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}

/// My live sessions, newest first.
#[utoipa::path(get, path = "/auth/sessions", tag = "auth", params(PageParams),
    responses((status = 200, body = Page<SessionResponse>), (status = 401, body = ErrorBody)))]
async fn list_sessions(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<SessionResponse>>, ApiError> {
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    let me = db.auth().user.as_uuid();
    let current = db.auth().session_id;
    let items: Vec<SessionResponse> = sqlx::query_as(
        "SELECT id, id = $5 AS current, created_at, last_seen_at, expires_at, host(ip_address) AS ip_address, user_agent
           FROM sessions
          WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
            AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
          ORDER BY created_at DESC, id DESC LIMIT $4",
    )
    .bind(me)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .bind(current)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(items, limit, |s: &SessionResponse| {
        (time_key(s.created_at), s.id)
    })))
}

/// Ends one of my sessions (another device).
#[utoipa::path(delete, path = "/auth/sessions/{id}", tag = "auth",
    params(("id" = Uuid, Path, description = "session id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_session(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let me = db.auth().user.as_uuid();
    let tenant = db.auth().tenant;
    let hash: Option<Vec<u8>> = sqlx::query_scalar(
        "UPDATE sessions SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING token_hash",
    )
    .bind(id)
    .bind(me)
    .fetch_optional(db.conn())
    .await?;
    let hash = hash.ok_or(ApiError::NotFound)?;
    // Sessions are not audited rows; ending one is a security event, like signing out.
    let mut e = NewSecurityEvent::new(SecurityEventKind::Logout);
    e.user = Some(db.auth().user);
    e.resource_type = Some("Session".into());
    e.resource_id = Some(id);
    e.details = serde_json::json!({ "reason": "revoked" });
    record(db.conn(), &e).await.map_err(ApiError::internal)?;
    db.commit().await?;
    if let Ok(h) = <[u8; 32]>::try_from(hash.as_slice()) {
        state
            .cache()
            .invalidate(tenant, pms_cache::Scope::Session(h))
            .await;
    }
    Ok(StatusCode::NO_CONTENT)
}
