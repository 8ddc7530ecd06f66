//! Streaming replicas of the private cluster (`pms replica add`): `pg_basebackup -R` into a
//! folder of its own under `PMS_DATA_DIR/replicas/<port>`, with a physical replication slot
//! named for the port so the primary keeps the WAL a stopped replica still needs, then started
//! like the private cluster (same binaries, same user, its own port and socket).

use crate::cluster::{Cluster, ClusterError, SUPERUSER};
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The replication slot a replica on `port` streams from.
pub fn slot_name(port: u16) -> String {
    format!("pms_replica_{port}")
}

/// Where the replicas of a private cluster under `data_dir` live.
pub fn replicas_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("replicas")
}

/// The layout of a replica in `root` on `port`, running as the primary's user.
pub fn layout(primary: &Cluster, root: &Path, port: u16) -> Cluster {
    Cluster {
        bindir: primary.bindir.clone(),
        root: root.to_path_buf(),
        data: root.join("data"),
        socket_dir: root.join("run"),
        log_file: root.join("postgres.log"),
        port,
        run_as: primary.run_as.clone(),
        major_version: primary.major_version,
    }
}

fn command(c: &Cluster, program: &str) -> Command {
    let bin = c.bindir.join(program);
    match &c.run_as {
        Some(user) => {
            let mut cmd = Command::new("runuser");
            cmd.arg("-u").arg(user).arg("--").arg(bin);
            cmd
        }
        None => Command::new(bin),
    }
}

fn run(mut cmd: Command) -> Result<(), ClusterError> {
    let shown = format!("{cmd:?}");
    let out = cmd.output().map_err(|e| ClusterError::Command {
        command: shown.clone(),
        detail: e.to_string(),
    })?;
    if out.status.success() {
        return Ok(());
    }
    Err(ClusterError::Command {
        command: shown,
        detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
    })
}

/// Makes a new streaming replica of the running `primary` in `root` (which must not hold
/// one yet) on `port` (else a free one), and starts it.
pub fn add(primary: &Cluster, root: &Path, port: Option<u16>) -> Result<Cluster, ClusterError> {
    if !primary.is_running() {
        return Err(ClusterError::Permission(format!(
            "the primary on port {} is not running: start it first (pms up)",
            primary.port
        )));
    }
    let port = match port {
        Some(p) => p,
        None => TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|source| ClusterError::Io {
                path: root.to_path_buf(),
                source,
            })?,
    };
    if TcpListener::bind(("127.0.0.1", port)).is_err() {
        return Err(ClusterError::PortInUse(port));
    }
    let replica = layout(primary, root, port);
    if replica.is_initialised() {
        return Err(ClusterError::Permission(format!(
            "{} already holds a cluster; remove it first (pms replica remove --port {port})",
            replica.data.display()
        )));
    }
    fs::create_dir_all(root).map_err(|source| ClusterError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    if let Some(user) = &replica.run_as {
        let mut chown = Command::new("chown");
        chown.arg("-R").arg(format!("{user}:{user}")).arg(root);
        run(chown)?;
    }
    let mut base = command(primary, "pg_basebackup");
    base.args(["-h", "127.0.0.1", "-p"])
        .arg(primary.port.to_string())
        .args(["-U", SUPERUSER, "-D"])
        .arg(&replica.data)
        .args(["-R", "-X", "stream", "-c", "fast", "-C", "-S"])
        .arg(slot_name(port))
        .arg("--no-password");
    run(base)?;
    replica.ensure_started()?;
    Ok(replica)
}

/// Stops a cluster the way a crash would (`pg_ctl stop -m immediate`): no shutdown
/// checkpoint, crash recovery at the next start.
pub fn kill(c: &Cluster) -> Result<(), ClusterError> {
    let mut cmd = command(c, "pg_ctl");
    cmd.arg("-D")
        .arg(&c.data)
        .args(["-m", "immediate", "-w", "stop"]);
    run(cmd)
}

/// The replicas under `dir` (each a folder with a `data` directory), by port.
pub fn list(primary: &Cluster, dir: &Path) -> Vec<Cluster> {
    let mut out: Vec<Cluster> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let port = e.file_name().to_str()?.parse::<u16>().ok()?;
                    Some(layout(primary, &e.path(), port))
                })
                .filter(|c| c.is_initialised())
                .collect()
        })
        .unwrap_or_default();
    out.sort_by_key(|c| c.port);
    out
}

/// Stops a replica and deletes its folder; the caller drops its slot on the primary
/// (`SELECT pg_drop_replication_slot(...)`), which frees the WAL kept for it.
pub fn remove(replica: &Cluster) -> Result<(), ClusterError> {
    replica.stop()?;
    fs::remove_dir_all(&replica.root).map_err(|source| ClusterError::Io {
        path: replica.root.clone(),
        source,
    })
}
