//! The reporting chain after the seeds (issue 15): `pms seed --employees` loads users with COPY,
//! in batches that run side by side, through plain sessions or verified bulk-load sessions
//! (`session_replication_role = replica`); the demo seed inserts row by row. After each, the
//! closure equals the walk of `users.manager_id`. And a manager's list of their team's reviews
//! reads the closure with an index-only scan, under the visibility policies.

use pms_core::{TenantId, UserId};
use pms_db::{RoleName, TenantTx};
use pms_seed::bulk::bulk_pool;
use pms_seed::demo::{DEMO_COMPANY, seed_demo, tenant_id};
use pms_seed::generate::{GenerateOptions, generate, generate_verified};
use pms_test_support::TestDb;
use uuid::Uuid;

fn opts(employees: i64, slug: &str) -> GenerateOptions {
    GenerateOptions {
        employees,
        months: 0,
        seed: 11,
        slug: slug.into(),
        name: None,
        batch_employees: 150,
        workers: 2,
    }
}

/// Rows of the closure that the walk does not give, plus rows the walk gives that it lacks.
async fn chain_differences(db: &TestDb, tenant: Uuid) -> anyhow::Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "WITH RECURSIVE up (d, a, depth) AS (
            SELECT id, id, 0 FROM users WHERE tenant_id = $1
            UNION ALL
            SELECT up.d, u.manager_id, up.depth + 1 FROM up JOIN users u ON u.tenant_id = $1 AND u.id = up.a
             WHERE u.manager_id IS NOT NULL AND up.depth < 1000),
         kept AS (SELECT ancestor_id AS a, descendant_id AS d, depth::int FROM reporting_chain WHERE tenant_id = $1)
         SELECT (SELECT count(*) FROM (SELECT a, d, depth FROM up EXCEPT SELECT * FROM kept) x)
              + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT a, d, depth FROM up) y),
                (SELECT count(*) FROM kept)",
    )
    .bind(tenant)
    .fetch_one(&db.maintenance)
    .await?)
}

fn tenant_of(slug: &str) -> Uuid {
    pms_seed::generate::generated_tenant_id(slug)
}

#[tokio::test]
async fn the_chain_is_whole_after_every_seed() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    seed_demo(&db.maintenance).await?;
    let (diff, rows) = chain_differences(&db, tenant_id(&DEMO_COMPANY)).await?;
    assert_eq!(diff, 0);
    assert!(rows > 9, "{rows}");
    generate(&db.maintenance, &opts(900, "chain-plain"), &mut |_| {
        std::ops::ControlFlow::Continue(())
    })
    .await?;
    let (diff, rows) = chain_differences(&db, tenant_of("chain-plain")).await?;
    assert_eq!(diff, 0, "after a plain generated seed");
    assert!(rows > 2 * 900, "{rows}");
    let bulk = bulk_pool(db.urls.options(RoleName::Admin)?, 2).await?;
    generate_verified(
        &db.maintenance,
        &bulk,
        &opts(900, "chain-bulk"),
        &mut |_| std::ops::ControlFlow::Continue(()),
    )
    .await?;
    let (diff, bulk_rows) = chain_differences(&db, tenant_of("chain-bulk")).await?;
    assert_eq!(diff, 0, "after a verified bulk load");
    assert_eq!(bulk_rows, rows, "the same tenant, the same chain");
    Ok(())
}

#[tokio::test]
async fn a_managers_team_reviews_read_the_closure_index_only() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let slug = "chain-explain";
    generate(&db.maintenance, &opts(1200, slug), &mut |_| {
        std::ops::ControlFlow::Continue(())
    })
    .await?;
    let tenant = tenant_of(slug);
    let mut admin = db.admin().await?;
    sqlx::query("VACUUM ANALYZE reporting_chain")
        .execute(&mut admin)
        .await?;
    sqlx::query("ANALYZE users").execute(&mut admin).await?;
    sqlx::query("ANALYZE performance_reviews")
        .execute(&mut admin)
        .await?;
    // A manager of a few dozen people, with reviews among them.
    let manager: Uuid = sqlx::query_scalar(
        "SELECT c.ancestor_id FROM reporting_chain c
          WHERE c.tenant_id = $1 AND c.depth > 0
          GROUP BY c.ancestor_id HAVING count(*) BETWEEN 10 AND 200
          ORDER BY count(*) DESC, c.ancestor_id LIMIT 1",
    )
    .bind(tenant)
    .fetch_one(&db.maintenance)
    .await?;
    let team_reviews: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM performance_reviews r JOIN reporting_chain c
            ON c.tenant_id = r.tenant_id AND c.descendant_id = r.reviewee_id
         WHERE r.tenant_id = $1 AND c.ancestor_id = $2 AND c.depth > 0",
    )
    .bind(tenant)
    .bind(manager)
    .fetch_one(&db.maintenance)
    .await?;
    assert!(team_reviews > 0);
    let list = "SELECT r.id, r.reviewee_id, r.status, r.overall_rating
                  FROM performance_reviews r JOIN pms_my_team() t ON t.person_id = r.reviewee_id
                 ORDER BY r.created_at DESC";
    let mut tx = TenantTx::begin(&db.app, TenantId(tenant), Some(UserId(manager))).await?;
    let listed: Vec<(Uuid, Uuid, String, Option<rust_decimal::Decimal>)> =
        sqlx::query_as(sqlx::AssertSqlSafe(list))
            .fetch_all(&mut **tx)
            .await?;
    assert_eq!(
        listed.len() as i64,
        team_reviews,
        "the manager's team reviews, under the policies"
    );
    let plan: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("EXPLAIN {list}")))
        .fetch_all(&mut **tx)
        .await?;
    let plan = plan.join("\n");
    let closure_scans: Vec<&str> = plan
        .lines()
        .filter(|l| l.contains("reporting_chain"))
        .collect();
    assert!(!closure_scans.is_empty(), "{plan}");
    for scan in &closure_scans {
        assert!(
            scan.contains("Index Only Scan using reporting_chain_pkey"),
            "not index-only: {scan}\n{plan}"
        );
    }
    assert!(!plan.contains("Seq Scan on performance_reviews"), "{plan}");
    tx.rollback().await?;
    Ok(())
}
