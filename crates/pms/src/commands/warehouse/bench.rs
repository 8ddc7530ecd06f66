//! `pms warehouse bench`: in a scratch database (dropped afterwards), a generated tenant
//! (`pms seed --employees N --months M`), then in one run
//! * the full load's rows/s against plain `INSERT … SELECT`s of the same source rows into
//!   unindexed copies (timed before and after the load; goal >= 0.5),
//! * an incremental sync after one day of changes (about 1% of people touched) against the
//!   full load (goal >= 50x faster),
//! * a report query on the star against the same question asked of the OLTP tables, and the
//!   same report in DuckDB over the Parquet export when Python has `duckdb`.

use super::report_sql::{OLTP_REPORT, STAR_REPORT, duckdb_script};
use crate::context::Database;
use anyhow::Context as _;
use pms_db::RoleName;
use pms_warehouse::SyncOptions;
use sqlx::{Connection as _, Executor as _, PgConnection};
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// People in the generated tenant.
    #[arg(long, default_value_t = 10_000)]
    employees: i64,
    /// Months of time-series history.
    #[arg(long, default_value_t = 3)]
    months: i64,
    /// Runs of each report query (the median is reported).
    #[arg(long, default_value_t = 5)]
    report_runs: usize,
}

const SLUG: &str = "warehouse-bench";

pub async fn run(db: &Database, args: BenchArgs) -> anyhow::Result<()> {
    let admin_url = db.urls.url_for(RoleName::Admin);
    let name = format!("pms_warehouse_bench_{}", std::process::id());
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .context("connecting to the server")?;
    admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{name}\""
        ))))
        .await?;
    let mut url = url::Url::parse(&admin_url).context("DATABASE_URL is not a URL")?;
    url.set_path(&format!("/{name}"));
    let result = bench_in(url.as_str(), &args).await;
    let dropped = admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE \"{name}\" WITH (FORCE)"
        ))))
        .await;
    result?;
    dropped.context("dropping the scratch database")?;
    Ok(())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64().max(1e-9)
}

async fn bench_in(url: &str, args: &BenchArgs) -> anyhow::Result<()> {
    let mut admin = PgConnection::connect(url).await?;
    pms_db::migrate::migrate(&mut admin).await?;
    let exe = std::env::current_exe().context("finding the pms binary")?;
    let seeded = std::process::Command::new(exe)
        .args([
            "seed",
            "--employees",
            &args.employees.to_string(),
            "--months",
            &args.months.to_string(),
            "--tenant-slug",
            SLUG,
        ])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .status()
        .context("running pms seed")?;
    anyhow::ensure!(seeded.success(), "pms seed failed");
    let urls = pms_db::DbUrls::new(url.to_string());
    let mut conn = urls.connect(RoleName::Maintenance).await?;
    conn.execute("SELECT timeseries.refresh_all_rollups(now())")
        .await?;
    let tenant = pms_seed::generate::generated_tenant_id(SLUG);
    println!(
        "tenant: {} people, {} months of time series (pms seed --employees {} --months {})",
        args.employees, args.months, args.employees, args.months
    );

    // Full load against the plain copies, the copies timed before and after.
    let (base_rows, base_before) = baseline(&mut admin, tenant).await?;
    let full_opts = SyncOptions {
        tenant: Some(SLUG.into()),
        full: true,
        ..Default::default()
    };
    let started = Instant::now();
    let full = pms_warehouse::sync(&mut conn, &full_opts, &mut |_| {}).await?;
    let full_time = started.elapsed();
    let full_rows = full.total_changed();
    let (_, base_after) = baseline(&mut admin, tenant).await?;
    let base_time = (base_before + base_after) / 2;
    let full_rate = full_rows as f64 / secs(full_time);
    let base_rate = base_rows as f64 / secs(base_time);
    println!(
        "full load:   {full_rows} rows in {:.2}s = {full_rate:.0} rows/s",
        secs(full_time)
    );
    print_timings(&full);
    println!(
        "baseline:    {base_rows} source rows by INSERT ... SELECT into unindexed copies: {:.2}s before, {:.2}s after; mean {base_rate:.0} rows/s",
        secs(base_before),
        secs(base_after)
    );
    println!(
        "ratio:       {:.2} full-load rows/s against the baseline's (goal >= 0.5)",
        full_rate / base_rate
    );

    // A day passes: autovacuum has analyzed the freshly loaded star (done here, outside the
    // timings, so the incremental pass is planned on statistics as it would be the next day).
    let started = Instant::now();
    for t in pms_warehouse::status::TABLES {
        sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE warehouse.{t}")))
            .execute(&mut admin)
            .await?;
    }
    println!(
        "analyze:     the star's tables in {:.2}s (autovacuum's work after a load; not timed above)",
        secs(started.elapsed())
    );

    // One day of changes: about 1% of people touched.
    let touched = one_day_of_changes(&mut conn, tenant).await?;
    let inc_opts = SyncOptions {
        tenant: Some(SLUG.into()),
        ..Default::default()
    };
    let started = Instant::now();
    let inc = pms_warehouse::sync(&mut conn, &inc_opts, &mut |_| {}).await?;
    let inc_time = started.elapsed();
    println!(
        "incremental: {touched} people touched, {} rows changed in {:.3}s",
        inc.total_changed(),
        secs(inc_time)
    );
    print_timings(&inc);
    println!(
        "ratio:       {:.1}x faster than the full load (goal >= 50x)",
        secs(full_time) / secs(inc_time)
    );

    // The report: rating distribution per department and cycle, original against calibrated.
    let star = median(&mut conn, STAR_REPORT, tenant, args.report_runs).await?;
    let oltp = median(&mut conn, OLTP_REPORT, tenant, args.report_runs).await?;
    println!(
        "report:      rating distribution per department and cycle: star {:.1} ms ({} rows), OLTP {:.1} ms ({} rows) (median of {}); ratio {:.1} (OLTP time / star time)",
        star.0 * 1e3,
        star.1,
        oltp.0 * 1e3,
        oltp.1,
        args.report_runs,
        oltp.0 / star.0.max(1e-9)
    );
    duckdb(&mut conn, tenant, star, args.report_runs).await?;
    conn.close().await.ok();
    admin.close().await.ok();
    Ok(())
}

