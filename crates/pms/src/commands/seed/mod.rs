//! `pms seed --demo` and `pms seed --employees N [--months M] [--seed S] [--bench]`.

use crate::context::Database;
use anyhow::{Context as _, bail};
use indicatif::{ProgressBar, ProgressStyle};
use pms_core::{Config, TenantId, UserId};
use pms_db::RoleName;
use pms_seed::baseline::{baseline_copy, baseline_same_rows};
use pms_seed::bulk::{
    DEFAULT_WAL_COMPRESSION, WAL_COMPRESSION_METHODS, apply_wal_compression, bulk_pool_with,
};
use pms_seed::generate::{
    BATCH_EMPLOYEES, GenerateOptions, GenerateSummary, SeedError, generate, generate_verified,
};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// The demo tenants and accounts, with data in every domain (idempotent).
    #[arg(long, conflicts_with = "employees")]
    demo: bool,
    /// Generate a tenant of N people (CEO -> managers -> employees), bulk-loaded with COPY.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    employees: Option<i64>,
    /// Months of time-series history for the generated tenant.
    #[arg(
        long,
        value_name = "M",
        default_value_t = 0,
        allow_negative_numbers = true,
        requires = "employees"
    )]
    months: i64,
    /// Random seed: the same seed (and slug) gives the same tenant.
    #[arg(long, value_name = "S", default_value_t = 1, requires = "employees")]
    seed: u64,
    /// Slug of the generated tenant (must not exist, unless resuming an interrupted run).
    #[arg(
        long,
        value_name = "SLUG",
        default_value = "generated",
        requires = "employees"
    )]
    tenant_slug: String,
    /// Display name of the generated tenant.
    #[arg(long, value_name = "NAME", requires = "employees")]
    tenant_name: Option<String>,
    /// Employees per batch; each batch is one transaction.
    #[arg(long, value_name = "N", default_value_t = BATCH_EMPLOYEES, requires = "employees")]
    batch_size: u64,
    /// Batches loaded at the same time, each on its own connection.
    #[arg(long, value_name = "N", default_value_t = 2, requires = "employees")]
    workers: u64,
    /// Load every row with PostgreSQL's per-row foreign-key triggers and one audit entry per
    /// row, instead of verified bulk loads (which need a superuser DATABASE_URL; without one
    /// this is what happens anyway).
    #[arg(long, requires = "employees")]
    per_row_checks: bool,
    /// How the bulk-load sessions compress full-page images in the WAL (`wal_compression`; with
    /// --bench, the baselines' sessions too).
    #[arg(
        long,
        value_name = "METHOD",
        default_value = DEFAULT_WAL_COMPRESSION,
        value_parser = clap::builder::PossibleValuesParser::new(WAL_COMPRESSION_METHODS),
        requires = "employees"
    )]
    wal_compression: String,
    /// Benchmark: generate into a scratch database, then COPY as many rows into an unindexed
    /// table, and print both rates and their ratio (the scratch database is dropped).
    #[arg(long, requires = "employees")]
    bench: bool,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let Some(employees) = args.employees else {
        if !args.demo {
            bail!("nothing to seed: pass --demo or --employees N");
        }
        return demo(config).await;
    };
    let opts = GenerateOptions {
        employees,
        months: args.months,
        seed: args.seed,
        slug: args.tenant_slug.clone(),
        name: args.tenant_name.clone(),
        batch_employees: args.batch_size,
        workers: args.workers,
    };
    // Bad parameters are reported before any database is touched.
    opts.validate()?;
    let db = Database::open(config, false).await?;
    if args.bench {
        return bench(&db, &opts, args.per_row_checks, &args.wal_compression).await;
    }
    db.migrate().await?;
    let pool = db
        .urls
        .pool(RoleName::Maintenance, opts.workers as u32 + 1)
        .await?;
    let bulk = bulk_sessions(
        db.urls.options(RoleName::Admin)?,
        &opts,
        args.per_row_checks,
        &args.wal_compression,
    )
    .await?;
    let summary = generate_with_progress(&pool, bulk.as_ref(), &opts).await?;
    let verified = bulk.is_some();
    if let Some(bulk) = bulk {
        bulk.close().await;
    }
    println!(
        "tenant {} ({}): {} rows in {:.1}s ({:.0} rows/s, {}), {} batches loaded, {} already there",
        opts.slug,
        summary.tenant_id,
        summary.rows,
        summary.elapsed.as_secs_f64(),
        summary.rows as f64 / summary.elapsed.as_secs_f64().max(1e-9),
        mode(verified),
        summary.batches_loaded,
        summary.batches_skipped
    );
    print_tables(&summary);
    if opts.months > 0 {
        load_history(&pool, &opts, summary.tenant_id).await?;
    }
    Ok(())
}

