//! `pms replica`: streaming read replicas of the private cluster (`add`, `list`, `remove`),
//! and the state of the replicas that `PMS_READ_DATABASE_URL` names (`status`, and the
//! `pms_read_replica_*` gauges on `/metrics`).

use crate::context::Database;
use anyhow::Context as _;
use pms_core::Config;
use pms_db::RoleName;
use pms_db::cluster::Cluster;
use pms_db::read_route::{ReadRouter, RouterOptions};
use pms_db::replica;
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Start a streaming replica of the private cluster (pg_basebackup -R) on another port.
    Add {
        /// Port of the replica (default: a free one).
        #[arg(long)]
        port: Option<u16>,
    },
    /// The private cluster's replicas: port, running or not.
    List,
    /// Stop a replica, delete it, and drop its replication slot on the primary.
    Remove {
        #[arg(long)]
        port: u16,
    },
    /// The replicas of PMS_READ_DATABASE_URL: up or down, replay lag against the primary.
    Status,
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    if let Action::Status = args.action {
        let db = Database::open(config, false).await?;
        let Some(router) = router_from_env(&db).await? else {
            anyhow::bail!(
                "PMS_READ_DATABASE_URL is not set: name one or more replicas, comma-separated"
            );
        };
        for s in router.states().await {
            if s.up {
                println!("{}  up  lag {:.3}s", s.label, s.lag_seconds);
            } else {
                println!("{}  DOWN (reads go to the primary)", s.label);
            }
        }
        return Ok(());
    }
    anyhow::ensure!(
        config.database_url.is_none(),
        "pms replica manages replicas of the private cluster; with DATABASE_URL set, make replicas with your server's tools and name them in PMS_READ_DATABASE_URL"
    );
    let db = Database::open(config, false).await?;
    let primary = db.cluster.as_ref().context("no private cluster")?;
    let dir = replica::replicas_dir(&data_dir(primary));
    match args.action {
        Action::Add { port } => {
            let root_port = match port {
                Some(p) => p,
                None => free_port()?,
            };
            let r = replica::add(primary, &dir.join(root_port.to_string()), Some(root_port))
                .context("adding a replica")?;
            println!(
                "replica of 127.0.0.1:{} running on 127.0.0.1:{} ({})",
                primary.port,
                r.port,
                r.data.display()
            );
            println!(
                "  read through it: PMS_READ_DATABASE_URL={}",
                r.url_for(RoleName::Readonly.as_str())
            );
            Ok(())
        }
        Action::List => {
            for r in replica::list(primary, &dir) {
                let state = if r.is_running() { "running" } else { "stopped" };
                println!("127.0.0.1:{}  {state}  {}", r.port, r.data.display());
            }
            Ok(())
        }
        Action::Remove { port } => {
            let r = replica::layout(primary, &dir.join(port.to_string()), port);
            anyhow::ensure!(
                r.is_initialised(),
                "no replica on port {port} under {}",
                dir.display()
            );
            replica::remove(&r)?;
            let mut admin = db.urls.connect(RoleName::Admin).await?;
            sqlx::query(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
            )
            .bind(replica::slot_name(port))
            .execute(&mut admin)
            .await
            .context("dropping the replica's slot")?;
            println!("replica on port {port} removed, its slot dropped");
            Ok(())
        }
        Action::Status => Ok(()),
    }
}

fn data_dir(primary: &Cluster) -> std::path::PathBuf {
    // The cluster lives in PMS_DATA_DIR/pg; replicas beside it.
    primary
        .root
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_else(|| primary.root.clone())
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The read router over `PMS_READ_DATABASE_URL`'s replicas, with the primary as
/// `pms_readonly`; `None` when the variable is unset.
pub async fn router_from_env(db: &Database) -> anyhow::Result<Option<Arc<ReadRouter>>> {
    let Some(urls) = std::env::var("PMS_READ_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    else {
        return Ok(None);
    };
    let options = RouterOptions::from_env().map_err(anyhow::Error::msg)?;
    let primary = db.urls.pool(RoleName::Readonly, 4).await?;
    let router =
        ReadRouter::from_urls(primary, &urls, 4, options).context("PMS_READ_DATABASE_URL")?;
    Ok(Some(Arc::new(router)))
}

/// Puts the replicas' state on a process's `/metrics` (`pms_read_replica_up`,
/// `pms_read_replica_lag_seconds`), measured every 5 s in the background.
pub async fn observe(db: &Database, registry: &pms_monitor::Registry) -> anyhow::Result<()> {
    let Some(router) = router_from_env(db).await? else {
        return Ok(());
    };
    let refresher = router.clone();
    tokio::spawn(async move {
        loop {
            refresher.states().await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });
    registry.on_render(Box::new(move || router.record_cached_gauges()));
    Ok(())
}
