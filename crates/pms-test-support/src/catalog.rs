//! Catalog checks: properties of the schema itself, returned as lists of violations so that a
//! test can both assert "none" on the real schema and show that a broken schema is caught.

use sqlx::PgConnection;

/// Tables with a `tenant_id` column (or `tenants` itself) lacking ENABLE + FORCE RLS or a
/// policy with both USING and WITH CHECK.
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
        WHERE n.nspname = 'public'
          AND c.relkind IN ('r', 'p')
          AND NOT c.relispartition
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

/// Foreign keys whose referencing columns are not the leading columns of some index.
pub async fn unindexed_foreign_keys(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"
        SELECT con.conrelid::regclass::text || ' ' || con.conname::text
        FROM pg_constraint con
        JOIN pg_namespace n ON n.oid = (SELECT relnamespace FROM pg_class WHERE oid = con.conrelid)
        WHERE con.contype = 'f' AND n.nspname = 'public'
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

/// Foreign keys between tenant tables that do not include `tenant_id`.
pub async fn foreign_keys_without_tenant(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        r#"
        SELECT con.conrelid::regclass::text || ' ' || con.conname::text
        FROM pg_constraint con
        JOIN pg_class src ON src.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = src.relnamespace
        WHERE con.contype = 'f' AND n.nspname = 'public'
          AND con.confrelid <> 'public.tenants'::regclass
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attname = 'tenant_id')
          AND NOT EXISTS (SELECT 1 FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k
                          WHERE a.attname = 'tenant_id')
        ORDER BY 1"#,
    )
    .fetch_all(conn)
    .await
}
