//! The login rate limiter: sliding windows per account and per source address, on Redis
//! (shared, own prefix) and in process, and still limiting when Redis is down.

use pms_cache::rate_limit::{Limit, LoginLimiter, LoginLimits};
use pms_cache::{Cache, CacheOptions};
use pms_core::TenantId;
use pms_test_support::{RedisServer, TestRedis};
use std::net::IpAddr;
use std::time::Duration;
use uuid::Uuid;

fn limits() -> LoginLimits {
    LoginLimits {
        per_account: 3,
        per_address: 5,
        window: Duration::from_millis(1500),
    }
}

async fn windows(limiter: &LoginLimiter) -> anyhow::Result<()> {
    let t = TenantId(Uuid::new_v4());
    let ip: IpAddr = "10.0.0.1".parse()?;
    for _ in 0..3 {
        assert!(limiter.check(t, "Ann@Example.com", ip).await?.allowed);
    }
    let d = limiter.check(t, "ann@example.com", ip).await?;
    assert!(
        !d.allowed,
        "fourth attempt on the account (case-insensitive) refused"
    );
    assert_eq!(d.limited_by, Some(Limit::Account));
    assert!(d.retry_after > Duration::ZERO && d.retry_after <= limits().window);

    // Other accounts from the same address: the address window (5) fills after 2 more.
    assert!(limiter.check(t, "bob@example.com", ip).await?.allowed);
    assert!(limiter.check(t, "cat@example.com", ip).await?.allowed);
    let d = limiter.check(t, "dan@example.com", ip).await?;
    assert_eq!(d.limited_by, Some(Limit::Address));

    // Another address and another tenant are counted apart.
    let other_ip: IpAddr = "2001:db8::1".parse()?;
    assert!(limiter.check(t, "eve@example.com", other_ip).await?.allowed);
    assert!(
        limiter
            .check(TenantId(Uuid::new_v4()), "ann@example.com", ip)
            .await?
            .allowed
    );

    // The window slides: after it passes, attempts are allowed again.
    tokio::time::sleep(limits().window + Duration::from_millis(200)).await;
    assert!(limiter.check(t, "ann@example.com", ip).await?.allowed);

    // A successful login clears the account's window.
    limiter.check(t, "fay@example.com", other_ip).await?;
    limiter.check(t, "fay@example.com", other_ip).await?;
    limiter.reset_account(t, "fay@example.com").await?;
    for _ in 0..3 {
        assert!(limiter.check(t, "fay@example.com", other_ip).await?.allowed);
    }
    assert!(
        limiter.check(t, "", ip).await.is_err(),
        "empty account refused"
    );
    assert!(
        limiter.check(t, "a\u{0}b", ip).await.is_err(),
        "control characters refused"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sliding_windows_on_redis() -> anyhow::Result<()> {
    let redis = TestRedis::new().await?;
    let cache = Cache::open(CacheOptions {
        prefix: format!("{}pms:", redis.prefix),
        timeout: Duration::from_millis(500),
        ..CacheOptions::redis(&redis.url)
    })?;
    let r = windows(&LoginLimiter::new(cache.clone(), limits())).await;
    assert_eq!(cache.stats().iter().map(|s| s.errors).sum::<u64>(), 0);
    redis.cleanup().await?;
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sliding_windows_in_process() -> anyhow::Result<()> {
    windows(&LoginLimiter::new(
        Cache::open(CacheOptions::local())?,
        limits(),
    ))
    .await
}

/// Two limiters (two API processes) on one Redis share the windows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn windows_are_shared_through_redis() -> anyhow::Result<()> {
    let redis = TestRedis::new().await?;
    let open = || {
        Cache::open(CacheOptions {
            prefix: format!("{}pms:", redis.prefix),
            timeout: Duration::from_millis(500),
            ..CacheOptions::redis(&redis.url)
        })
    };
    let (a, b) = (
        LoginLimiter::new(open()?, limits()),
        LoginLimiter::new(open()?, limits()),
    );
    let t = TenantId(Uuid::new_v4());
    let ip: IpAddr = "10.1.1.1".parse()?;
    assert!(a.check(t, "x@y.co", ip).await?.allowed);
    assert!(b.check(t, "x@y.co", ip).await?.allowed);
    assert!(a.check(t, "x@y.co", ip).await?.allowed);
    assert!(
        !b.check(t, "x@y.co", ip).await?.allowed,
        "the fourth attempt, via the other process, is refused"
    );
    redis.cleanup().await?;
    Ok(())
}

/// Redis down: the limiter keeps limiting (in process) instead of allowing everything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn does_not_fail_open() -> anyhow::Result<()> {
    let mut server = RedisServer::start()?;
    let cache = Cache::open(CacheOptions {
        timeout: Duration::from_millis(50),
        ..CacheOptions::redis(server.url())
    })?;
    let limiter = LoginLimiter::new(cache, limits());
    server.stop()?;
    let t = TenantId(Uuid::new_v4());
    let ip: IpAddr = "10.0.0.9".parse()?;
    for _ in 0..3 {
        assert!(limiter.check(t, "z@y.co", ip).await?.allowed);
    }
    assert!(
        !limiter.check(t, "z@y.co", ip).await?.allowed,
        "still limited with Redis down"
    );
    Ok(())
}
