//! Verified bulk loads (`pms seed --employees N` by default): the tenant is the same as with
//! per-row checks, an interrupted run resumes, every batch and partition load is on the audit chain, a bad
//! reference or a foreign tenant's row fails the whole batch, and nobody but a superuser can
//! open a bulk-load session.

use pms_db::RoleName;
use pms_seed::bulk::{begin_batch, bulk_pool, bulk_pool_with};
use pms_seed::generate::{GenerateOptions, SeedError, generate, generate_verified};
use pms_test_support::TestDb;
use sqlx::{Acquire, Connection, Executor, PgPool};
use std::ops::ControlFlow;
use uuid::Uuid;

fn opts(employees: i64, slug: &str) -> GenerateOptions {
    GenerateOptions {
        employees,
        months: 0,
        seed: 11,
        slug: slug.into(),
        name: None,
        batch_employees: 100,
        workers: 2,
    }
}

async fn bulk(db: &TestDb, connections: u32) -> anyhow::Result<PgPool> {
    Ok(bulk_pool(db.urls.options(RoleName::Admin)?, connections).await?)
}

/// Every table the seed loads, as (table, row count, md5 of its rows' text), for one tenant;
/// created_at/updated_at left out (they are the load's time), and the password hash (salted
/// per run).
const TENANT_FINGERPRINT: &str = "
    SELECT string_agg(format('%s:%s:%s', t, n, h), ' ' ORDER BY t) FROM (
      SELECT 'users' AS t, count(*) AS n, md5(string_agg(concat_ws('|', id, email, manager_id, level, hire_date, department_id), '/' ORDER BY id)) AS h FROM users WHERE tenant_id = $1
      UNION ALL SELECT 'goals', count(*), md5(string_agg(concat_ws('|', id, owner_id, team_id, parent_id, title, status, progress), '/' ORDER BY id)) FROM goals WHERE tenant_id = $1
      UNION ALL SELECT 'key_results', count(*), md5(string_agg(concat_ws('|', id, goal_id, target_value, current_value), '/' ORDER BY id)) FROM key_results WHERE tenant_id = $1
      UNION ALL SELECT 'performance_reviews', count(*), md5(string_agg(concat_ws('|', id, reviewee_id, reviewer_id, status, overall_rating), '/' ORDER BY id)) FROM performance_reviews WHERE tenant_id = $1
      UNION ALL SELECT 'feedback', count(*), md5(string_agg(concat_ws('|', id, giver_id, recipient_id, body, created_at), '/' ORDER BY id)) FROM feedback WHERE tenant_id = $1
      UNION ALL SELECT 'one_on_ones', count(*), md5(string_agg(concat_ws('|', id, manager_id, employee_id, scheduled_at), '/' ORDER BY id)) FROM one_on_ones WHERE tenant_id = $1
      UNION ALL SELECT 'teams', count(*), md5(string_agg(concat_ws('|', id, lead_id), '/' ORDER BY id)) FROM teams WHERE tenant_id = $1
      UNION ALL SELECT 'team_members', count(*), md5(string_agg(concat_ws('|', id, team_id, user_id), '/' ORDER BY id)) FROM team_members WHERE tenant_id = $1
      UNION ALL SELECT 'user_roles', count(*), md5(string_agg(concat_ws('|', id, user_id, role_id), '/' ORDER BY id)) FROM user_roles WHERE tenant_id = $1
      UNION ALL SELECT 'reporting_lines', count(*), md5(string_agg(concat_ws('|', id, employee_id, manager_id), '/' ORDER BY id)) FROM reporting_lines WHERE tenant_id = $1
      UNION ALL SELECT 'departments', count(*), md5(string_agg(concat_ws('|', id, head_id), '/' ORDER BY id)) FROM departments WHERE tenant_id = $1
    ) f";

async fn fingerprint(db: &TestDb, tenant: Uuid) -> anyhow::Result<String> {
    Ok(sqlx::query_scalar(TENANT_FINGERPRINT)
        .bind(tenant)
        .fetch_one(&db.maintenance)
        .await?)
}

