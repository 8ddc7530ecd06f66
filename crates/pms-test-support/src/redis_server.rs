//! Redis servers a test starts itself (on free loopback ports, in their own temp dirs), for
//! the tests that stop, pause or cluster Redis: never done to the shared server.

use anyhow::{Context as _, bail};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free TCP port on 127.0.0.1 (the kernel's choice).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// One `redis-server` process owned by the test; killed and its directory removed on drop.
pub struct RedisServer {
    pub port: u16,
    pub dir: PathBuf,
    extra: Vec<String>,
    child: Option<Child>,
}

impl RedisServer {
    /// A standalone server with append-only persistence in its own directory, so a stop and
    /// start keeps the data (as a real restart would).
    pub fn start() -> anyhow::Result<Self> {
        Self::start_with(&["--appendonly", "yes", "--appendfsync", "always"])
    }

    /// A server with extra `redis-server` arguments.
    pub fn start_with(extra: &[&str]) -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!("pms-redis-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir)?;
        let mut s = Self {
            port: free_port()?,
            dir,
            extra: extra.iter().map(|s| s.to_string()).collect(),
            child: None,
        };
        s.spawn()?;
        Ok(s)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) -> anyhow::Result<()> {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--daemonize",
                "no",
            ])
            .arg("--dir")
            .arg(&self.dir)
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting redis-server (is it installed? scripts/test.sh installs it)")?;
        self.child = Some(child);
        self.wait_ready()
    }

    fn wait_ready(&self) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let out = Command::new("redis-cli")
                .args(["-p", &self.port.to_string(), "ping"])
                .output();
            if out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "PONG") {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!("redis-server on port {} did not answer PING", self.port)
    }

    fn pid(&self) -> anyhow::Result<u32> {
        self.child
            .as_ref()
            .map(Child::id)
            .context("the server is not running")
    }

    fn signal(&self, sig: &str) -> anyhow::Result<()> {
        let pid = self.pid()?.to_string();
        // The shell's builtin `kill`: no dependency on procps.
        let ok = Command::new("sh")
            .args(["-c", &format!("kill {sig} {pid}")])
            .status()?
            .success();
        if !ok {
            bail!("kill {sig} {pid} failed");
        }
        Ok(())
    }

    /// Stops the server (SIGTERM: it writes its append-only file and exits).
    pub fn stop(&mut self) -> anyhow::Result<()> {
        self.signal("-TERM")?;
        if let Some(mut c) = self.child.take() {
            c.wait()?;
        }
        Ok(())
    }

    /// Starts it again on the same port and directory.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        self.spawn()
    }

    /// SIGSTOP: the server keeps its sockets but answers nothing.
    pub fn pause(&self) -> anyhow::Result<()> {
        self.signal("-STOP")
    }

    /// SIGCONT.
    pub fn resume(&self) -> anyhow::Result<()> {
        self.signal("-CONT")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("sh")
                .args(["-c", &format!("kill -CONT {}", c.id())])
                .status();
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Three `redis-server --cluster-enabled yes` masters on loopback, joined with
/// `redis-cli --cluster create`; shut down on drop.
pub struct RedisCluster {
    pub nodes: Vec<RedisServer>,
}

impl RedisCluster {
    pub fn start() -> anyhow::Result<Self> {
        let mut nodes = Vec::new();
        for _ in 0..3 {
            nodes.push(RedisServer::start_with(&[
                "--cluster-enabled",
                "yes",
                "--cluster-node-timeout",
                "2000",
                "--appendonly",
                "no",
            ])?);
        }
        let addrs: Vec<String> = nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        let out = Command::new("redis-cli")
            .arg("--cluster")
            .arg("create")
            .args(&addrs)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .output()
            .context("running redis-cli --cluster create")?;
        if !out.status.success() {
            bail!(
                "redis-cli --cluster create failed: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        let c = Self { nodes };
        c.wait_ok()?;
        Ok(c)
    }

    fn wait_ok(&self) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let all_ok = self.nodes.iter().all(|n| {
                Command::new("redis-cli")
                    .args(["-p", &n.port.to_string(), "cluster", "info"])
                    .output()
                    .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("cluster_state:ok"))
            });
            if all_ok {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("the test Redis Cluster did not reach cluster_state:ok")
    }

    /// `redis+cluster://` URL of the first node (a seed: the client discovers the others).
    pub fn url(&self) -> String {
        format!("redis+cluster://127.0.0.1:{}", self.nodes[0].port)
    }
}
