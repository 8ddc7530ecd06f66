//! Catalog checks of the audit schema: every sensitive table that exists carries the audit
//! trigger (and the check fails when one is dropped or disabled), the definer functions are
//! locked down, and partitions are closed to every role but the owner.

use pms_audit::catalog;
use pms_test_support::{TestDb, catalog as base};
use sqlx::Executor;

#[tokio::test]
async fn every_existing_sensitive_table_is_audited() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let missing = catalog::missing_audit_triggers(&mut owner).await?;
    assert!(
        missing.is_empty(),
        "sensitive tables without the audit trigger: {missing:#?}"
    );
    let existing = catalog::existing_sensitive_tables(&mut owner).await?;
    for t in [
        "tenants",
        "users",
        "roles",
        "user_roles",
        "access_policies",
        "delegations",
        "teams",
    ] {
        assert!(existing.iter().any(|e| e == t), "{t} not found");
    }
    // Each is registered under an entity type that the history functions accept.
    let registered: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pms_meta.audited_tables WHERE table_name = ANY ($1)",
    )
    .bind(&existing)
    .fetch_one(&mut owner)
    .await?;
    assert_eq!(registered as usize, existing.len());
    // The audit tables follow the tenancy rules too.
    assert!(base::rls_violations(&mut owner).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn the_check_fails_when_a_trigger_is_dropped_or_disabled() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    owner
        .execute("DROP TRIGGER audit_row_change ON delegations")
        .await?;
    owner
        .execute("ALTER TABLE roles DISABLE TRIGGER audit_row_change")
        .await?;
    owner
        .execute("ALTER TABLE users ENABLE TRIGGER audit_refuse_truncate")
        .await?; // origin only, not ALWAYS
    let missing = catalog::missing_audit_triggers(&mut owner).await?;
    assert_eq!(
        missing,
        vec![
            "delegations: audit trigger missing".to_string(),
            "roles: audit trigger not ENABLE ALWAYS (D)".to_string(),
            "users: TRUNCATE guard not ENABLE ALWAYS (O)".to_string(),
        ]
    );
    // enable_audit() puts it right again.
    owner.execute("SELECT pms_meta.enable_audit(t) FROM unnest('{delegations,roles,users}'::regclass[]) t").await?;
    assert!(
        catalog::missing_audit_triggers(&mut owner)
            .await?
            .is_empty()
    );
    Ok(())
}

#[tokio::test]
async fn a_new_domain_table_is_audited_once_enabled() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    // Every sensitive domain table the schema migrations created already carries the trigger.
    assert!(
        catalog::missing_audit_triggers(&mut owner)
            .await?
            .is_empty()
    );
    // A new domain table (a name no migration uses) has none until enable_audit() attaches it.
    owner
        .execute("CREATE TABLE zz_audit_probe_widgets (tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL DEFAULT gen_random_uuid(), title text, PRIMARY KEY (tenant_id, id))")
        .await?;
    let probe = ["zz_audit_probe_widgets"];
    assert_eq!(
        catalog::missing_audit_triggers_in(&mut owner, &probe).await?,
        vec!["zz_audit_probe_widgets: audit trigger missing, TRUNCATE guard missing".to_string()]
    );
    owner
        .execute("SELECT pms_meta.enable_audit('zz_audit_probe_widgets')")
        .await?;
    assert!(
        catalog::missing_audit_triggers_in(&mut owner, &probe)
            .await?
            .is_empty()
    );
    let entity: String = sqlx::query_scalar("SELECT entity_type FROM pms_meta.audited_tables WHERE table_name = 'zz_audit_probe_widgets'")
        .fetch_one(&mut owner)
        .await?;
    assert_eq!(entity, "ZzAuditProbeWidget");
    // A table without a tenant column is refused with a clear error.
    owner.execute("CREATE TABLE stray (id uuid)").await?;
    let err = owner
        .execute("SELECT pms_meta.enable_audit('stray')")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("has no uuid column tenant_id"),
        "{err}"
    );
    Ok(())
}

#[tokio::test]
async fn definer_functions_are_locked_down_and_partitions_closed() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    // Every SECURITY DEFINER function: fixed search_path ending in pg_temp, no PUBLIC execute.
    let loose: Vec<String> = sqlx::query_scalar(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE p.prosecdef AND n.nspname IN ('public', 'pms_meta')
           AND (p.proconfig IS NULL OR NOT ('search_path=pg_catalog, public, pg_temp' = ANY (p.proconfig))
                OR has_function_privilege('public', p.oid, 'EXECUTE'))",
    )
    .fetch_all(&mut owner)
    .await?;
    assert!(
        loose.is_empty(),
        "definer functions without fixed search_path or open to PUBLIC: {loose:?}"
    );
    let definers: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_proc WHERE prosecdef AND proname IN ('audit_row_change', 'record_security_event', 'audit_ensure_partitions')",
    )
    .fetch_one(&mut owner)
    .await?;
    assert_eq!(definers, 3);
    // The application may not run the partition functions, nor write any partition.
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text || ' ' || r.role FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         CROSS JOIN unnest(ARRAY['pms_app', 'pms_maintenance', 'pms_readonly']) AS r(role)
         WHERE i.inhparent IN ('audit_log'::regclass, 'security_events'::regclass)
           AND has_table_privilege(r.role, c.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE')",
    )
    .fetch_all(&mut owner)
    .await?;
    assert!(open.is_empty(), "partitions open to other roles: {open:?}");
    let app_can: bool = sqlx::query_scalar("SELECT has_function_privilege('pms_app', 'pms_meta.audit_ensure_partitions(date, integer)', 'EXECUTE')")
        .fetch_one(&mut owner)
        .await?;
    assert!(!app_can);
    // Partitions exist ahead, each set counted from the instant it was made for (never from
    // the clock now: the test template may have been migrated months ago). The migration made
    // the month of its run and the next eleven at least (it started a month back; its session's
    // time zone may shift that start by a month, so its first and last month are not checked).
    let migrated_at: time::OffsetDateTime = sqlx::query_scalar(
        "SELECT applied_at FROM pms_meta.migrations WHERE name = '20261125200000_create_audit_log.sql'",
    )
    .fetch_one(&mut owner)
    .await?;
    assert_eq!(months_present(&mut owner, migrated_at, 12).await?, 12);
    // The worker's pass at an instant makes that (UTC) month and the next three.
    let at: time::OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&mut owner)
        .await?;
    sqlx::query("SELECT pms_meta.audit_maintain_partitions($1)")
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    assert_eq!(months_present(&mut owner, at, 4).await?, 4);
    Ok(())
}

/// Of the `n` months starting with the UTC month of `from`, how many have both partitions.
async fn months_present(
    conn: &mut sqlx::PgConnection,
    from: time::OffsetDateTime,
    n: i32,
) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM generate_series(0, $2 - 1) m
         WHERE to_regclass(format('audit_log_p%s', to_char($1::timestamptz AT TIME ZONE 'UTC' + make_interval(months => m), 'YYYYMM'))) IS NOT NULL
           AND to_regclass(format('security_events_p%s', to_char($1::timestamptz AT TIME ZONE 'UTC' + make_interval(months => m), 'YYYYMM'))) IS NOT NULL",
    )
    .bind(from)
    .bind(n)
    .fetch_one(conn)
    .await?)
}
