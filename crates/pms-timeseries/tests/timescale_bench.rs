//! The time-series benchmark on the TimescaleDB backend, for comparison with the native
//! engine's figures (`pms timeseries bench`). Ignored by default; run with
//! `cargo test --release -p pms-timeseries --test timescale_bench -- --ignored --nocapture`
//! (`PMS_BENCH_ROWS`, default 1,000,000). Same dataset shape as the native benchmark: one
//! tenant, 1,000 users, 5 metrics, rows time-ordered over 730 days ending at today's midnight
//! UTC. Every figure is printed next to a baseline measured in the same run.

mod common;

use pms_test_support::timescale::TimescaleDb;
use pms_timeseries::{Hypertable, MetricRow};
use sqlx::{Executor, PgPool};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use uuid::Uuid;

const METRICS: [&str; 5] = [
    "productivity",
    "quality",
    "collaboration",
    "goal_completion",
    "competency",
];
const USERS: u64 = 1000;
const DAYS: i64 = 730;
const BATCH: u64 = 50_000;

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

struct Dataset {
    tenant: Uuid,
    users: Vec<Uuid>,
    start: OffsetDateTime,
    step_us: i64,
}

impl Dataset {
    fn row(&self, i: u64) -> MetricRow {
        MetricRow {
            tenant_id: self.tenant,
            user_id: self.users[(i % USERS) as usize],
            metric_name: METRICS[((i / USERS) % 5) as usize].to_string(),
            value: (mix(i) % 10_001) as f64 / 100.0,
            recorded_at: self.start + time::Duration::microseconds(i as i64 * self.step_us),
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn median_ms(db: &TimescaleDb, tenant: Uuid, sql: &str, runs: usize) -> anyhow::Result<f64> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let mut tx = db.app.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await?;
        let t = Instant::now();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_all(&mut *tx)
            .await?;
        times.push(ms(t.elapsed()));
        std::hint::black_box(rows.len());
        tx.commit().await?;
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

async fn bare_copy(pool: &PgPool, ds: &Dataset, n: u64, table: &str) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let mut i = 0;
    while i < n {
        let end = (i + BATCH).min(n);
        let mut buf = pms_timeseries::ingest::CopyBuffer::new((end - i) as usize);
        for k in i..end {
            buf.push(&ds.row(k));
        }
        let mut conn = pool.acquire().await?;
        let mut copy = conn
            .copy_in_raw(&pms_timeseries::ingest::copy_statement(table))
            .await?;
        copy.send(buf.finish()).await?;
        copy.finish().await?;
        i = end;
    }
    Ok(t.elapsed())
}

#[tokio::test]
#[ignore = "benchmark: run explicitly with --ignored --nocapture"]
async fn timescaledb_benchmark() -> anyhow::Result<()> {
    let Some(db) = TimescaleDb::new("timescaledb_benchmark").await? else {
        return Ok(());
    };
    let n: u64 = std::env::var("PMS_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let tenant = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench', 'Bench')")
        .bind(tenant)
        .execute(&db.maintenance)
        .await?;
    // An organisation for the group grains: 10 departments of 100 people, teams of 10.
    let departments: Vec<Uuid> = (0..10).map(|_| Uuid::now_v7()).collect();
    for (d, id) in departments.iter().enumerate() {
        sqlx::query("INSERT INTO departments (tenant_id, id, code, name) VALUES ($1, $2, $3, $3)")
            .bind(tenant)
            .bind(id)
            .bind(format!("D{d}"))
            .execute(&db.maintenance)
            .await?;
    }
    let mut users = Vec::new();
    let mut team = Uuid::nil();
    for i in 0..USERS {
        let u = Uuid::now_v7();
        let department = departments[(i / 100) as usize];
        sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name, department_id) VALUES ($1, $2, $3, 'B', 'U', $4)")
            .bind(tenant)
            .bind(u)
            .bind(format!("u{i}@bench.example.com"))
            .bind(department)
            .execute(&db.maintenance)
            .await?;
        if i % 10 == 0 {
            team = Uuid::now_v7();
            sqlx::query("INSERT INTO teams (tenant_id, id, code, name, department_id) VALUES ($1, $2, $3, $3, $4)")
                .bind(tenant)
                .bind(team)
                .bind(format!("T{i}"))
                .bind(department)
                .execute(&db.maintenance)
                .await?;
        }
        sqlx::query("INSERT INTO team_members (tenant_id, team_id, user_id) VALUES ($1, $2, $3)")
            .bind(tenant)
            .bind(team)
            .bind(u)
            .execute(&db.maintenance)
            .await?;
        users.push(u);
    }
    let end = OffsetDateTime::now_utc().replace_time(time::Time::MIDNIGHT);
    let start = end - time::Duration::days(DAYS);
    let ds = Dataset {
        tenant,
        users,
        start,
        step_us: DAYS * 86_400_000_000 / n as i64,
    };
    println!(
        "dataset: {n} rows, {USERS} users (10 departments, 100 teams), 5 metrics, {DAYS} days ending {end}"
    );

    // Ingest: the platform's path (validated batches, binary COPY into the hypertable) against
    // bare binary COPY into a plain table with the same two indexes.
    let mut admin = db.admin().await?;
    admin
        .execute(
            "CREATE TABLE timeseries.bench_plain (LIKE timeseries.performance_metrics_ts_hyper);
                   CREATE INDEX ON timeseries.bench_plain (tenant_id, user_id, recorded_at);
                   CREATE INDEX ON timeseries.bench_plain (tenant_id, recorded_at);
                   GRANT ALL ON timeseries.bench_plain TO pms_maintenance",
        )
        .await?;
    let base = bare_copy(&db.maintenance, &ds, n, "timeseries.bench_plain").await?;
    admin.execute("DROP TABLE timeseries.bench_plain").await?;
    let t = Instant::now();
    let mut i = 0;
    while i < n {
        let e = (i + BATCH).min(n);
        let rows: Vec<(Hypertable, MetricRow)> = (i..e)
            .map(|k| (Hypertable::PerformanceMetrics, ds.row(k)))
            .collect();
        pms_timeseries::ingest::load_batch(&db.maintenance, &rows).await?;
        i = e;
    }
    let ingest = t.elapsed();
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "ingest: {:.0} rows/s; bare COPY into a plain table with the same indexes {:.0} rows/s; ratio {:.2}",
        rate(ingest),
        rate(base),
        rate(ingest) / rate(base)
    );
    admin
        .execute("ANALYZE timeseries.performance_metrics_ts_hyper")
        .await?;

