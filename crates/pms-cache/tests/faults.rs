//! Faults, against a Redis server this test starts itself (never the shared one), with
//! PostgreSQL (as `pms_app`) as the source of truth: Redis stopped, and Redis paused with
//! SIGSTOP for 30 s. Reads must stay correct and bounded, the breaker must open, and no
//! update (including ones made while Redis was away) may be read stale after recovery.

use pms_cache::{BreakerState, Cache, CacheOptions, Key, Outcome};
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_test_support::{RedisServer, TestDb};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

struct Fixture {
    db: TestDb,
    tenant: TenantId,
    user: UserId,
    key: Key,
    loads: Arc<AtomicUsize>,
}

impl Fixture {
    async fn new() -> anyhow::Result<Self> {
        let db = TestDb::new().await?;
        let tenant = TenantId(Uuid::now_v7());
        sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, 'Faults')")
            .bind(tenant.as_uuid())
            .bind(format!("faults-{}", &tenant.to_string()[..8]))
            .execute(&db.maintenance)
            .await?;
        let user = UserId(Uuid::now_v7());
        let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
        sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name, job_title) VALUES ($1, $2, 'a@b.co', 'A', 'B', 'v0')")
            .bind(tenant.as_uuid())
            .bind(user.as_uuid())
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(Self {
            db,
            tenant,
            user,
            key: Key::user_profile(tenant, user),
            loads: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The update path of the application: write PostgreSQL, then invalidate.
    async fn update(&self, cache: &Cache, title: &str) -> anyhow::Result<Outcome> {
        let mut tx = TenantTx::begin(&self.db.app, self.tenant, None).await?;
        sqlx::query("UPDATE users SET job_title = $2 WHERE id = $1")
            .bind(self.user.as_uuid())
            .bind(title)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(cache.invalidate_user(self.tenant, self.user).await)
    }

    /// The read path: the cache, loading from PostgreSQL on a miss.
    async fn read(&self, cache: &Cache) -> anyhow::Result<String> {
        let (pool, tenant, user, loads) = (
            self.db.app.clone(),
            self.tenant,
            self.user,
            self.loads.clone(),
        );
        Ok(cache
            .get_or_set(&self.key, || async move {
                load(&pool, tenant, user, &loads).await
            })
            .await?)
    }
}

async fn load(
    pool: &PgPool,
    tenant: TenantId,
    user: UserId,
    loads: &AtomicUsize,
) -> Result<String, sqlx::Error> {
    loads.fetch_add(1, Ordering::SeqCst);
    let mut tx = TenantTx::begin(pool, tenant, None).await?;
    let title: Option<String> = sqlx::query_scalar("SELECT job_title FROM users WHERE id = $1")
        .bind(user.as_uuid())
        .fetch_one(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(title.unwrap_or_default())
}

fn options(server: &RedisServer) -> CacheOptions {
    CacheOptions {
        timeout: Duration::from_millis(50),
        breaker_failures: 3,
        breaker_open: Duration::from_millis(300),
        ..CacheOptions::redis(server.url())
    }
}

/// Reads until the cache is healthy again (breaker closed, nothing queued), checking every
/// read on the way; then one more read must be a hit.
async fn recover(f: &Fixture, cache: &Cache, latest: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        assert_eq!(f.read(cache).await?, latest, "stale read during recovery");
        if cache.breaker_state() == BreakerState::Closed && cache.pending_invalidations() == 0 {
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "the cache did not recover");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(f.read(cache).await?, latest);
    let before = f.loads.load(Ordering::SeqCst);
    assert_eq!(f.read(cache).await?, latest);
    assert_eq!(
        f.loads.load(Ordering::SeqCst),
        before,
        "served from Redis again"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_reads_fall_back_and_nothing_is_stale_after_restart() -> anyhow::Result<()> {
    let f = Fixture::new().await?;
    let mut server = RedisServer::start()?;
    let cache = Cache::open(options(&server))?;
    assert_eq!(f.read(&cache).await?, "v0");
    assert_eq!(f.read(&cache).await?, "v0");
    assert_eq!(f.loads.load(Ordering::SeqCst), 1, "second read is a hit");

    server.stop()?;
    let mut deferred = 0;
    for i in 1..=20 {
        let title = format!("v{i}");
        if f.update(&cache, &title).await? == Outcome::Deferred {
            deferred += 1;
        }
        // No error surfaces, and the value is the database's.
        assert_eq!(f.read(&cache).await?, title);
    }
    assert_eq!(
        deferred, 20,
        "invalidations were queued while Redis was down"
    );
    assert!(cache.breaker_opened_total() >= 1, "the breaker opened");

    // Redis comes back with its data (append-only file): the old entry, stamped with
    // generations that the missed invalidations never bumped, is still there.
    server.restart()?;
    let stale = std::process::Command::new("redis-cli")
        .args([
            "-p",
            &server.port.to_string(),
            "--raw",
            "exists",
            &format!("pms:{}", f.key.path()),
        ])
        .output()?;
    assert_eq!(
        String::from_utf8_lossy(&stale.stdout).trim(),
        "1",
        "the pre-outage entry survived the restart"
    );
    recover(&f, &cache, "v20").await?;

    for i in 21..=25 {
        let title = format!("v{i}");
        assert_eq!(f.update(&cache, &title).await?, Outcome::Applied);
        assert_eq!(f.read(&cache).await?, title);
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_paused_calls_stay_bounded_breaker_opens_and_cache_recovers() -> anyhow::Result<()> {
    let pause = Duration::from_secs(30);
    let f = Fixture::new().await?;
    let server = RedisServer::start()?;
    let cache = Cache::open(options(&server))?;
    assert_eq!(f.read(&cache).await?, "v0");
    assert_eq!(f.read(&cache).await?, "v0");

    server.pause()?;
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut saw_open = false;
    let mut i = 0;
    let mut latest = "v0".to_string();
    while started.elapsed() < pause {
        i += 1;
        if i % 10 == 0 {
            latest = format!("paused-{i}");
            let t = Instant::now();
            f.update(&cache, &latest).await?;
            slowest = slowest.max(t.elapsed());
        }
        let t = Instant::now();
        let got = f.read(&cache).await?;
        slowest = slowest.max(t.elapsed());
        assert_eq!(got, latest, "read while paused");
        saw_open |= cache.breaker_state() != BreakerState::Closed;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A bound, not a benchmark: each call makes at most three 50 ms Redis calls plus one
    // PostgreSQL read; without timeouts a call would hang for the whole 30 s pause.
    assert!(
        slowest < Duration::from_secs(2),
        "a call waited {slowest:?} while Redis was paused"
    );
    assert!(
        saw_open && cache.breaker_opened_total() >= 1,
        "the breaker opened"
    );
    assert!(
        cache.pending_invalidations() > 0,
        "updates made during the pause are queued"
    );

    server.resume()?;
    recover(&f, &cache, &latest).await?;
    for j in 0..5 {
        let title = format!("after-{j}");
        assert_eq!(f.update(&cache, &title).await?, Outcome::Applied);
        assert_eq!(f.read(&cache).await?, title);
    }
    Ok(())
}

/// The pause check on a three-master cluster: the master holding the tenant's slot is
/// paused; reads stay correct and bounded, and nothing is stale after it resumes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_master_paused_reads_stay_correct_and_recover() -> anyhow::Result<()> {
    let f = Fixture::new().await?;
    let cluster = pms_test_support::RedisCluster::start()?;
    let cache = Cache::open(CacheOptions {
        timeout: Duration::from_millis(100),
        breaker_failures: 3,
        breaker_open: Duration::from_millis(300),
        ..CacheOptions::redis(cluster.url())
    })?;
    assert_eq!(f.read(&cache).await?, "v0");
    assert_eq!(f.read(&cache).await?, "v0");
    let owner = cluster
        .nodes
        .iter()
        .find(|n| {
            std::process::Command::new("redis-cli")
                .args([
                    "-p",
                    &n.port.to_string(),
                    "--raw",
                    "exists",
                    &format!("pms:{}", f.key.path()),
                ])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "1")
        })
        .ok_or_else(|| anyhow::anyhow!("no master holds the entry"))?;

    owner.pause()?;
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut latest = "v0".to_string();
    let mut i = 0;
    while started.elapsed() < Duration::from_secs(10) {
        i += 1;
        if i % 10 == 0 {
            latest = format!("paused-{i}");
            let t = Instant::now();
            f.update(&cache, &latest).await?;
            slowest = slowest.max(t.elapsed());
        }
        let t = Instant::now();
        assert_eq!(
            f.read(&cache).await?,
            latest,
            "read while a master is paused"
        );
        slowest = slowest.max(t.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        slowest < Duration::from_secs(2),
        "a call waited {slowest:?} while a master was paused"
    );
    assert!(cache.breaker_opened_total() >= 1, "the breaker opened");
    owner.resume()?;
    recover(&f, &cache, &latest).await?;
    Ok(())
}
