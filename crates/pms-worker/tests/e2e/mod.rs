//! Helpers of the end-to-end alert test: a private primary (on a small tmpfs when root), a
//! streaming replica made with `pg_basebackup -R`, a Prometheus server, and plain HTTP GETs.
//! Every process here is started by the test and stopped by its guard, by pid or data dir.

#![allow(dead_code)]

use anyhow::Context as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// `Some(postgres)` as root: PostgreSQL refuses to run as root.
fn pg(bin: &Path, user: Option<&str>) -> Command {
    match user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", u, "--"]).arg(bin);
            c
        }
        None => Command::new(bin),
    }
}

pub fn run(mut c: Command) -> anyhow::Result<String> {
    let shown = format!("{c:?}");
    let out = c.output().with_context(|| shown.clone())?;
    if !out.status.success() {
        anyhow::bail!(
            "{shown}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A folder for the test, reachable by the `postgres` user, and a tmpfs inside it when root.
pub struct Scratch {
    pub root: PathBuf,
    pub tmpfs: Option<PathBuf>,
}

impl Scratch {
    pub fn new(tag: &str, tmpfs_size: &str) -> anyhow::Result<Self> {
        let root = PathBuf::from(format!(
            "/var/tmp/pms-{tag}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&root)?;
        let mut tmpfs = None;
        if is_root() {
            let disk = root.join("disk");
            std::fs::create_dir_all(&disk)?;
            let out = Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={tmpfs_size}"), "tmpfs"])
                .arg(&disk)
                .output();
            match out {
                Ok(o) if o.status.success() => tmpfs = Some(disk),
                Ok(o) => eprintln!(
                    "SKIPPED (disk part): cannot mount a tmpfs: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                ),
                Err(e) => eprintln!("SKIPPED (disk part): cannot run mount: {e}"),
            }
            run({
                let mut c = Command::new("chown");
                c.arg("-R").arg("postgres:postgres").arg(&root);
                c
            })?;
        } else {
            eprintln!(
                "SKIPPED (disk part): not root, so no tmpfs can be mounted for the data directory"
            );
        }
        Ok(Self { root, tmpfs })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(t) = &self.tmpfs {
            let _ = Command::new("umount").arg(t).status();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A streaming replica of `primary_port`, made with `pg_basebackup -R`.
pub struct Replica {
    pub data: PathBuf,
    pub port: u16,
    bindir: PathBuf,
    user: Option<String>,
}

impl Replica {
    pub fn start(bindir: &Path, dir: &Path, primary_port: u16) -> anyhow::Result<Self> {
        let user = is_root().then(|| "postgres".to_string());
        let data = dir.join("replica");
        let sock = dir.join("replica-run");
        std::fs::create_dir_all(&sock)?;
        if let Some(u) = &user {
            run({
                let mut c = Command::new("chown");
                c.arg(format!("{u}:{u}")).arg(&sock);
                c
            })?;
        }
        let mut bb = pg(&bindir.join("pg_basebackup"), user.as_deref());
        bb.args([
            "-h",
            "127.0.0.1",
            "-p",
            &primary_port.to_string(),
            "-U",
            "postgres",
            "-R",
            "-X",
            "stream",
            "-D",
        ])
        .arg(&data);
        run(bb).context("pg_basebackup -R")?;
        let port = free_port()?;
        let mut start = pg(&bindir.join("pg_ctl"), user.as_deref());
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("replica.log"))
            .args(["-w", "-t", "60", "-o"])
            .arg(format!(
                "-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c hot_standby=on -c wal_receiver_status_interval=1s",
                sock.display()
            ))
            .arg("start");
        run(start).context("starting the replica")?;
        Ok(Self {
            data,
            port,
            bindir: bindir.to_path_buf(),
            user,
        })
    }

    pub fn url(&self) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let mut c = pg(&self.bindir.join("pg_ctl"), self.user.as_deref());
        c.arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"]);
        let _ = c.stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// A Prometheus server of the test's own, killed (by pid) on drop.
pub struct Prometheus {
    child: Child,
    pub addr: String,
}

impl Prometheus {
    pub fn start(dir: &Path, config: &str, rules: &str) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("prometheus.yml"), config)?;
        std::fs::write(dir.join("rules.yml"), rules)?;
        let addr = format!("127.0.0.1:{}", free_port()?);
        let child = Command::new("prometheus")
            .arg(format!(
                "--config.file={}",
                dir.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address={addr}"))
            .arg("--log.level=warn")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("prometheus.log"))?)
            .spawn()
            .context(
                "starting prometheus (Debian package `prometheus`; scripts/test.sh installs it)",
            )?;
        let p = Self { child, addr };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !get(&p.addr, "/-/ready").starts_with("HTTP/1.0 200") {
            anyhow::ensure!(Instant::now() < deadline, "prometheus did not become ready");
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(p)
    }

    /// The alerts Prometheus holds now: (name, state, labels).
    pub fn alerts(&self) -> Vec<(String, String, serde_json::Value)> {
        let text = get(&self.addr, "/api/v1/alerts");
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
        let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        v["data"]["alerts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| {
                        (
                            x["labels"]["alertname"].as_str().unwrap_or("").to_string(),
                            x["state"].as_str().unwrap_or("").to_string(),
                            x["labels"].clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.0 GET; a connection error comes back as text.
pub fn get(addr: &str, path: &str) -> String {
    let attempt = || -> std::io::Result<String> {
        let mut s = TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        Ok(out)
    };
    attempt().unwrap_or_else(|e| format!("(no answer from {addr}{path}: {e})"))
}