    let mut owner = db.owner().await?;
    let t = Instant::now();
    pms_timeseries::backend::refresh_continuous_aggregates(&mut owner).await?;
    let caggs = t.elapsed();
    let t = Instant::now();
    sqlx::query("SELECT timeseries.refresh_all_rollups()")
        .execute(&db.maintenance)
        .await?;
    println!(
        "initial materialization: the six continuous aggregates (person; tenant of the daily and weekly rollups) {:.0} ms; team and department rows of all four rollups, tenant rows of the monthly ones {:.0} ms",
        ms(caggs),
        ms(t.elapsed())
    );

    // What the refresh materialized (a check on the figures above, not a timing).
    let mat: String = sqlx::query_scalar(
        "SELECT format('%I.%I', h.schema_name, h.table_name) FROM _timescaledb_catalog.continuous_agg ca
         JOIN _timescaledb_catalog.hypertable h ON h.id = ca.mat_hypertable_id
         WHERE ca.user_view_name = 'performance_metrics_daily_cagg'",
    )
    .fetch_one(&mut admin)
    .await?;
    let (person_rows, group_rows): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT (SELECT count(*) FROM {mat}), (SELECT count(*) FROM timeseries.performance_metrics_daily_mat)"
    )))
    .fetch_one(&mut admin)
    .await?;
    println!(
        "materialized for the daily rollup: {person_rows} person-day rows, {group_rows} team and department rows"
    );

    let u = ds.users[7];
    let rollup_user = median_ms(&db, tenant, &format!(
        "SELECT bucket, avg_value FROM performance_metrics_daily WHERE grain = 'user' AND subject_id = '{u}'
           AND metric_name = 'quality' AND bucket >= now() - interval '90 days' ORDER BY bucket"), 9).await?;
    let raw_user = median_ms(&db, tenant, &format!(
        "SELECT time_bucket('1 day', recorded_at) b, avg(value) FROM performance_metrics_ts WHERE user_id = '{u}'
           AND metric_name = 'quality' AND recorded_at >= now() - interval '90 days' GROUP BY 1 ORDER BY 1"), 9).await?;
    println!(
        "daily averages of one user over 90 days: rollup {rollup_user:.2} ms, raw {raw_user:.2} ms, speed-up {:.2}x",
        raw_user / rollup_user
    );
    let rollup_tenant = median_ms(&db, tenant,
        "SELECT bucket, metric_name, avg_value FROM performance_metrics_monthly WHERE grain = 'tenant' ORDER BY 1, 2", 9).await?;
    let raw_tenant = median_ms(&db, tenant,
        "SELECT time_bucket('1 month', recorded_at) b, metric_name, avg(value) FROM performance_metrics_ts GROUP BY 1, 2 ORDER BY 1, 2", 5).await?;
    println!(
        "monthly averages of the tenant over 2 years: rollup {rollup_tenant:.2} ms, raw {raw_tenant:.2} ms, speed-up {:.1}x",
        raw_tenant / rollup_tenant
    );
    let rollup_dept = median_ms(&db, tenant, &format!(
        "SELECT bucket, metric_name, avg_value FROM performance_metrics_monthly WHERE grain = 'department' AND subject_id = '{}' ORDER BY 1, 2",
        departments[3]), 9).await?;
    let raw_dept = median_ms(&db, tenant, &format!(
        "SELECT time_bucket('1 month', p.recorded_at) b, p.metric_name, avg(p.value) FROM performance_metrics_ts p
           JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id WHERE u.department_id = '{}' GROUP BY 1, 2 ORDER BY 1, 2",
        departments[3]), 5).await?;
    println!(
        "monthly averages of one department (100 people) over 2 years: rollup {rollup_dept:.2} ms, raw {raw_dept:.2} ms, speed-up {:.1}x",
        raw_dept / rollup_dept
    );

    // One late day for every user and metric: the refresh of the daily rollup's four grains
    // (TimescaleDB's per-person and tenant aggregates, then the team and department rows)
    // against a bare INSERT ... SELECT ... GROUP BY of that day's four grains into an empty
    // table with the rollup tables' key (as the native benchmark's baseline). Three rounds (30, 37 and 44 days back), medians.
    admin.execute("CREATE TABLE timeseries.bench_agg (tenant_id uuid, grain text, subject_id uuid, metric_name text, bucket timestamptz, n bigint, s float8, lo float8, hi float8,
                   PRIMARY KEY (tenant_id, grain, subject_id, bucket, metric_name))").await?;
    let (mut person_ms, mut tenant_ms, mut groups_ms, mut bare_ms) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..3i64 {
        let late_day = end - time::Duration::days(30 + 7 * round);
        let mut late = Vec::new();
        for (k, u) in ds.users.iter().enumerate() {
            for (m, metric) in METRICS.iter().enumerate() {
                late.push((
                    Hypertable::PerformanceMetrics,
                    MetricRow {
                        tenant_id: tenant,
                        user_id: *u,
                        metric_name: metric.to_string(),
                        value: (mix((k * 5 + m) as u64 + round as u64) % 10_001) as f64 / 100.0,
                        recorded_at: late_day + time::Duration::hours(12),
                    },
                ));
            }
        }
        pms_timeseries::ingest::load_batch(&db.maintenance, &late).await?;
        for (cagg, times) in [
            ("performance_metrics_daily_cagg", &mut person_ms),
            ("performance_metrics_daily_tenant_cagg", &mut tenant_ms),
        ] {
            let t = Instant::now();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "CALL public.refresh_continuous_aggregate('timeseries.{cagg}', NULL, public.time_bucket('1 day'::interval, now()),
                                                          options => '{{\"buckets_per_batch\": 0}}')"
            )))
            .execute(&mut owner)
            .await?;
            times.push(ms(t.elapsed()));
        }
        let t = Instant::now();
        let g: serde_json::Value = sqlx::query_scalar(
            "SELECT timeseries.refresh_group_rollup('performance_metrics_daily')",
        )
        .fetch_one(&db.maintenance)
        .await?;
        groups_ms.push(ms(t.elapsed()));
        anyhow::ensure!(g["invalidated_buckets"] == 1, "one late bucket: {g}");
        admin.execute("TRUNCATE timeseries.bench_agg").await?;
        let t = Instant::now();
        sqlx::query(
            "INSERT INTO timeseries.bench_agg
             WITH per_user AS MATERIALIZED (
                 SELECT tenant_id, user_id, metric_name, time_bucket('1 day', recorded_at) AS bucket,
                        count(*) AS n, sum(value) AS s, min(value) AS lo, max(value) AS hi
                 FROM timeseries.performance_metrics_ts_hyper
                 WHERE recorded_at >= $1 AND recorded_at < $1 + interval '1 day' GROUP BY 1, 2, 3, 4)
             SELECT tenant_id, 'user', user_id, metric_name, bucket, n, s, lo, hi FROM per_user
             UNION ALL
             SELECT u.tenant_id, g.grain, g.subject_id, u.metric_name, u.bucket, sum(u.n), sum(u.s), min(u.lo), max(u.hi)
             FROM per_user u JOIN timeseries.user_groups g ON g.tenant_id = u.tenant_id AND g.user_id = u.user_id
             GROUP BY 1, 2, 3, 4, 5
             UNION ALL
             SELECT tenant_id, 'tenant', tenant_id, metric_name, bucket, sum(n), sum(s), min(lo), max(hi)
             FROM per_user GROUP BY 1, 3, 4, 5",
        )
        .bind(late_day)
        .execute(&mut admin)
        .await?;
        bare_ms.push(ms(t.elapsed()));
    }
    admin.execute("DROP TABLE timeseries.bench_agg").await?;
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (p, tg, gr, bare) = (
        median(&mut person_ms),
        median(&mut tenant_ms),
        median(&mut groups_ms),
        median(&mut bare_ms),
    );
    println!(
        "refresh after one late day (daily rollup, four grains): {:.1} ms (person aggregate {p:.1}, tenant aggregate {tg:.1}, team and department rows {gr:.1}); bare INSERT ... SELECT ... GROUP BY of that day's four grains {bare:.1} ms; ratio {:.2} (person aggregate alone against the bare aggregate: {:.2})",
        p + tg + gr,
        (p + tg + gr) / bare,
        p / bare
    );

    // Compression of chunks past the 6-month horizon, and a read over them.
    let range = format!(
        "SELECT recorded_at, metric_name, value FROM performance_metrics_ts WHERE user_id = '{u}'
                           AND recorded_at < now() - interval '200 days' ORDER BY recorded_at"
    );
    let before_read = median_ms(&db, tenant, &range, 9).await?;
    let c: serde_json::Value = sqlx::query_scalar("SELECT timeseries.compress_due_chunks()")
        .fetch_one(&db.maintenance)
        .await?;
    let (raw, packed): (i64, i64) = sqlx::query_as(
        "SELECT sum(raw_bytes)::int8, sum(compressed_bytes)::int8 FROM timeseries.chunk_status() WHERE compressed AND hypertable = 'performance_metrics_ts'")
        .fetch_one(&db.maintenance)
        .await?;
    let after_read = median_ms(&db, tenant, &range, 9).await?;
    println!(
        "compression: {} chunks; {:.1} MiB raw, {:.1} MiB compressed; {:.1}x",
        c["chunks_compressed"],
        raw as f64 / 1048576.0,
        packed as f64 / 1048576.0,
        raw as f64 / packed as f64
    );
    println!(
        "one user's points over the compressed range: {after_read:.2} ms; before compression {before_read:.2} ms; {:.2}x",
        after_read / before_read
    );

    // Retention of the oldest chunk (as if a month had passed).
    let t = Instant::now();
    let r: serde_json::Value =
        sqlx::query_scalar("SELECT timeseries.apply_retention(now() + interval '31 days')")
            .fetch_one(&db.maintenance)
            .await?;
    println!(
        "retention: {} chunk(s) dropped in {:.1} ms",
        r["chunks_dropped"],
        ms(t.elapsed())
    );
    Ok(())
}