#[tokio::test]
async fn a_verified_seed_equals_a_per_row_seed_resumes_and_is_audited_per_batch()
-> anyhow::Result<()> {
    let reference = TestDb::new().await?;
    let summary = generate(&reference.maintenance, &opts(250, "gen-v"), &mut |_| {
        ControlFlow::Continue(())
    })
    .await?;
    let expected = fingerprint(&reference, summary.tenant_id).await?;
    drop(reference);

    let db = TestDb::new().await?;
    let pool = bulk(&db, 2).await?;
    let err = generate_verified(&db.maintenance, &pool, &opts(250, "gen-v"), &mut |_| {
        ControlFlow::Break(())
    })
    .await
    .unwrap_err();
    assert!(
        matches!(err, SeedError::Interrupted { done: 100, .. }),
        "{err}"
    );
    let summary = generate_verified(&db.maintenance, &pool, &opts(250, "gen-v"), &mut |_| {
        ControlFlow::Continue(())
    })
    .await?;
    assert_eq!(summary.batches_skipped, 2, "structure and the first batch");
    let t = summary.tenant_id;
    assert_eq!(
        fingerprint(&db, t).await?,
        expected,
        "a verified seed differs from a per-row one"
    );

    // The ledger has every employee batch's statements and the attach of the tenant's
    // partitions, and their rows add up.
    let (loads, users_loaded): (i64, i64) = sqlx::query_as(
        "SELECT count(DISTINCT batch), sum(row_count) FILTER (WHERE table_name = 'users')::bigint
           FROM pms_meta.bulk_loads WHERE tenant_id = $1",
    )
    .bind(t)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!((loads, users_loaded), (4, 250));
    // The audit chain has one entry per audited table and batch, and none per generated row.
    let mut admin = db.admin().await?;
    let audited_loads: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pms_meta.bulk_loads b JOIN pms_meta.audited_tables a USING (table_name)
          WHERE b.tenant_id = $1",
    )
    .bind(t)
    .fetch_one(&mut admin)
    .await?;
    let (bulk_entries, per_row_user_entries, gaps): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE changes ? 'bulk_load'),
                count(*) FILTER (WHERE table_name = 'users' AND row_id IS NOT NULL),
                count(*) FILTER (WHERE seq <> rn)
           FROM (SELECT *, row_number() OVER (ORDER BY seq) AS rn FROM audit_log WHERE tenant_id = $1) a",
    )
    .bind(t)
    .fetch_one(&mut admin)
    .await?;
    // users in every batch; review_cycles, teams, team_members, user_roles, reporting_lines,
    // goals, key_results, performance_reviews and feedback once, when the tenant's partitions
    // are attached.
    assert_eq!(audited_loads, 12);
    assert_eq!(bulk_entries, audited_loads);
    assert_eq!(per_row_user_entries, 0);
    assert_eq!(gaps, 0, "the tenant's chain is numbered without gaps");
    // Each entry links to the previous one with the chain's own hash.
    let broken: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (
           SELECT hash, prev_hash, lag(hash) OVER (ORDER BY seq) AS before,
                  public.audit_chain_hash(prev_hash, public.audit_log_canonical(a)) AS recomputed
             FROM audit_log a WHERE tenant_id = $1) c
          WHERE hash <> recomputed OR prev_hash IS DISTINCT FROM before",
    )
    .bind(t)
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(broken, 0);
    Ok(())
}

async fn users_named(db: &TestDb, tenant: Uuid, like: &str) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM users WHERE tenant_id = $1 AND email LIKE $2")
            .bind(tenant)
            .bind(like)
            .fetch_one(&db.maintenance)
            .await?,
    )
}

