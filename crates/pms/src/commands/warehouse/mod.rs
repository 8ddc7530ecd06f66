//! `pms warehouse sync|status|report|export|bench`: the star schema's incremental sync from
//! OLTP, its watermarks and runs, the reports over it, the Parquet export, and the benchmark.

mod bench;
mod export;
mod report;
mod report_sql;
mod sync;

pub use export::default_url as export_default_url;

use crate::context::Database;
use anyhow::Context as _;
use pms_core::Config;
use pms_db::RoleName;
use sqlx::Connection as _;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Bring the warehouse up to date: only rows changed since the last run are read, in one
    /// snapshot, committed with the new watermarks (an interrupted run leaves the previous state).
    Sync(sync::SyncArgs),
    /// Watermarks and their lag, row counts, the last run of each tenant and its duration.
    Status {
        /// Only this tenant (slug).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// A report over the star (rating distribution, engagement trend, feedback per month, goal
    /// completion), read as pms_readonly under the tenant's RLS.
    Report(report::ReportArgs),
    /// Write the facts and dimensions as Parquet (zstd), Hive-partitioned by tenant (and month
    /// for the facts), with a manifest; unchanged partitions are not rewritten.
    Export(export::ExportArgs),
    /// Full load, incremental sync and a report query against baselines measured in the same run.
    Bench(bench::BenchArgs),
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    match args.action {
        Action::Sync(a) => sync::run(&db, a).await,
        Action::Status { tenant } => status(&db, tenant).await,
        Action::Report(a) => report::run(&db, a).await,
        Action::Export(a) => export::run(config, &db, a).await,
        Action::Bench(a) => bench::run(&db, a).await,
    }
}

/// A maintenance connection of its own (the sync holds a session lock and a long transaction).
pub(crate) async fn maintenance_connection(db: &Database) -> anyhow::Result<sqlx::PgConnection> {
    db.urls
        .connect(RoleName::Maintenance)
        .await
        .context("connecting to the warehouse database as pms_maintenance")
}

/// A tenant's id from its slug, or a clear error.
pub(crate) async fn tenant_id(
    conn: &mut sqlx::PgConnection,
    slug: &str,
) -> anyhow::Result<uuid::Uuid> {
    let id: Option<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM tenants WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await
        .context("looking up the tenant")?;
    id.ok_or_else(|| anyhow::anyhow!("no tenant with slug {slug:?}"))
}

async fn status(db: &Database, tenant: Option<String>) -> anyhow::Result<()> {
    let mut conn = maintenance_connection(db).await?;
    let tenant_id = match &tenant {
        Some(slug) => Some(tenant_id(&mut conn, slug).await?),
        None => None,
    };
    let now = time::OffsetDateTime::now_utc();
    let s = pms_warehouse::status(&mut conn, tenant_id, now).await?;
    println!("warehouse: schema warehouse of the platform database");
    if s.watermarks.is_empty() {
        println!("no sync has run yet (pms warehouse sync)");
    } else {
        println!(
            "{:<24} {:<20} {:<32} {:>12} {:>12}",
            "tenant", "source", "watermark", "lag", "rows changed"
        );
        for w in &s.watermarks {
            println!(
                "{:<24} {:<20} {:<32} {:>12} {:>12}",
                w.slug,
                w.source,
                w.horizon.to_string(),
                format_lag(w.lag_seconds),
                w.rows_changed
            );
        }
    }
    println!("\n{:<28} {:>12}", "table", "rows");
    for (t, n) in &s.row_counts {
        println!("{:<28} {:>12}", format!("warehouse.{t}"), n);
    }
    if !s.last_runs.is_empty() {
        println!(
            "\n{:<24} {:<12} {:<32} {:>12} {:>12}",
            "tenant", "last run", "finished", "duration", "rows changed"
        );
        for r in &s.last_runs {
            println!(
                "{:<24} {:<12} {:<32} {:>10}ms {:>12}",
                r.slug,
                r.mode,
                r.finished_at.to_string(),
                r.duration_ms,
                r.rows_changed
            );
        }
    }
    conn.close().await.ok();
    Ok(())
}

fn format_lag(seconds: f64) -> String {
    let s = seconds.max(0.0);
    if s < 120.0 {
        format!("{s:.0}s")
    } else if s < 7200.0 {
        format!("{:.0}m", s / 60.0)
    } else if s < 172_800.0 {
        format!("{:.1}h", s / 3600.0)
    } else {
        format!("{:.1}d", s / 86400.0)
    }
}
