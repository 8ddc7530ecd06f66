//! The cache suite against the in-process backend (the default without `REDIS_URL`).

mod suite;

use pms_cache::{Cache, CacheOptions};

macro_rules! suite_tests {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() -> anyhow::Result<()> {
            let cache = Cache::open(CacheOptions::local())?;
            assert_eq!(cache.backend(), "in-process");
            suite::$name(&cache).await
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
