//! `pms monitor`: the operator's screen (`--json` for scripts, `--watch` to refresh in place,
//! `--section` to pick), and `pms monitor bench`, the cost of observing. Also builds the
//! `/metrics` registry that long-running processes mount.

mod backups;
mod bench;
mod cache;

use crate::context::Database;
use anyhow::Context as _;
use pms_core::Config;
use pms_db::RoleName;
use pms_monitor::report::{self, ReportOptions, SectionName};
use pms_monitor::{MonitorOptions, Registry};
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// One JSON object with a key per section, for scripts.
    #[arg(long)]
    json: bool,
    /// Refresh in place every SECS seconds (default 2) until Ctrl-C.
    #[arg(long, value_name = "SECS", num_args = 0..=1, default_missing_value = "2")]
    watch: Option<u64>,
    /// Only these sections (repeat, or separate with commas): queries, statements,
    /// connections, cache, indexes, bloat, disk, timeseries, archive, backups, replication,
    /// security.
    #[arg(long, value_delimiter = ',', value_parser = parse_section)]
    section: Vec<SectionName>,
    /// List queries running longer than this many seconds (the specification's 5 minutes).
    #[arg(long, value_name = "SECS", default_value_t = 300.0)]
    long_query: f64,
    /// Statement timeout of each monitoring query, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    timeout_ms: u64,
}

#[derive(clap::Subcommand)]
enum Action {
    /// The cost of observing: /metrics collections and `pms monitor --json` runs against this
    /// database (latency percentiles, server CPU per scrape, a minute of scrapes every 5 s).
    Bench(bench::Args),
}

fn parse_section(s: &str) -> Result<SectionName, String> {
    s.parse()
}

/// The URL the monitor logs in with: `PMS_MONITOR_DATABASE_URL`, else the administrative one
/// (it must read every session and every tenant's security events; see docs/OPERATIONS.md).
pub fn monitor_url(db: &Database) -> String {
    std::env::var("PMS_MONITOR_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| db.urls.url_for(RoleName::Admin))
}

/// The `/metrics` registry of a long-running process (the worker now, `pms serve` later).
pub fn registry(db: &Database) -> anyhow::Result<Arc<Registry>> {
    let options = MonitorOptions::from_env()?;
    let pool = pms_monitor::monitor_pool_for_url(&monitor_url(db), options.statement_timeout)?;
    pms_cache::describe_metrics();
    Registry::new(pool, options).context("installing the metrics recorder")
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    if let Some(Action::Bench(b)) = args.action {
        return bench::run(&db, b).await;
    }
    if !(args.long_query.is_finite() && args.long_query >= 0.0) {
        anyhow::bail!("--long-query must be a number of seconds, 0 or more");
    }
    if args.timeout_ms == 0 {
        anyhow::bail!("--timeout-ms must be at least 1: monitoring queries are always bounded");
    }
    let env = MonitorOptions::from_env()?;
    let timeout = Duration::from_millis(args.timeout_ms);
    let pool = pms_monitor::monitor_pool_for_url(&monitor_url(&db), timeout)?;
    let options = ReportOptions {
        long_query: Duration::from_secs_f64(args.long_query),
        statement_timeout: timeout,
        security_hours: 24,
        data_dir: env.data_dir,
        sections: if args.section.is_empty() {
            SectionName::ALL.to_vec()
        } else {
            args.section.clone()
        },
    };
    let wants_cache = options.sections.contains(&SectionName::Cache);
    loop {
        let mut r = report::run(&pool, &options).await;
        if wants_cache {
            cache::add_platform_cache(config, &mut r).await;
        }
        backups::add_platform_backups(config, &mut r).await;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&r.to_json())?);
        } else {
            if args.watch.is_some() {
                // Home and clear: the screen refreshes in place.
                print!("\x1b[H\x1b[2J");
            }
            print!("{}", report::text(&r));
        }
        let Some(secs) = args.watch else {
            return Ok(());
        };
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(secs.max(1))) => {}
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}
