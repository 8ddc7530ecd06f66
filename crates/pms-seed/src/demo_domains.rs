//! The demo data of every domain beyond identity: goals and OKRs, reviews, competencies,
//! feedback, one-on-ones, calibration, 360 rounds, tracking, reports, assessments, ML
//! predictions, engagement surveys, promotion recommendations, succession and development
//! plans, PIPs, organisational health, notifications and billing; 90 days of time-series
//! metrics, security events, a retention override and a legal hold.
//!
//! The rows live in readable SQL files (`demo_sql/*.sql`) with two kinds of placeholders:
//! `{{t}}` is the tenant id and `{{a/b}}` is `seed_id("<slug>/a/b")`, the same deterministic id
//! the identity seed uses (so `{{user/jane}}` is Jane). Every statement ends in
//! `ON CONFLICT DO NOTHING` (or, for tables without a key, runs only while the tenant has no rows
//! there), so a second run inserts nothing. The files only refer to people
//! both demo tenants have, so both get every domain (which the isolation test relies on).

use super::demo_tenants::{DemoTenant, tenant_id};
use super::seed_id;
use pms_db::tenant::MaintenanceTx;
use sqlx::Executor;

/// The demo SQL, in the order it runs (later files refer to rows of earlier ones).
const FILES: &[(&str, &str)] = &[
    (
        "10_performance.sql",
        include_str!("demo_sql/10_performance.sql"),
    ),
    (
        "20_feedback_360_and_tracking.sql",
        include_str!("demo_sql/20_feedback_360_and_tracking.sql"),
    ),
    (
        "30_reports_and_assessments.sql",
        include_str!("demo_sql/30_reports_and_assessments.sql"),
    ),
    (
        "40_ml_insights_platform.sql",
        include_str!("demo_sql/40_ml_insights_platform.sql"),
    ),
    (
        "50_timeseries_audit_retention.sql",
        include_str!("demo_sql/50_timeseries_audit_retention.sql"),
    ),
];

/// Replaces the placeholders of a demo SQL file for one tenant. Only uuids are substituted, so
/// the result is as safe as the checked-in file.
pub fn expand(sql: &str, slug: &str) -> Result<String, String> {
    let tenant = tenant_id_for(slug);
    let mut out = String::with_capacity(sql.len() + sql.len() / 4);
    let mut rest = sql;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| {
            format!(
                "unclosed placeholder near {:?}",
                &rest[start..(start + 40).min(rest.len())]
            )
        })?;
        let key = &after[..end];
        if key.is_empty() || key.contains(char::is_whitespace) || key.contains('\'') {
            return Err(format!("bad placeholder {{{{{key}}}}}"));
        }
        let id = if key == "t" {
            tenant
        } else {
            seed_id(&[slug, key])
        };
        out.push('\'');
        out.push_str(&id.to_string());
        out.push_str("'::uuid");
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn tenant_id_for(slug: &str) -> uuid::Uuid {
    seed_id(&[slug, "tenant"])
}

/// Seeds every domain for one demo tenant inside the caller's transaction; returns the number
/// of rows this run inserted.
pub async fn seed_domains(tx: &mut MaintenanceTx, t: &DemoTenant) -> Result<u64, sqlx::Error> {
    debug_assert_eq!(tenant_id(t), tenant_id_for(t.slug));
    let mut inserted = 0;
    for (name, sql) in FILES {
        let sql = expand(sql, t.slug)
            .map_err(|e| sqlx::Error::Protocol(format!("demo seed {name}: {e}")))?;
        let result = (&mut ***tx)
            .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(sql)))
            .await?;
        inserted += result.rows_affected();
    }
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_the_seed_ids() {
        let sql = expand("VALUES ({{t}}, {{user/jane}}, '{}')", "demo-company").unwrap();
        let jane = seed_id(&["demo-company", "user", "jane"]);
        let tenant = seed_id(&["demo-company", "tenant"]);
        assert_eq!(
            sql,
            format!("VALUES ('{tenant}'::uuid, '{jane}'::uuid, '{{}}')")
        );
        assert!(expand("VALUES ({{oops)", "x").is_err());
        assert!(expand("VALUES ({{a b}})", "x").is_err());
    }

    #[test]
    fn every_demo_file_expands() {
        for (name, sql) in FILES {
            let out = expand(sql, "acme-test").unwrap();
            assert!(!out.contains("{{"), "{name}");
        }
    }
}
