//! The `pms` binary end to end: `pms up` on a private cluster it starts itself, the isolation a
//! newcomer sees through the printed connection string, clean stop, reuse, `pms down`, and one
//! clear line for each kind of bad input.

// These helpers panic where the test would fail anyway (clippy.toml covers #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn pms() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pms"));
    for var in [
        "DATABASE_URL",
        "REDIS_URL",
        "PMS_DATA_DIR",
        "PMS_PG_PORT",
        "PMS_APP_DATABASE_URL",
        "PMS_MAINTENANCE_DATABASE_URL",
    ] {
        c.env_remove(var);
    }
    c.env("RUST_LOG", "warn");
    c
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// A data directory the private cluster's user can reach (as root, PostgreSQL runs as
/// `postgres`, which cannot enter /root or a private temp dir).
struct DataDir(PathBuf);

impl DataDir {
    fn new(tag: &str) -> Self {
        let base = if is_root() {
            PathBuf::from("/var/tmp")
        } else {
            std::env::temp_dir()
        };
        let p = base.join(format!("pms-cli-{tag}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = pms().arg("down").env("PMS_DATA_DIR", &self.0).output();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One plain HTTP/1.0 GET; a connection error comes back as text, so that callers can poll
/// a server that is still starting.
fn http_get(addr: &str, path: &str) -> String {
    let attempt = || -> std::io::Result<String> {
        let mut s = TcpStream::connect(addr)?;
        write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        Ok(out)
    };
    attempt().unwrap_or_else(|e| format!("(no answer from {addr}{path}: {e})"))
}

/// Sends SIGKILL to a child still running when a test fails, so that a failed run does not
/// leave a `pms up` behind holding the test runner's pipes.
/// Disarmed (`None`) once the child has been waited for, so a reused pid is never hit.
struct KillOnDrop(Option<u32>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn read_until(rx: &mpsc::Receiver<String>, needle: &str, seen: &mut Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            let hit = line.contains(needle);
            seen.push(line);
            if hit {
                return;
            }
        }
    }
    panic!(
        "`{needle}` never printed; output so far:\n{}",
        seen.join("\n")
    );
}

fn spawn_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

#[tokio::test(flavor = "multi_thread")]
async fn up_brings_the_platform_up_and_stops_cleanly() -> anyhow::Result<()> {
    let dir = DataDir::new("up");
    let worker = format!("127.0.0.1:{}", free_port());
    let mut child = pms()
        .arg("up")
        .env("PMS_DATA_DIR", &dir.0)
        .env("PMS_WORKER_LISTEN", &worker)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let mut guard = KillOnDrop(Some(child.id()));
    let rx = spawn_lines(&mut child);
    let mut seen = Vec::new();
    read_until(&rx, "press Ctrl-C", &mut seen);
    let text = seen.join("\n");
    for expected in [
        "admin@demo.pms-platform.local",
        "jane@demo.pms-platform.local",
        "/health",
        "/metrics",
    ] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }
    // The printed application connection string, used as a newcomer would.
    let app_url = text
        .lines()
        .find(|l| l.contains("as the application"))
        .and_then(|l| l.split('\'').nth(1))
        .expect("application connection string printed")
        .to_string();
    assert!(app_url.contains("pms_app@"), "{app_url}");
    let tenant = text
        .lines()
        .find(|l| l.contains("set_config('app.tenant_id'"))
        .and_then(|l| l.split('\'').nth(3))
        .expect("tenant id printed")
        .to_string();
    let pool = sqlx::PgPool::connect(&app_url).await?;
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await?;
    assert_eq!(none, 0, "no tenant set must mean no rows");
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(&tenant)
        .execute(&mut *tx)
        .await?;
    let emails: Vec<String> = sqlx::query_scalar("SELECT email FROM users")
        .fetch_all(&mut *tx)
        .await?;
    assert!(
        emails.len() >= 4
            && emails
                .iter()
                .all(|e| e.ends_with("@demo.pms-platform.local")),
        "{emails:?}"
    );
    tx.rollback().await?;
    pool.close().await;

    // Health and metrics answer (the first scheduler pass may take a moment).
    let mut health = String::new();
    for _ in 0..300 {
        health = http_get(&worker, "/health");
        if health.contains("\"database\":\"ok\"") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        health.starts_with("HTTP/1.0 200") || health.starts_with("HTTP/1.1 200"),
        "{health}"
    );
    let metrics = http_get(&worker, "/metrics");
    assert!(metrics.contains("200"), "{metrics}");
    // The registry of pms_monitor: the database, the worker's pool, every job's series; and the
    // platform's cache, which the worker holds: its counters and breaker gauge.
    for series in [
        "\npms_database_up 1",
        "pms_pool_max_connections{pool=\"maintenance\"}",
        "pms_job_consecutive_failures{job=\"expire_sessions\"}",
        "pms_cache_hits_total{category=\"session\"} 0",
        "pms_cache_breaker_state{backend=\"in-process\"} 0",
    ] {
        assert!(metrics.contains(series), "{series} missing:\n{metrics}");
    }

    // Ctrl-C stops cleanly.
    Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()?;
    let status = child.wait()?;
    guard.0 = None;
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(500)) {
        seen.push(line);
    }
    assert!(status.success(), "exit {status:?}\n{}", seen.join("\n"));
    assert!(seen.iter().any(|l| l.contains("stopped cleanly")));

    // A second `up` reuses the cluster and changes nothing.
    let again = pms()
        .args(["up", "--no-worker"])
        .env("PMS_DATA_DIR", &dir.0)
        .output()?;
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(
        out.contains("already running")
            && out.contains("0 applied now")
            && out.contains("(0 rows inserted now)"),
        "{out}"
    );
    let status = pms()
        .args(["migrate", "status"])
        .env("PMS_DATA_DIR", &dir.0)
        .output()?;
    assert!(String::from_utf8_lossy(&status.stdout).contains("0 pending"));
    let down = pms().arg("down").env("PMS_DATA_DIR", &dir.0).output()?;
    assert!(String::from_utf8_lossy(&down.stdout).contains("stopped PostgreSQL"));
    Ok(())
}

fn one_error_line(out: &std::process::Output) -> String {
    assert!(
        !out.status.success(),
        "expected failure, got success: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "want one error line, got:\n{err}");
    lines[0].to_string()
}

#[test]
fn unreachable_database_url_is_one_clear_line() {
    let port = free_port();
    let out = pms()
        .arg("migrate")
        .env(
            "DATABASE_URL",
            format!("postgresql://postgres:secret@127.0.0.1:{port}/pms"),
        )
        .output()
        .unwrap();
    let line = one_error_line(&out);
    assert!(
        line.contains(&format!("127.0.0.1:{port}")) && line.contains("DATABASE_URL"),
        "{line}"
    );
    assert!(!line.contains("secret"), "password leaked: {line}");
}

#[test]
fn malformed_configuration_is_one_clear_line() {
    let out = pms()
        .arg("migrate")
        .env("DATABASE_URL", "mysql://root@localhost/pms")
        .output()
        .unwrap();
    let line = one_error_line(&out);
    assert!(
        line.contains("DATABASE_URL") && line.contains("mysql"),
        "{line}"
    );
    let out = pms()
        .arg("config")
        .env("PMS_WORKER_LISTEN", "everywhere")
        .output()
        .unwrap();
    assert!(one_error_line(&out).contains("PMS_WORKER_LISTEN"));
}

#[test]
fn config_masks_secrets() {
    let out = pms()
        .arg("config")
        .env("DATABASE_URL", "postgresql://u:hunter2@db.example:5432/pms")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("u:****@db.example") && !text.contains("hunter2"),
        "{text}"
    );
}

#[test]
fn a_port_in_use_is_reported() {
    let dir = DataDir::new("port");
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let out = pms()
        .args(["up", "--no-worker"])
        .env("PMS_DATA_DIR", &dir.0)
        .env("PMS_PG_PORT", port.to_string())
        .output()
        .unwrap();
    let line = one_error_line(&out);
    assert!(
        line.contains(&format!("port {port}")) && line.contains("in use"),
        "{line}"
    );
}

#[test]
fn a_data_directory_owned_by_someone_else_is_reported() {
    if !is_root() {
        eprintln!("skipped: needs root to create a directory owned by another user");
        return;
    }
    let dir = DataDir::new("owner");
    let data = dir.0.join("pg").join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("PG_VERSION"), "15\n").unwrap();
    let _ = Command::new("chown")
        .args(["-R", "nobody"])
        .arg(&data)
        .status();
    let out = pms()
        .args(["up", "--no-worker"])
        .env("PMS_DATA_DIR", &dir.0)
        .output()
        .unwrap();
    let line = one_error_line(&out);
    assert!(
        line.contains("owned by uid") && line.contains(&data.display().to_string()),
        "{line}"
    );
}

