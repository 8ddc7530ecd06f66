//! Audit reads for administrators (ADMIN or HR_ADMIN), through pms-audit's functions over the
//! specification's SQL functions (which check their arguments and the tenant): the history
//! of an entity, what a person did and what was done to their record, the tenant's security
//! events, and the suspicious-activity findings.

use super::admin::admin_only;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;
use axum::Json;
use pms_audit::AuditError;
use pms_core::UserId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(entity_history))
        .routes(routes!(person_history))
        .routes(routes!(security_events))
        .routes(routes!(suspicious_activity))
}

fn audit_error(e: AuditError) -> ApiError {
    match e {
        AuditError::InvalidInput(m) => ApiError::Unprocessable {
            code: "invalid_query",
            message: m,
            fields: Vec::new(),
        },
        AuditError::Denied(_) => ApiError::NotFound,
        AuditError::Db(e) => ApiError::from(e),
        AuditError::Head(m) => ApiError::internal(m),
    }
}

/// One row change of the audit trail.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub table_name: String,
    pub entity_type: String,
    /// INSERT, UPDATE or DELETE.
    pub operation: String,
    pub row_id: Option<Uuid>,
    /// `{column: {"old": ..., "new": ...}}`; secrets appear as `"[REDACTED]"`.
    pub changes: serde_json::Value,
    /// Who made the change.
    pub actor_user_id: Option<Uuid>,
    pub request_id: Option<String>,
}

impl From<pms_audit::history::AuditEntry> for AuditEntry {
    fn from(e: pms_audit::history::AuditEntry) -> Self {
        Self {
            id: e.id,
            seq: e.seq,
            occurred_at: e.occurred_at,
            table_name: e.table_name,
            entity_type: e.entity_type,
            operation: e.operation,
            row_id: e.row_id,
            changes: e.changes,
            actor_user_id: e.actor_user_id,
            request_id: e.request_id,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    /// Days back, 1 to 1095 (default 90; a person's own actions).
    pub days: Option<i32>,
    /// Entries, 1 to 1000 (default 100).
    pub limit: Option<i32>,
}

/// Every change of one entity, newest first (type as `PerformanceReview` or `performance_reviews`).
#[utoipa::path(get, path = "/admin/audit/entities/{entity_type}/{id}", tag = "admin",
    params(("entity_type" = String, Path), ("id" = Uuid, Path), HistoryParams),
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn entity_history(
    mut db: Db,
    ApiPath((entity, id)): ApiPath<(String, Uuid)>,
    ApiQuery(q): ApiQuery<HistoryParams>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    admin_only(&db)?;
    let rows = pms_audit::history::entity_history(db.conn(), &entity, id, q.limit.unwrap_or(100))
        .await
        .map_err(audit_error)?;
    db.commit().await?;
    Ok(Json(rows.into_iter().map(AuditEntry::from).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonHistory {
    pub person_id: Uuid,
    /// What the person changed (as the acting user), newest first.
    pub actions: Vec<AuditEntry>,
    /// The changes of their own record (account, status, manager, department), newest first.
    pub record: Vec<AuditEntry>,
}

/// What a person did, and what was done to their record.
#[utoipa::path(get, path = "/admin/audit/people/{id}", tag = "admin", params(("id" = Uuid, Path), HistoryParams),
    responses((status = 200, body = PersonHistory), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn person_history(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<HistoryParams>,
) -> Result<Json<PersonHistory>, ApiError> {
    admin_only(&db)?;
    let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)")
        .bind(id)
        .fetch_one(db.conn())
        .await?;
    if !known {
        return Err(ApiError::NotFound);
    }
    let limit = q.limit.unwrap_or(100);
    let actions =
        pms_audit::history::user_history(db.conn(), UserId(id), q.days.unwrap_or(90), limit)
            .await
            .map_err(audit_error)?;
    let record = pms_audit::history::entity_history(db.conn(), "User", id, limit)
        .await
        .map_err(audit_error)?;
    db.commit().await?;
    Ok(Json(PersonHistory {
        person_id: id,
        actions: actions.into_iter().map(AuditEntry::from).collect(),
        record: record.into_iter().map(AuditEntry::from).collect(),
    }))
}

/// One security event (sign-ins, denials, role changes, sensitive reads, exports).
#[derive(Debug, Serialize, ToSchema)]
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

/// The tenant's security events, newest first.
#[utoipa::path(get, path = "/admin/security-events", tag = "admin", params(HistoryParams),
    responses((status = 200, body = Vec<SecurityEvent>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn security_events(
    mut db: Db,
    ApiQuery(q): ApiQuery<HistoryParams>,
) -> Result<Json<Vec<SecurityEvent>>, ApiError> {
    admin_only(&db)?;
    let tenant = db.auth().tenant;
    let rows = pms_audit::history::tenant_events(
        db.conn(),
        tenant,
        q.days.unwrap_or(7),
        q.limit.unwrap_or(100),
    )
    .await
    .map_err(audit_error)?;
    db.commit().await?;
    Ok(Json(
        rows.into_iter()
            .map(|e| SecurityEvent {
                id: e.id,
                seq: e.seq,
                occurred_at: e.occurred_at,
                event_type: e.event_type,
                severity: e.severity,
                user_id: e.user_id,
                account: e.account,
                ip_address: e.ip_address,
                user_agent: e.user_agent,
                resource_type: e.resource_type,
                resource_id: e.resource_id,
                details: e.details,
                request_id: e.request_id,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuspiciousParams {
    /// Hours back, 1 to 8760 (default 24).
    pub hours: Option<i32>,
}

/// One finding: a pattern seen for one user or account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Finding {
    /// REPEATED_LOGIN_FAILURES, EXCESSIVE_SENSITIVE_READS, REPEATED_PERMISSION_DENIALS,
    /// OFF_HOURS_BULK_EXPORT or MANY_ADDRESSES.
    pub pattern: String,
    pub severity: String,
    pub user_id: Option<Uuid>,
    pub account: Option<String>,
    pub occurrences: i64,
    #[serde(with = "time::serde::rfc3339::option")]
    pub first_seen: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_seen: Option<OffsetDateTime>,
    pub details: serde_json::Value,
}

/// Suspicious activity over the tenant's recent security events (the tenant's thresholds).
#[utoipa::path(get, path = "/admin/suspicious-activity", tag = "admin", params(SuspiciousParams),
    responses((status = 200, body = Vec<Finding>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn suspicious_activity(
    mut db: Db,
    ApiQuery(q): ApiQuery<SuspiciousParams>,
) -> Result<Json<Vec<Finding>>, ApiError> {
    admin_only(&db)?;
    let tenant = db.auth().tenant;
    let rows = pms_audit::suspicious::detect(db.conn(), tenant, q.hours.unwrap_or(24))
        .await
        .map_err(audit_error)?;
    db.commit().await?;
    Ok(Json(
        rows.into_iter()
            .map(|f| Finding {
                pattern: f.pattern,
                severity: f.severity,
                user_id: f.user_id,
                account: f.account,
                occurrences: f.occurrences,
                first_seen: f.first_seen,
                last_seen: f.last_seen,
                details: f.details,
            })
            .collect(),
    ))
}
