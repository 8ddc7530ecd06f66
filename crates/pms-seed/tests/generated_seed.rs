//! `pms seed --employees N`: bad input is refused before anything is written, the generated
//! tenant has the promised shape, the same seed gives the same data, and an interrupted run
//! resumes without duplicates.

use pms_seed::generate::{GenerateOptions, SeedError, generate};
use pms_test_support::TestDb;
use std::ops::ControlFlow;

fn opts(employees: i64, slug: &str) -> GenerateOptions {
    GenerateOptions {
        employees,
        months: 0,
        seed: 7,
        slug: slug.into(),
        name: None,
        batch_employees: 100,
        workers: 2,
    }
}

async fn count(db: &TestDb, sql: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&db.maintenance)
        .await?)
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_written() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let before = count(&db, "SELECT count(*) FROM users").await?;
    let mut go = |_: &_| ControlFlow::Continue(());
    let cases: Vec<(GenerateOptions, &str)> = vec![
        (opts(0, "gen-a"), "--employees must be at least 1 (got 0)"),
        (opts(-5, "gen-a"), "--employees must be at least 1 (got -5)"),
        (opts(50_000_000, "gen-a"), "--employees 50000000 is absurd"),
        (
            GenerateOptions {
                months: 121,
                ..opts(10, "gen-a")
            },
            "--months must be between 0 and 120 (got 121)",
        ),
        (
            GenerateOptions {
                months: -1,
                ..opts(10, "gen-a")
            },
            "--months must be between 0 and 120",
        ),
        (
            GenerateOptions {
                batch_employees: 0,
                ..opts(10, "gen-a")
            },
            "--batch-size must be between 1 and 100000",
        ),
        (
            GenerateOptions {
                workers: 0,
                ..opts(10, "gen-a")
            },
            "--workers must be between 1 and 16",
        ),
        (opts(10, "Bad Slug"), "tenant slug \"Bad Slug\" is invalid"),
        (
            opts(10, "demo-company"),
            "a tenant with slug \"demo-company\" already exists",
        ),
    ];
    for (o, message) in cases {
        let err = generate(&db.maintenance, &o, &mut go).await.unwrap_err();
        assert!(
            err.to_string().contains(message),
            "{err} (expected {message})"
        );
    }
    assert_eq!(count(&db, "SELECT count(*) FROM users").await?, before);
    assert_eq!(
        count(&db, "SELECT count(*) FROM tenants WHERE slug = 'gen-a'").await?,
        0
    );
    Ok(())
}

#[tokio::test]
async fn a_generated_tenant_has_the_hierarchy_and_every_activity() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut steps = 0;
    let summary = generate(&db.maintenance, &opts(300, "gen-shape"), &mut |_| {
        steps += 1;
        ControlFlow::Continue(())
    })
    .await?;
    assert!(steps >= 1);
    let t = summary.tenant_id;
    let q = |sql: &str| sql.replace("$T", &format!("'{t}'"));
    assert_eq!(
        count(&db, &q("SELECT count(*) FROM users WHERE tenant_id = $T")).await?,
        300
    );
    assert_eq!(
        count(
            &db,
            &q("SELECT count(*) FROM users WHERE tenant_id = $T AND manager_id IS NULL")
        )
        .await?,
        1,
        "one CEO"
    );
    // Every manager chain ends at the CEO (no cycles, no orphans).
    let reach = count(&db, &q(
        "WITH RECURSIVE tree AS (SELECT id FROM users WHERE tenant_id = $T AND manager_id IS NULL
           UNION ALL SELECT u.id FROM users u JOIN tree ON u.manager_id = tree.id WHERE u.tenant_id = $T)
         SELECT count(*) FROM tree")).await?;
    assert_eq!(reach, 300);
    for table in [
        "departments",
        "teams",
        "team_members",
        "goals",
        "key_results",
        "review_cycles",
        "performance_reviews",
        "feedback",
        "one_on_ones",
        "reporting_lines",
    ] {
        let n = count(
            &db,
            &q(&format!(
                "SELECT count(*) FROM {table} WHERE tenant_id = $T"
            )),
        )
        .await?;
        assert!(n > 0, "{table} is empty");
        assert_eq!(
            summary.rows_by_table.get(table).copied().unwrap_or(0) as i64,
            n,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &db,
            &q("SELECT count(*) FROM departments WHERE tenant_id = $T AND head_id IS NULL")
        )
        .await?,
        0
    );
    // Generated people can log in with the demo password (one hash, shared).
    let hash: String = sqlx::query_scalar(sqlx::AssertSqlSafe(q(
        "SELECT password_hash FROM users WHERE tenant_id = $T LIMIT 1",
    )))
    .fetch_one(&db.maintenance)
    .await?;
    assert!(pms_seed::password::verify(
        pms_seed::demo::DEMO_PASSWORD,
        &hash
    ));
    Ok(())
}

