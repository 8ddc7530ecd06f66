//! Tenant partitions (migrations 20261128100000 and 20261128100100): a verified seed loads the
//! tenant's rows of the partitioned tables into detached tables of its own, builds their
//! indexes, checks their foreign keys, and attaches them at the end; until then nobody sees
//! them. A bad reference, a row of the tenant already in the shared (default) partition, or a
//! row of another tenant is refused with a clear error, and the load completes once the cause
//! is gone.

use pms_core::{TenantId, UserId};
use pms_db::RoleName;
use pms_db::tenant::TenantTx;
use pms_seed::bulk::bulk_pool;
use pms_seed::generate::{
    GenerateOptions, SeedError, TENANT_PARTITIONED, generate, generate_verified,
};
use pms_test_support::TestDb;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::ops::ControlFlow;
use uuid::Uuid;

fn opts(employees: i64, slug: &str) -> GenerateOptions {
    GenerateOptions {
        employees,
        months: 0,
        seed: 5,
        slug: slug.into(),
        name: None,
        batch_employees: 50,
        workers: 2,
    }
}

async fn bulk(db: &TestDb) -> anyhow::Result<PgPool> {
    Ok(bulk_pool(db.urls.options(RoleName::Admin)?, 2).await?)
}

fn partition(table: &str, tenant: Uuid) -> String {
    format!("{table}_t{}", tenant.simple())
}

/// Rows of `table` the application sees for `tenant` (as pms_app, through the parent).
async fn app_rows(db: &TestDb, table: &str, tenant: Uuid) -> anyhow::Result<i64> {
    app_rows_as(db, table, tenant, None).await
}

/// As [`app_rows`], acting as `user` (the visibility policies show the person-sensitive tables
/// only to someone: an HR administrator sees all their rows).
async fn app_rows_as(
    db: &TestDb,
    table: &str,
    tenant: Uuid,
    user: Option<Uuid>,
) -> anyhow::Result<i64> {
    let mut tx = TenantTx::begin(&db.app, TenantId(tenant), user.map(UserId)).await?;
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

/// The partitions of `table` that are attached, by name.
async fn attached(admin: &mut PgConnection, table: &str) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = $1::regclass ORDER BY 1",
    )
    .bind(format!("public.{table}"))
    .fetch_all(&mut *admin)
    .await?)
}

async fn interrupted_after_first_batch(
    db: &TestDb,
    pool: &PgPool,
    o: &GenerateOptions,
) -> anyhow::Result<()> {
    match generate_verified(&db.maintenance, pool, o, &mut |_| ControlFlow::Break(())).await {
        Err(SeedError::Interrupted { .. }) => Ok(()),
        Err(e) => anyhow::bail!("expected an interruption, got: {e}"),
        Ok(_) => anyhow::bail!("expected an interruption, the run completed"),
    }
}

