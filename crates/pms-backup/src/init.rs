//! `pms backup init`: the pgBackRest configuration and stanza for the server, WAL archiving
//! turned on (`archive_mode`, `archive_command`, `archive_timeout`, `wal_level`), and a
//! `pgbackrest check` whose failure is explained in the platform's terms.

use crate::config::BackupConfig;
use crate::error::{BackupError, Result, io_at};
use crate::pgbackrest::{PgBackRest, give_to, render_conf};
use crate::server::PgServer;
use sqlx::{Connection, Executor, PgConnection};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

/// What `init` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InitReport {
    pub conf: String,
    pub repos: Vec<u32>,
    /// The settings that were changed (name = value).
    pub changed: Vec<String>,
    /// The server was restarted for `archive_mode` or `wal_level`.
    pub restarted: bool,
}

/// Sets up backups for `server`. Idempotent: a second run changes nothing and checks again.
pub async fn init(cfg: &BackupConfig, server: &PgServer) -> Result<InitReport> {
    if !PgBackRest::installed() {
        return Err(BackupError::NotInstalled);
    }
    let dir = cfg.dir();
    for sub in ["repo", "log", "lock", "spool", "records"] {
        let p = dir.join(sub);
        std::fs::create_dir_all(&p).map_err(io_at(&p))?;
    }
    let conf = cfg.conf_file();
    std::fs::write(&conf, render_conf(cfg, server)).map_err(io_at(&conf))?;
    // It may hold the S3 secret.
    std::fs::set_permissions(&conf, std::fs::Permissions::from_mode(0o600))
        .map_err(io_at(&conf))?;
    give_to(&server.run_as, &dir)?;
    if let Some(user) = &server.run_as {
        let ok = Command::new("runuser")
            .args(["-u", user, "--", "test", "-w"])
            .arg(cfg.local_repo())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            return Err(BackupError::Check(format!(
                "PostgreSQL runs as `{user}`, who cannot write to {} (a parent folder is private?); set PMS_DATA_DIR to a folder that user can reach",
                cfg.local_repo().display()
            )));
        }
    }
    let br = PgBackRest::new(cfg, server);
    let mut changed = Vec::new();
    let mut conn = PgConnection::connect(&server.admin_url).await?;
    let wanted = [
        ("archive_mode", "on".to_string()),
        ("archive_command", br.archive_command()),
        (
            "archive_timeout",
            format!("{}s", cfg.archive_timeout.as_secs()),
        ),
    ];
    for (name, value) in &wanted {
        let current: String = sqlx::query_scalar(
            "SELECT CASE WHEN unit = 's' THEN setting || 's' ELSE setting END FROM pg_settings WHERE name = $1",
        )
        .bind(name)
        .fetch_one(&mut conn)
        .await?;
        if &current != value {
            conn.execute(sqlx::AssertSqlSafe(format!(
                "ALTER SYSTEM SET {name} = '{}'",
                value.replace('\'', "''")
            )))
            .await?;
            changed.push(format!("{name} = {value}"));
        }
    }
    let wal_level: String = sqlx::query_scalar("SELECT current_setting('wal_level')")
        .fetch_one(&mut conn)
        .await?;
    if wal_level == "minimal" {
        conn.execute("ALTER SYSTEM SET wal_level = 'replica'")
            .await?;
        changed.push("wal_level = replica".into());
    }
    conn.execute("SELECT pg_reload_conf()").await?;
    // pg_reload_conf signals; the new values show once the postmaster has read them.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let pending: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM pg_settings WHERE pending_restart AND name IN ('archive_mode', 'wal_level')",
    )
    .fetch_all(&mut conn)
    .await?;
    let archive_on: String = sqlx::query_scalar("SELECT current_setting('archive_mode')")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await.ok();
    let mut restarted = false;
    if !pending.is_empty() || archive_on == "off" {
        match &server.cluster {
            Some(cluster) => {
                tracing::info!(settings = ?pending, "restarting the private cluster for WAL archiving");
                cluster.stop()?;
                cluster.ensure_started()?;
                restarted = true;
            }
            None => {
                return Err(BackupError::Check(format!(
                    "{} need(s) a restart of the PostgreSQL server at {}: restart it, then run `pms backup init` again",
                    if pending.is_empty() {
                        "archive_mode".to_string()
                    } else {
                        pending.join(" and ")
                    },
                    server.data.display()
                )));
            }
        }
    }
    br.run(&["stanza-create".into()])
        .map_err(|e| explain(cfg, "stanza-create", e))?;
    check(cfg, server)?;
    Ok(InitReport {
        conf: conf.display().to_string(),
        repos: cfg.repos(),
        changed,
        restarted,
    })
}

