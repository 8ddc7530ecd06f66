//! `pms seed --employees N --months M` as a user runs it: the generated tenant gets M months of
//! time-series history for its people; bad months are refused before anything is written.

use pms_test_support::TestDb;
use std::process::Command;

fn pms(db: &TestDb, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .env("DATABASE_URL", db.urls.url_for(pms_db::RoleName::Admin))
        .env("RUST_LOG", "error")
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .output()
        .expect("run pms");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn seed_with_months_loads_history_for_every_generated_person() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let args = [
        "seed",
        "--employees",
        "12",
        "--months",
        "2",
        "--tenant-slug",
        "ts-cli",
        "--seed",
        "3",
    ];
    let (ok, out) = pms(&db, &args);
    assert!(ok, "{out}");
    assert!(
        out.contains("time-series history:") && out.contains("for 12 people over 2 months"),
        "{out}"
    );
    // The test server's admin login is a superuser: the batches were verified bulk loads, and
    // the audit chains (with their per-batch entries) verify.
    assert!(out.contains("verified bulk load"), "{out}");
    let (ok, out) = pms(&db, &["audit", "verify"]);
    assert!(ok, "{out}");
    // Per-row checks on request give the same people.
    let (ok, out) = pms(
        &db,
        &[
            "seed",
            "--employees",
            "12",
            "--tenant-slug",
            "ts-per-row",
            "--seed",
            "3",
            "--per-row-checks",
        ],
    );
    assert!(ok && out.contains("per-row checks"), "{out}");
    let same: bool = sqlx::query_scalar(
        "SELECT (SELECT array_agg(email ORDER BY email) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'ts-cli')
              = (SELECT array_agg(replace(email, '@ts-per-row.', '@ts-cli.') ORDER BY email) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'ts-per-row')",
    )
    .fetch_one(&db.maintenance)
    .await?;
    assert!(same);

    let (people, with_points, points): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'ts-cli'),
                (SELECT count(DISTINCT p.user_id) FROM performance_metrics_ts p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = 'ts-cli'),
                (SELECT count(*) FROM performance_metrics_ts p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = 'ts-cli')",
    )
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!((people, with_points), (12, 12));
    // Five performance metrics weekly for about two months.
    assert!(points >= 12 * 5 * 8, "{points} performance points");

    // Months out of range are refused before anything is written.
    let (ok, out) = pms(
        &db,
        &[
            "seed",
            "--employees",
            "5",
            "--months",
            "121",
            "--tenant-slug",
            "ts-bad",
        ],
    );
    assert!(
        !ok && out.contains("--months must be between 0 and 120"),
        "{out}"
    );
    let bad: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants WHERE slug = 'ts-bad'")
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(bad, 0);

    // A WAL compression PostgreSQL does not have is refused too; pglz is taken.
    let (ok, out) = pms(
        &db,
        &[
            "seed",
            "--employees",
            "5",
            "--tenant-slug",
            "ts-bad",
            "--wal-compression",
            "gzip",
        ],
    );
    assert!(
        !ok && out.contains("--wal-compression") && out.contains("lz4"),
        "{out}"
    );
    let (ok, out) = pms(
        &db,
        &[
            "seed",
            "--employees",
            "5",
            "--tenant-slug",
            "ts-pglz",
            "--wal-compression",
            "pglz",
        ],
    );
    assert!(ok && out.contains("verified bulk load"), "{out}");
    let (bad, pglz): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM tenants WHERE slug = 'ts-bad'),
                (SELECT count(*) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'ts-pglz')",
    )
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!((bad, pglz), (0, 5));
    Ok(())
}
