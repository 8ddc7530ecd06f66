//! What a membership change costs on the native engine at a realistic size: two departments of
//! 1,000 people each, two years of daily points (one a person and day, 5 metrics), rollups
//! materialized. One person moves between the departments, in turn; printed, as medians of
//! `ROUNDS`: the application's UPDATE against one that leaves membership alone, and the daily
//! and monthly refreshes that rebuild both departments against the bare `INSERT ... SELECT ...
//! GROUP BY` of the same groups from the same user rows, one statement per department (the least
//! work that can rebuild them)
//! and against a refresh with nothing to do.
//!
//! `cargo test --release -p pms-timeseries --test membership_bench -- --ignored --nocapture`

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use std::time::{Duration, Instant};
use uuid::Uuid;

const PEOPLE: i32 = 1_000;
const DAYS: i32 = 730;
const ROUNDS: usize = 5;

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

async fn timed<F: std::future::Future<Output = anyhow::Result<()>>>(
    f: F,
) -> anyhow::Result<Duration> {
    let t = Instant::now();
    f.await?;
    Ok(t.elapsed())
}

#[tokio::test]
#[ignore = "benchmark: run explicitly with --ignored --nocapture"]
async fn cost_of_moving_one_person_between_departments_of_1000() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let m = &db.maintenance;
    let tenant = Uuid::now_v7();
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench', 'Bench')")
        .bind(tenant)
        .execute(m)
        .await?;
    sqlx::query(
        "INSERT INTO departments (tenant_id, id, code, name) VALUES ($1, $2, 'A', 'A'), ($1, $3, 'B', 'B')",
    )
    .bind(tenant)
    .bind(a)
    .bind(b)
    .execute(m)
    .await?;
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, first_name, last_name, department_id)
         SELECT $1, gen_random_uuid(), 'u' || g || '@bench.example.com', 'U', 'Ser', CASE WHEN g <= $4 THEN $2 ELSE $3 END
         FROM generate_series(1, 2 * $4) g",
    )
    .bind(tenant)
    .bind(a)
    .bind(b)
    .bind(PEOPLE)
    .execute(m)
    .await?;
    let now: time::OffsetDateTime = sqlx::query_scalar("SELECT date_trunc('day', now())")
        .fetch_one(m)
        .await?;
    sqlx::query(
        "SELECT timeseries.ensure_chunks('performance_metrics_ts', $1 - make_interval(days => $2 + 1), $1)",
    )
    .bind(now)
    .bind(DAYS)
    .execute(m)
    .await?;
    let t = Instant::now();
    let points = sqlx::query(
        "INSERT INTO performance_metrics_ts
         SELECT u.tenant_id, u.id,
                (ARRAY['productivity', 'quality', 'collaboration', 'goal_completion', 'competency'])[1 + abs(hashtext(u.id::text || d)) % 5],
                (abs(hashtext(d || u.id::text)) % 10000) / 100.0,
                $2 - make_interval(days => d, hours => -9)
         FROM users u, generate_series(1, $3) d WHERE u.tenant_id = $1",
    )
    .bind(tenant)
    .bind(now)
    .bind(DAYS)
    .execute(m)
    .await?
    .rows_affected();
    eprintln!("{points} points in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    for r in ["performance_metrics_daily", "performance_metrics_monthly"] {
        sqlx::query("SELECT timeseries.refresh_rollup($1, $2)")
            .bind(r)
            .bind(now)
            .execute(m)
            .await?;
    }
    eprintln!(
        "first materialization (daily and monthly): {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut admin = db.admin().await?;
    sqlx::query("VACUUM ANALYZE timeseries.performance_metrics_daily_mat, timeseries.performance_metrics_monthly_mat, users")
        .execute(&mut admin)
        .await?;
    let mover: Uuid = sqlx::query_scalar(
        "SELECT id FROM users WHERE tenant_id = $1 AND department_id = $2 LIMIT 1",
    )
    .bind(tenant)
    .bind(a)
    .fetch_one(m)
    .await?;

    let bare = |mat: &'static str| {
        let sql = format!(
            "INSERT INTO bare_groups
             SELECT $1, 'department', $2, u.metric_name, u.bucket,
                    sum(u.sample_count), sum(u.sum_value), min(u.min_value), max(u.max_value)
             FROM timeseries.user_groups g
             JOIN timeseries.{mat} u ON u.tenant_id = g.tenant_id AND u.grain = 'user' AND u.subject_id = g.user_id
             WHERE g.tenant_id = $1 AND g.grain = 'department' AND g.subject_id = $2
             GROUP BY u.bucket, u.metric_name ORDER BY u.bucket, u.metric_name"
        );
        async move {
            let mut c = m.acquire().await?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE TEMP TABLE IF NOT EXISTS bare_groups (LIKE timeseries.{mat})"
            )))
            .execute(&mut *c)
            .await?;
            sqlx::query("TRUNCATE bare_groups").execute(&mut *c).await?;
            let d = timed(async {
                for department in [a, b] {
                    sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                        .bind(tenant)
                        .bind(department)
                        .execute(&mut *c)
                        .await?;
                }
                Ok(())
            })
            .await?;
            sqlx::query("DROP TABLE bare_groups")
                .execute(&mut *c)
                .await?;
            anyhow::Ok(d)
        }
    };
    let refresh = |name: &'static str| async move {
        timed(async {
            sqlx::query("SELECT timeseries.refresh_rollup($1, $2)")
                .bind(name)
                .bind(now)
                .execute(m)
                .await?;
            Ok(())
        })
        .await
    };
    let update = |sql: &'static str, to: Uuid| {
        let app = db.app.clone();
        async move {
            let mut tx = TenantTx::begin(&app, TenantId(tenant), None).await?;
            let d = timed(async {
                sqlx::query(sql)
                    .bind(to)
                    .bind(mover)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            })
            .await?;
            tx.commit().await?;
            anyhow::Ok(d)
        }
    };

    let (mut w_move, mut w_other) = (Vec::new(), Vec::new());
    let (
        mut daily,
        mut monthly,
        mut idle_daily,
        mut idle_monthly,
        mut bare_daily,
        mut bare_monthly,
    ) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for round in 0..ROUNDS {
        let to = if round % 2 == 0 { b } else { a };
        w_other.push(
            update(
                "UPDATE users SET job_title = 'T' || $1::uuid::text WHERE id = $2",
                to,
            )
            .await?,
        );
        bare_daily.push(bare("performance_metrics_daily_mat").await?);
        bare_monthly.push(bare("performance_metrics_monthly_mat").await?);
        idle_daily.push(refresh("performance_metrics_daily").await?);
        idle_monthly.push(refresh("performance_metrics_monthly").await?);
        w_move.push(update("UPDATE users SET department_id = $1 WHERE id = $2", to).await?);
        daily.push(refresh("performance_metrics_daily").await?);
        monthly.push(refresh("performance_metrics_monthly").await?);
    }
    // People who join groups before they have points (a seed): 1,000 new people in a new
    // department and 125 new teams of 8; the refresh finds nothing to rebuild.
    let c = Uuid::now_v7();
    sqlx::query("INSERT INTO departments (tenant_id, id, code, name) VALUES ($1, $2, 'C', 'C')")
        .bind(tenant)
        .bind(c)
        .execute(m)
        .await?;
    sqlx::query(
        "WITH p AS (INSERT INTO users (tenant_id, id, email, first_name, last_name, department_id)
                    SELECT $1, gen_random_uuid(), 'n' || g || '@bench.example.com', 'N', 'Ew', $2
                    FROM generate_series(1, 1000) g RETURNING id),
              t AS (INSERT INTO teams (tenant_id, id, code, name)
                    SELECT $1, gen_random_uuid(), 'T' || g, 'T' || g FROM generate_series(1, 125) g RETURNING id),
              pn AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM p),
              tn AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM t)
         INSERT INTO team_members (tenant_id, team_id, user_id)
         SELECT $1, tn.id, pn.id FROM pn JOIN tn ON tn.n = pn.n % 125",
    )
    .bind(tenant)
    .bind(c)
    .execute(m)
    .await?;
    let seeded = refresh("performance_metrics_daily").await?
        + refresh("performance_metrics_monthly").await?;

    let rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM timeseries.performance_metrics_daily_mat WHERE tenant_id = $1 AND grain = 'department'",
    )
    .bind(tenant)
    .fetch_one(m)
    .await?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "membership move, 2 departments x {PEOPLE} people x {DAYS} days ({points} points, {rows} daily department rows), medians of {ROUNDS}, load {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "  app UPDATE department_id: {:.2} ms; UPDATE job_title (no membership change): {:.2} ms",
        median(w_move),
        median(w_other)
    );
    println!(
        "  refresh daily + monthly after 1,000 new people joined a new department and 125 new teams (no points): {:.1} ms",
        seeded.as_secs_f64() * 1000.0
    );
    for (name, moved, bare, idle) in [
        ("daily", daily, bare_daily, idle_daily),
        ("monthly", monthly, bare_monthly, idle_monthly),
    ] {
        let (moved, bare, idle) = (median(moved), median(bare), median(idle));
        println!(
            "  refresh {name} after the move: {moved:.1} ms; bare INSERT ... SELECT ... GROUP BY of both departments: {bare:.1} ms (ratio {:.2}); refresh with nothing to do: {idle:.1} ms",
            moved / bare
        );
    }
    Ok(())
}