/// Loads `--months` of time-series history for every person of the generated tenant. A tenant
/// that already has performance points (a resumed run) keeps them: nothing is loaded twice.
async fn load_history(
    pool: &PgPool,
    opts: &GenerateOptions,
    tenant: uuid::Uuid,
) -> anyhow::Result<()> {
    let present: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM performance_metrics_ts WHERE tenant_id = $1)",
    )
    .bind(tenant)
    .fetch_one(pool)
    .await
    .context("checking for existing time-series history")?;
    if present {
        println!("time-series history: already there, nothing loaded");
        return Ok(());
    }
    let users: Vec<UserId> = sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT id FROM users WHERE tenant_id = $1 ORDER BY id",
    )
    .bind(tenant)
    .fetch_all(pool)
    .await
    .context("listing the generated people")?
    .into_iter()
    .map(UserId)
    .collect();
    let months = u32::try_from(opts.months).context("--months out of range")?;
    let history =
        pms_timeseries::generate::history(pool, TenantId(tenant), &users, months, opts.seed)
            .await
            .context("loading time-series history")?;
    println!(
        "time-series history: {} rows for {} people over {months} months in {:.1}s ({:.0} rows/s)",
        history.rows_loaded,
        users.len(),
        history.elapsed.as_secs_f64(),
        history.rows_per_second()
    );
    if history.rows_rejected > 0 {
        bail!(
            "time-series history: {} rows rejected",
            history.rows_rejected
        );
    }
    Ok(())
}

fn print_tables(summary: &GenerateSummary) {
    if !summary.partition_build.is_zero() || !summary.partition_attach.is_zero() {
        println!(
            "  the tenant's own partitions: built (indexes, foreign-key checks) in {:.2}s, attached in {:.2}s",
            summary.partition_build.as_secs_f64(),
            summary.partition_attach.as_secs_f64()
        );
    }
    println!(
        "  {:<22} {:>10} {:>10} {:>10}",
        "table", "rows", "COPY s", "rows/s"
    );
    for (table, rows) in &summary.rows_by_table {
        let secs = summary
            .copy_time_by_table
            .get(table)
            .map_or(0.0, |d| d.as_secs_f64());
        println!(
            "  {table:<22} {rows:>10} {secs:>10.2} {:>10.0}",
            *rows as f64 / secs.max(1e-9)
        );
    }
}

async fn demo(config: &Config) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    db.migrate().await?;
    let pool = db.urls.pool(RoleName::Maintenance, 2).await?;
    let summary = pms_seed::demo::seed_demo(&pool).await?;
    println!(
        "demo data ready ({} rows inserted by this run)",
        summary.inserted_rows
    );
    for (id, name) in &summary.tenants {
        println!("  tenant {name}: {id}");
    }
    for (login, password) in &summary.logins {
        println!("  login {login} / {password}");
    }
    Ok(())
}

fn mode(verified: bool) -> &'static str {
    if verified {
        "verified bulk load"
    } else {
        "per-row checks"
    }
}

/// Bulk-load sessions for the employee batches, unless per-row checks were asked for or the
/// administrative login is not a superuser (then per-row checks, with a note).
async fn bulk_sessions(
    admin: PgConnectOptions,
    opts: &GenerateOptions,
    per_row_checks: bool,
    wal_compression: &str,
) -> anyhow::Result<Option<PgPool>> {
    if per_row_checks {
        return Ok(None);
    }
    match bulk_pool_with(admin, opts.workers as u32, wal_compression).await {
        Ok(pool) => Ok(Some(pool)),
        Err(e @ SeedError::BulkNeedsSuperuser(_)) => {
            eprintln!("note: {e}");
            Ok(None)
        }
        Err(e) => Err(e).context("opening bulk-load sessions"),
    }
}

