//! Catalog tests: properties of the schema itself, checked on the live catalog of a migrated
//! database; each also shown to fail when its property is broken.

use pms_test_support::{TestDb, catalog};
use sqlx::Executor;

#[tokio::test]
async fn every_tenant_table_has_forced_rls_with_using_and_with_check() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let violations = catalog::rls_violations(&mut owner).await?;
    assert!(
        violations.is_empty(),
        "tables without proper RLS: {violations:#?}"
    );

    // Tables without tenant_id are global on purpose and must be few and known.
    let global = catalog::tables_without_tenant(&mut owner).await?;
    assert_eq!(
        global,
        vec!["tenants".to_string()],
        "unexpected global tables"
    );
    Ok(())
}

#[tokio::test]
async fn rls_check_catches_a_table_without_force() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    owner
        .execute("ALTER TABLE users NO FORCE ROW LEVEL SECURITY")
        .await?;
    owner
        .execute("ALTER TABLE teams DISABLE ROW LEVEL SECURITY")
        .await?;
    owner.execute("DROP POLICY tenant_isolation ON roles; CREATE POLICY loose ON roles USING (true) WITH CHECK (true)").await?;
    let violations = catalog::rls_violations(&mut owner).await?;
    assert!(
        violations
            .iter()
            .any(|v| v.starts_with("users: RLS not forced")),
        "{violations:?}"
    );
    assert!(
        violations
            .iter()
            .any(|v| v.starts_with("teams: RLS not enabled")),
        "{violations:?}"
    );
    assert!(
        violations
            .iter()
            .any(|v| v.starts_with("roles:") && v.contains("always true")),
        "{violations:?}"
    );
    Ok(())
}

/// The rule holds in every schema, not only `public`: a bookkeeping table with `tenant_id` and
/// no forced RLS is caught, and so is a partition that a confined role may read directly.
#[tokio::test]
async fn rls_check_covers_every_schema_and_open_partitions() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    owner
        .execute(
            "CREATE TABLE pms_meta.probe_ledger (tenant_id uuid NOT NULL, n int);
             GRANT SELECT ON pms_meta.probe_ledger TO pms_readonly;
             CREATE TABLE timeseries.probe_state (tenant_id uuid NOT NULL, n int);
             ALTER TABLE timeseries.probe_state ENABLE ROW LEVEL SECURITY;
             CREATE TABLE public.probe_parent (tenant_id uuid NOT NULL, n int) PARTITION BY LIST (tenant_id);
             ALTER TABLE public.probe_parent ENABLE ROW LEVEL SECURITY;
             ALTER TABLE public.probe_parent FORCE ROW LEVEL SECURITY;
             CREATE POLICY tenant_isolation ON public.probe_parent USING (tenant_id = pms_current_tenant())
                 WITH CHECK (tenant_id = pms_current_tenant());
             CREATE TABLE pms_parts.probe_open PARTITION OF public.probe_parent DEFAULT;
             GRANT SELECT ON pms_parts.probe_open TO pms_app;
             CREATE TABLE pms_parts.probe_closed PARTITION OF public.probe_parent FOR VALUES IN ('00000000-0000-0000-0000-000000000001');
             CREATE TABLE timeseries.probe_closed_hyper (tenant_id uuid NOT NULL, n int);
             CREATE TABLE timeseries.probe_open_hyper (tenant_id uuid NOT NULL, n int);
             GRANT SELECT ON timeseries.probe_open_hyper TO pms_readonly;",
        )
        .await?;
    let violations = catalog::rls_violations(&mut owner).await?;
    for (table, why) in [
        ("pms_meta.probe_ledger", "RLS not enabled"),
        ("timeseries.probe_state", "RLS not forced"),
        ("pms_parts.probe_open", "RLS not enabled"),
        ("timeseries.probe_open_hyper", "RLS not enabled"),
    ] {
        assert!(
            violations
                .iter()
                .any(|v| v.starts_with(&format!("{table}: ")) && v.contains(why)),
            "{table} ({why}) not caught: {violations:?}"
        );
    }
    assert!(
        !violations
            .iter()
            .any(|v| v.contains("probe_parent") || v.contains("probe_closed")),
        "a closed partition under a forced parent, and TimescaleDB storage that no confined role \
         may open, are fine: {violations:?}"
    );
    Ok(())
}

