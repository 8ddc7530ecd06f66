//! The private PostgreSQL cluster that `pms up` runs when no `DATABASE_URL` is set: initialised
//! from the PostgreSQL binaries installed on the machine, data under `PMS_DATA_DIR/pg`, a Unix
//! socket in that folder and a free loopback port. PostgreSQL refuses to run as root, so when
//! pms runs as root the cluster runs as the `postgres` system user (through `runuser`).

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Why the private cluster could not be prepared or started.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "no PostgreSQL server binaries found (looked at `pg_config --bindir` and /usr/lib/postgresql/*/bin); install them: apt-get install postgresql"
    )]
    NoBinaries,
    #[error("PostgreSQL {found} at {bindir} is too old: pms needs 15 or newer")]
    TooOld { found: String, bindir: PathBuf },
    #[error("{0}")]
    Permission(String),
    #[error(
        "port {0} on 127.0.0.1 is already in use; set PMS_PG_PORT to a free port or stop what listens there"
    )]
    PortInUse(u16),
    #[error("`{command}` failed: {detail}")]
    Command { command: String, detail: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A private cluster's layout and the user it runs as.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub bindir: PathBuf,
    pub root: PathBuf,
    pub data: PathBuf,
    pub socket_dir: PathBuf,
    pub log_file: PathBuf,
    pub port: u16,
    /// `Some("postgres")` when pms runs as root.
    pub run_as: Option<String>,
    pub major_version: u32,
}

/// The superuser created by `initdb` and the database pms uses.
pub const SUPERUSER: &str = "postgres";
pub const DATABASE: &str = "pms";

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// Finds the directory with `initdb`, `pg_ctl` and `postgres`, newest version first.
pub fn find_bindir() -> Result<(PathBuf, u32), ClusterError> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(dir) = std::env::var("PMS_PG_BINDIR") {
        candidates.push(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    let mut versioned: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
                    Some((v, e.path().join("bin")))
                })
                .collect()
        })
        .unwrap_or_default();
    versioned.sort_by_key(|v| std::cmp::Reverse(v.0));
    candidates.extend(versioned.into_iter().map(|(_, p)| p));
    for dir in candidates {
        if ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| dir.join(b).is_file())
        {
            let out = Command::new(dir.join("postgres")).arg("--version").output();
            let text = out
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            let major = text
                .split_whitespace()
                .find_map(|w| w.split('.').next().and_then(|m| m.parse::<u32>().ok()))
                .unwrap_or(0);
            if major < 15 {
                return Err(ClusterError::TooOld {
                    found: text.trim().to_string(),
                    bindir: dir,
                });
            }
            return Ok((dir, major));
        }
    }
    Err(ClusterError::NoBinaries)
}

fn port_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

fn free_port() -> Result<u16, ClusterError> {
    let l = TcpListener::bind(("127.0.0.1", 0)).map_err(io_err(Path::new("127.0.0.1:0")))?;
    let port = l
        .local_addr()
        .map_err(io_err(Path::new("127.0.0.1:0")))?
        .port();
    Ok(port)
}

impl Cluster {
    /// Describes the cluster under `data_dir` (made absolute), choosing a port: `PMS_PG_PORT`,
    /// else the one recorded by an earlier run, else a free one.
    pub fn new(data_dir: &Path) -> Result<Self, ClusterError> {
        let (bindir, major_version) = find_bindir()?;
        fs::create_dir_all(data_dir).map_err(io_err(data_dir))?;
        let data_dir = fs::canonicalize(data_dir).map_err(io_err(data_dir))?;
        let root = data_dir.join("pg");
        let port_file = root.join("port");
        let port = match std::env::var("PMS_PG_PORT")
            .ok()
            .and_then(|p| p.parse::<u16>().ok())
        {
            Some(p) => p,
            None => match fs::read_to_string(&port_file)
                .ok()
                .and_then(|s| s.trim().parse::<u16>().ok())
            {
                Some(p) => p,
                None => free_port()?,
            },
        };
        let socket_dir = root.join("run");
        if socket_dir.as_os_str().len() + 20 > 107 {
            return Err(ClusterError::Permission(format!(
                "the socket folder {} is too long for a Unix socket path (max 107 bytes); set PMS_DATA_DIR to a shorter path",
                socket_dir.display()
            )));
        }
        Ok(Self {
            bindir,
            data: root.join("data"),
            log_file: root.join("postgres.log"),
            socket_dir,
            root,
            port,
            run_as: is_root().then(|| SUPERUSER.to_string()),
            major_version,
        })
    }

