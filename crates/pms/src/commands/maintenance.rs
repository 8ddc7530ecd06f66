//! `pms maintenance run`: every worker job once, now.

use crate::context::Database;
use pms_core::Config;
use pms_db::RoleName;
use pms_worker::{JobContext, Scheduler};

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

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let Action::Run = args.action;
    let db = Database::open(config, false).await?;
    let ctx = JobContext { maintenance: db.urls.pool(RoleName::Maintenance, 4).await? };
    let mut failed = 0;
    for job in pms_worker::jobs::all() {
        print!("{:<24} ", job.name());
        match Scheduler::run_once(&ctx, job.as_ref()).await {
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