/// Runs the generator with a progress bar; Ctrl-C stops it after the current batch.
async fn generate_with_progress(
    pool: &PgPool,
    bulk: Option<&PgPool>,
    opts: &GenerateOptions,
) -> anyhow::Result<GenerateSummary> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::SeqCst);
        }
    });
    let bar = ProgressBar::new(opts.employees.max(0) as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} employees  {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut report = |p: &pms_seed::generate::Progress| {
        bar.set_position(p.employees_done);
        bar.set_message(format!(
            "{} rows{}",
            p.rows_loaded,
            if p.batch_skipped { " (resuming)" } else { "" }
        ));
        if stop.load(Ordering::SeqCst) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let result = match bulk {
        Some(bulk) => generate_verified(pool, bulk, opts, &mut report).await,
        None => generate(pool, opts, &mut report).await,
    };
    watcher.abort();
    bar.finish_and_clear();
    Ok(result?)
}

/// The seed benchmark, in a scratch database that is dropped afterwards.
async fn bench(
    db: &Database,
    opts: &GenerateOptions,
    per_row_checks: bool,
    wal_compression: &str,
) -> anyhow::Result<()> {
    let admin_url = db.urls.url_for(RoleName::Admin);
    let name = format!("pms_seed_bench_{}", std::process::id());
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .context("connecting to the server")?;
    admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{name}\""
        ))))
        .await?;
    let result = bench_in(&admin_url, &name, opts, per_row_checks, wal_compression).await;
    let dropped = admin
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE \"{name}\" WITH (FORCE)"
        ))))
        .await;
    let (seed, verified, baselines) = result?;
    dropped.context("dropping the scratch database")?;
    let rate = |d: std::time::Duration| seed.rows as f64 / d.as_secs_f64().max(1e-9);
    let seed_rate = rate(seed.elapsed);
    println!(
        "seed:     {} rows ({} MB of COPY text) in {:.2}s = {:.0} rows/s ({}, {} workers, wal_compression {wal_compression} on both sides)",
        seed.rows,
        seed.bytes / 1_000_000,
        seed.elapsed.as_secs_f64(),
        seed_rate,
        mode(verified),
        opts.workers
    );
    let mut ratios = Vec::new();
    for b in &baselines {
        let mean = (b.before + b.after) / 2;
        let ratio = seed_rate / rate(mean);
        println!(
            "baseline: {}, {}: {:.2}s before the seed, {:.2}s after; mean {:.0} rows/s; ratio {ratio:.2}",
            b.kind.describe(),
            streams(b.streams),
            b.before.as_secs_f64(),
            b.after.as_secs_f64(),
            rate(mean),
        );
        if b.kind == BaselineKind::SameRows {
            ratios.push((b.streams, ratio));
        }
    }
    for (k, (n, ratio)) in ratios.iter().enumerate() {
        let label = if k == 0 { "ratio:   " } else { "         " };
        if *n == 1 {
            println!(
                "{label} {ratio:.2} against a plain COPY of the seed's own rows (one stream; goal >= 0.5)"
            );
        } else {
            println!(
                "{label} {ratio:.2} against COPYs of the seed's own rows at the seed's parallelism ({})",
                streams(*n)
            );
        }
    }
    print_tables(&seed);
    Ok(())
}

fn streams(n: u64) -> String {
    if n == 1 {
        "one stream".to_string()
    } else {
        format!("{n} streams")
    }
}

/// What a baseline of the seed benchmark copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BaselineKind {
    /// The seed's own COPY payloads into plain copies of its tables.
    SameRows,
    /// As many rows of as many bytes into one 3-column table.
    Synthetic,
}

impl BaselineKind {
    fn describe(self) -> &'static str {
        match self {
            BaselineKind::SameRows => "the seed's own rows into plain copies of its tables",
            BaselineKind::Synthetic => "as many rows of as many bytes into one 3-column table",
        }
    }
}

