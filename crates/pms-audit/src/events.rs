//! Security events, written through `record_security_event()` (the application has no INSERT
//! right on `security_events`), and the helper that turns a refused database operation into a
//! `PERMISSION_DENIED` event.

use crate::{AuditError, is_denial};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use sqlx::{PgConnection, PgPool};
use std::fmt;
use std::net::IpAddr;
use uuid::Uuid;

/// The kinds of security event the specification names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityEventKind {
    LoginSuccess,
    LoginFailure,
    Logout,
    PasswordChange,
    PermissionDenied,
    RoleChange,
    DataExport,
    /// A read of a review, a PIP or a compensation decision.
    SensitiveRead,
}

impl SecurityEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LoginSuccess => "LOGIN_SUCCESS",
            Self::LoginFailure => "LOGIN_FAILURE",
            Self::Logout => "LOGOUT",
            Self::PasswordChange => "PASSWORD_CHANGE",
            Self::PermissionDenied => "PERMISSION_DENIED",
            Self::RoleChange => "ROLE_CHANGE",
            Self::DataExport => "DATA_EXPORT",
            Self::SensitiveRead => "SENSITIVE_READ",
        }
    }
}

impl fmt::Display for SecurityEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Severity of an event or a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "INFO",
            Self::Low => "LOW",
            Self::Medium => "MEDIUM",
            Self::High => "HIGH",
            Self::Critical => "CRITICAL",
        }
    }
}

/// One event to record. Never put a password, token or session id in it: keys of `details`
/// that look like secrets are redacted by the database, values under other keys are not.
#[derive(Debug, Clone)]
pub struct NewSecurityEvent {
    pub kind: SecurityEventKind,
    /// The account concerned (defaults to the transaction's acting user).
    pub user: Option<UserId>,
    /// The login name tried, for failures where no account is known.
    pub account: Option<String>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    /// What was read, exported or denied (e.g. `PerformanceReview`).
    pub resource_type: Option<String>,
    pub resource_id: Option<Uuid>,
    /// A JSON object; for `DataExport`, `{"rows": n}` feeds the bulk-export detection.
    pub details: serde_json::Value,
    /// Overrides the kind's default severity.
    pub severity: Option<Severity>,
}

impl NewSecurityEvent {
    pub fn new(kind: SecurityEventKind) -> Self {
        Self {
            kind,
            user: None,
            account: None,
            ip: None,
            user_agent: None,
            resource_type: None,
            resource_id: None,
            details: serde_json::json!({}),
            severity: None,
        }
    }
}

/// Who acts: the tenant, the user and the request, as set on every transaction.
#[derive(Debug, Clone)]
pub struct Actor {
    pub tenant: TenantId,
    pub user: Option<UserId>,
    pub request_id: Option<String>,
}

impl Actor {
    /// Begins a transaction carrying this actor (tenant, `app.user_id`, `app.request_id`).
    pub async fn begin(&self, pool: &PgPool) -> Result<TenantTx, sqlx::Error> {
        TenantTx::begin_with_request(pool, self.tenant, self.user, self.request_id.as_deref()).await
    }
}

/// Records `event` in the tenant of the transaction `conn` belongs to; returns its id.
pub async fn record(conn: &mut PgConnection, event: &NewSecurityEvent) -> Result<Uuid, AuditError> {
    let id = sqlx::query_scalar(
        "SELECT record_security_event($1, $2, $3::inet, $4, $5, $6, $7, $8, $9)",
    )
    .bind(event.kind.as_str())
    .bind(event.user.map(|u| u.as_uuid()))
    .bind(event.ip.map(|ip| ip.to_string()))
    .bind(event.user_agent.as_deref())
    .bind(event.resource_type.as_deref())
    .bind(event.resource_id)
    .bind(&event.details)
    .bind(event.account.as_deref())
    .bind(event.severity.map(Severity::as_str))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Records `event` in a transaction of its own.
pub async fn record_now(
    pool: &PgPool,
    actor: &Actor,
    event: &NewSecurityEvent,
) -> Result<Uuid, AuditError> {
    let mut tx = actor.begin(pool).await?;
    let id = record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records that the database refused `err` (see [`crate::is_denial`]) for `action`.
pub async fn record_denial(
    pool: &PgPool,
    actor: &Actor,
    action: &str,
    resource_type: Option<&str>,
    err: &sqlx::Error,
) -> Result<Uuid, AuditError> {
    let message: String = err
        .as_database_error()
        .map(|d| d.message().to_string())
        .unwrap_or_default();
    let mut event = NewSecurityEvent::new(SecurityEventKind::PermissionDenied);
    event.resource_type = resource_type.map(str::to_string);
    event.details = serde_json::json!({ "action": action, "reason": message.chars().take(300).collect::<String>() });
    record_now(pool, actor, &event).await
}

/// Runs `op` in a transaction of `actor`. Committed when it succeeds; when the database denies
/// it, rolled back and recorded as a `PERMISSION_DENIED` security event (in a transaction of its
/// own, since the denied one is aborted), and returned as [`AuditError::Denied`].
pub async fn run_recording_denials<T>(
    pool: &PgPool,
    actor: &Actor,
    action: &str,
    resource_type: Option<&str>,
    op: impl AsyncFnOnce(&mut TenantTx) -> Result<T, sqlx::Error>,
) -> Result<T, AuditError> {
    let mut tx = actor.begin(pool).await?;
    match op(&mut tx).await {
        Ok(value) => {
            tx.commit().await?;
            Ok(value)
        }
        Err(err) if is_denial(&err) => {
            tx.rollback().await?;
            record_denial(pool, actor, action, resource_type, &err).await?;
            Err(AuditError::from(err))
        }
        Err(err) => Err(AuditError::from(err)),
    }
}
