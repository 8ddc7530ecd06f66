//! `pms metrics ingest` and `pms timeseries status` as a user runs them: a summary with rows
//! per second, one line per rejected row, a non-zero exit when anything was rejected.

// These helpers panic where the test would fail anyway (clippy.toml covers #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pms_test_support::TestDb;
use std::process::Command;
use uuid::Uuid;

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
async fn ingest_reports_rows_and_rejections_and_status_shows_chunks() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let (tenant, user) = (Uuid::now_v7(), Uuid::now_v7());
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'cli', 'Cli')")
        .bind(tenant)
        .execute(&db.maintenance)
        .await?;
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, 'a@cli.example.com', 'A', 'B')")
        .bind(tenant)
        .bind(user)
        .execute(&db.maintenance)
        .await?;
    let dir = std::env::temp_dir().join(format!("pms-cli-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        format!(
            "tenant_id,user_id,metric_name,value,recorded_at\n{tenant},{user},quality,70.5,2026-01-10T09:00:00Z\n{tenant},{user},productivity,60,2026-02-10T09:00:00Z\n"
        ),
    )?;
    let (ok, text) = pms(
        &db,
        &["metrics", "ingest", good.to_str().unwrap_or_default()],
    );
    assert!(ok, "{text}");
    assert!(
        text.contains("2 rows read, 2 loaded, 0 rejected") && text.contains("rows/s"),
        "{text}"
    );

    let bad = dir.join("bad.ndjson");
    std::fs::write(
        &bad,
        format!(
            "{{\"tenant_id\":\"{tenant}\",\"user_id\":\"{user}\",\"metric_name\":\"nope\",\"value\":1,\"recorded_at\":\"2026-01-10T09:00:00Z\"}}\n"
        ),
    )?;
    let (ok, text) = pms(
        &db,
        &["metrics", "ingest", bad.to_str().unwrap_or_default()],
    );
    assert!(!ok, "{text}");
    assert!(
        text.contains("line 1: metric \"nope\" is not registered"),
        "{text}"
    );
    assert!(text.contains("1 rows rejected"), "{text}");

    let (ok, text) = pms(
        &db,
        &[
            "metrics",
            "ingest",
            dir.join("missing.csv").to_str().unwrap_or_default(),
        ],
    );
    assert!(!ok && text.contains("cannot open"), "{text}");

    let (ok, text) = pms(&db, &["timeseries", "status"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("performance_metrics_ts") && text.contains("performance_metrics_daily"),
        "{text}"
    );
    let (ok, text) = pms(&db, &["timeseries", "decompress", "no_such_chunk"]);
    assert!(!ok && text.contains("unknown chunk"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
