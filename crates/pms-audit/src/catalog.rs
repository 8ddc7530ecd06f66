//! Which tables must carry the audit trigger, and a catalog check that they do.

use sqlx::PgConnection;

/// Every table holding personal or decision data. Tables of the performance domain may not
/// exist in every build; those that exist must be audited. `sessions` is absent on purpose: it
/// holds session ids and token hashes, which never enter the audit trail.
pub const SENSITIVE_TABLES: &[&str] = &[
    "tenants",
    "business_units",
    "cost_centers",
    "departments",
    "users",
    "teams",
    "team_members",
    "reporting_lines",
    "roles",
    "user_roles",
    "access_policies",
    "delegations",
    "security_alert_settings",
    "performance_reviews",
    "calibration_ratings",
    "feedback",
    "goals",
    "performance_improvement_plans",
    "compensation_decisions",
    "promotion_decisions",
    "development_plans",
    "succession_plans",
];

/// Sensitive tables that exist but lack the audit trigger (or its TRUNCATE guard), or whose
/// trigger is not `ENABLE ALWAYS`, e.g. `"users: audit trigger missing"`.
pub async fn missing_audit_triggers(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    missing_audit_triggers_in(conn, SENSITIVE_TABLES).await
}

/// As [`missing_audit_triggers`], for the given tables of schema public (absent ones skipped).
pub async fn missing_audit_triggers_in(
    conn: &mut PgConnection,
    tables: &[&str],
) -> sqlx::Result<Vec<String>> {
    let tables: Vec<String> = tables.iter().map(|t| t.to_string()).collect();
    sqlx::query_scalar(
        r#"
        SELECT t.name || ': ' || concat_ws(', ',
                 CASE WHEN r.tgenabled IS NULL THEN 'audit trigger missing'
                      WHEN r.tgenabled <> 'A' THEN 'audit trigger not ENABLE ALWAYS (' || r.tgenabled || ')' END,
                 CASE WHEN g.tgenabled IS NULL THEN 'TRUNCATE guard missing'
                      WHEN g.tgenabled <> 'A' THEN 'TRUNCATE guard not ENABLE ALWAYS (' || g.tgenabled || ')' END)
        FROM unnest($1::text[]) AS t(name)
        CROSS JOIN LATERAL (SELECT to_regclass('public.' || quote_ident(t.name)) AS rel) c
        LEFT JOIN LATERAL (SELECT tg.tgenabled::text AS tgenabled FROM pg_trigger tg
                            WHERE tg.tgrelid = c.rel AND tg.tgname = 'audit_row_change'
                              AND tg.tgfoid = 'pms_meta.audit_row_change()'::regprocedure) r ON true
        LEFT JOIN LATERAL (SELECT tg.tgenabled::text AS tgenabled FROM pg_trigger tg
                            WHERE tg.tgrelid = c.rel AND tg.tgname = 'audit_refuse_truncate') g ON true
        WHERE c.rel IS NOT NULL
          AND (r.tgenabled IS DISTINCT FROM 'A' OR g.tgenabled IS DISTINCT FROM 'A')
        ORDER BY 1"#,
    )
    .bind(tables)
    .fetch_all(conn)
    .await
}

/// Sensitive tables that exist in this database (the domain tables may be absent).
pub async fn existing_sensitive_tables(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    let tables: Vec<String> = SENSITIVE_TABLES.iter().map(|t| t.to_string()).collect();
    sqlx::query_scalar(
        "SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass('public.' || quote_ident(t)) IS NOT NULL ORDER BY 1",
    )
    .bind(tables)
    .fetch_all(conn)
    .await
}