#[test]
fn config_shows_backup_and_api_settings_and_names_bad_ones() {
    let out = pms()
        .arg("config")
        .env("PMS_BACKUP_FULL_EVERY", "3d")
        .env("PMS_SESSION_IDLE_SECS", "900")
        .env("PMS_READ_MAX_LAG", "2s")
        .env(
            "PMS_READ_DATABASE_URL",
            "postgresql://pms_readonly:sekret@127.0.0.1:5433/pms, postgresql://127.0.0.1:5434/pms",
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("sekret"), "a password printed: {text}");
    for needle in [
        "PMS_PGBOUNCER_URL",
        "PMS_READ_DATABASE_URL",
        "127.0.0.1:5434",
        "PMS_READ_MAX_LAG",
        "2000ms",
        "PMS_BACKUP_FULL_EVERY",
        "259200s",
        "PMS_SESSION_IDLE_SECS",
        "900",
        "PMS_CORS_ORIGINS",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    for (var, value) in [
        ("PMS_BACKUP_DIFF_EVERY", "often"),
        ("PMS_SESSION_TTL_SECS", "forever"),
        ("PMS_READ_WAIT", "a while"),
    ] {
        let out = pms().arg("config").env(var, value).output().unwrap();
        assert!(!out.status.success());
        assert!(one_error_line(&out).contains(var), "{var}");
    }
}