/// Median time of a report query and its row count.
async fn median(
    conn: &mut PgConnection,
    sql: &str,
    tenant: Uuid,
    runs: usize,
) -> anyhow::Result<(f64, usize)> {
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let r = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(tenant)
            .fetch_all(&mut *conn)
            .await?;
        times.push(secs(started.elapsed()));
        rows = r.len();
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], rows))
}

/// The same source rows the full load reads, by plain `INSERT … SELECT` into unindexed copies
/// (created empty each time by the administrative login, dropped after): (rows, time).
async fn baseline(conn: &mut PgConnection, tenant: Uuid) -> anyhow::Result<(i64, Duration)> {
    let sources = [
        "SELECT * FROM users WHERE tenant_id = $1",
        "SELECT * FROM departments WHERE tenant_id = $1",
        "SELECT * FROM teams WHERE tenant_id = $1",
        "SELECT * FROM review_cycles WHERE tenant_id = $1",
        "SELECT * FROM competencies WHERE tenant_id = $1",
        "SELECT tenant_id, id, cycle_id, reviewee_id, reviewer_id, review_type, status, overall_rating, coalesce(submitted_at, created_at) FROM performance_reviews WHERE tenant_id = $1 AND deleted_at IS NULL",
        "SELECT tenant_id, id, giver_id, recipient_id, feedback_type, visibility, is_anonymous, sentiment_score, created_at FROM feedback WHERE tenant_id = $1 AND deleted_at IS NULL",
        "SELECT tenant_id, id, owner_id, team_id, department_id, period_end, goal_type, status, progress, weight FROM goals WHERE tenant_id = $1 AND deleted_at IS NULL",
        "SELECT tenant_id, id, respondent_id, department_id, submitted_at, rating FROM survey_responses WHERE tenant_id = $1",
        "SELECT tenant_id, id, user_id, responded_at, mood FROM pulse_responses WHERE tenant_id = $1",
        "SELECT * FROM timeseries.engagement_metrics_weekly_mat WHERE tenant_id = $1 AND grain = 'user'",
        "SELECT * FROM timeseries.performance_metrics_daily_mat WHERE tenant_id = $1 AND grain = 'user'",
    ];
    let mut rows = 0;
    let mut time = Duration::ZERO;
    for (i, src) in sources.iter().enumerate() {
        let copy = format!("pms_bench_copy_{i}");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE TABLE {copy} AS {} WITH NO DATA",
            src.replace("$1", "NULL::uuid")
        )))
        .execute(&mut *conn)
        .await?;
        let started = Instant::now();
        let done = sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {copy} {src}")))
            .bind(tenant)
            .execute(&mut *conn)
            .await?;
        time += started.elapsed();
        rows += done.rows_affected() as i64;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE {copy}")))
            .execute(&mut *conn)
            .await?;
    }
    Ok((rows, time))
}

