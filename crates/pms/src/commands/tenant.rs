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
    let mode = transfer_mode(&mut conn).await?;
    match args.action {
        Action::Isolate { tenant } => {
            let anchor = pms_db::citus::anchor_table(&mut conn).await?.context(
                "no table is distributed by tenant_id yet: run pms migrate on the coordinator",
            )?;
            let shard: i64 = sqlx::query_scalar(
                "SELECT isolate_tenant_to_new_shard($1::regclass, $2::uuid, 'CASCADE', shard_transfer_mode => $3::citus.shard_transfer_mode)",
            )
            .bind(&anchor)
            .bind(tenant.as_uuid())
            .bind(mode)
            .fetch_one(&mut conn)
            .await
            .with_context(|| format!("isolating tenant {tenant}"))?;
            println!(
                "tenant {tenant} now has shards of its own (in {anchor}: shard {shard}; {mode})"
            );
        }
        Action::Rebalance => {
            sqlx::query("SELECT citus_rebalance_start(shard_transfer_mode => $1::citus.shard_transfer_mode)")
                .bind(mode)
                .execute(&mut conn)
                .await
                .context("starting the rebalancer")?;
            sqlx::query("SELECT citus_rebalance_wait()")
                .execute(&mut conn)
                .await
                .context("waiting for the rebalancer")?;
            println!("shards rebalanced ({mode})");
        }
    }
    conn.close().await.ok();
    Ok(())
}

/// `force_logical` (writes keep running) when the server has `wal_level = logical`, else
/// `block_writes`.
async fn transfer_mode(conn: &mut sqlx::PgConnection) -> anyhow::Result<&'static str> {
    let level: String = sqlx::query_scalar("SELECT current_setting('wal_level')")
        .fetch_one(conn)
        .await?;
    Ok(if level == "logical" {
        "force_logical"
    } else {
        "block_writes"
    })
}
