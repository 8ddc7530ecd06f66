//! A restored copy of the cluster, laid out like the private cluster (`DIR/pg/data`,
//! `DIR/pg/run`, `DIR/pg/port`), so `PMS_DATA_DIR=DIR pms ...` can use it afterwards. It runs on
//! its own loopback port and never archives into the repository it came from.

use crate::config::BackupConfig;
use crate::error::{BackupError, Result, io_at};
use crate::pgbackrest::{PgBackRest, give_to};
use crate::server::PgServer;
use std::io::Write as _;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Where recovery stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryTarget {
    /// A named restore point (pms writes one after each backup).
    Name(String),
    /// A time, as PostgreSQL parses it (`2026-12-02 15:04:05.123456+00`).
    Time(String),
    Lsn(String),
    /// The end of the archived WAL.
    Latest,
}

/// What to restore, and where.
#[derive(Debug, Clone)]
pub struct RestoreRequest {
    /// The new cluster's directory (laid out like `PMS_DATA_DIR`); must be new or empty.
    pub root: PathBuf,
    pub port: u16,
    pub repo: u32,
    /// The backup set; `None` lets pgBackRest pick the newest one before the target.
    pub set: Option<String>,
    pub target: RecoveryTarget,
    /// Scratch copies (drills, tenant restores) are stopped and deleted when dropped.
    pub scratch: bool,
    /// Restore into the private cluster's own (moved-aside) data directory: `root` is then
    /// its `PMS_DATA_DIR`, which is not empty, but `pg/data` must not exist.
    pub in_place: bool,
}

/// A restored cluster.
#[derive(Debug)]
pub struct Restored {
    pub root: PathBuf,
    pub data: PathBuf,
    pub log: PathBuf,
    pub port: u16,
    run_as: Option<String>,
    bindir: PathBuf,
    /// Scratch copies (drills, tenant restores) are stopped and deleted when dropped.
    pub scratch: bool,
}

/// A free loopback port.
pub fn free_port() -> Result<u16> {
    let l = TcpListener::bind(("127.0.0.1", 0)).map_err(io_at(Path::new("127.0.0.1:0")))?;
    Ok(l.local_addr()
        .map_err(io_at(Path::new("127.0.0.1:0")))?
        .port())
}

/// Refuses a target directory that holds anything, or a port that is taken: before any change.
pub fn check_destination(root: &Path, port: u16) -> Result<()> {
    if let Ok(mut rd) = std::fs::read_dir(root)
        && rd.next().is_some()
    {
        return Err(BackupError::Invalid(format!(
            "the target directory {} is not empty; restore into a new or empty directory (or use --in-place)",
            root.display()
        )));
    }
    if root.exists() && !root.is_dir() {
        return Err(BackupError::Invalid(format!(
            "{} exists and is not a directory",
            root.display()
        )));
    }
    if TcpListener::bind(("127.0.0.1", port)).is_err() {
        return Err(BackupError::Invalid(format!(
            "port {port} on 127.0.0.1 is already in use; choose another with --port"
        )));
    }
    Ok(())
}