#[tokio::test]
async fn a_verified_seed_attaches_partitions_of_its_own_with_every_index() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let pool = bulk(&db).await?;
    let o = opts(120, "gen-parts");
    interrupted_after_first_batch(&db, &pool, &o).await?;
    let t = pms_seed::generate::generated_tenant_id(&o.slug);
    // Half-loaded: the people of the first batch are there, their goals are not visible yet.
    assert!(app_rows(&db, "users", t).await? > 0);
    assert_eq!(app_rows(&db, "goals", t).await?, 0);

    let summary = generate_verified(&db.maintenance, &pool, &o, &mut |_| {
        ControlFlow::Continue(())
    })
    .await?;
    assert_eq!(summary.tenant_id, t);
    assert!(!summary.partition_build.is_zero());
    // An HR administrator of the generated tenant, to count the rows of the sensitive tables
    // through the parents (granted through the parent: the row lands in the tenant's partition).
    let hr: Uuid = sqlx::query_scalar(
        "INSERT INTO user_roles (tenant_id, user_id, role_id)
         SELECT $1, (SELECT id FROM users WHERE tenant_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT 1),
                (SELECT id FROM roles WHERE tenant_id = $1 AND code = 'HR_ADMIN')
         RETURNING user_id",
    )
    .bind(t)
    .fetch_one(&db.maintenance)
    .await?;
    let mut admin = db.admin().await?;
    for table in TENANT_PARTITIONED {
        let parts = attached(&mut admin, table).await?;
        assert_eq!(
            parts,
            vec![format!("{table}_default"), partition(table, t)],
            "{table}"
        );
        // The partition has an index for every index of the parent.
        let (parent, part): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM pg_index WHERE indrelid = $1::regclass),
                    (SELECT count(*) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid
                      WHERE i.indrelid = $2::regclass)",
        )
        .bind(format!("public.{table}"))
        .bind(format!("pms_parts.{}", partition(table, t)))
        .fetch_one(&mut admin)
        .await?;
        assert_eq!(part, parent, "{table}: indexes attached to the parent's");
        // All the tenant's rows are in its own partition, none in the shared one.
        let (own, shared): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT (SELECT count(*) FROM pms_parts.{p}), (SELECT count(*) FROM pms_parts.{table}_default WHERE tenant_id = $1)",
            p = partition(table, t)
        )))
        .bind(t)
        .fetch_one(&mut admin)
        .await?;
        assert_eq!(shared, 0, "{table}");
        assert!(own > 0, "{table}");
        assert_eq!(app_rows_as(&db, table, t, Some(hr)).await?, own, "{table}");
    }
    // The application reaches the partitions only through their parents.
    let mut app = db.app.acquire().await?;
    let err = app
        .execute(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM pms_parts.{}",
            partition("goals", t)
        )))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    // Every partition (the shared ones and this tenant's) also has forced RLS with its parent's
    // policy, and no privilege for the application roles.
    let exposed: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'pms_parts' AND c.relkind = 'r'
            AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
                 OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polcmd = '*'
                                  AND p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL)
                 OR has_table_privilege('pms_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE')
                 OR has_table_privilege('pms_readonly', c.oid, 'SELECT'))",
    )
    .fetch_all(&mut admin)
    .await?;
    assert!(exposed.is_empty(), "{exposed:?}");
    let usage: bool =
        sqlx::query_scalar("SELECT has_schema_privilege('pms_app', 'pms_parts', 'USAGE')")
            .fetch_one(&mut admin)
            .await?;
    assert!(!usage);
    // Other tenants' rows stay where they were, and each tenant sees only its own.
    let demo: Uuid = sqlx::query_scalar("SELECT id FROM tenants WHERE slug = 'demo-company'")
        .fetch_one(&mut admin)
        .await?;
    let demo_goals: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pms_parts.goals_default WHERE tenant_id = $1")
            .bind(demo)
            .fetch_one(&mut admin)
            .await?;
    assert!(demo_goals > 0);
    assert_eq!(app_rows(&db, "goals", demo).await?, demo_goals);
    // Each partition's load is on the tenant's audit chain with the loader's digest of what it
    // loaded, which anyone holding the run's parameters can compute again without the database.
    let expected = pms_seed::generate::partition_digests(&o)?;
    for table in ["goals", "feedback"] {
        let recorded: Vec<u8> = sqlx::query_scalar(
            "SELECT b.rows_sha256 FROM pms_meta.bulk_loads b
              WHERE b.tenant_id = $1 AND b.table_name = $2 AND b.batch LIKE '%partitions'",
        )
        .bind(t)
        .bind(table)
        .fetch_one(&mut admin)
        .await?;
        assert_eq!(
            Some(hex::encode(&recorded).as_str()),
            expected[table].as_str(),
            "{table}"
        );
        let entries: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND table_name = $2
                AND changes -> 'bulk_load' ->> 'batch' LIKE '%partitions'",
        )
        .bind(t)
        .bind(table)
        .fetch_one(&mut admin)
        .await?;
        assert_eq!(entries, 1, "{table}");
    }
    // Changes after the load are ordinary: audited per row, foreign keys checked per row.
    let mut tx = TenantTx::begin(&db.app, TenantId(t), None).await?;
    let err =
        sqlx::query("UPDATE goals SET owner_id = $1 WHERE id = (SELECT id FROM goals LIMIT 1)")
            .bind(Uuid::new_v4())
            .execute(&mut **tx)
            .await
            .unwrap_err();
    assert_eq!(
        err.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("23503"),
        "{err}"
    );
    Ok(())
}