#[tokio::test]
async fn a_bad_reference_or_a_foreign_row_fails_the_whole_batch() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let pool = bulk(&db, 1).await?;
    let t = generate_verified(&db.maintenance, &pool, &opts(20, "gen-bad"), &mut |_| {
        ControlFlow::Continue(())
    })
    .await?
    .tenant_id;
    let other: Uuid = sqlx::query_scalar("SELECT id FROM tenants WHERE slug = 'demo-company'")
        .fetch_one(&db.maintenance)
        .await?;
    let department: Uuid =
        sqlx::query_scalar("SELECT id FROM departments WHERE tenant_id = $1 LIMIT 1")
            .bind(t)
            .fetch_one(&db.maintenance)
            .await?;
    let user = |tenant: Uuid, email: &str, manager: Uuid| {
        format!(
            "{tenant}\t{}\t{email}\tNew\tPerson\tNew Person\tx\tEngineer\tN-{email}\t{department}\t{manager}\tACTIVE\n",
            Uuid::new_v4()
        )
    };
    let ceo: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1 AND manager_id IS NULL")
            .bind(t)
            .fetch_one(&db.maintenance)
            .await?;
    let columns = "users (tenant_id, id, email, first_name, last_name, display_name, password_hash, job_title, employee_number, department_id, manager_id, status)";

    // A good row, then one whose manager does not exist: the statement fails, and the batch's
    // earlier good rows go with it.
    let cases = [
        (
            format!(
                "{}{}",
                user(t, "ok1@x.test", ceo),
                user(t, "bad@x.test", Uuid::new_v4())
            ),
            "23503",
            "reference a missing",
        ),
        // A row of another tenant (even with a valid manager there) is refused: RLS's rule.
        (
            format!(
                "{}{}",
                user(t, "ok2@x.test", ceo),
                user(other, "foreign@x.test", ceo)
            ),
            "42501",
            "belong to another tenant",
        ),
    ];
    for (payload, code, message) in cases {
        let mut conn = pool.acquire().await?;
        let mut tx = conn.begin().await?;
        begin_batch(&mut tx, t, "test batch").await?;
        let mut first = tx
            .copy_in_raw(&format!("COPY {columns} FROM STDIN"))
            .await?;
        first.send(user(t, "early@x.test", ceo).as_bytes()).await?;
        first.finish().await?;
        let mut copy = tx
            .copy_in_raw(&format!("COPY {columns} FROM STDIN"))
            .await?;
        copy.send(payload.as_bytes()).await?;
        let err = copy.finish().await.unwrap_err();
        let db_err = err.as_database_error().expect("a database error");
        assert_eq!(db_err.code().as_deref(), Some(code), "{err}");
        assert!(db_err.message().contains(message), "{err}");
        assert!(db_err.message().contains("test batch"), "{err}");
        drop(tx);
        assert_eq!(users_named(&db, t, "%@x.test").await?, 0, "{message}");
        let ledger: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pms_meta.bulk_loads WHERE batch = 'test batch'",
        )
        .fetch_one(&db.maintenance)
        .await?;
        assert_eq!(ledger, 0);
    }

    // The same rows, valid, load and are recorded.
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    begin_batch(&mut tx, t, "test batch").await?;
    let mut copy = tx
        .copy_in_raw(&format!("COPY {columns} FROM STDIN"))
        .await?;
    copy.send(
        format!(
            "{}{}",
            user(t, "ok1@x.test", ceo),
            user(t, "ok2@x.test", ceo)
        )
        .as_bytes(),
    )
    .await?;
    copy.finish().await?;
    // Only inserts are verified: updates and deletes are refused in a bulk-load session.
    let err = tx
        .execute("UPDATE users SET job_title = 'x' WHERE email = 'ok1@x.test'")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("only inserts are verified"),
        "{err}"
    );
    drop(tx);
    drop(conn);
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    begin_batch(&mut tx, t, "test batch").await?;
    tx.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "INSERT INTO users (tenant_id, id, email, first_name, last_name, display_name, password_hash, department_id, manager_id, status)
         VALUES ('{t}', '{}', 'ok3@x.test', 'A', 'B', 'A B', 'x', '{department}', '{ceo}', 'ACTIVE')",
        Uuid::new_v4()
    ))))
    .await?;
    tx.commit().await?;
    assert_eq!(users_named(&db, t, "ok3@x.test").await?, 1);
    Ok(())
}

