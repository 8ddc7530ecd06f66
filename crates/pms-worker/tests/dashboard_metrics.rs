//! deploy/grafana/pms.json is importable (valid JSON, a data-source input, panels with
//! queries) and every metric it queries is one that `/metrics` exposes: a worker's registry,
//! after the things that produce each family have happened once (cache hits, misses and Redis
//! failures, jobs that fail and succeed, the audit and archive verifications, a pool), is
//! rendered and every `pms_*` name of every panel query must be declared in it.
//! (HTTP metrics come with `pms serve`, which does not exist yet; the dashboard has none.)

use pms_cache::{Cache, CacheOptions, Key};
use pms_core::{TenantId, UserId};
use pms_monitor::{MonitorOptions, Registry};
use pms_test_support::{TestDb, TestRedis};
use pms_worker::jobs::{archive_verify::ArchiveVerify, audit_chain_verify::AuditChainVerify};
use pms_worker::scheduler::JobFuture;
use pms_worker::{Job, JobContext, Scheduler};
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::time::Duration;
use uuid::Uuid;

struct Fails;

impl Job for Fails {
    fn name(&self) -> &'static str {
        "backup_nightly"
    }
    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }
    fn run<'a>(&'a self, _ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async { Err("no repository (test)".to_string().into()) })
    }
}

/// Every `pms_*` identifier in a PromQL expression.
fn names(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if expr[i..].starts_with("pms_")
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let end = expr[i..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(expr.len(), |e| i + e);
            out.push(expr[i..end].to_string());
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_the_dashboard_queries_is_exposed() -> anyhow::Result<()> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../deploy/grafana/pms.json"
    ))?;
    let dash: serde_json::Value = serde_json::from_str(&text)?;
    assert_eq!(dash["__inputs"][0]["pluginId"], "prometheus");
    assert!(dash["uid"].is_string() && dash["title"].is_string());
    let mut queried = BTreeSet::new();
    let mut panels = 0;
    for p in dash["panels"].as_array().into_iter().flatten() {
        for t in p["targets"].as_array().into_iter().flatten() {
            let expr = t["expr"].as_str().unwrap_or_default();
            assert!(!expr.is_empty(), "panel {} has an empty query", p["title"]);
            queried.extend(names(expr));
            panels += 1;
        }
    }
    assert!(panels > 20, "{panels} queries");

    let db = TestDb::new().await?;
    let registry = Registry::new(
        pms_monitor::monitor_pool(
            db.urls.options(pms_db::RoleName::Admin)?,
            Duration::from_secs(10),
        ),
        MonitorOptions::default(),
    )?;
    registry
        .pools
        .observe("maintenance", db.maintenance.clone());
    // The cache: hits, misses and loads; Redis round trips; errors, breaker and deferred
    // invalidations against a Redis that is not there.
    let redis = TestRedis::new().await?;
    let cache = Cache::open(CacheOptions {
        prefix: format!("{}pms:", redis.prefix),
        ..CacheOptions::redis(&redis.url)
    })?;
    let (tenant, user) = (TenantId(Uuid::new_v4()), UserId(Uuid::new_v4()));
    for _ in 0..2 {
        cache
            .get_or_set(&Key::user_profile(tenant, user), || async {
                Ok::<_, Infallible>(1u8)
            })
            .await?;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dead = Cache::open(CacheOptions {
        timeout: Duration::from_millis(50),
        ..CacheOptions::redis(format!("redis://127.0.0.1:{port}"))
    })?;
    for _ in 0..8 {
        dead.get_or_set(&Key::dashboard(tenant, user), || async {
            Ok::<_, Infallible>(1u8)
        })
        .await?;
    }
    dead.invalidate_user(tenant, user).await;
    let hooked = dead.clone();
    registry.on_render(Box::new(move || hooked.record_gauges()));
    // Jobs: one fails, the verifications succeed.
    let ctx = JobContext::new(db.maintenance.clone());
    let archive_dir = std::env::temp_dir().join(format!("pms-dash-{}", Uuid::new_v4().simple()));
    let verify_archive = ArchiveVerify::with_config(pms_archive::ArchiveConfig::for_url(format!(
        "file://{}",
        archive_dir.display()
    )));
    pms_worker::job_metrics::register(&["backup_nightly", "audit_chain_verify", "archive_verify"]);
    assert!(Scheduler::run_once(&ctx, &Fails).await.is_err());
    Scheduler::run_once(&ctx, &AuditChainVerify)
        .await
        .map_err(anyhow::Error::msg)?;
    Scheduler::run_once(&ctx, &verify_archive)
        .await
        .map_err(anyhow::Error::msg)?;
    let _ = std::fs::remove_dir_all(&archive_dir);

    let exposed = registry.render().await;
    let declared: BTreeSet<String> = exposed
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    let missing: Vec<&String> = queried
        .iter()
        .filter(|n| {
            let base = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| n.strip_suffix(s))
                .unwrap_or(n);
            !declared.contains(n.as_str()) && !declared.contains(base)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "the dashboard queries metrics /metrics does not expose: {missing:?}\nexposed: {declared:?}"
    );
    assert!(
        exposed.contains("pms_cache_breaker_state{backend=\"redis\"}"),
        "{exposed}"
    );
    assert!(
        exposed.contains("pms_audit_chain_broken_streams{stream=\"audit\"} 0"),
        "{exposed}"
    );
    assert!(
        exposed.contains("pms_archive_verify_problems 0"),
        "{exposed}"
    );
    assert!(
        exposed.contains("pms_job_consecutive_failures{job=\"backup_nightly\"} 1"),
        "{exposed}"
    );
    redis.cleanup().await?;
    Ok(())
}
