//! `pms migrate` and `pms migrate status`.

use crate::context::Database;
use pms_core::Config;
use pms_db::RoleName;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// List applied and pending migrations.
    Status,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    match args.action {
        None => {
            let report = db.migrate().await?;
            if report.applied.is_empty() {
                println!("database is up to date");
            }
            for m in &report.applied {
                println!("applied {m}");
            }
            if report.replaceable_reapplied {
                println!("re-applied replaceable SQL (functions, views, triggers)");
            }
        }
        Some(Action::Status) => {
            let mut conn = db.urls.connect(RoleName::Admin).await?;
            let list = pms_db::migrate::status(&mut conn).await?;
            let pending = list.iter().filter(|m| m.applied_at.is_none()).count();
            for m in list {
                match m.applied_at {
                    Some(at) => println!(
                        "applied  {}  {}  ({} ms)",
                        at.date(),
                        m.name,
                        m.duration_ms.unwrap_or(0)
                    ),
                    None => println!("pending  ----------  {}", m.name),
                }
            }
            println!("{pending} pending");
        }
    }
    Ok(())
}