impl Restored {
    /// Restores a backup set into a new directory, recovering to the target once started.
    /// The destination must be empty and the port free (checked first, before any change).
    pub fn restore(cfg: &BackupConfig, server: &PgServer, req: &RestoreRequest) -> Result<Self> {
        let (root, port, repo, target) = (&req.root, req.port, req.repo, &req.target);
        if req.in_place {
            if root.join("pg").join("data").exists() {
                return Err(BackupError::Invalid(
                    "the data directory to restore into still exists".into(),
                ));
            }
        } else {
            check_destination(root, port)?;
        }
        let pg = root.join("pg");
        let data = pg.join("data");
        for d in [&data, &pg.join("run")] {
            std::fs::create_dir_all(d).map_err(io_at(d))?;
        }
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700))
            .map_err(io_at(&data))?;
        let me = Self {
            root: root.to_path_buf(),
            log: pg.join("postgres.log"),
            data,
            port,
            run_as: server.run_as.clone(),
            bindir: server.bindir.clone(),
            scratch: req.scratch,
        };
        give_to(&me.run_as, &pg)?;
        let mut args = vec![
            "restore".to_string(),
            format!("--repo={repo}"),
            format!("--pg1-path={}", me.data.display()),
            "--archive-mode=off".into(),
        ];
        if let Some(set) = &req.set {
            args.push(format!("--set={set}"));
        }
        match target {
            RecoveryTarget::Name(n) => args.extend(["--type=name".into(), format!("--target={n}")]),
            RecoveryTarget::Time(t) => args.extend(["--type=time".into(), format!("--target={t}")]),
            RecoveryTarget::Lsn(l) => args.extend(["--type=lsn".into(), format!("--target={l}")]),
            RecoveryTarget::Latest => args.push("--type=default".into()),
        }
        if *target != RecoveryTarget::Latest {
            args.push("--target-action=promote".into());
        }
        PgBackRest::new(cfg, server)
            .run(&args)
            .map_err(|e| crate::init::explain(cfg, "restore", e))?;
        me.write_own_settings()?;
        std::fs::write(pg.join("port"), port.to_string()).map_err(io_at(&pg))?;
        give_to(&me.run_as, &pg)?;
        Ok(me)
    }

    /// The copy's own port and socket, written last in `postgresql.auto.conf` so they win over
    /// the settings it inherited from the server it was taken from.
    fn write_own_settings(&self) -> Result<()> {
        let main = self.data.join("postgresql.conf");
        if !main.is_file() {
            std::fs::write(&main, "# written by pms backup restore\n").map_err(io_at(&main))?;
        }
        let auto = self.data.join("postgresql.auto.conf");
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&auto)
            .map_err(io_at(&auto))?;
        // A Unix socket path may not exceed 107 bytes; a deeper copy listens on TCP only.
        let run = self.root.join("pg").join("run");
        let socket = if run.as_os_str().len() + 20 <= 107 {
            run.display().to_string()
        } else {
            String::new()
        };
        writeln!(
            f,
            "\n# this restored copy's own address (pms backup restore)\n\
             listen_addresses = '127.0.0.1'\n\
             port = {}\n\
             unix_socket_directories = '{socket}'\n\
             archive_mode = 'off'",
            self.port,
        )
        .map_err(io_at(&auto))?;
        Ok(())
    }

    fn pg_ctl(&self) -> Command {
        let bin = self.bindir.join("pg_ctl");
        match &self.run_as {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.args(["-u", u, "--"]).arg(bin);
                c
            }
            None => Command::new(bin),
        }
    }

    /// Starts the copy and waits until recovery has finished and it accepts writes.
    pub async fn start(&self) -> Result<()> {
        let out = self
            .pg_ctl()
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&self.log)
            .args(["-w", "-t", "3600", "start"])
            .output()
            .map_err(io_at(&self.data))?;
        if !out.status.success() {
            return Err(BackupError::Recovery(format!(
                "the restored cluster did not start: {}\n{}",
                String::from_utf8_lossy(&out.stderr).trim(),
                self.log_tail(8)
            )));
        }
        let deadline = Instant::now() + Duration::from_secs(3600);
        loop {
            if let Ok(mut c) = sqlx::PgConnection::connect(&self.admin_url("postgres")).await {
                use sqlx::Connection as _;
                let rec: std::result::Result<bool, _> =
                    sqlx::query_scalar("SELECT pg_is_in_recovery()")
                        .fetch_one(&mut c)
                        .await;
                c.close().await.ok();
                if let Ok(false) = rec {
                    return Ok(());
                }
            }
            if !self.is_running() {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                if log.contains("recovery ended before configured recovery target was reached") {
                    return Err(BackupError::Recovery(format!(
                        "the archive ends before the target: no transaction after it has been archived yet (the server may be down, or archiving broken); restore with --latest, or to a time before {}",
                        log.lines()
                            .rev()
                            .find_map(|l| l
                                .split("last completed transaction was at log time ")
                                .nth(1))
                            .unwrap_or("the last archived transaction")
                    )));
                }
                return Err(BackupError::Recovery(format!(
                    "recovery failed and the restored cluster stopped:\n{}",
                    self.log_tail(8)
                )));
            }
            if Instant::now() > deadline {
                return Err(BackupError::Recovery(
                    "recovery did not finish within an hour".into(),
                ));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn is_running(&self) -> bool {
        self.pg_ctl()
            .arg("status")
            .arg("-D")
            .arg(&self.data)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    }

    /// Stops the copy (fast shutdown); not running is fine.
    pub fn stop(&self) {
        if self.is_running() {
            let _ = self
                .pg_ctl()
                .arg("-D")
                .arg(&self.data)
                .args(["-m", "fast", "-w", "stop"])
                .output();
        }
    }

    pub fn admin_url(&self, db: &str) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// The last lines of the copy's server log.
    pub fn log_tail(&self, n: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    /// What the server log says recovery reached: where it stopped and the last transaction.
    pub fn recovery_point(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut found = Vec::new();
        for needle in [
            "recovery stopping",
            "last completed transaction",
            "redo done at",
        ] {
            if let Some(line) = text.lines().rev().find(|l| l.contains(needle))
                && let Some(i) = line.find(needle)
            {
                let text = &line[i..];
                let text = text.split(" system usage:").next().unwrap_or(text);
                found.push(text.trim().to_string());
            }
        }
        found.join("; ")
    }
}

impl Drop for Restored {
    fn drop(&mut self) {
        if self.scratch {
            self.stop();
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

use sqlx::Connection as _;