    /// The administrative URL (superuser over loopback TCP, trust authentication).
    pub fn admin_url(&self, database: &str) -> String {
        format!(
            "postgresql://{SUPERUSER}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// The URL for a given role (the platform's roles log in without a password locally).
    pub fn url_for(&self, role: &str) -> String {
        format!("postgresql://{role}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    fn command(&self, program: &str) -> Command {
        let bin = self.bindir.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(bin);
                c
            }
            None => Command::new(bin),
        }
    }

    fn run(&self, mut cmd: Command) -> Result<Output, ClusterError> {
        let shown = format!("{cmd:?}");
        let out = cmd.output().map_err(|e| ClusterError::Command {
            command: shown.clone(),
            detail: e.to_string(),
        })?;
        if !out.status.success() {
            let mut detail = String::from_utf8_lossy(&out.stderr).trim().to_string();
            if detail.is_empty() {
                detail = String::from_utf8_lossy(&out.stdout).trim().to_string();
            }
            return Err(ClusterError::Command {
                command: shown,
                detail,
            });
        }
        Ok(out)
    }

    pub fn is_initialised(&self) -> bool {
        self.data.join("PG_VERSION").is_file()
    }

    /// True when the postmaster of this data directory is running.
    pub fn is_running(&self) -> bool {
        // A postmaster killed with SIGKILL can linger as a zombie whose pid still "exists";
        // `pg_ctl status` would call that running, and nothing would ever listen.
        if let Some(pid) = fs::read_to_string(self.data.join("postmaster.pid"))
            .ok()
            .and_then(|s| s.lines().next().and_then(|l| l.trim().parse::<u32>().ok()))
        {
            let state = fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit(')')
                        .next()
                        .and_then(|rest| rest.split_whitespace().next().map(str::to_string))
                });
            match state.as_deref() {
                None | Some("Z") | Some("X") => return false,
                _ => {}
            }
        }
        let mut c = self.command("pg_ctl");
        c.arg("status").arg("-D").arg(&self.data);
        c.output().map(|o| o.status.success()).unwrap_or(false)
    }

    fn check_ownership(&self) -> Result<(), ClusterError> {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = fs::metadata(&self.data) else {
            return Ok(());
        };
        let expected_uid = match &self.run_as {
            Some(user) => {
                let out = Command::new("id")
                    .arg("-u")
                    .arg(user)
                    .output()
                    .map_err(|e| ClusterError::Command {
                        command: format!("id -u {user}"),
                        detail: e.to_string(),
                    })?;
                String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .parse::<u32>()
                    .ok()
            }
            None => fs::read_to_string("/proc/self/status").ok().and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("Uid:"))
                    .and_then(|l| l.split_whitespace().nth(2)?.parse().ok())
            }),
        };
        if let Some(uid) = expected_uid
            && meta.uid() != uid
        {
            return Err(ClusterError::Permission(format!(
                "the data directory {} is owned by uid {}, but the cluster must run as uid {uid}; use another PMS_DATA_DIR or fix the owner",
                self.data.display(),
                meta.uid()
            )));
        }
        Ok(())
    }

    fn prepare_dirs(&self) -> Result<(), ClusterError> {
        fs::create_dir_all(&self.socket_dir).map_err(io_err(&self.socket_dir))?;
        if let Some(user) = &self.run_as {
            let mut chown = Command::new("chown");
            chown
                .arg("-R")
                .arg(format!("{user}:{user}"))
                .arg(&self.root);
            self.run(chown)?;
            // The postgres user must be able to reach the folder through every parent.
            let mut probe = Command::new("runuser");
            probe
                .arg("-u")
                .arg(user)
                .arg("--")
                .arg("test")
                .arg("-w")
                .arg(&self.root);
            let ok = probe.status().map(|s| s.success()).unwrap_or(false);
            if !ok {
                return Err(ClusterError::Permission(format!(
                    "pms runs as root, so PostgreSQL runs as the `{user}` user, who cannot reach {} (a parent folder such as /root is private); set PMS_DATA_DIR to a folder it can reach, e.g. PMS_DATA_DIR=/var/lib/pms",
                    self.root.display()
                )));
            }
        }
        Ok(())
    }

    /// Initialises the cluster if needed, then starts it if it is not running. Idempotent.
    pub fn ensure_started(&self) -> Result<(), ClusterError> {
        fs::create_dir_all(&self.root).map_err(io_err(&self.root))?;
        self.check_ownership()?;
        self.prepare_dirs()?;
        if !self.is_initialised() {
            let mut c = self.command("initdb");
            c.arg("-D").arg(&self.data).args([
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ]);
            self.run(c)?;
        }
        if self.is_running() {
            return Ok(());
        }
        if !port_free(self.port) {
            return Err(ClusterError::PortInUse(self.port));
        }
        self.write_config()?;
        let mut c = self.command("pg_ctl");
        c.arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&self.log_file)
            .args(["-w", "-t", "60", "start"]);
        if let Err(e) = self.run(c) {
            let tail = fs::read_to_string(&self.log_file)
                .map(|s| {
                    s.lines()
                        .rev()
                        .take(5)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            return Err(ClusterError::Command {
                command: "pg_ctl start".into(),
                detail: format!("{e}\n{tail}"),
            });
        }
        fs::write(self.root.join("port"), self.port.to_string()).map_err(io_err(&self.root))?;
        Ok(())
    }

    fn write_config(&self) -> Result<(), ClusterError> {
        let libdir = self
            .bindir
            .parent()
            .map(|p| p.join("lib"))
            .unwrap_or_default();
        let mut preload = Vec::new();
        if libdir.join("pg_stat_statements.so").is_file() {
            preload.push("pg_stat_statements");
        }
        if libdir.join("timescaledb.so").is_file() {
            preload.push("timescaledb");
        }
        // TimescaleDB reports usage to its vendor unless told not to; nothing here may call out.
        let timescaledb_conf = if preload.contains(&"timescaledb") {
            "timescaledb.telemetry_level = 'off'\n"
        } else {
            ""
        };
        let conf = format!(
            "# written by pms on every start; edit postgresql.conf above this include instead\n\
             listen_addresses = '127.0.0.1'\n\
             port = {port}\n\
             unix_socket_directories = '{sock}'\n\
             shared_preload_libraries = '{preload}'\n\
             max_connections = 200\n\
             shared_buffers = '256MB'\n\
             work_mem = '16MB'\n\
             maintenance_work_mem = '256MB'\n\
             wal_level = 'replica'\n\
             max_wal_size = '2GB'\n\
             log_min_duration_statement = 1000\n\
             timezone = 'UTC'\n\
             {timescaledb_conf}",
            port = self.port,
            sock = self.socket_dir.display(),
            preload = preload.join(","),
        );
        let pms_conf = self.data.join("pms.conf");
        fs::write(&pms_conf, conf).map_err(io_err(&pms_conf))?;
        let main_conf = self.data.join("postgresql.conf");
        let text = fs::read_to_string(&main_conf).map_err(io_err(&main_conf))?;
        if !text.contains("include_if_exists = 'pms.conf'") {
            fs::write(
                &main_conf,
                format!("{text}\ninclude_if_exists = 'pms.conf'\n"),
            )
            .map_err(io_err(&main_conf))?;
        }
        if let Some(user) = &self.run_as {
            let mut chown = Command::new("chown");
            chown
                .arg(format!("{user}:{user}"))
                .arg(&pms_conf)
                .arg(&main_conf);
            self.run(chown)?;
        }
        Ok(())
    }

    /// Stops the cluster (fast shutdown). Not running is not an error.
    pub fn stop(&self) -> Result<bool, ClusterError> {
        if !self.is_running() {
            return Ok(false);
        }
        let mut c = self.command("pg_ctl");
        c.arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "-w", "stop"]);
        self.run(c)?;
        Ok(true)
    }
}
