//! Tenant isolation on Citus: a coordinator and two workers (private clusters on free loopback
//! ports, `pms_db::citus_cluster`), the platform migrated on the coordinator by
//! `pms_db::migrate::migrate`, which distributes the schema there; then the checks of
//! `isolation.rs` as `pms_app` through `TenantTx` (which, on Citus, sets the tenant with
//! `SET LOCAL` so that it reaches the workers), and every distributed table checked for another
//! tenant's rows. Skips, saying so, where Citus is not installed (docs/SCALING.md).

use anyhow::Context as _;
use pms_core::TenantId;
use pms_db::citus::Kind;
use pms_db::citus_cluster::LocalCitus;
use pms_db::{DbUrls, RoleName, TenantTx};
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

/// Citus is installed here (`citus` in `pg_available_extensions` of the test server, which runs
/// the same PostgreSQL binaries as the private clusters).
async fn citus_available() -> anyhow::Result<bool> {
    let mut conn = PgConnection::connect(&pms_test_support::admin_url()).await?;
    let yes = pms_db::citus::available(&mut conn).await?;
    conn.close().await?;
    Ok(yes)
}

async fn make_tenant(maintenance: &PgPool, slug: &str) -> anyhow::Result<TenantId> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
        .bind(id)
        .bind(slug)
        .execute(maintenance)
        .await?;
    Ok(TenantId(id))
}

