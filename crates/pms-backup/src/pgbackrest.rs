//! pgBackRest as pms runs it: one configuration file per data directory (so every path,
//! lock and log is private to it), commands run as the server's user, and `info` parsed.

use crate::config::{BackupConfig, STANZA};
use crate::error::{BackupError, Result, io_at};
use crate::server::PgServer;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One backup set, as `pgbackrest info` reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupSet {
    pub label: String,
    /// `full`, `diff` or `incr`.
    pub kind: String,
    pub repo: u32,
    /// Unix seconds.
    pub start: i64,
    pub stop: i64,
    pub database_bytes: u64,
    pub repo_bytes: u64,
    pub wal_start: String,
    pub wal_stop: String,
    pub lsn_stop: String,
    pub prior: Option<String>,
}

/// Runs pgBackRest with pms's configuration file.
#[derive(Debug, Clone)]
pub struct PgBackRest {
    pub conf: PathBuf,
    pub run_as: Option<String>,
}

impl PgBackRest {
    pub fn new(cfg: &BackupConfig, server: &PgServer) -> Self {
        Self {
            conf: cfg.conf_file(),
            run_as: server.run_as.clone(),
        }
    }

    /// Is the `pgbackrest` program installed?
    pub fn installed() -> bool {
        Command::new("pgbackrest")
            .arg("version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    }

    /// The command line `archive_command` runs (PostgreSQL substitutes `%p`).
    pub fn archive_command(&self) -> String {
        format!(
            "pgbackrest --config={} --stanza={STANZA} archive-push %p",
            self.conf.display()
        )
    }

    fn command(&self) -> Command {
        let mut c = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--", "pgbackrest"]);
                c
            }
            None => Command::new("pgbackrest"),
        };
        c.arg(format!("--config={}", self.conf.display()))
            .arg(format!("--stanza={STANZA}"));
        c
    }

    /// Runs `pgbackrest ARGS`; its standard output on success, else an error with its
    /// messages (pgBackRest writes its errors on stderr, its warnings on stdout).
    pub fn run(&self, args: &[String]) -> Result<String> {
        let mut c = self.command();
        c.args(args);
        let shown = format!("pgbackrest {}", args.join(" "));
        tracing::debug!(command = %shown, "running pgBackRest");
        let out = c.output().map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                BackupError::NotInstalled
            } else {
                BackupError::Tool {
                    command: shown.clone(),
                    status: "not started".into(),
                    detail: e.to_string(),
                }
            }
        })?;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let detail = [stderr.trim(), stdout.trim()]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("\n");
            return Err(BackupError::Tool {
                command: shown,
                status: out
                    .status
                    .code()
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "killed".into()),
                detail,
            });
        }
        Ok(stdout)
    }

    /// Every backup set in every repository, oldest first.
    pub fn backups(&self) -> Result<Vec<BackupSet>> {
        let text = self.run(&["info".into(), "--output=json".into()])?;
        parse_info(&text)
    }
}

/// Parses `pgbackrest info --output=json` into backup sets, oldest first.
pub fn parse_info(text: &str) -> Result<Vec<BackupSet>> {
    let v: Value = serde_json::from_str(text).map_err(|source| BackupError::Json {
        what: "pgbackrest info".into(),
        source,
    })?;
    let mut out = Vec::new();
    for stanza in v.as_array().into_iter().flatten() {
        for b in stanza["backup"].as_array().into_iter().flatten() {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
            out.push(BackupSet {
                label: s(&b["label"]),
                kind: s(&b["type"]),
                repo: b["database"]["repo-key"].as_u64().unwrap_or(1) as u32,
                start: b["timestamp"]["start"].as_i64().unwrap_or(0),
                stop: b["timestamp"]["stop"].as_i64().unwrap_or(0),
                database_bytes: b["info"]["size"].as_u64().unwrap_or(0),
                repo_bytes: b["info"]["repository"]["delta"].as_u64().unwrap_or(0),
                wal_start: s(&b["archive"]["start"]),
                wal_stop: s(&b["archive"]["stop"]),
                lsn_stop: s(&b["lsn"]["stop"]),
                prior: b["prior"].as_str().map(str::to_string),
            });
        }
    }
    out.sort_by(|a, b| (a.stop, &a.label).cmp(&(b.stop, &b.label)));
    Ok(out)
}

