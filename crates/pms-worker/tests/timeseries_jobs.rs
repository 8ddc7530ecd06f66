//! The time-series jobs through the scheduler, as `pms maintenance run` and the worker run
//! them: each does its work once and finds nothing left on a second run. Both runs, and the
//! data, are pinned to one instant read from the database once: a month boundary between the
//! runs would otherwise make a new chunk due (for creation, compression and retention alike).

use pms_test_support::TestDb;
use pms_worker::{JobContext, Scheduler};
use uuid::Uuid;

#[tokio::test]
async fn timeseries_jobs_run_and_are_idempotent() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = Uuid::now_v7();
    let user = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'jobs', 'Jobs')")
        .bind(tenant)
        .execute(&db.maintenance)
        .await?;
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, 'a@jobs.example.com', 'A', 'B')")
        .bind(tenant)
        .bind(user)
        .execute(&db.maintenance)
        .await?;
    let at: time::OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.maintenance)
        .await?;
    // Three years of daily points: some chunks are due for compression, some for retention.
    sqlx::query("INSERT INTO performance_metrics_ts SELECT $1, $2, 'quality', g % 100, $3::timestamptz - g * interval '24 hours' FROM generate_series(1, 1100) g")
        .bind(tenant)
        .bind(user)
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    let ctx = JobContext::new(db.maintenance.clone()).as_of(at);
    let jobs: Vec<_> = pms_worker::jobs::all()
        .into_iter()
        .filter(|j| j.name().starts_with("timeseries_"))
        .collect();
    let names: Vec<&str> = jobs.iter().map(|j| j.name()).collect();
    assert_eq!(
        names,
        [
            "timeseries_partitions",
            "timeseries_rollups",
            "timeseries_compression",
            "timeseries_retention"
        ]
    );
    let mut first = Vec::new();
    for job in &jobs {
        first.push(
            Scheduler::run_once(&ctx, job.as_ref())
                .await
                .map_err(anyhow::Error::msg)?
                .unwrap_or_default(),
        );
    }
    assert!(
        first[0]["partitions_created"].as_i64().unwrap_or(0) >= 16,
        "{}",
        first[0]
    );
    assert_eq!(first[1]["rollups_refreshed"], 4, "{}", first[1]);
    assert!(
        first[2]["chunks_compressed"].as_i64().unwrap_or(0) >= 10,
        "{}",
        first[2]
    );
    assert!(
        first[3]["chunks_dropped"].as_i64().unwrap_or(0) >= 12,
        "{}",
        first[3]
    );
    let mut second = Vec::new();
    for job in &jobs {
        second.push(
            Scheduler::run_once(&ctx, job.as_ref())
                .await
                .map_err(anyhow::Error::msg)?
                .unwrap_or_default(),
        );
    }
    assert_eq!(second[0]["partitions_created"], 0, "{}", second[0]);
    assert_eq!(second[2]["chunks_compressed"], 0, "{}", second[2]);
    assert_eq!(second[3]["chunks_dropped"], 0, "{}", second[3]);
    // And the one SQL entry point for daily_data_maintenance() agrees.
    let report: serde_json::Value = sqlx::query_scalar("SELECT timeseries_maintenance($1)")
        .bind(at)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(report["partitions_created"], 0, "{report}");
    assert_eq!(report["chunks_dropped"], 0, "{report}");
    Ok(())
}
