//! `pms timeseries bench`: builds a dataset in a scratch database on the same server and
//! measures the engine against baselines from the same run (ratios, never absolute goals):
//! ingest against bare COPY, rollup queries against raw aggregates, refresh after late data
//! against a bare INSERT ... SELECT ... GROUP BY of that day, compressed against raw size,
//! and the time to apply retention to one expired chunk.

mod dataset;
mod late_refresh;
mod loads;
mod queries;

pub use dataset::BenchConfig;

use crate::{Error, Result};
use dataset::setup;
use late_refresh::late_refresh;
use loads::{copy_bare, ingest_platform};
use pms_db::{DbUrls, RoleName};
use queries::{compare_queries, ms, time_range_query};
use sqlx::{Connection, Executor, PgConnection};
use std::time::Instant;
use time::{Duration, OffsetDateTime, Time};
use uuid::Uuid;

/// Rows per interleaved slice of the ingest comparison (four batches).
const SLICE: u64 = 200_000;

fn db_err(e: impl std::fmt::Display) -> Error {
    Error::Invalid(e.to_string())
}

/// Runs the benchmark; every result line goes to `out`.
pub async fn run(
    urls: &DbUrls,
    cfg: &BenchConfig,
    out: &mut (dyn FnMut(String) + Send),
) -> Result<()> {
    if cfg.rows < 10_000 || cfg.users == 0 || cfg.days < 400 || u64::from(cfg.users) * 5 > cfg.rows
    {
        return Err(Error::Invalid(
            "bench needs --rows >= 10000, --days >= 400 and at least 5 rows per user".into(),
        ));
    }
    if std::env::var("PMS_APP_DATABASE_URL").is_ok()
        || std::env::var("PMS_MAINTENANCE_DATABASE_URL").is_ok()
    {
        return Err(Error::Invalid("unset PMS_APP_DATABASE_URL / PMS_MAINTENANCE_DATABASE_URL: the bench uses its own scratch database".into()));
    }
    let admin_url = urls.url_for(RoleName::Admin);
    let name = format!("pms_bench_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&admin_url).await?;
    admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{name}\""
        ))))
        .await?;
    let mut scratch_url = url::Url::parse(&admin_url).map_err(db_err)?;
    scratch_url.set_path(&format!("/{name}"));
    let scratch = DbUrls::new(scratch_url.to_string());
    out(format!(
        "scratch database {name}: {} rows, {} users, 5 metrics, {} days",
        cfg.rows, cfg.users, cfg.days
    ));
    let before = checkpoints(&mut admin).await.ok();
    let result = run_in(&scratch, cfg, out).await;
    if let (Some((max_wal_size, before)), Ok((_, after))) = (before, checkpoints(&mut admin).await)
    {
        out(format!(
            "server  max_wal_size {max_wal_size}: {} checkpoint(s) forced by WAL volume during the run{}",
            after - before,
            if after - before > 10 {
                " (each makes the next change to every page log a whole-page image, which the late-day refresh pays most: its ratio varies with them; see docs/BENCHMARKS.md)"
            } else {
                ""
            }
        ));
    }
    if !cfg.keep {
        admin
            .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            ))))
            .await?;
    } else {
        out(format!("kept database {name}"));
    }
    result
}

/// The server's `max_wal_size` and how many checkpoints WAL volume has forced so far.
async fn checkpoints(admin: &mut PgConnection) -> Result<(String, i64)> {
    Ok(sqlx::query_as(
        "SELECT current_setting('max_wal_size'), checkpoints_req FROM pg_stat_bgwriter",
    )
    .fetch_one(admin)
    .await?)
}