/// zstd's level for everything pgBackRest stores (`compress-level`).
pub const COMPRESS_LEVEL: u32 = 1;

/// pgBackRest's processes for copying and compressing (`process-max`): one per core. More
/// than the cores measured faster only by taking CPU from everything else on a shared machine
/// (docs/BENCHMARKS.md, Backups).
pub fn processes() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The configuration file's text for this data directory and server.
pub fn render_conf(cfg: &BackupConfig, server: &PgServer) -> String {
    let dir = cfg.dir();
    let mut s = format!(
        "# written by `pms backup init`; pms rewrites it on every init\n\
         [global]\n\
         repo1-path={repo}\n\
         repo1-retention-full={local_full}\n\
         repo1-bundle=y\n\
         compress-type=zst\n\
         compress-level={level}\n\
         start-fast=y\n\
         archive-timeout=120\n\
         process-max={processes}\n\
         log-path={dir}/log\n\
         lock-path={dir}/lock\n\
         spool-path={dir}/spool\n\
         log-level-console=warn\n\
         log-level-file=info\n",
        repo = cfg.local_repo().display(),
        local_full = cfg.local_retention_full,
        level = COMPRESS_LEVEL,
        processes = processes(),
        dir = dir.display(),
    );
    if let Some(s3) = &cfg.s3 {
        s.push_str(&format!(
            "repo2-type=s3\n\
             repo2-path={path}\n\
             repo2-s3-bucket={bucket}\n\
             repo2-s3-endpoint={endpoint}\n\
             repo2-storage-port={port}\n\
             repo2-s3-region={region}\n\
             repo2-s3-key={key}\n\
             repo2-s3-key-secret={secret}\n\
             repo2-s3-uri-style=path\n\
             repo2-retention-full={full}\n\
             repo2-bundle=y\n",
            path = s3.path,
            bucket = s3.bucket,
            endpoint = s3.endpoint,
            port = s3.port,
            region = s3.region,
            key = s3.key,
            secret = s3.secret,
            full = cfg.s3_retention_full,
        ));
        if let Some(ca) = &s3.ca_file {
            s.push_str(&format!("repo2-storage-ca-file={}\n", ca.display()));
        }
        if !s3.verify_tls {
            s.push_str("repo2-storage-verify-tls=n\n");
        }
    }
    s.push_str(&format!(
        "\n[{STANZA}]\n\
         pg1-path={data}\n\
         pg1-port={port}\n\
         pg1-socket-path={socket}\n\
         pg1-user={user}\n",
        data = server.data.display(),
        port = server.port,
        socket = server.socket_dir.display(),
        user = server.user,
    ));
    s
}

/// Makes `path` (and what is under it) belong to the server's user, so that pgBackRest,
/// running as that user, can write there.
pub fn give_to(run_as: &Option<String>, path: &Path) -> Result<()> {
    let Some(user) = run_as else { return Ok(()) };
    let status = Command::new("chown")
        .arg("-R")
        .arg(format!("{user}:{user}"))
        .arg(path)
        .status()
        .map_err(io_at(path))?;
    if !status.success() {
        return Err(BackupError::Check(format!(
            "cannot give {} to the `{user}` user (chown failed)",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_info() {
        let text = r#"[{"name":"pms","backup":[
          {"label":"20261202-151939F","type":"full","database":{"id":1,"repo-key":2},
           "timestamp":{"start":20,"stop":30},"info":{"size":100,"repository":{"delta":7,"size":7}},
           "archive":{"start":"A","stop":"B"},"lsn":{"start":"0/1","stop":"0/2"},"prior":null},
          {"label":"20261202-151046F","type":"full","database":{"id":1,"repo-key":1},
           "timestamp":{"start":1,"stop":9},"info":{"size":100,"repository":{"delta":5,"size":5}},
           "archive":{"start":"A","stop":"B"},"lsn":{"start":"0/1","stop":"0/2"},"prior":null}]}]"#;
        let sets = super::parse_info(text).unwrap();
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[0].label, "20261202-151046F");
        assert_eq!((sets[1].repo, sets[1].repo_bytes), (2, 7));
    }
}
