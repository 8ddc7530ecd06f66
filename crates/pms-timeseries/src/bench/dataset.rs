//! The benchmark's dataset, its sizes and its scratch schema: deterministic metric points for one
//! tenant's users, and the `bench` tables the baselines write to.

use crate::Result;
use crate::ingest::MetricRow;
use sqlx::{Executor, PgConnection, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

pub(super) const METRICS: [&str; 5] = [
    "productivity",
    "quality",
    "collaboration",
    "goal_completion",
    "competency",
];

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
pub(super) struct Dataset {
    pub(super) tenant: Uuid,
    pub(super) users: Vec<Uuid>,
    start: OffsetDateTime,
    step_us: i64,
    pub(super) rows: u64,
}

pub(super) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl Dataset {
    pub(super) fn row(&self, i: u64) -> MetricRow {
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

pub(super) async fn setup(
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
