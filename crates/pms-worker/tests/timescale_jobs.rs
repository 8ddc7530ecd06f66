//! The worker's jobs on the TimescaleDB backend, as `pms maintenance run` runs them: chunks
//! and the continuous aggregates' refreshes are left to TimescaleDB (chunks on insert, refresh
//! policies in its scheduler), the team and department rollup rows are refreshed, compression
//! and retention run now with the registry's intervals, and `daily_data_maintenance` completes.
//! Skipped, with a printed line, without the extension.

use pms_test_support::timescale::TimescaleDb;
use pms_worker::{JobContext, Scheduler};
use uuid::Uuid;

#[tokio::test]
async fn jobs_do_the_right_thing_on_timescaledb() -> anyhow::Result<()> {
    let Some(db) = TimescaleDb::new("jobs_do_the_right_thing_on_timescaledb").await? else {
        return Ok(());
    };
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
    // One instant for the data and both runs (a chunk boundary between them would make a new
    // chunk due).
    let at: time::OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.maintenance)
        .await?;
    // Three years of daily points: some chunks are due for compression, some for retention.
    sqlx::query("INSERT INTO timeseries.performance_metrics_ts_hyper SELECT $1, $2, 'quality', g % 100, $3::timestamptz - g * interval '24 hours' FROM generate_series(1, 1100) g")
        .bind(tenant)
        .bind(user)
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    let ctx = JobContext::new(db.maintenance.clone()).as_of(at);
    let run = |prefix: &'static str| {
        let ctx = &ctx;
        async move {
            let mut out = Vec::new();
            for job in pms_worker::jobs::all()
                .into_iter()
                .filter(|j| j.name().starts_with(prefix))
            {
                out.push(
                    Scheduler::run_once(ctx, job.as_ref())
                        .await
                        .map_err(anyhow::Error::msg)?
                        .unwrap_or_default(),
                );
            }
            anyhow::Ok(out)
        }
    };
    let first = run("timeseries_").await?;
    assert_eq!(first.len(), 4);
    assert_eq!(first[0]["partitions_created"], 0, "{}", first[0]);
    // Person and tenant grains are TimescaleDB's refresh policies' work; the job refreshes the
    // team and department rows of every rollup.
    assert_eq!(
        first[1]["refreshed_by"], "timescaledb refresh policies (person and tenant grains)",
        "{}",
        first[1]
    );
    assert_eq!(first[1]["rollups_refreshed"], 4, "{}", first[1]);
    assert!(
        first[2]["chunks_compressed"].as_i64().unwrap_or(0) >= 10,
        "{}",
        first[2]
    );
    assert!(
        first[3]["chunks_dropped"].as_i64().unwrap_or(0) >= 10,
        "{}",
        first[3]
    );
    let second = run("timeseries_").await?;
    assert_eq!(second[2]["chunks_compressed"], 0, "{}", second[2]);
    assert_eq!(second[3]["chunks_dropped"], 0, "{}", second[3]);
    let daily = run("daily_data_maintenance").await?;
    assert_eq!(daily.len(), 1);
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM timeseries.performance_metrics_ts_hyper WHERE recorded_at < $1::timestamptz - interval '2 years' - interval '31 days'",
    )
    .bind(at)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(left, 0, "nothing past retention plus one chunk is left");
    Ok(())
}
