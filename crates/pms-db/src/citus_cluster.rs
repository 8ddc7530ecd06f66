//! A Citus cluster on this machine: a coordinator and its workers, each a private cluster
//! ([`crate::cluster::Cluster`]) on a free loopback port with Citus preloaded, the workers
//! registered with the coordinator. What the Citus tests run on; nothing of Citus itself is
//! here (it is built from source outside the repository: docs/SCALING.md).

use crate::cluster::{Cluster, ClusterError};
use sqlx::{Connection, Executor, PgConnection};
use std::path::{Path, PathBuf};

/// Why a local Citus cluster could not start.
#[derive(Debug, thiserror::Error)]
pub enum LocalCitusError {
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("setting up Citus: {0}")]
    Db(#[from] sqlx::Error),
}

/// A coordinator and its workers, stopped when dropped.
pub struct LocalCitus {
    pub coordinator: Cluster,
    pub workers: Vec<Cluster>,
    pub database: String,
}

/// The settings every node gets: Citus preloaded, logical WAL so that shards move online
/// (`pms tenant isolate` / `rebalance`), small memory (three servers share one machine).
const NODE_CONF: &str = "shared_preload_libraries = 'citus,pg_stat_statements'
citus.enable_statistics_collection = off
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
shared_buffers = '64MB'
max_connections = 120
";

fn free_port() -> Result<u16, std::io::Error> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
}

/// Citus turns TLS on with a self-signed version-1 certificate when its extension is created,
/// which rustls refuses; these nodes are reached over loopback only.
pub fn node_url(node: &Cluster, database: &str) -> String {
    format!("{}?sslmode=disable", node.admin_url(database))
}

async fn start_node(dir: &Path, database: &str) -> Result<Cluster, LocalCitusError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LocalCitusError::Io { path, source }
    };
    let mut c = Cluster::new(dir)?;
    c.port = free_port().map_err(io(dir))?;
    c.ensure_started()?;
    c.stop()?;
    let conf = c.data.join("citus.conf");
    std::fs::write(&conf, NODE_CONF).map_err(io(&conf))?;
    let main = c.data.join("postgresql.conf");
    let text = std::fs::read_to_string(&main).map_err(io(&main))?;
    if !text.contains("include_if_exists = 'citus.conf'") {
        std::fs::write(&main, format!("{text}\ninclude_if_exists = 'citus.conf'\n"))
            .map_err(io(&main))?;
    }
    if let Some(user) = &c.run_as {
        std::process::Command::new("chown")
            .arg(format!("{user}:{user}"))
            .arg(&conf)
            .arg(&main)
            .status()
            .map_err(io(&conf))?;
    }
    c.ensure_started()?;
    let mut conn = PgConnection::connect(&node_url(&c, "postgres")).await?;
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .await?;
    conn.close().await?;
    let mut conn = PgConnection::connect(&node_url(&c, database)).await?;
    conn.execute("CREATE EXTENSION citus").await?;
    conn.close().await?;
    Ok(c)
}

impl LocalCitus {
    /// Starts a coordinator and `workers` workers under `dir`, each with `database` holding the
    /// Citus extension, and registers the workers (and the coordinator's own address, which
    /// the workers use to reach it) with the coordinator.
    pub async fn start(
        dir: &Path,
        workers: usize,
        database: &str,
    ) -> Result<Self, LocalCitusError> {
        let coordinator = start_node(&dir.join("coordinator"), database).await?;
        let mut cluster = LocalCitus {
            coordinator,
            workers: Vec::new(),
            database: database.to_owned(),
        };
        for i in 1..=workers {
            let w = start_node(&dir.join(format!("worker{i}")), database).await?;
            cluster.workers.push(w);
        }
        let mut admin = PgConnection::connect(&cluster.admin_url()).await?;
        sqlx::query("SELECT citus_set_coordinator_host('127.0.0.1', $1)")
            .bind(i32::from(cluster.coordinator.port))
            .execute(&mut admin)
            .await?;
        for w in &cluster.workers {
            sqlx::query("SELECT citus_add_node('127.0.0.1', $1)")
                .bind(i32::from(w.port))
                .execute(&mut admin)
                .await?;
        }
        admin.close().await?;
        Ok(cluster)
    }

    /// The coordinator's superuser URL for the cluster's database.
    pub fn admin_url(&self) -> String {
        node_url(&self.coordinator, &self.database)
    }

    /// Stops every node (workers first).
    pub fn stop(&self) {
        for c in self.workers.iter().rev() {
            let _ = c.stop();
        }
        let _ = self.coordinator.stop();
    }
}

impl Drop for LocalCitus {
    fn drop(&mut self) {
        self.stop();
    }
}
