//! Data safety: backups (their age and last verification, once `pms backup` records runs) and
//! the security events and suspicious-activity findings of every tenant.

use super::platform::{NOT_MIGRATED, exists};
use super::{ReportOptions, Section, Status, human_secs, table};
use crate::sql::quote_ident;
use serde_json::json;
use sqlx::PgConnection;

/// Backups record their runs in tables of their own (`pms backup`). Until such tables exist
/// this section says no backups are configured; once they do, it reads the newest finished
/// and verified times from whichever of them has such columns.
pub async fn backups(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    let tables: Vec<(String, String, Vec<String>)> = sqlx::query_as(
        "SELECT n.nspname::text, c.relname::text,
                array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                         AND a.atttypid = 'timestamptz'::regtype ORDER BY a.attnum)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p', 'v') AND (n.nspname LIKE '%backup%' OR c.relname LIKE 'backup%')
            AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          ORDER BY 1, 2",
    )
    .fetch_all(&mut *c)
    .await?;
    if tables.is_empty() {
        return Ok(Section::unavailable(
            "no backups configured",
            "no backup tables in this database: set up `pms backup` (pgBackRest); until then the backup age and last verification cannot be shown",
        ));
    }
    let mut found = Vec::new();
    for (schema, name, cols) in &tables {
        let pick = |cands: &[&str]| {
            cands
                .iter()
                .find(|c| cols.iter().any(|x| x == *c))
                .map(|c| c.to_string())
        };
        let finished = pick(&["finished_at", "completed_at", "ended_at", "stopped_at"]);
        let verified = pick(&["verified_at", "last_verified_at", "restore_verified_at"]);
        if finished.is_none() && verified.is_none() {
            continue;
        }
        let col = |c: &Option<String>| {
            c.as_ref().map_or("NULL::timestamptz".into(), |c| {
                format!("max({})", quote_ident(c))
            })
        };
        let sql = format!(
            "SELECT extract(epoch FROM now() - {})::float8, extract(epoch FROM now() - {})::float8 FROM {}.{}",
            col(&finished),
            col(&verified),
            quote_ident(schema),
            quote_ident(name)
        );
        let (age, verified_age): (Option<f64>, Option<f64>) =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *c)
                .await?;
        found.push(json!({"table": format!("{schema}.{name}"), "last_backup_age_seconds": age, "last_verification_age_seconds": verified_age}));
    }
    let Some(first) = found.first().cloned() else {
        return Ok(Section::unavailable(
            format!(
                "backup tables found ({}) but none records finished or verified times",
                tables
                    .iter()
                    .map(|t| format!("{}.{}", t.0, t.1))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "see `pms backup` for the backups' own status",
        ));
    };
    let age = first["last_backup_age_seconds"].as_f64();
    let status = if age.is_none_or(|a| a > 26.0 * 3600.0) {
        Status::Warning
    } else {
        Status::Ok
    };
    let summary = format!(
        "last backup {} ago, last verification {} ago",
        age.map_or("never".into(), human_secs),
        first["last_verification_age_seconds"]
            .as_f64()
            .map_or("never".into(), human_secs)
    );
    Ok(Section::new(status, summary, json!({"tables": found})))
}

pub async fn security(c: &mut PgConnection, o: &ReportOptions) -> Result<Section, sqlx::Error> {
    if !exists(
        c,
        "SELECT to_regclass('public.security_events') IS NOT NULL",
    )
    .await?
    {
        return Ok(Section::unavailable(
            "security events are not installed here",
            NOT_MIGRATED,
        ));
    }
    let sees_all: bool = sqlx::query_scalar(
        "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut *c)
    .await?;
    if !sees_all {
        return Ok(Section::unavailable(
            "this login sees no tenant's security events (row-level security)",
            "use a login with BYPASSRLS (pms_maintenance) or a superuser: PMS_MONITOR_DATABASE_URL",
        ));
    }
    let events: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT e.event_type, e.severity, count(*)
           FROM tenants t CROSS JOIN LATERAL (
                SELECT s.event_type, s.severity FROM security_events s
                 WHERE s.tenant_id = t.id AND s.occurred_at >= now() - make_interval(hours => $1)) e
          GROUP BY 1, 2 ORDER BY 3 DESC",
    )
    .bind(o.security_hours)
    .fetch_all(&mut *c)
    .await?;
    type F = (
        String,
        String,
        String,
        Option<String>,
        i64,
        Option<time::OffsetDateTime>,
    );
    let findings: Vec<F> = sqlx::query_as(
        "SELECT t.slug, f.pattern, f.severity, coalesce(f.account, f.user_id::text), f.occurrences, f.last_seen
           FROM tenants t CROSS JOIN LATERAL detect_suspicious_activity(t.id, $1) f
          WHERE EXISTS (SELECT 1 FROM security_events s
                         WHERE s.tenant_id = t.id AND s.occurred_at >= now() - make_interval(hours => $1))
          ORDER BY f.last_seen DESC LIMIT 50",
    )
    .bind(o.security_hours)
    .fetch_all(&mut *c)
    .await?;
    let status = if findings.is_empty() {
        Status::Ok
    } else {
        Status::Warning
    };
    let summary = format!(
        "{} security event(s) and {} suspicious finding(s) in the last {} h",
        events.iter().map(|e| e.2).sum::<i64>(),
        findings.len(),
        o.security_hours
    );
    let data = json!({
        "hours": o.security_hours,
        "events": events.iter().map(|e| json!({"event_type": e.0, "severity": e.1, "count": e.2})).collect::<Vec<_>>(),
        "findings": findings.iter().map(|f| json!({
            "tenant": f.0, "pattern": f.1, "severity": f.2, "subject": f.3, "occurrences": f.4,
            "last_seen": f.5.map(|t| t.unix_timestamp()),
        })).collect::<Vec<_>>(),
    });
    let mut lines = table(
        &["event", "severity", "count"],
        &events
            .iter()
            .map(|e| vec![e.0.clone(), e.1.clone(), e.2.to_string()])
            .collect::<Vec<_>>(),
    );
    if !findings.is_empty() {
        lines.push("suspicious activity:".into());
        lines.extend(table(
            &["tenant", "pattern", "severity", "who", "occurrences"],
            &findings
                .iter()
                .map(|f| {
                    vec![
                        f.0.clone(),
                        f.1.clone(),
                        f.2.clone(),
                        f.3.clone().unwrap_or_default(),
                        f.4.to_string(),
                    ]
                })
                .collect::<Vec<_>>(),
        ));
    }
    let mut s = Section::new(status, summary, data).lines(lines);
    if !findings.is_empty() {
        s = s.note("per tenant: `pms audit suspicious --tenant <id>`; thresholds in security_alert_settings");
    }
    Ok(s)
}
