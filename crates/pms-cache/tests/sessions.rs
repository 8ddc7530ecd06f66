//! Sessions: PostgreSQL is the record, the cache only speeds lookups, and a revoked session
//! is never served from the cache. Runs on the shared Redis (own prefix) and in process.

// These helpers panic where the test would fail anyway (clippy.toml covers #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pms_cache::session::{SessionStore, token_hash};
use pms_cache::{Cache, CacheOptions, Key};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_test_support::{RedisServer, TestDb, TestRedis};
use std::time::Duration;
use uuid::Uuid;

async fn tenant_with_user(db: &TestDb) -> anyhow::Result<(TenantId, UserId)> {
    let tenant = TenantId(Uuid::now_v7());
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, 'S')")
        .bind(tenant.as_uuid())
        .bind(format!("s-{}", Uuid::new_v4().simple()))
        .execute(&db.maintenance)
        .await?;
    let user = UserId(Uuid::now_v7());
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, 'x@y.co', 'X', 'Y')")
        .bind(tenant.as_uuid())
        .bind(user.as_uuid())
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok((tenant, user))
}

async fn lifecycle(cache: Cache) -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let (tenant, user) = tenant_with_user(&db).await?;
    let (other, _) = tenant_with_user(&db).await?;
    let store = SessionStore::new(cache.clone(), db.app.clone());
    let token = format!("tok-{}", Uuid::new_v4().simple());
    let created = store
        .create(tenant, user, &token, Duration::from_secs(3600))
        .await?;

    let s = store.lookup(tenant, &token).await?.expect("live session");
    assert_eq!(s, created);
    assert!(
        cache
            .get::<pms_cache::session::Session>(&Key::session(tenant, &token_hash(&token)))
            .await
            .is_some(),
        "cached"
    );
    assert_eq!(
        store.lookup(other, &token).await?,
        None,
        "another tenant cannot use the token"
    );
    assert_eq!(
        store.lookup(tenant, "no-such-token-0123456789").await?,
        None
    );
    assert!(
        store.lookup(tenant, "short").await.is_err(),
        "bad token refused"
    );

    // The key holds a hash of the token, never the token.
    if let Some(r) = cache.redis() {
        let paths = r.scan_paths(None, 10_000).await?;
        assert!(
            paths.iter().all(|p| !p.contains(&token)),
            "token leaked into a key"
        );
        assert!(
            paths
                .iter()
                .any(|p| p.contains(&hex::encode(token_hash(&token))))
        );
    }

    let (revoked, _) = store.revoke(tenant, &token).await?;
    assert!(revoked);
    assert_eq!(
        store.lookup(tenant, &token).await?,
        None,
        "revoked session is not served from the cache"
    );

    let t2 = format!("tok-{}", Uuid::new_v4().simple());
    let t3 = format!("tok-{}", Uuid::new_v4().simple());
    store
        .create(tenant, user, &t2, Duration::from_secs(3600))
        .await?;
    store
        .create(tenant, user, &t3, Duration::from_secs(3600))
        .await?;
    assert!(
        store.lookup(tenant, &t2).await?.is_some() && store.lookup(tenant, &t3).await?.is_some()
    );
    let (n, _) = store.revoke_user(tenant, user).await?;
    assert_eq!(n, 2);
    assert_eq!(store.lookup(tenant, &t2).await?, None);
    assert_eq!(store.lookup(tenant, &t3).await?, None);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_lifecycle_on_redis() -> anyhow::Result<()> {
    let redis = TestRedis::new().await?;
    let cache = Cache::open(CacheOptions {
        prefix: format!("{}pms:", redis.prefix),
        timeout: Duration::from_millis(500),
        ..CacheOptions::redis(&redis.url)
    })?;
    let r = lifecycle(cache).await;
    redis.cleanup().await?;
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_lifecycle_in_process() -> anyhow::Result<()> {
    lifecycle(Cache::open(CacheOptions::local())?).await
}

/// With Redis gone, sessions come from PostgreSQL (never "valid" by default), and a session
/// revoked during the outage stays revoked after Redis returns with its old data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_do_not_fail_open() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let (tenant, user) = tenant_with_user(&db).await?;
    let mut server = RedisServer::start()?;
    let cache = Cache::open(CacheOptions {
        timeout: Duration::from_millis(50),
        ..CacheOptions::redis(server.url())
    })?;
    let store = SessionStore::new(cache.clone(), db.app.clone());
    let token = format!("tok-{}", Uuid::new_v4().simple());
    store
        .create(tenant, user, &token, Duration::from_secs(3600))
        .await?;
    assert!(
        store.lookup(tenant, &token).await?.is_some(),
        "cached while Redis is up"
    );

    server.stop()?;
    assert!(
        store.lookup(tenant, &token).await?.is_some(),
        "still valid: PostgreSQL is the record"
    );
    let (revoked, outcome) = store.revoke(tenant, &token).await?;
    assert!(revoked);
    assert_eq!(outcome, pms_cache::Outcome::Deferred);
    assert_eq!(
        store.lookup(tenant, &token).await?,
        None,
        "revoked while Redis is down"
    );

    server.restart()?;
    let started = std::time::Instant::now();
    while cache.pending_invalidations() > 0 && started.elapsed() < Duration::from_secs(15) {
        assert_eq!(
            store.lookup(tenant, &token).await?,
            None,
            "revoked session served after Redis returned"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        cache.pending_invalidations(),
        0,
        "the revocation reached Redis"
    );
    assert_eq!(
        store.lookup(tenant, &token).await?,
        None,
        "revoked session served after Redis returned"
    );

    // A database failure is an error, not a valid session.
    let broken = SessionStore::new(
        cache.clone(),
        sqlx::postgres::PgPoolOptions::new()
            .acquire_timeout(Duration::from_secs(2))
            .connect_lazy("postgresql://nobody@127.0.0.1:1/none")?,
    );
    let fresh = format!("tok-{}", Uuid::new_v4().simple());
    assert!(broken.lookup(tenant, &fresh).await.is_err());
    Ok(())
}