async fn add_department(
    tx: &mut TenantTx,
    code: &str,
    name: &str,
    parent: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let tenant = tx.tenant().as_uuid();
    sqlx::query(
        "INSERT INTO departments (tenant_id, id, code, name, parent_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(tenant)
    .bind(id)
    .bind(code)
    .bind(name)
    .bind(parent)
    .execute(&mut ***tx)
    .await?;
    Ok(id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_isolation_holds_on_a_distributed_schema() -> anyhow::Result<()> {
    if !citus_available().await? {
        eprintln!(
            "SKIPPED: Citus is not installed (no `citus` in pg_available_extensions); build Citus 13.2 from source as docs/SCALING.md describes"
        );
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!("pms-citus-{}", Uuid::new_v4().simple()));
    let result = run(&dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(dir: &std::path::Path) -> anyhow::Result<()> {
    let cluster = LocalCitus::start(dir, 2, "pms").await?;
    let mut admin = PgConnection::connect(&cluster.admin_url()).await?;

    // `pms migrate` on the coordinator distributes the schema.
    let report = pms_db::migrate::migrate(&mut admin).await?;
    let placements = report
        .citus
        .ok_or_else(|| anyhow::anyhow!("migrate did not see the Citus coordinator"))?;
    let refused: Vec<String> = placements
        .iter()
        .filter_map(|p| {
            p.error
                .as_ref()
                .map(|e| format!("{} ({:?}): {e}", p.table, p.kind))
        })
        .collect();
    let count = |kind: Kind| {
        placements
            .iter()
            .filter(|p| p.kind == kind && p.error.is_none())
            .count()
    };
    eprintln!(
        "{} distributed by tenant_id, {} reference tables, {} refusals:\n{}",
        count(Kind::Distributed),
        count(Kind::Reference),
        refused.len(),
        refused.join("\n")
    );
    // What stays on the coordinator: the tables with restrictive policies (the visibility
    // rules; pms_db::citus::RESTRICTIVE says why), and so the foreign keys between them and
    // the placed tables (Citus keeps no key between a local and a distributed or reference
    // table). Anything else refused fails here.
    let local: Vec<&str> = placements
        .iter()
        .filter(|p| {
            p.error
                .as_deref()
                .is_some_and(|e| e.starts_with(pms_db::citus::RESTRICTIVE))
        })
        .map(|p| p.table.as_str())
        .collect();
    let visible: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT table_name FROM pms_meta.visibility_rules ORDER BY 1")
            .fetch_all(&mut admin)
            .await?;
    let mut sorted = local.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, visible, "the tables left on the coordinator");
    let unexpected: Vec<&String> = refused
        .iter()
        .filter(|r| {
            let table = r.split(" (").next().unwrap_or_default();
            !local.contains(&table)
                && r.split("; ").any(|e| {
                    !local.iter().any(|l| {
                        e.contains(&format!(
                            "referenced table \"{l}\" must be a distributed table"
                        ))
                    })
                })
        })
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    // Citus 13.2 copies policies to the shards without AS RESTRICTIVE: no shard may have one
    // that is restrictive on the coordinator, and every shard has its table's policies.
    let on_workers: Vec<String> = sqlx::query_scalar(
        "SELECT result FROM run_command_on_workers($$SELECT count(*) FILTER (WHERE NOT polpermissive) || ' restrictive, ' || count(*) || ' policies' FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relname ~ '_[0-9]+$'$$)",
    )
    .fetch_all(&mut admin)
    .await?;
    eprintln!("policies on the workers' shards: {on_workers:?}");
    assert!(
        on_workers.iter().all(|r| r.starts_with("0 restrictive")),
        "{on_workers:?}"
    );
    let colocation: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT colocationid::bigint FROM pg_dist_partition WHERE partmethod = 'h'",
    )
    .fetch_all(&mut admin)
    .await?;
    assert_eq!(colocation.len(), 1, "one colocation group: {colocation:?}");
    for t in [
        "users",
        "departments",
        "audit_log",
        "sessions",
        "archive_batches",
    ] {
        assert!(
            placements
                .iter()
                .any(|p| p.table == t && p.kind == Kind::Distributed && p.error.is_none()),
            "{t} is not distributed"
        );
    }
    for t in ["tenants", "pms_meta.migrations"] {
        assert!(
            placements
                .iter()
                .any(|p| p.table == t && p.kind == Kind::Reference && p.error.is_none()),
            "{t} is not a reference table"
        );
    }
    // A second run finds everything in place.
    let again = pms_db::migrate::migrate(&mut admin).await?;
    assert!(again.applied.is_empty());
    let again = again.citus.unwrap_or_default();
    assert!(
        again
            .iter()
            .filter(|p| p.error.is_none())
            .all(|p| p.already)
    );

    let urls = DbUrls::direct(cluster.admin_url());
    let app = urls.pool(RoleName::App, 4).await?;
    let maintenance = urls.pool(RoleName::Maintenance, 2).await?;
    assert!(
        pms_db::tenant::uses_set_local(),
        "the pool did not notice Citus"
    );

    // isolation.rs, on the distributed tables. (On departments rather than users: the users'
    // statement triggers read their transition tables together with distributed tables, which
    // Citus cannot plan; asserted below, docs/SCALING.md.)
    let a = make_tenant(&maintenance, "tenant-a")
        .await
        .context("tenant a")?;
    let b = make_tenant(&maintenance, "tenant-b")
        .await
        .context("tenant b")?;
    let mut tx = TenantTx::begin(&app, a, None).await?;
    let da = add_department(&mut tx, "ENG", "Engineering A", None)
        .await
        .context("department of a")?;
    let _child = add_department(&mut tx, "ENG-1", "Platform A", Some(da))
        .await
        .context("child department of a")?;
    tx.commit().await.context("commit of a")?;

    let mut tx = TenantTx::begin(&app, b, None).await?;
    let db = add_department(&mut tx, "ENG", "Engineering B", None)
        .await
        .context("department of b")?;
    let seen: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM departments")
        .fetch_all(&mut **tx)
        .await?;
    assert_eq!(seen, vec![db], "B sees only B");
    let tenants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM tenants")
        .fetch_all(&mut **tx)
        .await?;
    assert_eq!(tenants, vec![b.as_uuid()]);
    let n = sqlx::query("UPDATE departments SET name = 'X' WHERE tenant_id = $1 AND id = $2")
        .bind(a.as_uuid())
        .bind(da)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 0, "B changed A's row by its exact key");
    let n = sqlx::query("DELETE FROM departments WHERE id = $1")
        .bind(da)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 0, "B deleted A's row");
    let err =
        sqlx::query("INSERT INTO departments (tenant_id, code, name) VALUES ($1, 'OPS', 'Sneaky')")
            .bind(a.as_uuid())
            .execute(&mut **tx)
            .await
            .err()
            .ok_or_else(|| anyhow::anyhow!("B wrote a row into A"))?;
    assert!(err.to_string().contains("row-level security"), "{err}");
    tx.rollback().await?;

    // A foreign key cannot point into another tenant.
    let mut tx = TenantTx::begin(&app, b, None).await?;
    let err = add_department(&mut tx, "OPS", "Sneaky child", Some(da))
        .await
        .err()
        .ok_or_else(|| anyhow::anyhow!("B's row points into A"))?;
    assert!(err.to_string().contains("foreign key"), "{err}");
    tx.rollback().await?;

    let mut tx = TenantTx::begin(&app, a, None).await?;
    let name: String = sqlx::query_scalar("SELECT name FROM departments WHERE id = $1")
        .bind(da)
        .fetch_one(&mut **tx)
        .await?;
    assert_eq!(name, "Engineering A", "A's row is intact");
    let moved = sqlx::query("UPDATE departments SET tenant_id = $1 WHERE id = $2")
        .bind(b.as_uuid())
        .bind(da)
        .execute(&mut **tx)
        .await;
    assert!(moved.is_err(), "a row moved to another tenant");
    tx.rollback().await?;

    // ON DELETE SET NULL (parent_id) becomes a trigger on Citus (096_citus_set_null.sql). It
    // cannot run here yet: nulling a department also updates users, whose statement triggers
    // Citus cannot plan (below).
    let set_null: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'departments'::regclass
            AND tgfoid = 'pms_meta.citus_set_null'::regproc",
    )
    .fetch_one(&mut admin)
    .await?;
    assert!(set_null >= 2, "{set_null} SET NULL triggers on departments");

    // The audit trail: one entry per change, in the tenant's chain, named after the table
    // (not the shard), for tenants (a reference table: its trigger fires on every copy) too.
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name, operation FROM audit_log WHERE tenant_id = $1 ORDER BY seq",
    )
    .bind(a.as_uuid())
    .fetch_all(&mut admin)
    .await?;
    eprintln!("audit_log of tenant A: {audited:?}");
    let expected: Vec<(String, String)> = [
        ("tenants", "INSERT"),
        ("departments", "INSERT"),
        ("departments", "INSERT"),
    ]
    .iter()
    .map(|(t, o)| (t.to_string(), o.to_string()))
    .collect();
    assert_eq!(audited, expected);

    // What still stands in the way: users' statement triggers.
    let mut tx = TenantTx::begin(&app, a, None).await?;
    let users = sqlx::query(
        "INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, 'a@example.com', 'A', 'B')",
    )
    .bind(a.as_uuid())
    .bind(Uuid::now_v7())
    .execute(&mut **tx)
    .await;
    tx.rollback().await?;
    eprintln!("insert into users: {users:?}");
    let users = users.err().ok_or_else(|| {
        anyhow::anyhow!("users can be written on Citus: update the docs and this test")
    })?;
    assert!(
        users.to_string().contains("unrecognized RTE kind"),
        "{users}"
    );

    // The tenant is router-executed: one task, on one shard.
    let plan: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "EXPLAIN SELECT count(*) FROM departments WHERE tenant_id = '{}'",
        a.as_uuid()
    )))
    .fetch_all(&mut admin)
    .await?;
    assert!(
        plan.iter().any(|l| l.contains("Task Count: 1")),
        "{plan:#?}"
    );

    // Every distributed table of the application's schema, read as pms_app in tenant B, holds
    // nothing of A's (the internal schemas are the jobs', read through functions).
    let distributed: Vec<String> = placements
        .iter()
        .filter(|p| p.kind == Kind::Distributed && p.error.is_none() && !p.table.contains('.'))
        .map(|p| p.table.clone())
        .collect();
    let mut failed = Vec::new();
    let mut checked = 0;
    for table in &distributed {
        let mut tx = TenantTx::begin(&app, b, None).await?;
        let readable: bool =
            sqlx::query_scalar("SELECT has_table_privilege('pms_app', $1, 'SELECT')")
                .bind(table)
                .fetch_one(&mut **tx)
                .await?;
        if !readable {
            continue;
        }
        let foreign: Result<i64, sqlx::Error> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {table} WHERE tenant_id <> $1"
        )))
        .bind(b.as_uuid())
        .fetch_one(&mut **tx)
        .await;
        tx.rollback().await?;
        match foreign {
            Ok(n) => {
                assert_eq!(n, 0, "{table}: another tenant's rows");
                checked += 1;
            }
            Err(e) => failed.push(format!("{table}: {e}")),
        }
    }
    eprintln!("{checked} distributed tables read in one tenant; failed: {failed:#?}");
    assert!(failed.is_empty(), "{failed:#?}");
    let mut conn = app.acquire().await?;
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM departments")
        .fetch_one(&mut *conn)
        .await?;
    assert_eq!(none, 0, "no tenant, no rows");
    drop(conn);

    app.close().await;
    maintenance.close().await;
    admin.close().await?;
    drop(cluster);
    Ok(())
}
