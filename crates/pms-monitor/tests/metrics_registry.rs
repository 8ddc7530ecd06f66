//! The `/metrics` registry against a real database: the database, pool and time-series
//! families are there; database figures are collected once per cache interval however often
//! it renders; and with the database gone a render still answers, with `pms_database_up 0`.

use pms_monitor::{MonitorOptions, Registry};
use pms_test_support::TestDb;
use std::time::Duration;

fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn a_render_has_the_database_pools_and_platform_and_is_cached() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let pool = pms_monitor::monitor_pool(
        db.urls.options(pms_db::RoleName::Admin)?,
        Duration::from_secs(10),
    );
    let options = MonitorOptions {
        fast_ttl: Duration::from_secs(3600),
        slow_ttl: Duration::from_secs(3600),
        ..Default::default()
    };
    let registry = Registry::new(pool, options)?;
    registry.pools.observe("app", db.app.clone());
    let first = registry.render().await;
    for series in [
        "pms_database_up",
        "pms_database_max_connections",
        "pms_database_longest_query_seconds",
        "pms_database_longest_transaction_seconds",
        "pms_database_deadlocks_total",
        "pms_database_size_bytes",
        "pms_database_in_recovery",
        "pms_database_replicas",
        "pms_database_wal_archive_failures_total",
        "pms_audit_window_seconds",
    ] {
        assert!(
            value(&first, series).is_some(),
            "{series} missing:\n{first}"
        );
    }
    assert_eq!(value(&first, "pms_database_up"), Some(1.0));
    assert_eq!(value(&first, "pms_database_replicas"), Some(0.0));
    for needle in [
        "pms_pool_max_connections{pool=\"app\"} 8",
        "pms_pool_connections{pool=\"app\",state=\"in_use\"}",
        "pms_pool_acquire_seconds_bucket{pool=\"app\"",
        "pms_database_connections{state=\"active\"}",
        "pms_timeseries_chunks{hypertable=\"performance_metrics_ts\",state=\"compressed\"} 0",
        "pms_timeseries_rollup_bucket_seconds{rollup=\"performance_metrics_daily\"} 86400",
        "pms_audit_suspicious_findings{pattern=\"REPEATED_LOGIN_FAILURES\",level=\"HIGH\"} 0",
        "pms_archive_batches{status=\"ARCHIVED\"} 0",
        "pms_retention_rows{tier=\"DUE\"} 0",
        "pms_monitor_collect_ok{group=\"timeseries\"} 1",
        "# TYPE pms_database_deadlocks_total counter",
    ] {
        assert!(first.contains(needle), "{needle} missing:\n{first}");
    }
    // Within the interval a render reuses the collection: the same collection time.
    let second = registry.render().await;
    assert_eq!(
        value(&first, "pms_monitor_collect_fast_seconds"),
        value(&second, "pms_monitor_collect_fast_seconds")
    );
    assert_eq!(
        value(&first, "pms_monitor_collect_slow_seconds"),
        value(&second, "pms_monitor_collect_slow_seconds")
    );
    registry.invalidate().await;
    let third = registry.render().await;
    assert!(value(&third, "pms_database_up") == Some(1.0));
    Ok(())
}

#[tokio::test]
async fn with_the_database_down_a_render_answers_with_up_0() -> anyhow::Result<()> {
    // A port nobody listens on: the database is "down".
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let url = format!("postgresql://postgres@127.0.0.1:{port}/pms");
    let pool = pms_monitor::monitor_pool_for_url(&url, Duration::from_millis(500))?;
    let registry = Registry::new(pool, MonitorOptions::default())?;
    metrics::counter!("pms_test_process_metric_total").increment(3);
    let text = registry.render().await;
    assert_eq!(value(&text, "pms_database_up"), Some(0.0), "{text}");
    assert!(text.contains("pms_test_process_metric_total 3"), "{text}");
    assert!(!text.contains("pms_database_size_bytes"), "{text}");
    // And a bad URL is a clear error, not a panic.
    let e = pms_monitor::monitor_pool_for_url("not a url", Duration::from_secs(1)).unwrap_err();
    assert!(e.to_string().contains("monitor database URL"), "{e}");
    Ok(())
}