#[tokio::test]
async fn a_bad_staged_row_is_refused_with_its_key_and_the_load_completes_once_it_is_gone()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let pool = bulk(&db).await?;
    let o = opts(120, "gen-bad-part");
    interrupted_after_first_batch(&db, &pool, &o).await?;
    let t = pms_seed::generate::generated_tenant_id(&o.slug);
    let mut admin = db.admin().await?;
    let ghost = Uuid::new_v4();
    // A goal whose owner does not exist, slipped into the staged partition by a bulk-load
    // session (where PostgreSQL's per-row foreign-key checks do not fire; anywhere else the
    // partition's foreign key refuses it at once).
    admin
        .execute("SET session_replication_role = replica")
        .await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "INSERT INTO pms_parts.{} (tenant_id, id, owner_id, goal_type, status, title, period_start, period_end)
             VALUES ('{t}', '{}', '{ghost}', 'INDIVIDUAL', 'ACTIVE', 'ghost', '2026-01-01', '2026-06-30')",
            partition("goals", t),
            Uuid::new_v4()
        )))
        .await?;
    admin.execute("RESET session_replication_role").await?;
    let err = generate_verified(&db.maintenance, &pool, &o, &mut |_| {
        ControlFlow::Continue(())
    })
    .await
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("reference a missing users row"), "{text}");
    assert!(text.contains(&ghost.to_string()), "{text}");
    assert!(text.contains("goals_tenant_id_owner_id_fkey"), "{text}");
    assert_eq!(
        attached(&mut admin, "goals").await?,
        vec!["goals_default".to_string()]
    );
    assert_eq!(app_rows(&db, "goals", t).await?, 0);

    // A row of another tenant cannot even be staged.
    let err = admin
        .execute(sqlx::AssertSqlSafe(format!(
            "INSERT INTO pms_parts.{} (tenant_id, id, owner_id, goal_type, status, title, period_start, period_end)
             VALUES ('{}', '{}', '{ghost}', 'INDIVIDUAL', 'ACTIVE', 'x', '2026-01-01', '2026-06-30')",
            partition("goals", t),
            Uuid::new_v4(),
            Uuid::new_v4()
        )))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("partition_tenant"), "{err}");

    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DELETE FROM pms_parts.{} WHERE owner_id = '{ghost}'",
            partition("goals", t)
        )))
        .await?;
    generate_verified(&db.maintenance, &pool, &o, &mut |_| {
        ControlFlow::Continue(())
    })
    .await?;
    let staged: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM pms_parts.{}",
        partition("goals", t)
    )))
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(
        staged, 255,
        "120 people: two goals each, and a team goal per manager (15)"
    );
    assert_eq!(app_rows(&db, "goals", t).await?, staged);
    Ok(())
}

#[tokio::test]
async fn the_shared_partitions_refuse_a_loading_tenant_and_old_rows_stop_the_load()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let pool = bulk(&db).await?;
    let o = opts(60, "gen-shared");
    interrupted_after_first_batch(&db, &pool, &o).await?;
    let t = pms_seed::generate::generated_tenant_id(&o.slug);
    let check = format!("tenant_loading_{}", t.simple());
    // Meanwhile the application writes a one-on-one for the half-loaded tenant: the shared
    // partition refuses it (its rows belong in the partition being loaded).
    let one_on_one = |db: &TestDb| {
        let app = db.app.clone();
        let maintenance = db.maintenance.clone();
        async move {
            let people: Vec<Uuid> = sqlx::query_scalar(
                "SELECT id FROM users WHERE tenant_id = $1 AND status = 'ACTIVE' ORDER BY id LIMIT 2",
            )
            .bind(t)
            .fetch_all(&maintenance)
            .await?;
            // As the meeting's manager: the visibility policy lets them write it.
            let mut tx = TenantTx::begin(&app, TenantId(t), Some(UserId(people[0]))).await?;
            sqlx::query(
                "INSERT INTO one_on_ones (tenant_id, manager_id, employee_id, scheduled_at) VALUES ($1, $2, $3, now())",
            )
            .bind(t)
            .bind(people[0])
            .bind(people[1])
            .execute(&mut **tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        }
    };
    let err = one_on_one(&db).await.unwrap_err();
    let db_err = err.as_database_error().expect("a database error");
    assert_eq!(db_err.code().as_deref(), Some("23514"), "{err}");
    assert!(db_err.message().contains(&check), "{err}");

    // A row that got there before the load began (simulated: the CHECK dropped, the row
    // written) stops the build with a clear message; nothing is attached.
    let mut admin = db.admin().await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE pms_parts.one_on_ones_default DROP CONSTRAINT {check}"
        )))
        .await?;
    one_on_one(&db).await?;
    let err = generate_verified(&db.maintenance, &pool, &o, &mut |_| {
        ControlFlow::Continue(())
    })
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("already has 1 row(s) of one_on_ones in the shared (default) partition"),
        "{err}"
    );
    assert_eq!(
        attached(&mut admin, "goals").await?,
        vec!["goals_default".to_string()],
        "nothing attached"
    );
    sqlx::query("DELETE FROM pms_parts.one_on_ones_default WHERE tenant_id = $1")
        .bind(t)
        .execute(&mut admin)
        .await?;
    generate_verified(&db.maintenance, &pool, &o, &mut |_| {
        ControlFlow::Continue(())
    })
    .await?;
    assert_eq!(attached(&mut admin, "one_on_ones").await?.len(), 2);
    // Attached: the partition bound keeps the tenant's rows out of the shared partitions, and
    // the load's CHECKs are gone.
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_constraint WHERE conname = $1")
        .bind(&check)
        .fetch_one(&mut admin)
        .await?;
    assert_eq!(left, 0);
    one_on_one(&db).await?;
    let own: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM pms_parts.{} WHERE scheduled_at > now() - interval '1 hour'",
        partition("one_on_ones", t)
    )))
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(own, 1, "a new row of the tenant goes to its own partition");
    Ok(())
}

