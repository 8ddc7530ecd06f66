//! `pms seed --demo` and `pms seed --employees N [--months M] [--seed S] [--bench]`.

mod bench;
mod generator;

use crate::context::Database;
use anyhow::{Context as _, bail};
use generator::{bulk_sessions, generate_with_progress, mode, print_tables};
use pms_core::{Config, TenantId, UserId};
use pms_db::RoleName;
use pms_seed::bulk::{DEFAULT_WAL_COMPRESSION, WAL_COMPRESSION_METHODS};
use pms_seed::generate::{BATCH_EMPLOYEES, GenerateOptions};
use sqlx::PgPool;

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
        return bench::bench(&db, &opts, args.per_row_checks, &args.wal_compression).await;
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
