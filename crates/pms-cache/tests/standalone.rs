//! The cache suite against the shared Redis, each test under its own key prefix.

mod suite;

use pms_cache::{Cache, CacheOptions};
use pms_test_support::TestRedis;
use std::time::Duration;

async fn with_cache<F, Fut>(f: F) -> anyhow::Result<()>
where
    F: FnOnce(Cache) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let redis = TestRedis::new().await?;
    let cache = Cache::open(CacheOptions {
        prefix: format!("{}pms:", redis.prefix),
        timeout: Duration::from_millis(500),
        ..CacheOptions::redis(&redis.url)
    })?;
    let result = f(cache).await;
    redis.cleanup().await?;
    result
}

macro_rules! suite_tests {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() -> anyhow::Result<()> {
            with_cache(|c| async move { suite::$name(&c).await }).await
        }
    )*};
}

suite_tests!(
    ttls_per_category,
    invalidation_is_exact,
    tenants_never_share,
    stampede,
    write_through,
    undecodable_values_are_misses,
    del_pattern_is_scoped,
);

/// `del_pattern` puts the configured prefix in front: a key with the same path under another
/// prefix survives.
#[tokio::test]
async fn del_pattern_applies_the_prefix() -> anyhow::Result<()> {
    let redis = TestRedis::new().await?;
    let mine = Cache::open(CacheOptions {
        prefix: format!("{}pms:", redis.prefix),
        timeout: Duration::from_millis(500),
        ..CacheOptions::redis(&redis.url)
    })?;
    let other = Cache::open(CacheOptions {
        prefix: format!("{}other:", redis.prefix),
        ..CacheOptions::redis(&redis.url)
    })?;
    let t = suite::tenant();
    let key = pms_cache::Key::report(t, "r1")?;
    suite::read(&mine, &key, "mine").await?;
    suite::read(&other, &key, "other").await?;
    assert_eq!(mine.del_pattern(None, "report:*").await?, 1);
    assert!(suite::read(&mine, &key, "x").await?.1, "mine was deleted");
    assert!(
        !suite::read(&other, &key, "x").await?.1,
        "the other prefix was not touched"
    );
    redis.cleanup().await?;
    Ok(())
}

/// A cold cache does not flood the source: at most `max_concurrent_loads` loaders run at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_loads_are_capped() -> anyhow::Result<()> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let redis = TestRedis::new().await?;
    let cache = Cache::open(CacheOptions {
        prefix: format!("{}pms:", redis.prefix),
        timeout: Duration::from_millis(500),
        max_concurrent_loads: 4,
        ..CacheOptions::redis(&redis.url)
    })?;
    let t = suite::tenant();
    let (running, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut tasks = Vec::new();
    for i in 0..100 {
        let (cache, running, peak) = (cache.clone(), running.clone(), peak.clone());
        let key = pms_cache::Key::report(t, &format!("r{i}"))?;
        tasks.push(tokio::spawn(async move {
            cache
                .get_or_set(&key, || async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    Ok::<_, std::convert::Infallible>(i)
                })
                .await
        }));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        assert_eq!(task.await??, i);
    }
    assert_eq!(
        peak.load(Ordering::SeqCst),
        4,
        "four loaders at most, and the cap was reached"
    );
    redis.cleanup().await?;
    Ok(())
}