#[tokio::test]
async fn app_role_owns_nothing_and_cannot_bypass_rls() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut conn = db.app.acquire().await?;
    let (superuser, bypass, createrole): (bool, bool, bool) = sqlx::query_as(
        "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut *conn)
    .await?;
    assert!(!superuser && !bypass && !createrole);
    let me: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&mut *conn)
        .await?;
    assert_eq!(me, "pms_app");
    let owned = catalog::objects_owned_by(&mut conn, "pms_app").await?;
    assert!(owned.is_empty(), "pms_app owns {owned:?}");
    // Everything in public is owned by pms_owner.
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relowner <> 'pms_owner'::regrole
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')",
    )
    .fetch_all(&mut *conn)
    .await?;
    assert!(others.is_empty(), "not owned by pms_owner: {others:?}");
    Ok(())
}

#[tokio::test]
async fn ownership_check_catches_an_object_owned_by_the_app() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut admin = db.admin().await?;
    admin
        .execute("CREATE TABLE stray (x int); ALTER TABLE stray OWNER TO pms_app")
        .await?;
    let owned = catalog::objects_owned_by(&mut admin, "pms_app").await?;
    assert_eq!(owned, vec!["relation stray".to_string()]);
    Ok(())
}

#[tokio::test]
async fn every_foreign_key_carries_the_tenant_and_has_an_index() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let without = catalog::foreign_keys_without_tenant(&mut owner).await?;
    assert!(
        without.is_empty(),
        "FKs that could cross tenants: {without:#?}"
    );
    let unindexed = catalog::unindexed_foreign_keys(&mut owner).await?;
    assert!(unindexed.is_empty(), "FKs without an index: {unindexed:#?}");
    // And the checks do see a bad one.
    owner
        .execute("CREATE TABLE fk_probe (tenant_id uuid NOT NULL, id uuid, user_id uuid, PRIMARY KEY (tenant_id, id)); ALTER TABLE fk_probe ADD CONSTRAINT fk_probe_user FOREIGN KEY (user_id) REFERENCES users (id)")
        .await
        .err(); // users(id) alone is not unique: PostgreSQL itself refuses a non-tenant FK here
    owner
        .execute("CREATE TABLE fk_probe2 (tenant_id uuid NOT NULL, id uuid, ref_tenant uuid, user_id uuid, PRIMARY KEY (tenant_id, id), FOREIGN KEY (ref_tenant, user_id) REFERENCES users (tenant_id, id))")
        .await?;
    let without = catalog::foreign_keys_without_tenant(&mut owner).await?;
    assert_eq!(without.len(), 1, "{without:?}");
    let unindexed = catalog::unindexed_foreign_keys(&mut owner).await?;
    assert_eq!(unindexed.len(), 1, "{unindexed:?}");
    Ok(())
}

#[tokio::test]
async fn migrations_are_recorded_and_a_second_run_does_nothing() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut admin = db.admin().await?;
    let report = pms_db::migrate::migrate(&mut admin).await?;
    assert!(report.applied.is_empty());
    assert!(!report.replaceable_reapplied);
    let status = pms_db::migrate::status(&mut admin).await?;
    assert!(!status.is_empty());
    assert!(status.iter().all(|m| m.applied_at.is_some()));
    Ok(())
}

#[tokio::test]
async fn a_changed_migration_is_refused() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut admin = db.admin().await?;
    admin.execute("UPDATE pms_meta.migrations SET checksum = '\\x00' WHERE name = (SELECT min(name) FROM pms_meta.migrations)").await?;
    let err = pms_db::migrate::migrate(&mut admin).await.unwrap_err();
    assert!(
        err.to_string().contains("was changed after it was applied"),
        "{err}"
    );
    Ok(())
}

