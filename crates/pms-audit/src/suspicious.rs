//! Suspicious-activity detection (`detect_suspicious_activity`) and its per-tenant thresholds.

use crate::AuditError;
use pms_core::TenantId;
use serde::Serialize;
use sqlx::PgConnection;
use time::{OffsetDateTime, Time};
use uuid::Uuid;

/// One finding: a pattern seen for one user or account.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
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

/// Findings over `tenant`'s security events of the last `hours` hours (1..=8760).
pub async fn detect(
    conn: &mut PgConnection,
    tenant: TenantId,
    hours: i32,
) -> Result<Vec<Finding>, AuditError> {
    Ok(
        sqlx::query_as("SELECT * FROM detect_suspicious_activity($1, $2)")
            .bind(tenant.as_uuid())
            .bind(hours)
            .fetch_all(conn)
            .await?,
    )
}

/// A tenant's detection thresholds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    pub failed_logins: i32,
    pub sensitive_reads: i32,
    pub permission_denials: i32,
    pub bulk_export_rows: i32,
    pub distinct_addresses: i32,
    pub address_window_minutes: i32,
    pub work_day_start: Time,
    pub work_day_end: Time,
    /// ISO weekdays, 1 = Monday.
    pub work_days: Vec<i16>,
    pub timezone: String,
}

impl Default for AlertSettings {
    /// The specification's thresholds: 5 failed logins, 100 sensitive reads, 10 denials.
    fn default() -> Self {
        Self {
            failed_logins: 5,
            sensitive_reads: 100,
            permission_denials: 10,
            bulk_export_rows: 1000,
            distinct_addresses: 5,
            address_window_minutes: 60,
            work_day_start: Time::from_hms(8, 0, 0).unwrap_or(Time::MIDNIGHT),
            work_day_end: Time::from_hms(18, 0, 0).unwrap_or(Time::MIDNIGHT),
            work_days: vec![1, 2, 3, 4, 5],
            timezone: "UTC".into(),
        }
    }
}

/// Sets the thresholds of the transaction's tenant (`conn` is a tenant transaction). The
/// change is audited like any other; an unknown time zone or out-of-range value is refused.
pub async fn set_settings(
    conn: &mut PgConnection,
    tenant: TenantId,
    s: &AlertSettings,
) -> Result<(), AuditError> {
    let known_tz: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)")
            .bind(&s.timezone)
            .fetch_one(&mut *conn)
            .await?;
    if !known_tz {
        return Err(AuditError::InvalidInput(format!(
            "unknown time zone {:?}",
            s.timezone
        )));
    }
    sqlx::query(
        "INSERT INTO security_alert_settings (tenant_id, failed_logins, sensitive_reads, permission_denials,
             bulk_export_rows, distinct_addresses, address_window_minutes, work_day_start, work_day_end, work_days, timezone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tenant_id) DO UPDATE SET
             failed_logins = excluded.failed_logins, sensitive_reads = excluded.sensitive_reads,
             permission_denials = excluded.permission_denials, bulk_export_rows = excluded.bulk_export_rows,
             distinct_addresses = excluded.distinct_addresses, address_window_minutes = excluded.address_window_minutes,
             work_day_start = excluded.work_day_start, work_day_end = excluded.work_day_end,
             work_days = excluded.work_days, timezone = excluded.timezone",
    )
    .bind(tenant.as_uuid())
    .bind(s.failed_logins)
    .bind(s.sensitive_reads)
    .bind(s.permission_denials)
    .bind(s.bulk_export_rows)
    .bind(s.distinct_addresses)
    .bind(s.address_window_minutes)
    .bind(s.work_day_start)
    .bind(s.work_day_end)
    .bind(&s.work_days)
    .bind(&s.timezone)
    .execute(conn)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.code()).as_deref() {
        Some("23514") => AuditError::InvalidInput(format!("alert settings out of range: {}", e)),
        _ => AuditError::from(e),
    })?;
    Ok(())
}
