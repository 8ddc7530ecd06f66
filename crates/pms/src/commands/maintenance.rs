//! `pms maintenance run`: every worker job once, now; the daily data pass with a progress line.

use crate::context::Database;
use indicatif::{ProgressBar, ProgressStyle};
use pms_archive::Progress;
use pms_core::Config;
use pms_worker::jobs::daily_data_maintenance;
use pms_worker::{JobContext, Scheduler};
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Run every maintenance job once and print what each did.
    Run,
}

fn describe(p: &Progress) -> String {
    match p {
        Progress::Recovered { batches } => format!("recovered {batches} interrupted batch(es)"),
        Progress::Batch {
            entity_type,
            tenant_id,
            total_rows,
            ..
        } => {
            format!("archived {total_rows} {entity_type} row(s) of tenant {tenant_id}")
        }
        Progress::Expired {
            entity_type,
            tenant_id,
            rows,
        } => {
            format!("expired {rows} archived {entity_type} row(s) of tenant {tenant_id}")
        }
    }
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let Action::Run = args.action;
    let db = Database::open(config, false).await?;
    // generate_reports computes each report as its requester, on the application pool.
    let ctx = JobContext::new(db.maintenance_pool().await?)
        .with_app(db.urls.pool(pms_db::RoleName::App, 2).await?);
    let mut failed = 0;
    for job in pms_worker::jobs::all() {
        let outcome = if job.name() == "daily_data_maintenance" {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(job.name());
            bar.set_message("deleting expired rows, updating tiers");
            bar.enable_steady_tick(Duration::from_millis(120));
            let shown = bar.clone();
            let result = daily_data_maintenance::run_with_progress(&ctx, &move |p| {
                shown.set_message(describe(p))
            })
            .await;
            bar.finish_and_clear();
            result.map(Some)
        } else {
            Scheduler::run_once(&ctx, job.as_ref()).await
        };
        print!("{:<24} ", job.name());
        match outcome {
            Ok(Some(report)) => println!("ok  {report}"),
            Ok(None) => println!("skipped (running on a worker right now)"),
            Err(e) => {
                failed += 1;
                println!("FAILED  {e}");
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} maintenance job(s) failed");
    }
    Ok(())
}
