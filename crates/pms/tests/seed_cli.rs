//! `pms seed --employees N --months M` as a user runs it: the generated tenant gets M months of
//! time-series history for its people; bad months are refused before anything is written.

// These helpers panic where the test would fail anyway (clippy.toml covers #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

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

/// `pms seed --bench` times the seed and its baselines in a scratch database, prints each
/// baseline and the ratios (against a plain COPY of the same rows, one stream, and against
/// COPYs at the seed's parallelism), and drops the scratch database.
#[tokio::test]
async fn the_seed_benchmark_prints_both_ratios_and_leaves_nothing_behind() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let child = Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(["seed", "--employees", "40", "--batch-size", "10", "--bench"])
        .env("DATABASE_URL", db.urls.url_for(pms_db::RoleName::Admin))
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let scratch = format!("pms_seed_bench_{}", child.id());
    let output = child.wait_with_output()?;
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{out}");
    assert!(out.contains("verified bulk load, 2 workers"), "{out}");
    for line in [
        "baseline: the seed's own rows into plain copies of its tables, one stream:",
        "baseline: the seed's own rows into plain copies of its tables, 2 streams:",
        "baseline: as many rows of as many bytes into one 3-column table, one stream:",
        "baseline: as many rows of as many bytes into one 3-column table, 2 streams:",
        "against a plain COPY of the seed's own rows (one stream; goal >= 0.5)",
        "against COPYs of the seed's own rows at the seed's parallelism (2 streams)",
    ] {
        assert_eq!(out.matches(line).count(), 1, "{line}\n{out}");
    }
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(&scratch)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(left, 0, "the scratch database {scratch} is dropped");
    // One worker: the plain COPY is the seed's parallelism, so each baseline runs once.
    let (ok, out) = pms(
        &db,
        &[
            "seed",
            "--employees",
            "20",
            "--batch-size",
            "10",
            "--workers",
            "1",
            "--bench",
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(out.matches("baseline:").count(), 2, "{out}");
    assert!(!out.contains("2 streams"), "{out}");
    Ok(())
}
