//! The same suite against a three-master Redis Cluster started on loopback ports.

mod suite;

use pms_cache::{Cache, CacheOptions};
use pms_test_support::RedisCluster;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suite_on_a_three_master_cluster() -> anyhow::Result<()> {
    let cluster = RedisCluster::start()?;
    let cache = Cache::open(CacheOptions {
        timeout: std::time::Duration::from_millis(500),
        ..CacheOptions::redis(cluster.url())
    })?;
    assert_eq!(cache.backend(), "redis-cluster");
    suite::ttls_per_category(&cache).await?;
    suite::invalidation_is_exact(&cache).await?;
    suite::tenants_never_share(&cache).await?;
    suite::stampede(&cache).await?;
    suite::write_through(&cache).await?;
    suite::undecodable_values_are_misses(&cache).await?;
    suite::del_pattern_is_scoped(&cache).await?;
    // Tenants really are spread over the masters (the keys of each live in one slot).
    let mut owners = std::collections::HashSet::new();
    for _ in 0..30 {
        let t = suite::tenant();
        let key = pms_cache::Key::org_health(t);
        suite::read(&cache, &key, "spread").await?;
        for n in &cluster.nodes {
            let out = std::process::Command::new("redis-cli")
                .args([
                    "-p",
                    &n.port.to_string(),
                    "--raw",
                    "exists",
                    &format!("pms:{}", key.path()),
                ])
                .output()?;
            if String::from_utf8_lossy(&out.stdout).trim() == "1" {
                owners.insert(n.port);
            }
        }
    }
    assert!(
        owners.len() >= 2,
        "30 tenants landed on {} master(s)",
        owners.len()
    );
    // An operator's purge across all tenants visits every master.
    let purged = cache.del_pattern(None, "org:health:*").await?;
    assert!(purged >= 30, "purged {purged}");
    let left = cache
        .redis()
        .expect("redis")
        .scan_paths(None, 100_000)
        .await?;
    assert!(
        left.iter().all(|p| !p.contains(":org:health:")),
        "org health keys left: {left:?}"
    );
    eprintln!(
        "cache errors on the cluster (timeouts under load fail open): {}",
        cache.stats().iter().map(|s| s.errors).sum::<u64>()
    );
    Ok(())
}