#[tokio::test]
async fn only_a_superuser_opens_a_bulk_load_session() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    // pms_maintenance (and pms_app) cannot: the loader says so, so the CLI falls back.
    let err = bulk_pool(db.urls.options(RoleName::Maintenance)?, 1)
        .await
        .unwrap_err();
    assert!(matches!(err, SeedError::BulkNeedsSuperuser(_)), "{err}");
    let mut app = db.urls.connect(RoleName::App).await?;
    let err = app
        .execute("SET session_replication_role = replica")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    app.close().await?;

    // Naming a batch without a bulk-load session changes nothing: the row is audited per row
    // and its foreign keys are checked per row.
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let mut conn = db.maintenance.acquire().await?;
    let mut tx = conn.begin().await?;
    let (t, department): (Uuid, Uuid) =
        sqlx::query_as("SELECT tenant_id, id FROM departments ORDER BY tenant_id LIMIT 1")
            .fetch_one(&mut *tx)
            .await?;
    begin_batch(&mut tx, t, "not a bulk session").await?;
    let id = Uuid::new_v4();
    let insert = |manager: Uuid| {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "INSERT INTO users (tenant_id, id, email, first_name, last_name, display_name, password_hash, department_id, manager_id, status)
             VALUES ('{t}', '{id}', 'plain@x.test', 'A', 'B', 'A B', 'x', '{department}', {manager}, 'ACTIVE')",
            manager = if manager.is_nil() { "NULL".to_string() } else { format!("'{manager}'") }
        )))
    };
    tx.execute(insert(Uuid::nil())).await?;
    tx.commit().await?;
    let mut admin = db.admin().await?;
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND table_name = 'users' AND row_id = $2",
    )
    .bind(t)
    .bind(id)
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(audited, 1);
    let mut tx = conn.begin().await?;
    begin_batch(&mut tx, t, "not a bulk session").await?;
    tx.execute("DELETE FROM users WHERE email = 'plain@x.test'")
        .await?;
    let err = tx.execute(insert(Uuid::new_v4())).await.unwrap_err();
    assert_eq!(
        err.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("23503"),
        "{err}"
    );
    Ok(())
}

/// Every row carries the batch's tenant, so the foreign key to `tenants` is checked as one key:
/// it is still checked, and a batch for a tenant that does not exist fails.
#[tokio::test]
async fn a_batch_for_a_tenant_that_does_not_exist_fails() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let pool = bulk(&db, 1).await?;
    let ghost = Uuid::new_v4();
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    begin_batch(&mut tx, ghost, "ghost batch").await?;
    let err = tx
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "INSERT INTO users (tenant_id, id, email, first_name, last_name, display_name, password_hash, status)
             VALUES ('{ghost}', '{}', 'ghost@x.test', 'A', 'B', 'A B', 'x', 'ACTIVE')",
            Uuid::new_v4()
        ))))
        .await
        .unwrap_err();
    let db_err = err.as_database_error().expect("a database error");
    assert_eq!(db_err.code().as_deref(), Some("23503"), "{err}");
    assert!(db_err.message().contains("missing tenants row"), "{err}");
    assert!(db_err.message().contains(&ghost.to_string()), "{err}");
    drop(tx);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE tenant_id = $1")
        .bind(ghost)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(left, 0);
    Ok(())
}

/// Bulk-load sessions compress their WAL's full-page images as asked (lz4 unless told
/// otherwise), and a method PostgreSQL does not have is refused before any session opens.
#[tokio::test]
async fn bulk_sessions_compress_their_wal_as_asked() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    for (method, expected) in [(None, "lz4"), (Some("pglz"), "pglz"), (Some("off"), "off")] {
        let pool = match method {
            None => bulk(&db, 1).await?,
            Some(m) => bulk_pool_with(db.urls.options(RoleName::Admin)?, 1, m).await?,
        };
        let (setting, role): (String, String) = sqlx::query_as(
            "SELECT current_setting('wal_compression'), current_setting('session_replication_role')",
        )
        .fetch_one(&pool)
        .await?;
        assert_eq!((setting.as_str(), role.as_str()), (expected, "replica"));
        pool.close().await;
    }
    let err = bulk_pool_with(db.urls.options(RoleName::Admin)?, 1, "gzip")
        .await
        .unwrap_err();
    assert!(matches!(err, SeedError::BadWalCompression(_)), "{err}");
    Ok(())
}