async fn run_in(
    urls: &DbUrls,
    cfg: &BenchConfig,
    out: &mut (dyn FnMut(String) + Send),
) -> Result<()> {
    let mut owner_conn = urls.connect(RoleName::Admin).await.map_err(db_err)?;
    pms_db::migrate::migrate(&mut owner_conn)
        .await
        .map_err(db_err)?;
    let m = urls.pool(RoleName::Maintenance, 2).await.map_err(db_err)?;
    let app = urls.pool(RoleName::App, 2).await.map_err(db_err)?;
    let end = OffsetDateTime::now_utc().replace_time(Time::MIDNIGHT);
    let start = end - Duration::days(i64::from(cfg.days));
    let ds = setup(&m, &mut owner_conn, cfg, start, end).await?;

    // 1. Ingest: bare COPY into an identical partitioned, indexed table; the platform path;
    //    bare COPY into an unindexed, unpartitioned table.
    //    The three run interleaved, a slice of the dataset at a time, so that load from
    //    other work on the machine hits all of them alike; their order rotates from slice to
    //    slice, because a COPY also pays for writing out the dirty pages of the one before it.
    let (mut bare, mut path, mut heap) = (
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
    );
    let mut from = 0;
    let mut slice = 0;
    while from < ds.rows {
        let to = (from + SLICE).min(ds.rows);
        for step in 0..3 {
            match (slice + step) % 3 {
                0 => bare += copy_bare(&m, &ds, "bench.identical", from..to).await?,
                1 => path += ingest_platform(&m, &ds, from..to).await?,
                _ => heap += copy_bare(&m, &ds, "bench.heap", from..to).await?,
            }
        }
        from = to;
        slice += 1;
    }
    let rate = |d: std::time::Duration| ds.rows as f64 / d.as_secs_f64();
    out(format!(
        "ingest  platform path      {:>12.0} rows/s ({:.1}s)",
        rate(path),
        path.as_secs_f64()
    ));
    out(format!(
        "ingest  bare COPY, same table shape {:>6.0} rows/s ({:.1}s)  ratio platform/bare = {:.2} (goal >= 0.9)",
        rate(bare),
        bare.as_secs_f64(),
        bare.as_secs_f64() / path.as_secs_f64()
    ));
    out(format!(
        "ingest  bare COPY, heap, no index   {:>6.0} rows/s ({:.1}s)  ratio platform/heap = {:.2} (machine limit)",
        rate(heap),
        heap.as_secs_f64(),
        heap.as_secs_f64() / path.as_secs_f64()
    ));
    owner_conn
        .execute("DROP TABLE bench.identical, bench.heap")
        .await?;
    owner_conn
        .execute("VACUUM ANALYZE performance_metrics_ts")
        .await?;

    let t = Instant::now();
    sqlx::query("SELECT timeseries.refresh_all_rollups()")
        .execute(&m)
        .await?;
    out(format!(
        "rollups initial materialization of all rollups: {:.1}s",
        t.elapsed().as_secs_f64()
    ));
    // Autovacuum would get there on its own (inserts trigger it); the raw rows were vacuumed
    // after ingest too, so both sides are read with a current visibility map.
    owner_conn
        .execute("VACUUM ANALYZE timeseries.performance_metrics_daily_mat, timeseries.performance_metrics_monthly_mat")
        .await?;
    owner_conn.execute("ANALYZE").await?;

    // 2. Reads through the rollups against the same aggregate over raw rows (as pms_app).
    let user = ds.users[ds.users.len() / 2];
    let from = end - Duration::days(90);
    let raw_user = "SELECT time_bucket('1 day', recorded_at) AS day, metric_name, avg(value) FROM performance_metrics_ts
                    WHERE tenant_id = $1 AND user_id = $2 AND recorded_at >= $3 GROUP BY 1, 2";
    let rollup_user = "SELECT bucket, metric_name, avg_value FROM performance_metrics_daily
                       WHERE tenant_id = $1 AND grain = 'user' AND subject_id = $2 AND bucket >= $3";
    let (raw_t, rollup_t) = compare_queries(
        &app,
        ds.tenant,
        (raw_user, 200),
        (rollup_user, 200),
        user,
        from,
    )
    .await?;
    out(format!(
        "query   one user, daily, 90 days: raw {raw_t:.3} ms, rollup {rollup_t:.3} ms, rollup {:.2}x faster (goal >= 1.3)",
        raw_t / rollup_t
    ));
    let raw_tenant = "SELECT time_bucket('1 month', recorded_at), metric_name, avg(value) FROM performance_metrics_ts
                      WHERE tenant_id = $1 AND $2::uuid IS NOT NULL AND recorded_at >= $3 GROUP BY 1, 2";
    let rollup_tenant = "SELECT bucket, metric_name, avg_value FROM performance_metrics_monthly
                         WHERE tenant_id = $1 AND grain = 'tenant' AND subject_id = $2 AND bucket >= $3";
    let two_years = start - Duration::days(1);
    let (raw_t, rollup_t) = compare_queries(
        &app,
        ds.tenant,
        (raw_tenant, 2),
        (rollup_tenant, 100),
        ds.tenant,
        two_years,
    )
    .await?;
    out(format!(
        "query   whole tenant, monthly, all history: raw {raw_t:.1} ms, rollup {rollup_t:.3} ms, rollup {:.0}x faster (goal >= 1000)",
        raw_t / rollup_t
    ));

    // 3. Refresh after one day of late data for every user, against the bare aggregate.
    late_refresh(&m, &ds, end, out).await?;

    // 4. Compression past the horizon: size and a per-user read before and after.
    let old_from = start;
    let old_to = end - Duration::days(200);
    let per_user = "SELECT metric_name, value, recorded_at FROM timeseries.performance_metrics_ts_points($3, $4)
                    WHERE tenant_id = $1 AND user_id = $2";
    let before = time_range_query(&app, ds.tenant, per_user, user, old_from, old_to, 100).await?;
    let raw_bytes: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(pg_total_relation_size(('timeseries.' || quote_ident(c.chunk_name))::regclass)), 0)::bigint
         FROM timeseries.chunks c JOIN timeseries.hypertables h ON h.name = c.hypertable
         WHERE c.hypertable = 'performance_metrics_ts' AND c.range_end <= now() - h.compress_after",
    )
    .fetch_one(&m)
    .await?;
    let t = Instant::now();
    let report: serde_json::Value = sqlx::query_scalar("SELECT timeseries.compress_due_chunks()")
        .fetch_one(&m)
        .await?;
    let took = t.elapsed();
    owner_conn
        .execute("VACUUM ANALYZE timeseries.performance_metrics_ts_compressed")
        .await?;
    let comp_bytes: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(compressed_bytes), 0)::bigint FROM timeseries.chunk_status() WHERE hypertable = 'performance_metrics_ts' AND compressed",
    )
    .fetch_one(&m)
    .await?;
    let after = time_range_query(&app, ds.tenant, per_user, user, old_from, old_to, 100).await?;
    out(format!(
        "compress {} chunks in {:.1}s: raw {:.1} MiB (table + indexes), compressed {:.1} MiB, {:.1}x smaller (goal >= 10)",
        report["chunks_compressed"],
        took.as_secs_f64(),
        raw_bytes as f64 / 1048576.0,
        comp_bytes as f64 / 1048576.0,
        raw_bytes as f64 / comp_bytes.max(1) as f64
    ));
    out(format!(
        "query   one user, all points past the horizon: raw {before:.3} ms, compressed {after:.3} ms"
    ));

    // 5. Retention of exactly one expired chunk.
    let (oldest, oldest_end): (String, OffsetDateTime) = sqlx::query_as(
        "SELECT chunk_name, range_end FROM timeseries.chunks WHERE hypertable = 'performance_metrics_ts' ORDER BY range_start LIMIT 1",
    )
    .fetch_one(&m)
    .await?;
    let t = Instant::now();
    let report: serde_json::Value =
        sqlx::query_scalar("SELECT timeseries.apply_retention($1 + interval '2 years')")
            .bind(oldest_end)
            .fetch_one(&m)
            .await?;
    out(format!(
        "retention dropped {} chunk(s) ({oldest}) in {:.1} ms",
        report["chunks_dropped"],
        ms(t.elapsed())
    ));
    Ok(())
}