/// Free space below which the local repository counts as full: one WAL segment, uncompressed.
pub const MIN_FREE_BYTES: u64 = 16 << 20;

/// Bytes free for the local repository on its filesystem (`df`), if that can be read.
pub fn repo_free_bytes(cfg: &BackupConfig) -> Option<u64> {
    let out = Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(cfg.local_repo())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)?
        .trim()
        .parse()
        .ok()
}

/// Fails at once when the local repository is full: pgBackRest would otherwise wait for WAL
/// that cannot be archived (`archive-timeout`) and then blame the archive command.
pub fn ensure_room(cfg: &BackupConfig) -> Result<()> {
    match repo_free_bytes(cfg) {
        Some(free) if free < MIN_FREE_BYTES => Err(BackupError::Check(full_message(cfg, free))),
        _ => Ok(()),
    }
}

fn full_message(cfg: &BackupConfig, free: u64) -> String {
    format!(
        "the repository {} is full ({free} bytes free on its filesystem, less than one WAL segment): archive-push fails (pg_stat_archiver counts the failures), WAL segments wait in pg_wal and no backup can be taken; free space there or give it a larger disk",
        cfg.local_repo().display()
    )
}

/// `pgbackrest check`: the configuration is right and a WAL segment reaches every repository.
pub fn check(cfg: &BackupConfig, server: &PgServer) -> Result<()> {
    if !cfg.conf_file().is_file() {
        return Err(BackupError::NotInitialised(cfg.data_dir.clone()));
    }
    ensure_room(cfg)?;
    PgBackRest::new(cfg, server)
        .run(&["check".into()])
        .map(|_| ())
        .map_err(|e| explain(cfg, "check", e))
}

/// Turns a pgBackRest failure into a message that says what is wrong and where to look.
pub fn explain(cfg: &BackupConfig, step: &str, e: BackupError) -> BackupError {
    let BackupError::Tool { detail, .. } = &e else {
        return e;
    };
    let mut hints = Vec::new();
    let d = detail.to_lowercase();
    if d.contains("archive_mode") {
        hints.push("WAL archiving is off: `pms backup init` turns it on (archive_mode needs a server restart)".to_string());
    }
    if d.contains("was not archived before") || d.contains("archive") && d.contains("timeout") {
        hints.push("WAL segments do not reach the repository: archive_command fails; pg_stat_archiver shows the failures".to_string());
        if let Some(line) = last_error_line(cfg, "archive-push") {
            hints.push(format!("the last archive-push error: {line}"));
        }
    }
    if d.contains("permission denied") || d.contains("unable to open") && d.contains("repo") {
        hints.push(format!(
            "the repository {} is not writable by the server's user",
            cfg.local_repo().display()
        ));
    }
    // A full repository shows as "no space left" while copying, or as WAL not archived in time.
    match repo_free_bytes(cfg) {
        Some(free) if free < MIN_FREE_BYTES => hints.push(full_message(cfg, free)),
        _ if d.contains("no space left") => hints.push(
            "a disk is full (no space left on device): the path is in the error above".to_string(),
        ),
        _ => {}
    }
    if d.contains("tls")
        || d.contains("certificate")
        || d.contains("unable to connect")
        || d.contains("s3")
    {
        hints.push("the S3 repository (PMS_BACKUP_S3_URL) cannot be reached or refused the credentials or TLS certificate (PMS_BACKUP_S3_CA_FILE)".to_string());
    }
    if d.contains("system-id") || d.contains("does not match") {
        hints.push("the repository belongs to another cluster (its system identifier differs): use another PMS_DATA_DIR or repository".to_string());
    }
    let hint = if hints.is_empty() {
        format!("see {}", cfg.dir().join("log").display())
    } else {
        hints.join("; ")
    };
    BackupError::Check(format!(
        "`pgbackrest {step}` failed: {}\n  what this means: {hint}",
        detail.trim()
    ))
}

/// The last ERROR line of pgBackRest's log for a command (`archive-push`, `backup`, ...).
pub fn last_error_line(cfg: &BackupConfig, command: &str) -> Option<String> {
    let log = cfg
        .dir()
        .join("log")
        .join(format!("{}-{command}.log", crate::config::STANZA));
    let text = std::fs::read_to_string(log).ok()?;
    text.lines()
        .rev()
        .find(|l| l.contains("ERROR:"))
        .map(|l| l.trim().to_string())
}
