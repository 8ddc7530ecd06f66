//! `pms timeseries bench`: builds a dataset in a scratch database on the same server and
//! measures the engine against baselines from the same run (ratios, never absolute goals):
//! ingest against bare COPY, rollup queries against raw aggregates, refresh after late data
//! against a bare INSERT ... SELECT ... GROUP BY of that day, compressed against raw size,
//! and the time to apply retention to one expired chunk.

use crate::ingest::{self, CopyBuffer, IngestOptions, MetricRow, copy_statement};
use crate::{Error, Result};
use pms_db::{DbUrls, RoleName};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::time::Instant;
use time::{Duration, OffsetDateTime, Time};
use uuid::Uuid;

const METRICS: [&str; 5] = [
    "productivity",
    "quality",
    "collaboration",
    "goal_completion",
    "competency",
];
const BATCH: u64 = 50_000;
/// Rows per interleaved slice of the ingest comparison (four batches).
const SLICE: u64 = 200_000;
/// Runs of a prepared statement before timing it: past PostgreSQL's five custom plans and its
/// first generic plan, so both sides of a comparison are timed in their steady state.
const WARM_UP: u32 = 10;

/// Sizes of the benchmark dataset.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    pub rows: u64,
    pub users: u32,
    pub days: u32,
    pub keep: bool,
}

