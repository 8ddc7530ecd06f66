//! `pms privacy erase --tenant T --user U`: erasure of one person in every tier pms reaches
//! (archive objects rewritten, hot tables, archive queue, registered hooks, the account), with
//! a report of what was done. Refused while a legal hold covers the person.

use crate::context::Database;
use pms_archive::{ArchiveConfig, Archiver};
use pms_core::{Config, TenantId, UserId};
use pms_db::RoleName;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Erase a person: their data is deleted, or pseudonymised where compliance keeps it.
    Erase {
        /// The person's tenant.
        #[arg(long)]
        tenant: TenantId,
        /// The person's user id.
        #[arg(long)]
        user: UserId,
    },
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let Action::Erase { tenant, user } = args.action;
    let archive = ArchiveConfig::from_env(&config.data_dir)?;
    let db = Database::open(config, false).await?;
    let pool = db.urls.pool(RoleName::Maintenance, 4).await?;
    let archiver = Archiver::new(pool, &archive)?;
    let report =
        pms_archive::erase::erase_person(&archiver, tenant.as_uuid(), user.as_uuid()).await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
