//! Reading the trail through the specification's functions, which check their arguments
//! (days 1..=1095, limit 1..=1000, known entity types) and answer in one line when refused.

use crate::AuditError;
use pms_core::{TenantId, UserId};
use serde::Serialize;
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// One row change.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AuditEntry {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub table_name: String,
    pub entity_type: String,
    pub operation: String,
    pub row_id: Option<Uuid>,
    /// `{column: {"old": ..., "new": ...}}`; secrets appear as `"[REDACTED]"`.
    pub changes: serde_json::Value,
    pub actor_user_id: Option<Uuid>,
    pub request_id: Option<String>,
}

/// One security event.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct SecurityEvent {
    pub id: Uuid,
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub event_type: String,
    pub severity: String,
    pub user_id: Option<Uuid>,
    pub account: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<Uuid>,
    pub details: serde_json::Value,
    pub request_id: Option<String>,
}

/// What `user` changed in the last `days` days, newest first.
pub async fn user_history(
    conn: &mut PgConnection,
    user: UserId,
    days: i32,
    limit: i32,
) -> Result<Vec<AuditEntry>, AuditError> {
    Ok(
        sqlx::query_as("SELECT * FROM get_user_audit_history($1, $2, $3)")
            .bind(user.as_uuid())
            .bind(days)
            .bind(limit)
            .fetch_all(conn)
            .await?,
    )
}

/// Every change of one entity (type as `PerformanceReview` or `performance_reviews`), newest first.
pub async fn entity_history(
    conn: &mut PgConnection,
    entity_type: &str,
    id: Uuid,
    limit: i32,
) -> Result<Vec<AuditEntry>, AuditError> {
    Ok(
        sqlx::query_as("SELECT * FROM get_entity_audit_history($1, $2, $3)")
            .bind(entity_type)
            .bind(id)
            .bind(limit)
            .fetch_all(conn)
            .await?,
    )
}

/// `tenant`'s security events of the last `days` days, newest first.
pub async fn tenant_events(
    conn: &mut PgConnection,
    tenant: TenantId,
    days: i32,
    limit: i32,
) -> Result<Vec<SecurityEvent>, AuditError> {
    Ok(sqlx::query_as(
        "SELECT id, seq, occurred_at, event_type, severity, user_id, account, host(ip_address) AS ip_address,
                user_agent, resource_type, resource_id, details, request_id
           FROM get_tenant_security_events($1, $2, $3)",
    )
    .bind(tenant.as_uuid())
    .bind(days)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
