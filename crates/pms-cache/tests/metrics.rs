//! Hits, misses, errors, loader time and Redis latency by category reach the Prometheus
//! recorder (what `/metrics` renders). Its own test binary: it installs the global recorder.

use pms_cache::{Cache, CacheOptions, Category, Key};
use pms_core::{TenantId, UserId};
use pms_test_support::{RedisServer, TestRedis};
use std::convert::Infallible;
use std::time::Duration;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_metrics_are_exported_by_category() -> anyhow::Result<()> {
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder()?;
    let redis = TestRedis::new().await?;
    let cache = Cache::open(CacheOptions {
        prefix: format!("{}pms:", redis.prefix),
        timeout: Duration::from_millis(500),
        ..CacheOptions::redis(&redis.url)
    })?;
    let key = Key::user_profile(TenantId(Uuid::new_v4()), UserId(Uuid::new_v4()));
    for _ in 0..3 {
        cache
            .get_or_set(&key, || async { Ok::<_, Infallible>(7u32) })
            .await?;
    }
    // Errors: a server that is gone.
    let mut dead = RedisServer::start()?;
    let broken = Cache::open(CacheOptions {
        timeout: Duration::from_millis(50),
        ..CacheOptions::redis(dead.url())
    })?;
    dead.stop()?;
    let dash = Key::dashboard(TenantId(Uuid::new_v4()), UserId(Uuid::new_v4()));
    assert_eq!(
        broken
            .get_or_set(&dash, || async { Ok::<_, Infallible>(1u8) })
            .await?,
        1,
        "fails open"
    );

    let text = handle.render();
    assert!(
        text.contains(r#"pms_cache_hits_total{category="user_profile"} 2"#),
        "{text}"
    );
    assert!(
        text.contains(r#"pms_cache_misses_total{category="user_profile"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"pms_cache_errors_total{category="dashboard"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"pms_cache_loader_seconds_count{category="user_profile"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"pms_cache_redis_seconds_count{category="user_profile",op="read"}"#),
        "{text}"
    );

    let s = cache
        .stats()
        .into_iter()
        .find(|s| s.category == Category::UserProfile)
        .expect("category");
    assert_eq!((s.hits, s.misses, s.loads), (2, 1, 1));
    redis.cleanup().await?;
    Ok(())
}