const FINGERPRINT: &str = "SELECT md5(string_agg(concat_ws('|', u.id, u.email, u.manager_id, u.level, u.hire_date, u.department_id,
        (SELECT string_agg(concat_ws(',', g.id, g.title, g.status, g.progress), ';' ORDER BY g.id) FROM goals g WHERE g.tenant_id = u.tenant_id AND g.owner_id = u.id)), '/' ORDER BY u.id))
    FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'gen-same'";

#[tokio::test]
async fn the_same_seed_gives_the_same_tenant_and_an_interrupted_run_resumes() -> anyhow::Result<()>
{
    // Uninterrupted, in one database.
    let first = TestDb::new().await?;
    generate(&first.maintenance, &opts(250, "gen-same"), &mut |_| {
        ControlFlow::Continue(())
    })
    .await?;
    let expected: String = sqlx::query_scalar(FINGERPRINT)
        .fetch_one(&first.maintenance)
        .await?;
    drop(first);

    // Interrupted after the first batch of employees, in another.
    let db = TestDb::new().await?;
    let err = generate(&db.maintenance, &opts(250, "gen-same"), &mut |_| {
        ControlFlow::Break(())
    })
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            SeedError::Interrupted {
                done: 100,
                total: 250
            }
        ),
        "{err}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'gen-same'").await?, 100);
    // Other parameters cannot resume it.
    let err = generate(
        &db.maintenance,
        &GenerateOptions {
            seed: 8,
            ..opts(250, "gen-same")
        },
        &mut |_| ControlFlow::Continue(()),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("was generated with other parameters"),
        "{err}"
    );
    // The same command completes it, skipping what is there.
    let summary = generate(&db.maintenance, &opts(250, "gen-same"), &mut |_| {
        ControlFlow::Continue(())
    })
    .await?;
    assert_eq!(summary.batches_skipped, 2, "structure and the first batch");
    assert_eq!(summary.rows_by_table.get("users").copied(), Some(150));
    let actual: String = sqlx::query_scalar(FINGERPRINT)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(
        actual, expected,
        "resumed tenant differs from an uninterrupted one"
    );
    assert_eq!(
        count(&db, "SELECT count(*) - count(DISTINCT id) FROM users").await?,
        0
    );
    // A finished tenant is not generated twice.
    let err = generate(&db.maintenance, &opts(250, "gen-same"), &mut |_| {
        ControlFlow::Continue(())
    })
    .await
    .unwrap_err();
    assert!(matches!(err, SeedError::SlugExists(_)), "{err}");
    Ok(())
}

#[tokio::test]
async fn the_benchmark_baseline_copies_the_rows_and_cleans_up() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let owners = db.urls.pool(pms_db::RoleName::Owner, 2).await?;
    let elapsed = pms_seed::baseline::baseline_copy(&owners, 5_000, 5_000 * 150, 4, 2).await?;
    let mut owner = db.owner().await?;
    assert!(elapsed.as_nanos() > 0);
    let left: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_class WHERE relname = 'seed_copy_baseline'")
            .fetch_one(&mut owner)
            .await?;
    assert_eq!(left, 0, "the baseline table must be dropped");
    Ok(())
}