/// The deterministic dataset: row i of n, time-ordered over `days` days ending at `end`,
/// users round-robin, five metrics, values uniform in [0, 100] with two decimals.
struct Dataset {
    tenant: Uuid,
    users: Vec<Uuid>,
    start: OffsetDateTime,
    step_us: i64,
    rows: u64,
}

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl Dataset {
    fn row(&self, i: u64) -> MetricRow {
        let users = self.users.len() as u64;
        let us = (i as i64) * self.step_us;
        MetricRow {
            tenant_id: self.tenant,
            user_id: self.users[(i % users) as usize],
            metric_name: METRICS[((i / users) % 5) as usize].to_string(),
            value: (mix(i) % 10_001) as f64 / 100.0,
            recorded_at: self.start + Duration::seconds(us / 1_000_000),
        }
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

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

async fn setup(
    m: &PgPool,
    admin: &mut PgConnection,
    cfg: &BenchConfig,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> Result<Dataset> {
    let tenant = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench', 'Bench')")
        .bind(tenant)
        .execute(m)
        .await?;
    let users: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO users (tenant_id, email, first_name, last_name)
         SELECT $1, 'u' || g || '@bench.example.com', 'U', 'Ser' FROM generate_series(1, $2) g RETURNING id",
    )
    .bind(tenant)
    .bind(cfg.users as i32)
    .fetch_all(m)
    .await?;
    let step_us = (end - start).whole_microseconds() as i64 / cfg.rows as i64;
    admin.execute(
        "CREATE SCHEMA bench;
         CREATE TABLE bench.identical (LIKE public.performance_metrics_ts INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (recorded_at);
         CREATE INDEX ON bench.identical (tenant_id, user_id, recorded_at);
         CREATE INDEX ON bench.identical (tenant_id, recorded_at);
         CREATE INDEX ON bench.identical USING brin (recorded_at);
         CREATE TABLE bench.identical_default PARTITION OF bench.identical DEFAULT;
         CREATE TABLE bench.heap (LIKE public.performance_metrics_ts);
         CREATE TABLE bench.baseline (LIKE timeseries.performance_metrics_daily_mat INCLUDING ALL);",
    )
    .await?;
    let ddl: Vec<String> = sqlx::query_scalar(
        "SELECT format('CREATE TABLE bench.%I PARTITION OF bench.identical FOR VALUES FROM (%L) TO (%L)', 'p' || g, time_bucket('1 month', $1) + make_interval(months => g), time_bucket('1 month', $1) + make_interval(months => g + 1))
         FROM generate_series(0, ($2 / 28)::int) g",
    )
    .bind(start)
    .bind(cfg.days as i32)
    .fetch_all(m)
    .await?;
    for d in ddl {
        admin.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(d))).await?;
    }
    admin.execute("GRANT USAGE ON SCHEMA bench TO pms_maintenance; GRANT ALL ON ALL TABLES IN SCHEMA bench TO pms_maintenance").await?;
    Ok(Dataset {
        tenant,
        users,
        start,
        step_us,
        rows: cfg.rows,
    })
}

/// Bare binary COPY of rows `range` of the dataset, in the same batches as the platform path.
async fn copy_bare(
    m: &PgPool,
    ds: &Dataset,
    table: &str,
    range: std::ops::Range<u64>,
) -> Result<std::time::Duration> {
    let t = Instant::now();
    let mut i = range.start;
    while i < range.end {
        let n = BATCH.min(range.end - i);
        let mut buf = CopyBuffer::new(n as usize);
        for k in i..i + n {
            buf.push(&ds.row(k));
        }
        let mut tx = m.begin().await?;
        let mut copy = tx.copy_in_raw(&copy_statement(table)).await?;
        copy.send(buf.finish()).await?;
        copy.finish().await?;
        tx.commit().await?;
        i += n;
    }
    Ok(t.elapsed())
}

/// The platform path for rows `range`: validation, chunk creation on demand, binary COPY,
/// invalidation trigger.
async fn ingest_platform(
    m: &PgPool,
    ds: &Dataset,
    range: std::ops::Range<u64>,
) -> Result<std::time::Duration> {
    let t = Instant::now();
    let expected = range.end - range.start;
    let records = range.map(|i| (i + 1, Ok(ds.row(i))));
    let opts = IngestOptions {
        batch_size: BATCH as usize,
        ..IngestOptions::default()
    };
    let summary = ingest::ingest(m, records, &opts, &mut |_| {}).await?;
    if summary.rows_loaded != expected {
        return Err(Error::Invalid(format!(
            "bench ingest loaded {} of {} rows: {:?}",
            summary.rows_loaded,
            expected,
            summary.rejections.first()
        )));
    }
    Ok(t.elapsed())
}

/// Mean milliseconds of two statements (binds: tenant, subject, time) as pms_app in the tenant,
/// each run `runs` times after warm-up runs, alternating between them in rounds so that load
/// from other work on the machine hits both alike.
async fn compare_queries(
    app: &PgPool,
    tenant: Uuid,
    (sql_a, runs_a): (&str, u32),
    (sql_b, runs_b): (&str, u32),
    subject: Uuid,
    from: OffsetDateTime,
) -> Result<(f64, f64)> {
    let mut conn = app.acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await?;
    let q = |sql: &str| {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(tenant)
            .bind(subject)
            .bind(from)
    };
    for (sql, runs) in [(sql_a, runs_a), (sql_b, runs_b)] {
        if q(sql).fetch_all(&mut *tx).await?.is_empty() {
            return Err(Error::Invalid(format!(
                "bench query returned no rows: {sql}"
            )));
        }
        for _ in 1..WARM_UP.min(runs) {
            q(sql).fetch_all(&mut *tx).await?;
        }
    }
    let rounds = runs_a.min(runs_b).max(1);
    let (mut a, mut b) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for round in 0..rounds {
        let share = |runs: u32| runs / rounds + u32::from(round < runs % rounds);
        for (sql, runs, total) in [
            (sql_a, share(runs_a), &mut a),
            (sql_b, share(runs_b), &mut b),
        ] {
            let t = Instant::now();
            for _ in 0..runs {
                q(sql).fetch_all(&mut *tx).await?;
            }
            *total += t.elapsed();
        }
    }
    Ok((ms(a) / f64::from(runs_a), ms(b) / f64::from(runs_b)))
}

async fn time_range_query(
    app: &PgPool,
    tenant: Uuid,
    sql: &str,
    user: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
    runs: u32,
) -> Result<f64> {
    let mut conn = app.acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await?;
    let q = || {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(tenant)
            .bind(user)
            .bind(from)
            .bind(to)
    };
    for _ in 0..WARM_UP {
        q().fetch_all(&mut *tx).await?;
    }
    let t = Instant::now();
    for _ in 0..runs {
        q().fetch_all(&mut *tx).await?;
    }
    Ok(ms(t.elapsed()) / f64::from(runs))
}

/// Three rounds: one day (a year back) of late rows for every user and metric, then the
/// daily rollup's refresh, against a bare INSERT ... SELECT of the same aggregate for that day.
async fn late_refresh(
    m: &PgPool,
    ds: &Dataset,
    end: OffsetDateTime,
    out: &mut (dyn FnMut(String) + Send),
) -> Result<()> {
    let sql: String = sqlx::query_scalar("SELECT timeseries.rollup_sql(r) FROM timeseries.rollups r WHERE name = 'performance_metrics_daily'")
        .fetch_one(m)
        .await?;
    let (mut refresh_ms, mut bare_ms, mut monthly_ms) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..3i64 {
        let day = end - Duration::days(365 + round * 7) + Duration::hours(13);
        let records: Vec<_> = ds
            .users
            .iter()
            .flat_map(|u| METRICS.iter().map(move |mtr| (*u, *mtr)))
            .enumerate()
            .map(|(i, (u, mtr))| {
                let r = MetricRow {
                    tenant_id: ds.tenant,
                    user_id: u,
                    metric_name: mtr.to_string(),
                    value: (mix(i as u64 + 7) % 10_001) as f64 / 100.0,
                    recorded_at: day,
                };
                (i as u64 + 1, Ok(r))
            })
            .collect();
        ingest::ingest(
            m,
            records.into_iter(),
            &IngestOptions::default(),
            &mut |_| {},
        )
        .await?;
        let t = Instant::now();
        sqlx::query("SELECT timeseries.refresh_rollup('performance_metrics_daily')")
            .execute(m)
            .await?;
        refresh_ms.push(ms(t.elapsed()));
        let t = Instant::now();
        sqlx::query("SELECT timeseries.refresh_rollup('performance_metrics_monthly')")
            .execute(m)
            .await?;
        monthly_ms.push(ms(t.elapsed()));
        m.execute("TRUNCATE bench.baseline").await?;
        let day_start: OffsetDateTime = sqlx::query_scalar("SELECT time_bucket('1 day', $1)")
            .bind(day)
            .fetch_one(m)
            .await?;
        let t = Instant::now();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO bench.baseline {sql}"
        )))
        .bind(day_start)
        .bind(day_start + Duration::days(1))
        .bind(ds.tenant)
        .execute(m)
        .await?;
        bare_ms.push(ms(t.elapsed()));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (r, b, mo) = (
        median(&mut refresh_ms),
        median(&mut bare_ms),
        median(&mut monthly_ms),
    );
    out(format!(
        "refresh one late day, {} users x 5 metrics: daily rollup refresh {r:.1} ms, bare INSERT..SELECT..GROUP BY {b:.1} ms, ratio {:.2} (goal <= 1.5); monthly rollup refresh from daily {mo:.1} ms",
        ds.users.len(),
        r / b
    ));
    Ok(())
}
