//! Catalog checks: properties of the schema itself, returned as lists of violations so that a
//! test can both assert "none" on the real schema and show that a broken schema is caught.

use sqlx::PgConnection;

/// Tables with a `tenant_id` column (or `tenants` itself) lacking ENABLE + FORCE RLS or a
/// policy with both USING and WITH CHECK, in every schema of the database: `public`, the
/// bookkeeping (`pms_meta`, `pms_retention`), the time-series engine (`timeseries`), the tenant
/// partitions (`pms_parts`) and any schema added later. Exempt, and only these: the system
/// schemas, tables that belong to an extension, and TimescaleDB's internal schemas
/// (`_timescaledb*`: its chunks are reached through the hypertables, whose policies apply).
/// Partitions are checked too when a role that RLS confines (`pms_app`, `pms_readonly`) may
/// read or write them directly; else they are reached only through their parent. On the
/// TimescaleDB backend the storage hypertables (`timeseries.*_hyper`) cannot carry RLS: they
/// pass only while neither confined role has any right on them (the public views apply the
/// tenant rule).
pub async fn rls_violations(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"
        SELECT c.oid::regclass::text || ': ' || concat_ws(', ',
                 CASE WHEN NOT c.relrowsecurity THEN 'RLS not enabled' END,
                 CASE WHEN NOT c.relforcerowsecurity THEN 'RLS not forced' END,
                 CASE WHEN NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                                         AND p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL
                                         AND p.polcmd = '*')
                      THEN 'no policy with USING and WITH CHECK' END,
                 CASE WHEN EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                                     AND (pg_get_expr(p.polqual, p.polrelid) IN ('true', '(true)')
                                          OR pg_get_expr(p.polwithcheck, p.polrelid) IN ('true', '(true)')))
                      THEN 'a policy is always true' END)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_%'
          AND n.nspname NOT LIKE '\_timescaledb%'
          AND c.relkind IN ('r', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                            AND d.objid = c.oid AND d.deptype = 'e')
          AND (NOT c.relispartition
               OR has_table_privilege('pms_app', c.oid, 'SELECT,INSERT,UPDATE,DELETE')
               OR has_table_privilege('pms_readonly', c.oid, 'SELECT,INSERT,UPDATE,DELETE'))
          AND NOT (n.nspname = 'timeseries' AND c.relname LIKE '%\_hyper'
                   AND NOT EXISTS (SELECT 1 FROM unnest(ARRAY['pms_app', 'pms_readonly']) r(role)
                                   WHERE has_table_privilege(r.role, c.oid,
                                           'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')))
          AND (c.relname = 'tenants' OR EXISTS (
                SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
          AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
               OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                                AND p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL AND p.polcmd = '*')
               OR EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                            AND (pg_get_expr(p.polqual, p.polrelid) IN ('true', '(true)')
                                 OR pg_get_expr(p.polwithcheck, p.polrelid) IN ('true', '(true)'))))
        ORDER BY 1
        "#,
    )
    .fetch_all(conn)
    .await
}

/// Tables in `public` that have no `tenant_id` column (they must be listed as global on purpose).
pub async fn tables_without_tenant(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
           ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// Objects owned by a role: the application role must own nothing.
pub async fn objects_owned_by(conn: &mut PgConnection, role: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT 'relation ' || c.oid::regclass::text FROM pg_class c WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
           UNION ALL SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
           UNION ALL SELECT 'schema ' || nspname::text FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
           UNION ALL SELECT 'type ' || t.oid::regtype::text FROM pg_type t WHERE t.typowner = (SELECT oid FROM pg_roles WHERE rolname = $1) AND t.typrelid = 0 AND t.typcategory <> 'A'
           ORDER BY 1"#,
    )
    .bind(role)
    .fetch_all(conn)
    .await
}

