//! The alerts of deploy/prometheus/alerts.yml fired for real, through a real Prometheus that
//! scrapes two worker `/metrics` endpoints every second (served in process with the registry,
//! pools, scheduler and router of `pms worker`): one watches a pms database (a per-test clone
//! of the migrated template on the test server), the other a private bare cluster of the test's
//! own, whose data directory is on a small tmpfs (when root) and which has a streaming replica
//! (`pg_basebackup -R`) — the conditions of a whole server. Each condition is made to happen,
//! its alert is seen firing through Prometheus's API, the condition is ended, and the alert is
//! seen to clear:
//! - a query running longer than 1 s (`pg_sleep`, then cancelled),
//! - the pool exhausted (more concurrent statements than its connections),
//! - the disk below 20% (a filler file on the tmpfs; skipped, saying so, when not root),
//! - replication lag above a minute (replay paused with `pg_wal_replay_pause()` while the
//!   primary keeps writing, then resumed),
//! - a failed backup job (a job named `backup_*` that fails, then succeeds; `pms backup` is
//!   not there yet) and a failing worker job,
//! - suspicious activity (a burst of failed logins written as security events; cleared by
//!   raising the tenant's threshold, as the runbook says for an expected burst),
//! - and at the end the server stopped: /metrics still answers 200 with `pms_database_up 0`.
//!
//! The rules run with every `for:` set to 0 s (their real durations are unit-tested by
//! promtool); thresholds are the real ones, so the replication part waits its minute.

mod e2e;

use anyhow::Context as _;
use e2e::*;
use pms_db::RoleName;
use pms_db::cluster::Cluster;
use pms_monitor::{MonitorOptions, Registry};
use pms_test_support::TestDb;
use pms_worker::{Job, JobContext, Scheduler, scheduler::JobFuture};
use sqlx::{Connection, Executor, PgConnection};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

struct Flaky {
    name: &'static str,
    failing: Arc<AtomicBool>,
}

impl Job for Flaky {
    fn name(&self) -> &'static str {
        self.name
    }
    fn interval(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn run<'a>(&'a self, _ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            if self.failing.load(Ordering::SeqCst) {
                Err(format!("{}: the repository is unreachable (test)", self.name).into())
            } else {
                Ok(serde_json::json!({"ok": true}))
            }
        })
    }
}

