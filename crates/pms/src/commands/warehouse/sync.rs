//! `pms warehouse sync [--tenant SLUG] [--full]`, with a progress bar on a terminal.

use super::maintenance_connection;
use crate::context::Database;
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use pms_warehouse::SyncOptions;
use sqlx::Connection as _;
use std::time::Duration;

#[derive(clap::Args)]
pub struct SyncArgs {
    /// Only this tenant (slug); every tenant when left out.
    #[arg(long)]
    tenant: Option<String>,
    /// Rebuild the tenant's warehouse from scratch instead of from the watermarks.
    #[arg(long)]
    full: bool,
    /// Pause after each source, inside the transaction (throttling a sync on a busy primary).
    #[arg(long, env = "PMS_WAREHOUSE_STEP_PAUSE_MS", default_value_t = 0)]
    step_pause_ms: u64,
}

pub async fn run(db: &Database, args: SyncArgs) -> anyhow::Result<()> {
    let mut conn = maintenance_connection(db).await?;
    let opts = SyncOptions {
        tenant: args.tenant,
        full: args.full,
        step_pause: Duration::from_millis(args.step_pause_ms),
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut progress = |p: pms_warehouse::sync::Progress<'_>| {
        bar.set_length(p.total);
        bar.set_position(p.done);
        bar.set_message(format!("{} {}", p.tenant, p.source));
    };
    let report = pms_warehouse::sync(&mut conn, &opts, &mut progress)
        .await
        .context("warehouse sync failed; nothing was changed")?;
    bar.finish_and_clear();
    conn.close().await.ok();
    println!(
        "warehouse sync ({}): {} tenant(s), {} row(s) changed, horizon {}, {} ms",
        if report.full { "full" } else { "incremental" },
        report.tenants.len(),
        report.total_changed(),
        report.horizon,
        report.duration.as_millis()
    );
    for t in &report.tenants {
        let parts: Vec<String> = t
            .changed
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        println!(
            "  {:<24} {:>8} changed{}",
            t.slug,
            t.total_changed(),
            if parts.is_empty() {
                String::new()
            } else {
                format!(" ({})", parts.join(", "))
            }
        );
    }
    if !report.exact_horizon {
        println!(
            "  note: pms_maintenance lacks pg_read_all_stats; the sync read an hour more than needed"
        );
    }
    Ok(())
}