/// Foreign keys (in `public` and the `warehouse` star) whose referencing columns are not the
/// leading columns of some index.
pub async fn unindexed_foreign_keys(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"
        SELECT con.conrelid::regclass::text || ' ' || con.conname::text
        FROM pg_constraint con
        JOIN pg_namespace n ON n.oid = (SELECT relnamespace FROM pg_class WHERE oid = con.conrelid)
        WHERE con.contype = 'f' AND n.nspname IN ('public', 'warehouse')
          AND NOT EXISTS (
              SELECT 1 FROM pg_index i
              WHERE i.indrelid = con.conrelid
                AND (i.indkey::int2[])[0:cardinality(con.conkey) - 1] @> con.conkey
                AND (i.indkey::int2[])[0:cardinality(con.conkey) - 1] <@ con.conkey)
        ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// Foreign keys between tenant tables (in `public` and `warehouse`) that do not include `tenant_id`.
pub async fn foreign_keys_without_tenant(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"
        SELECT con.conrelid::regclass::text || ' ' || con.conname::text
        FROM pg_constraint con
        JOIN pg_class src ON src.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = src.relnamespace
        WHERE con.contype = 'f' AND n.nspname IN ('public', 'warehouse')
          AND con.confrelid <> 'public.tenants'::regclass
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attname = 'tenant_id')
          AND NOT EXISTS (SELECT 1 FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k
                          WHERE a.attname = 'tenant_id')
        ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// Indexes in `public` and `warehouse` (other than primary keys) with no `COMMENT ON INDEX` naming the access
/// path they serve: every index must say why it exists (docs/SCHEMA.md lists these comments).
pub async fn uncommented_indexes(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT c.relname::text FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname IN ('public', 'warehouse') AND NOT i.indisprimary AND NOT t.relispartition
             AND coalesce(trim(obj_description(c.oid, 'pg_class')), '') = ''
           ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// (tables, indexes other than primary keys) in `public`, partitions not counted.
pub async fn table_and_index_counts(conn: &mut PgConnection) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        r#"SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition),
                  (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                   JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'public' AND NOT i.indisprimary AND NOT t.relispartition)"#,
    )
    .fetch_one(conn)
    .await
}

/// `SECURITY DEFINER` functions of our schemas that lack a fixed `search_path` or that
/// `PUBLIC` may execute.
pub async fn security_definer_violations(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT p.oid::regprocedure::text || ': ' || concat_ws(', ',
                    CASE WHEN NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) s WHERE s LIKE 'search\_path=%')
                         THEN 'no fixed search_path' END,
                    CASE WHEN has_function_privilege('public', p.oid, 'EXECUTE') THEN 'PUBLIC may execute' END)
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
             AND (NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) s WHERE s LIKE 'search\_path=%')
                  OR has_function_privilege('public', p.oid, 'EXECUTE'))
           ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// Views of our schemas that run with their owner's rights (no `security_invoker`), so RLS
/// would be checked against `pms_owner` instead of the caller.
pub async fn views_without_security_invoker(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'v' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
             AND NOT coalesce(c.reloptions, '{}') && ARRAY['security_invoker=true', 'security_invoker=on', 'security_invoker=1']
           ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// Every tenant-scoped table in `public` (has `tenant_id`), partitions not listed.
pub async fn tenant_tables(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
           ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}

/// Columns the erasure plan (`pms_retention.erasure_rules`) has no rule for, as
/// `table.column (why)`, and rules that no longer fit the schema: a foreign key to `users`, a
/// column named like a person reference, an array of ids, a JSON document or free text without
/// a rule would leave a person behind (or stop the erasure).
pub async fn erasure_plan_gaps(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT g FROM pms_retention.erasure_plan_gaps() g ORDER BY 1")
        .fetch_all(conn)
        .await
}

/// The warehouse's own rules, as violations: every table of schema `warehouse` carries
/// `tenant_id`; the reporting role (`pms_readonly`) may read every table and the application
/// role (`pms_app`) none (the facts hold ratings, and pms_app's visibility policies on the OLTP
/// tables must not be bypassed through them); each slowly changing dimension has an exclusion
/// constraint against overlapping validity and a unique index on its current rows.
pub async fn warehouse_violations(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"
        SELECT c.oid::regclass::text || ': ' || concat_ws(', ',
                 CASE WHEN NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                                         AND NOT a.attisdropped) THEN 'no tenant_id' END,
                 CASE WHEN NOT has_table_privilege('pms_readonly', c.oid, 'SELECT') THEN 'pms_readonly cannot read it' END,
                 CASE WHEN has_table_privilege('pms_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                      THEN 'pms_app has a right on it' END,
                 CASE WHEN c.relname IN ('dim_user', 'dim_department')
                       AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conrelid = c.oid AND x.contype = 'x')
                      THEN 'no exclusion constraint on validity' END,
                 CASE WHEN c.relname IN ('dim_user', 'dim_department')
                       AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique
                                         AND pg_get_expr(i.indpred, i.indrelid) = 'is_current')
                      THEN 'no unique index on the current rows' END) AS v
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'warehouse' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY 1
        "#,
    )
    .fetch_all(conn)
    .await
    .map(|rows: Vec<String>| rows.into_iter().filter(|r| !r.ends_with(": ")).collect())
}