#[tokio::test]
async fn a_failing_migration_leaves_nothing_half_applied() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut admin = db.admin().await?;
    let mut list = pms_db::migrate::migrations();
    list.push(pms_db::migrate::Migration::new(
        "29991231000000_create_half_done.sql",
        "CREATE TABLE half_done (x int); INSERT INTO half_done VALUES (1); SELECT 1 / 0;",
    ));
    let err = pms_db::migrate::migrate_with(&mut admin, &list, pms_db::migrate::replaceable())
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("29991231000000_create_half_done.sql") && msg.contains("division by zero"),
        "{msg}"
    );
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('half_done') IS NOT NULL")
        .fetch_one(&mut admin)
        .await?;
    assert!(!exists, "the failed migration left its table behind");
    let recorded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pms_meta.migrations WHERE name LIKE '2999%'")
            .fetch_one(&mut admin)
            .await?;
    assert_eq!(recorded, 0);
    // The lock is released: a normal run still works.
    pms_db::migrate::migrate(&mut admin).await?;
    Ok(())
}

/// The functions each SQL text creates (`CREATE [OR REPLACE] FUNCTION schema.name`).
fn functions_created(sql: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let upper = sql.to_ascii_uppercase();
    for marker in ["CREATE FUNCTION ", "CREATE OR REPLACE FUNCTION "] {
        let mut from = 0;
        while let Some(i) = upper[from..].find(marker) {
            let start = from + i + marker.len();
            let name: String = sql[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            if !name.is_empty() {
                out.insert(name.to_ascii_lowercase());
            }
            from = start;
        }
    }
    out
}

/// A function that a later migration restates lives in `sql/replaceable/`, re-applied when its
/// text changes, instead of being copied from migration to migration.
#[test]
fn functions_restated_by_migrations_live_in_the_replaceable_folder() {
    let mut seen: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for m in pms_db::migrate::migrations() {
        for f in functions_created(m.sql) {
            seen.entry(f).or_default().push(m.name);
        }
    }
    let replaceable: std::collections::BTreeSet<String> = pms_db::migrate::replaceable()
        .iter()
        .flat_map(|(_, sql)| functions_created(sql))
        .collect();
    let stray: Vec<String> = seen
        .iter()
        .filter(|(f, ms)| ms.len() > 1 && !replaceable.contains(*f))
        .map(|(f, ms)| format!("{f} (in {})", ms.join(", ")))
        .collect();
    assert!(
        stray.is_empty(),
        "functions created by more than one migration and not in sql/replaceable/: {stray:#?}"
    );
    // The scan itself finds what it should.
    let probe =
        functions_created("CREATE FUNCTION a.f() ...; create or replace function b.g(x int)");
    assert_eq!(probe.into_iter().collect::<Vec<_>>(), vec!["a.f", "b.g"]);
}

/// The warehouse star follows the tenant rule like OLTP (forced RLS is checked with every
/// schema above), is readable by the reporting role and closed to the application role, and
/// its slowly changing dimensions cannot hold two current rows or overlapping validity.
#[tokio::test]
async fn the_warehouse_is_tenant_scoped_reporting_only_and_scd2_safe() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'warehouse' AND c.relkind IN ('r', 'p') AND NOT c.relispartition",
    )
    .fetch_one(&mut owner)
    .await?;
    assert!(tables >= 16, "the star's tables exist ({tables})");
    let rls: Vec<String> = catalog::rls_violations(&mut owner)
        .await?
        .into_iter()
        .filter(|v| v.starts_with("warehouse."))
        .collect();
    assert!(rls.is_empty(), "{rls:#?}");
    let v = catalog::warehouse_violations(&mut owner).await?;
    assert!(v.is_empty(), "{v:#?}");
    // The check sees a bad one: the application role granted a right, an SCD2 table without
    // its constraint.
    owner
        .execute("GRANT SELECT ON warehouse.fact_feedback TO pms_app; ALTER TABLE warehouse.dim_department DROP CONSTRAINT dim_department_tenant_id_department_id_tstzrange_excl")
        .await?;
    let v = catalog::warehouse_violations(&mut owner).await?;
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(
        v.iter()
            .any(|x| x.contains("fact_feedback") && x.contains("pms_app")),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|x| x.contains("dim_department") && x.contains("exclusion")),
        "{v:?}"
    );
    Ok(())
}
