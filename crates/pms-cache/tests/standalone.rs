//! The cache suite against the shared Redis, each test under its own key prefix.

mod suite;

use pms_cache::{Cache, CacheOptions};
use pms_test_support::TestRedis;

async fn with_cache<F, Fut>(f: F) -> anyhow::Result<()>
where
    F: FnOnce(Cache) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let redis = TestRedis::new().await?;
    let cache = Cache::open(CacheOptions { prefix: format!("{}pms:", redis.prefix), ..CacheOptions::redis(&redis.url) })?;
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
    let mine = Cache::open(CacheOptions { prefix: format!("{}pms:", redis.prefix), ..CacheOptions::redis(&redis.url) })?;
    let other = Cache::open(CacheOptions { prefix: format!("{}other:", redis.prefix), ..CacheOptions::redis(&redis.url) })?;
    let t = suite::tenant();
    let key = pms_cache::Key::report(t, "r1")?;
    suite::read(&mine, &key, "mine").await?;
    suite::read(&other, &key, "other").await?;
    assert_eq!(mine.del_pattern(None, "report:*").await?, 1);
    assert!(suite::read(&mine, &key, "x").await?.1, "mine was deleted");
    assert!(!suite::read(&other, &key, "x").await?.1, "the other prefix was not touched");
    redis.cleanup().await?;
    Ok(())
}
