//! The PostgreSQL server whose backups pms manages: the private cluster under `PMS_DATA_DIR`,
//! or a `DATABASE_URL` server on this host (pgBackRest reads the data directory, so the server
//! must be local). As root, pgBackRest runs as the user who owns the data directory.

use crate::error::{BackupError, Result};
use pms_db::cluster::Cluster;
use sqlx::{Connection, PgConnection};
use std::path::PathBuf;
use std::process::Command;

/// Where the server's files are and how to reach it.
#[derive(Debug, Clone)]
pub struct PgServer {
    pub data: PathBuf,
    pub port: u16,
    pub socket_dir: PathBuf,
    /// The system user the server (and so pgBackRest) runs as, when pms runs as root.
    pub run_as: Option<String>,
    pub bindir: PathBuf,
    /// Superuser URL of the platform's database.
    pub admin_url: String,
    /// The superuser pgBackRest connects as (`pg1-user`).
    pub user: String,
    /// The private cluster, when this is it (so `init` can restart it).
    pub cluster: Option<Cluster>,
}

impl PgServer {
    /// The private cluster (it must have been created by `pms up` or `pms migrate`).
    pub fn private(cluster: &Cluster) -> Self {
        Self {
            data: cluster.data.clone(),
            port: cluster.port,
            socket_dir: cluster.socket_dir.clone(),
            run_as: cluster.run_as.clone(),
            bindir: cluster.bindir.clone(),
            admin_url: cluster.admin_url(pms_db::cluster::DATABASE),
            user: pms_db::cluster::SUPERUSER.to_string(),
            cluster: Some(cluster.clone()),
        }
    }

    /// A server on this host reached through a superuser URL: its data directory, port and
    /// socket directory are read from the server itself.
    pub async fn local(admin_url: &str) -> Result<Self> {
        let mut conn = PgConnection::connect(admin_url).await?;
        let is_super: bool =
            sqlx::query_scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                .fetch_one(&mut conn)
                .await?;
        if !is_super {
            return Err(BackupError::Invalid(
                "DATABASE_URL must name a superuser for `pms backup` (pgBackRest needs pg_backup_start and the data directory)".into(),
            ));
        }
        let data: String = sqlx::query_scalar("SELECT current_setting('data_directory')")
            .fetch_one(&mut conn)
            .await?;
        let port: String = sqlx::query_scalar("SELECT current_setting('port')")
            .fetch_one(&mut conn)
            .await?;
        let sockets: String =
            sqlx::query_scalar("SELECT current_setting('unix_socket_directories')")
                .fetch_one(&mut conn)
                .await?;
        conn.close().await.ok();
        let data = PathBuf::from(data);
        if !data.join("PG_VERSION").is_file() {
            return Err(BackupError::Invalid(format!(
                "the server's data directory {} is not on this host (or not readable); pms backup manages servers on this host only",
                data.display()
            )));
        }
        let socket_dir = PathBuf::from(
            sockets
                .split(',')
                .next()
                .unwrap_or("/var/run/postgresql")
                .trim(),
        );
        let (bindir, _) = pms_db::cluster::find_bindir()?;
        let run_as = if is_root() {
            Some(owner_of(&data)?)
        } else {
            None
        };
        Ok(Self {
            data,
            port: port.parse().unwrap_or(5432),
            socket_dir,
            run_as,
            bindir,
            admin_url: admin_url.to_string(),
            user: url::Url::parse(admin_url)
                .ok()
                .map(|u| u.username().to_string())
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "postgres".into()),
            cluster: None,
        })
    }

    /// The admin URL with another database name (same server).
    pub fn url_for_db(&self, db: &str) -> String {
        match url::Url::parse(&self.admin_url) {
            Ok(mut u) => {
                u.set_path(&format!("/{db}"));
                u.to_string()
            }
            Err(_) => self.admin_url.clone(),
        }
    }
}

pub(crate) fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

fn owner_of(path: &std::path::Path) -> Result<String> {
    let out = Command::new("stat")
        .arg("-c")
        .arg("%U")
        .arg(path)
        .output()
        .map_err(crate::error::io_at(path))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}
