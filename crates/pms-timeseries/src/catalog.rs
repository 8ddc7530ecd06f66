//! Catalog checks of the engine, returned as violations (like `pms_test_support::catalog`), so
//! tests can assert none on the real schema and show a broken schema is caught.

use sqlx::PgConnection;
use time::OffsetDateTime;

/// Tables in schema `timeseries` with a `tenant_id` column (partitions aside: they are reached
/// only through their parents) lacking ENABLE + FORCE RLS and a policy with USING and WITH CHECK.
/// TimescaleDB's storage hypertables (`*_hyper`) cannot carry RLS; they pass only while the
/// application and reporting roles have no right on them at all.
pub async fn rls_violations(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'timeseries' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
             AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
                  OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polcmd = '*'
                                   AND p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL))
             AND NOT (c.relname LIKE '%\_hyper'
                      AND NOT EXISTS (SELECT 1 FROM unnest(ARRAY['pms_app', 'pms_readonly']) r(role)
                                      WHERE has_table_privilege(r.role, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')))
           ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// Partitions in schema `timeseries` that the application or reporting role could read or
/// write directly (bypassing the parent's policy).
pub async fn exposed_partitions(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT c.oid::regclass::text || ' to ' || r.rolname FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           CROSS JOIN (VALUES ('pms_app'), ('pms_readonly')) AS r(rolname)
           WHERE n.nspname = 'timeseries' AND c.relispartition
             AND has_table_privilege(r.rolname, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
           ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// Hypertables lacking a chunk for `at` or for any of the `chunks_ahead` intervals after it.
/// The instant is explicit: a check against `now()` run after the partition job could cross a
/// chunk boundary that the job did not, and report a chunk the job was never due to make.
/// Steps are taken in UTC, like the chunk bounds.
pub async fn missing_future_chunks(
    conn: &mut PgConnection,
    at: OffsetDateTime,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT h.name || ' has no chunk for ' || to_char(g.at, 'YYYY-MM-DD HH24:MI:SS') || ' UTC'
           FROM timeseries.hypertables h
           CROSS JOIN LATERAL generate_series($1::timestamptz AT TIME ZONE 'UTC',
                                              $1::timestamptz AT TIME ZONE 'UTC' + h.chunk_interval * h.chunks_ahead,
                                              h.chunk_interval) AS g(at)
           WHERE NOT EXISTS (
               SELECT 1 FROM timeseries.chunks c
               JOIN pg_class pc ON pc.oid = to_regclass('timeseries.' || quote_ident(c.chunk_name))
               WHERE c.hypertable = h.name AND c.range_start <= g.at AT TIME ZONE 'UTC'
                 AND c.range_end > g.at AT TIME ZONE 'UTC' AND pc.relispartition)
           ORDER BY 1"#,
    )
    .bind(at)
    .fetch_all(conn)
    .await
}