#[tokio::test]
async fn a_per_row_seed_uses_the_shared_partitions() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let s = generate(&db.maintenance, &opts(30, "gen-rows"), &mut |_| {
        ControlFlow::Continue(())
    })
    .await?;
    let mut admin = db.admin().await?;
    for table in TENANT_PARTITIONED {
        assert_eq!(
            attached(&mut admin, table).await?,
            vec![format!("{table}_default")]
        );
    }
    assert_eq!(
        app_rows(&db, "goals", s.tenant_id).await?,
        s.rows_by_table["goals"] as i64
    );
    Ok(())
}

/// A team inserted into the tenant's partition by the loader's role, rolled back.
async fn late_team(db: &TestDb, t: Uuid) -> Result<(), sqlx::Error> {
    let mut tx = TenantTx::begin(&db.maintenance, TenantId(t), None).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO pms_parts.{} (tenant_id, code, name) VALUES ($1, 'late', 'late')",
        partition("teams", t)
    )))
    .bind(t)
    .execute(&mut **tx)
    .await?;
    tx.rollback().await
}

/// The attach does not scan the shared partitions (under their ACCESS EXCLUSIVE lock): the
/// CHECK the build validated (without blocking writers) proves them free of the tenant's rows.
/// Counted with the server's statistics: one sequential scan of `goals_default` for an attach
/// without that CHECK, none with it.
#[tokio::test]
async fn the_attach_does_not_scan_the_shared_partitions() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut admin = db.admin().await?;
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    for (t, slug) in [(a, "scan-a"), (b, "scan-b")] {
        let mut tx = admin.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(t.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
            .bind(t)
            .bind(slug)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        sqlx::query("SELECT pms_meta.tenant_partitions_prepare($1)")
            .bind(t)
            .execute(&mut admin)
            .await?;
        // The loader's role can add rows until the partition is built (checked and counted),
        // not after.
        assert!(late_team(&db, t).await.is_ok());
        sqlx::query("SELECT count(pms_meta.tenant_partition_build($1, t)) FROM unnest(pms_meta.tenant_partitioned_tables()) t")
            .bind(t)
            .execute(&mut admin)
            .await?;
        let err = late_team(&db, t).await.unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{err}");
    }
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE pms_parts.goals_default DROP CONSTRAINT tenant_loading_{}",
            b.simple()
        )))
        .await?;
    async fn scans(admin: &mut PgConnection) -> anyhow::Result<i64> {
        admin.execute("SELECT pg_stat_force_next_flush()").await?;
        // Statistics reach shared memory at most once a second.
        tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
        admin.execute("SELECT pg_stat_clear_snapshot()").await?;
        Ok(sqlx::query_scalar(
            "SELECT seq_scan FROM pg_stat_user_tables WHERE relid = 'pms_parts.goals_default'::regclass",
        )
        .fetch_one(&mut *admin)
        .await?)
    }
    // The attach wants the loader's digest of every table, and attaches nothing without.
    let digests: serde_json::Value = TENANT_PARTITIONED
        .iter()
        .map(|t| (t.to_string(), serde_json::Value::from("ab".repeat(32))))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let mut partial = digests.clone();
    partial["goals"] = serde_json::Value::from("not hex");
    partial.as_object_mut().unwrap().remove("teams");
    let err = sqlx::query("SELECT pms_meta.tenant_partitions_attach($1, 'partial', $2)")
        .bind(a)
        .bind(&partial)
        .execute(&mut admin)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no digest for teams, goals"),
        "{err}"
    );
    assert_eq!(
        attached(&mut admin, "teams").await?,
        vec!["teams_default".to_string()]
    );
    let before = scans(&mut admin).await?;
    for (t, label) in [(a, "with"), (b, "without")] {
        let mut tx = admin.begin().await?;
        sqlx::query("SELECT pms_meta.tenant_partitions_attach($1, $2, $3)")
            .bind(t)
            .bind(label)
            .bind(&digests)
            .execute(&mut *tx)
            .await?;
        tx.execute("SELECT pg_stat_force_next_flush()").await?;
        tx.commit().await?;
        let now = scans(&mut admin).await?;
        let expected = if label == "with" { before } else { before + 1 };
        assert_eq!(now, expected, "attach {label} the validated CHECK");
    }
    Ok(())
}
