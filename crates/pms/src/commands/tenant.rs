//! `pms tenant isolate` / `pms tenant rebalance`: large-tenant placement on a Citus cluster.
//! `isolate` gives one tenant shards of its own in every colocated table
//! (`isolate_tenant_to_new_shard(..., 'CASCADE')`), which the rebalancer can then move to a
//! worker of its own; `rebalance` runs Citus's shard rebalancer and waits for it. Both move
//! shards with logical replication where the server allows it (`wal_level = logical`), so
//! writes keep running; Citus blocks writes to the moving shards otherwise.

use crate::context::Database;
use anyhow::Context as _;
use pms_core::{Config, TenantId};
use pms_db::RoleName;
use sqlx::Connection;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Move one tenant to shards of its own (Citus).
    Isolate {
        /// The tenant's id.
        tenant: TenantId,
    },
    /// Spread the shards evenly over the workers (Citus's rebalancer), and wait for it.
    Rebalance,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let db = Database::open(config, false).await?;
    let mut conn = db.urls.connect(RoleName::Admin).await?;
    anyhow::ensure!(
        pms_db::citus::is_citus(&mut conn).await?,
        "this database is not a Citus coordinator (no citus extension): tenant placement needs Citus"
    );
    match args.action {
        Action::Isolate { tenant } => {
            let done = pms_db::citus::isolate_tenant(&mut conn, tenant.as_uuid())
                .await
                .with_context(|| format!("isolating tenant {tenant}"))?
                .context(
                    "no table is distributed by tenant_id yet: run pms migrate on the coordinator",
                )?;
            println!(
                "tenant {tenant} now has shards of its own (in {}: shard {}; {})",
                done.anchor, done.shard, done.mode
            );
        }
        Action::Rebalance => {
            let mode = pms_db::citus::rebalance(&mut conn)
                .await
                .context("running the shard rebalancer")?;
            println!("shards rebalanced ({mode})");
        }
    }
    conn.close().await.ok();
    Ok(())
}