/// Every `for:` of the rules set to 0 s.
fn instant_rules(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("for: ") {
            Some(i) if l.trim_start().starts_with("for: ") => format!("{}for: 0s", &l[..i]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn wait(
    p: &Prometheus,
    alert: &str,
    firing: bool,
    within: Duration,
    matches: impl Fn(&serde_json::Value) -> bool,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + within;
    loop {
        let alerts = p.alerts();
        let mine: Vec<_> = alerts
            .iter()
            .filter(|(n, _, l)| n == alert && matches(l))
            .collect();
        let done = if firing {
            mine.iter().any(|(_, s, _)| s == "firing")
        } else {
            mine.is_empty()
        };
        if done {
            eprintln!(
                "{alert}: {} ({:.0?} into the test)",
                if firing { "firing" } else { "cleared" },
                started().elapsed()
            );
            return Ok(());
        }
        if Instant::now() > deadline {
            anyhow::bail!(
                "{alert} did not {} within {within:?}; alerts now: {alerts:?}",
                if firing { "fire" } else { "clear" }
            );
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

fn started() -> Instant {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn any(_: &serde_json::Value) -> bool {
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_alert_fires_through_prometheus_and_clears() -> anyhow::Result<()> {
    started();
    // The server-level conditions: a bare private cluster on a tmpfs, and its replica.
    let scratch = Scratch::new("alerts", "256m")?;
    let pg_dir = scratch
        .tmpfs
        .clone()
        .unwrap_or_else(|| scratch.root.join("disk"));
    let cluster = Cluster::new(&pg_dir)?;
    cluster.ensure_started()?;
    struct Stop(Cluster);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.stop();
        }
    }
    let primary = Stop(cluster.clone());
    let server_url = cluster.admin_url("postgres");
    let mut server = PgConnection::connect(&server_url).await?;
    server
        .execute("CREATE TABLE e2e_wal (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())")
        .await?;
    let replica = Replica::start(&cluster.bindir, &scratch.root, cluster.port)?;
    let mut standby = PgConnection::connect(&replica.url()).await?;
    eprintln!(
        "replica streaming ({:.0?} into the test)",
        started().elapsed()
    );
    // Replication: replay paused while the primary keeps writing; checked after the others.
    sqlx::query("SELECT pg_wal_replay_pause()")
        .execute(&mut standby)
        .await?;
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let writing = writing.clone();
        let url = server_url.clone();
        tokio::spawn(async move {
            let Ok(mut c) = PgConnection::connect(&url).await else {
                return;
            };
            while writing.load(Ordering::SeqCst) {
                let _ = c.execute("INSERT INTO e2e_wal DEFAULT VALUES").await;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        })
    };

    // The pms database: the other conditions.
    let db = TestDb::new().await?;
    let options = MonitorOptions {
        fast_ttl: Duration::from_millis(500),
        slow_ttl: Duration::from_millis(500),
        ..Default::default()
    };
    // With the server down, a collection waits for the pool's whole acquire timeout (sqlx
    // retries the refused connections until then); it must end well inside Prometheus's scrape
    // timeout below, or on a loaded machine every scrape times out and `pms_database_up 0` is
    // never seen (it happened with 2 s against 1 s).
    let watch_db = Registry::new(
        pms_monitor::monitor_pool(db.urls.options(RoleName::Admin)?, Duration::from_secs(1)),
        options.clone(),
    )?;
    let watch_server = Registry::new(
        pms_monitor::monitor_pool_for_url(&server_url, Duration::from_secs(1))?,
        options,
    )?;
    let maintenance = db.urls.pool(RoleName::Maintenance, 3).await?;
    watch_db.pools.observe("maintenance", maintenance.clone());
    let backup_failing = Arc::new(AtomicBool::new(true));
    let job_failing = Arc::new(AtomicBool::new(true));
    let jobs: Vec<Arc<dyn Job>> = vec![
        Arc::new(Flaky {
            name: "backup_nightly",
            failing: backup_failing.clone(),
        }),
        Arc::new(Flaky {
            name: "nightly_export",
            failing: job_failing.clone(),
        }),
    ];
    let scheduler = Scheduler::new(JobContext::new(maintenance.clone()), jobs);
    pms_worker::job_metrics::register(&scheduler.job_names());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let sched = tokio::spawn(scheduler.run(stop_rx));
    let mut targets = Vec::new();
    for registry in [watch_db.clone(), watch_server.clone()] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        targets.push(listener.local_addr()?.to_string());
        let app = pms_worker::http::router(maintenance.clone(), registry, "worker");
        tokio::spawn(async move { axum::serve(listener, app).await });
    }
    let server_target = targets[1].clone();

    let rules = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../deploy/prometheus/alerts.yml"
    ))?;
    let config = format!(
        "global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\n  evaluation_interval: 1s\nrule_files:\n  - rules.yml\nscrape_configs:\n  - job_name: pms-worker\n    honor_labels: true\n    static_configs:\n      - targets: ['{}', '{}']\n",
        targets[0], targets[1]
    );
    let prom = Prometheus::start(
        &scratch.root.join("prometheus"),
        &config,
        &instant_rules(&rules),
    )?;
    let minute = Duration::from_secs(60);
    let on_server = |l: &serde_json::Value| l["instance"] == server_target.as_str();

    // A failed backup job, and a failing job that is not a backup.
    let is = |job: &'static str| move |l: &serde_json::Value| l["job"] == job;
    wait(
        &prom,
        "PmsBackupJobFailed",
        true,
        minute,
        is("backup_nightly"),
    )
    .await?;
    wait(
        &prom,
        "PmsWorkerJobFailing",
        true,
        minute,
        is("nightly_export"),
    )
    .await?;
    assert!(
        !prom
            .alerts()
            .iter()
            .any(|(n, _, l)| n == "PmsWorkerJobFailing" && l["job"] == "backup_nightly"),
        "a backup job has its own alert"
    );
    backup_failing.store(false, Ordering::SeqCst);
    job_failing.store(false, Ordering::SeqCst);
    wait(&prom, "PmsBackupJobFailed", false, minute, any).await?;
    wait(&prom, "PmsWorkerJobFailing", false, minute, any).await?;

    // A query running longer than 1 s.
    let mut app = db.app.acquire().await?;
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *app)
        .await?;
    let sleeper = tokio::spawn(async move {
        let _ = app.execute("SELECT pg_sleep(600)").await;
    });
    wait(&prom, "PmsSlowQuery", true, minute, any).await?;
    let mut admin = db.admin().await?;
    sqlx::query("SELECT pg_cancel_backend($1)")
        .bind(pid)
        .execute(&mut admin)
        .await?;
    let _ = sleeper.await;
    wait(&prom, "PmsSlowQuery", false, minute, any).await?;

    // The pool exhausted: six workers of short statements on a pool of three connections.
    let busy = Arc::new(AtomicBool::new(true));
    let mut workers = Vec::new();
    for _ in 0..6 {
        let (busy, pool) = (busy.clone(), maintenance.clone());
        workers.push(tokio::spawn(async move {
            while busy.load(Ordering::SeqCst) {
                let _ = pool.execute("SELECT pg_sleep(0.3)").await;
            }
        }));
    }
    wait(&prom, "PmsConnectionPoolExhausted", true, minute, |l| {
        l["pool"] == "maintenance"
    })
    .await?;
    busy.store(false, Ordering::SeqCst);
    for w in workers {
        let _ = w.await;
    }
    wait(&prom, "PmsConnectionPoolExhausted", false, minute, any).await?;

    // Suspicious activity: a burst of failed logins for one account.
    let tenant = uuid::Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'e2e', 'e2e')")
        .bind(tenant)
        .execute(&mut admin)
        .await?;
    for _ in 0..6 {
        let mut tx = pms_db::TenantTx::begin(&db.app, pms_core::TenantId(tenant), None).await?;
        sqlx::query("SELECT record_security_event('LOGIN_FAILURE', NULL, '203.0.113.7', 'e2e', NULL, NULL, '{}', 'victim@e2e.test', 'MEDIUM')")
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
    }
    wait(&prom, "PmsSuspiciousActivity", true, minute, |l| {
        l["pattern"] == "REPEATED_LOGIN_FAILURES"
    })
    .await?;
    sqlx::query("INSERT INTO security_alert_settings (tenant_id, failed_logins) VALUES ($1, 1000)")
        .bind(tenant)
        .execute(&mut admin)
        .await?;
    wait(&prom, "PmsSuspiciousActivity", false, minute, any).await?;

    // The disk below 20%: fill the tmpfs that holds the data directory to 85%.
    if let Some(disk) = &scratch.tmpfs {
        let u = pms_monitor::disk::usage(disk).context("statvfs of the tmpfs")?;
        let fill = u.available_bytes.saturating_sub(u.total_bytes * 15 / 100);
        let filler = disk.join("filler");
        {
            use std::io::Write as _;
            let mut f = std::fs::File::create(&filler)?;
            let chunk = vec![0x5au8; 1 << 20];
            let mut left = fill;
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                f.write_all(&chunk[..n])?;
                left -= n as u64;
            }
        }
        wait(&prom, "PmsDiskSpaceLow", true, minute, on_server).await?;
        std::fs::remove_file(&filler)?;
        // (Only this server's: the test server's own disk may be low too, and then its alert
        // rightly stays.)
        wait(&prom, "PmsDiskSpaceLow", false, minute, on_server).await?;
    }

    // Replication lag above a minute, then replay resumed.
    wait(
        &prom,
        "PmsReplicationLag",
        true,
        Duration::from_secs(180),
        |l| l["replica"] == "walreceiver",
    )
    .await?;
    sqlx::query("SELECT pg_wal_replay_resume()")
        .execute(&mut standby)
        .await?;
    wait(&prom, "PmsReplicationLag", false, minute, on_server).await?;
    writing.store(false, Ordering::SeqCst);
    let _ = writer.await;

    // The server stops: a scrape still answers 200, with pms_database_up 0.
    standby.close().await.ok();
    server.close().await.ok();
    drop(replica);
    cluster.stop()?;
    let mut scrape = String::new();
    for _ in 0..50 {
        scrape = get(&server_target, "/metrics");
        if scrape.contains("\npms_database_up 0") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        scrape.starts_with("HTTP/1.1 200") || scrape.starts_with("HTTP/1.0 200"),
        "{scrape}"
    );
    assert!(scrape.contains("\npms_database_up 0"), "{scrape}");
    assert!(
        scrape.contains("pms_job_failures_total{job=\"backup_nightly\"}"),
        "{scrape}"
    );
    wait(&prom, "PmsDatabaseDown", true, minute, on_server).await?;

    let _ = stop_tx.send(true);
    let _ = sched.await;
    drop(prom);
    drop(primary);
    Ok(())
}