/// One baseline, timed before and after the seed.
#[derive(Debug)]
struct Baseline {
    kind: BaselineKind,
    streams: u64,
    before: Duration,
    after: Duration,
}

/// The seed and its baselines in the scratch database `name`, each baseline before and after
/// the seed (the machine's load drifts), in as many batches as the seed: the seed's own COPY
/// payloads into plain copies of its tables, and as many rows of as many bytes into one
/// 3-column table, each as a plain COPY (one stream) and, when the seed has more workers, at
/// the seed's parallelism. Both sides' sessions compress their WAL alike (`wal_compression`).
/// Returns the seed's summary, whether it used verified bulk loads, and the baselines.
async fn bench_in(
    admin_url: &str,
    name: &str,
    opts: &GenerateOptions,
    per_row_checks: bool,
    wal_compression: &str,
) -> anyhow::Result<(GenerateSummary, bool, Vec<Baseline>)> {
    use std::str::FromStr as _;
    let mut url = url::Url::parse(admin_url).context("DATABASE_URL is not a URL")?;
    url.set_path(&format!("/{name}"));
    let mut scratch = PgConnection::connect(url.as_str()).await?;
    pms_db::migrate::migrate(&mut scratch).await?;
    scratch.close().await.ok();
    let method = wal_compression.to_string();
    let admin_pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(opts.workers as u32)
        .after_connect(move |conn, _| {
            let method = method.clone();
            Box::pin(async move {
                pms_db::nodelay::apply();
                apply_wal_compression(conn, &method).await
            })
        })
        .connect(url.as_str())
        .await?;
    // The same rows and bytes as the seed (known in advance: the tenant is a pure function of
    // the parameters), in as many transactions.
    let (rows, bytes) = pms_seed::generate::planned_size(opts)?;
    let batches = (opts.employees.max(1) as u64).div_ceil(opts.batch_employees) + 1;
    let mut plan = Vec::new();
    for streams in [1, opts.workers] {
        for kind in [BaselineKind::SameRows, BaselineKind::Synthetic] {
            if !plan.iter().any(|(k, s)| *k == kind && *s == streams) {
                plan.push((kind, streams));
            }
        }
    }
    let run = |kind: BaselineKind, streams: u64| {
        let admin_pool = &admin_pool;
        async move {
            match kind {
                BaselineKind::SameRows => {
                    let (copied, elapsed) = baseline_same_rows(admin_pool, opts, streams).await?;
                    anyhow::ensure!(
                        copied == rows,
                        "the baseline copied {copied} rows, not {rows}"
                    );
                    Ok(elapsed)
                }
                BaselineKind::Synthetic => {
                    Ok(baseline_copy(admin_pool, rows, bytes, batches, streams).await?)
                }
            }
        }
    };
    let mut before = Vec::new();
    for (kind, streams) in &plan {
        before.push(run(*kind, *streams).await?);
    }
    let mut maintenance = url.clone();
    maintenance.set_username("pms_maintenance").ok();
    maintenance.set_password(None).ok();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(opts.workers as u32 + 1)
        .after_connect(|_, _| {
            Box::pin(async {
                pms_db::nodelay::apply();
                Ok(())
            })
        })
        .connect(maintenance.as_str())
        .await?;
    let bulk = bulk_sessions(
        PgConnectOptions::from_str(url.as_str())?,
        opts,
        per_row_checks,
        wal_compression,
    )
    .await?;
    let summary = generate_with_progress(&pool, bulk.as_ref(), opts).await?;
    let verified = bulk.is_some();
    if let Some(bulk) = bulk {
        bulk.close().await;
    }
    pool.close().await;
    anyhow::ensure!(
        summary.rows == rows,
        "the seed loaded {} rows, not {rows}",
        summary.rows
    );
    // After the seed in the opposite order, so that each baseline's mean sits at the same
    // distance from the seed.
    let mut baselines = Vec::new();
    for ((kind, streams), before) in plan.iter().zip(before).rev() {
        baselines.push(Baseline {
            kind: *kind,
            streams: *streams,
            before,
            after: run(*kind, *streams).await?,
        });
    }
    baselines.reverse();
    admin_pool.close().await;
    Ok((summary, verified, baselines))
}
