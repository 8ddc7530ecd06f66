//! Running a PgBouncer from a [`PgBouncerConfig`]: `pms up --pgbouncer`, the benchmark and the
//! tests start one in the background (as the `postgres` user when pms runs as root, like the
//! private cluster) and stop it by its pid file.

use crate::pgbouncer::{PgBouncerConfig, PgBouncerError, io_err};
use std::fs;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Finds the `pgbouncer` binary: `PMS_PGBOUNCER_BIN`, the `PATH`, or Debian's `/usr/sbin`.
pub fn find_binary() -> Result<PathBuf, PgBouncerError> {
    if let Ok(p) = std::env::var("PMS_PGBOUNCER_BIN")
        && !p.is_empty()
    {
        return Ok(PathBuf::from(p));
    }
    let path = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|d| d.join("pgbouncer"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            PgBouncerError::Invalid(
                "pgbouncer is not installed: apt-get install pgbouncer (or set PMS_PGBOUNCER_BIN)"
                    .into(),
            )
        })
}

fn running_as_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// A PgBouncer started in the background from a configuration; [`PgBouncer::stop`] (or drop)
/// ends it.
#[derive(Debug)]
pub struct PgBouncer {
    pub config: PgBouncerConfig,
    pid: Option<u32>,
}

impl PgBouncer {
    /// Writes the configuration and starts PgBouncer daemonised (`-d`), as `postgres` when
    /// root; waits until it accepts connections on its port.
    pub fn start(config: PgBouncerConfig) -> Result<Self, PgBouncerError> {
        let bin = find_binary()?;
        let ini = config.write()?;
        let _ = fs::remove_file(config.pid_path());
        let mut cmd = if running_as_root() {
            let status = Command::new("chown")
                .arg("-R")
                .arg("postgres:postgres")
                .arg(&config.dir)
                .status()
                .map_err(io_err(&config.dir))?;
            if !status.success() {
                return Err(PgBouncerError::Command {
                    command: format!("chown -R postgres {}", config.dir.display()),
                    detail: status.to_string(),
                });
            }
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&bin);
            c
        } else {
            Command::new(&bin)
        };
        cmd.arg("-d").arg(&ini);
        let shown = format!("{cmd:?}");
        let out = cmd.output().map_err(|e| PgBouncerError::Command {
            command: shown.clone(),
            detail: e.to_string(),
        })?;
        if !out.status.success() {
            return Err(PgBouncerError::Command {
                command: shown,
                detail: format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stderr).trim(),
                    log_tail(&config)
                ),
            });
        }
        let mut me = Self { config, pid: None };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            me.pid = me.read_pid();
            let addr = (me.config.listen_addr.as_str(), me.config.listen_port);
            if me.pid.is_some() && TcpStream::connect(addr).is_ok() {
                return Ok(me);
            }
            if Instant::now() > deadline {
                return Err(PgBouncerError::Command {
                    command: shown,
                    detail: format!(
                        "not listening on port {} after 10 s{}",
                        me.config.listen_port,
                        log_tail(&me.config)
                    ),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn read_pid(&self) -> Option<u32> {
        fs::read_to_string(self.config.pid_path())
            .ok()
            .and_then(|s| s.trim().parse().ok())
    }

    /// The daemon's process id.
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// Leaves the daemon running after this value is dropped (`pms up --pgbouncer`, whose
    /// PgBouncer outlives the command like the private cluster does).
    pub fn detach(mut self) -> Option<u32> {
        self.pid.take()
    }

    /// Stops the daemon (SIGTERM, then SIGKILL after 5 s) and waits for it to exit.
    pub fn stop(&mut self) {
        let Some(pid) = self.pid.take() else {
            return;
        };
        let alive = || fs::metadata(format!("/proc/{pid}")).is_ok() && !is_zombie(pid);
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(pid.to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if alive() {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
        }
    }
}

fn is_zombie(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit(')')
                .next()
                .map(|r| r.trim_start().starts_with('Z'))
        })
        .unwrap_or(true)
}

fn log_tail(config: &PgBouncerConfig) -> String {
    let text = fs::read_to_string(config.log_path()).unwrap_or_default();
    let lines: Vec<&str> = text.lines().rev().take(5).collect();
    if lines.is_empty() {
        return String::new();
    }
    let mut tail: Vec<&str> = lines;
    tail.reverse();
    format!("\n{}", tail.join("\n"))
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        self.stop();
    }
}