/// A day of changes to about 1% of the people: a move and a promotion, a review recalibrated,
/// new feedback, a feedback item deleted, a pulse answer each. Returns the people touched.
async fn one_day_of_changes(conn: &mut PgConnection, tenant: Uuid) -> anyhow::Result<i64> {
    let mut tx = conn.begin().await?;
    let picked = "SELECT id FROM users WHERE tenant_id = $1 AND abs(hashtext(id::text)) % 100 = 0";
    let touched: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM ({picked}) p"
    )))
    .bind(tenant)
    .fetch_one(&mut *tx)
    .await?;
    for sql in [
        format!(
            "UPDATE users u SET level = least(coalesce(level, 1) + 1, 20), department_id = (SELECT d.id FROM departments d WHERE d.tenant_id = u.tenant_id ORDER BY d.id OFFSET abs(hashtext(u.id::text)) % greatest(1, (SELECT count(*) FROM departments WHERE tenant_id = u.tenant_id)) LIMIT 1) WHERE tenant_id = $1 AND id IN ({picked})"
        ),
        format!(
            "UPDATE performance_reviews SET overall_rating = least(5, coalesce(overall_rating, 3) + 0.25) WHERE tenant_id = $1 AND reviewee_id IN ({picked})"
        ),
        format!(
            "INSERT INTO feedback (tenant_id, giver_id, recipient_id, body, sentiment_score) SELECT u.tenant_id, u.id, u.manager_id, 'thanks for today', 0.4 FROM users u WHERE u.tenant_id = $1 AND u.manager_id IS NOT NULL AND u.id IN ({picked})"
        ),
        format!(
            "DELETE FROM feedback WHERE tenant_id = $1 AND id IN (SELECT DISTINCT ON (giver_id) id FROM feedback WHERE tenant_id = $1 AND giver_id IN ({picked}) ORDER BY giver_id, id)"
        ),
        format!(
            "INSERT INTO pulse_responses (tenant_id, user_id, mood) SELECT $1, id, 4 FROM ({picked}) p"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(tenant)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(touched)
}

/// The report in DuckDB over the Parquet export, when Python has `duckdb` (pip install duckdb).
async fn duckdb(
    conn: &mut PgConnection,
    tenant: Uuid,
    star: (f64, usize),
    runs: usize,
) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("pms-warehouse-bench-{}", std::process::id()));
    let store = pms_archive::ArchiveStore::open(&pms_archive::ArchiveConfig::for_url(format!(
        "file://{}",
        dir.display()
    )))?;
    let started = Instant::now();
    let export = pms_warehouse::export::export(conn, &store, Some(tenant)).await?;
    println!(
        "export:      {} partitions, {} rows, {} bytes of Parquet in {:.2}s",
        export.written,
        export.rows_written,
        export.bytes_written,
        secs(started.elapsed())
    );
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            &duckdb_script(),
            &dir.display().to_string(),
            &tenant.to_string(),
            &runs.to_string(),
        ])
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            let mut parts = text.split_whitespace();
            let ms: f64 = parts
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN);
            let rows: usize = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0);
            println!(
                "duckdb:      the same report over the Parquet export: {ms:.1} ms ({rows} rows{}) (median of {runs}); ratio {:.1} (DuckDB time / star time)",
                if rows == star.1 {
                    ", as on the star"
                } else {
                    ", NOT as on the star"
                },
                ms / (star.0 * 1e3)
            );
        }
        Ok(o) => println!(
            "duckdb:      not measured ({})",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("python3 failed")
        ),
        Err(e) => println!("duckdb:      not measured (python3: {e})"),
    }
    Ok(())
}

fn print_timings(r: &pms_warehouse::SyncReport) {
    for t in &r.tenants {
        let mut parts: Vec<(Duration, String)> = t
            .timings
            .iter()
            .map(|(s, d)| (*d, format!("{s} {:.0} ms", d.as_secs_f64() * 1e3)))
            .collect();
        parts.sort_by_key(|p| std::cmp::Reverse(p.0));
        let list: Vec<String> = parts.into_iter().map(|p| p.1).collect();
        println!(
            "             by source: {}, commit {:.0} ms",
            list.join(", "),
            r.commit.as_secs_f64() * 1e3
        );
    }
}
