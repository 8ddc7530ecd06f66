//! Reads on a streaming replica (`pms_db::read_route`), on a primary and a `pg_basebackup -R`
//! replica that the test starts as private clusters on free loopback ports: a read after a
//! write sees it (from the replica once replayed, else from the primary), a replica whose
//! replay is paused serves reads only while it is within the lag bound and never staler, a
//! killed replica sends reads to the primary, and both come back. The clusters are removed at
//! the end, also on failure.

use pms_db::cluster::Cluster;
use pms_db::read_route::{Lsn, ReadRouter, Route, RouterOptions};
use pms_db::replica;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, Executor, PgPool};
use std::time::{Duration, Instant};

/// Stops the clusters and removes their folder when the test ends, however it ends.
struct Clusters {
    dir: std::path::PathBuf,
    started: Vec<Cluster>,
}

impl Drop for Clusters {
    fn drop(&mut self) {
        for c in self.started.iter().rev() {
            let _ = c.stop();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

async fn value(pool: &PgPool) -> anyhow::Result<i64> {
    let mut tx = pool.begin().await?;
    let v = sqlx::query_scalar("SELECT v FROM reads WHERE k = 1")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(v)
}

async fn write(primary: &PgPool, v: i64) -> anyhow::Result<(Lsn, Instant)> {
    let mut tx = primary.begin().await?;
    sqlx::query("UPDATE reads SET v = $1 WHERE k = 1")
        .bind(v)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let at = Instant::now();
    Ok((Lsn::current(primary).await?, at))
}

async fn on_replica(replica: &Cluster, sql: &'static str) -> anyhow::Result<()> {
    let mut c = sqlx::PgConnection::connect(&replica.admin_url("postgres")).await?;
    c.execute(sql).await?;
    c.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replica_reads_are_fresh_or_go_to_the_primary() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("pms-replica-test-{}", uuid::Uuid::new_v4()));
    let mut clusters = Clusters {
        dir: dir.clone(),
        started: Vec::new(),
    };
    let mut primary = Cluster::new(&dir.join("primary"))?;
    primary.port = free_port();
    primary.ensure_started()?;
    clusters.started.push(primary.clone());
    let primary_pool = PgPoolOptions::new()
        .max_connections(4)
        .connect(&primary.admin_url("postgres"))
        .await?;
    primary_pool
        .execute("CREATE TABLE reads (k int PRIMARY KEY, v bigint NOT NULL); INSERT INTO reads VALUES (1, 0)")
        .await?;
    let standby = replica::add(&primary, &dir.join("replicas").join("r1"), None)?;
    clusters.started.push(standby.clone());

    let max_lag = Duration::from_millis(1500);
    let options = RouterOptions {
        max_lag,
        wait: Duration::from_millis(500),
        check_every: Duration::from_millis(50),
        probe_timeout: Duration::from_millis(500),
    };
    let router = ReadRouter::from_urls(
        primary_pool.clone(),
        &standby.admin_url("postgres"),
        4,
        options,
    )?;

    // Read your writes: every read after a write sees it.
    let mut on_replica_count = 0;
    for i in 1..=30 {
        let (lsn, _) = write(&primary_pool, i).await?;
        let (route, pool) = router.route(Some(lsn)).await;
        assert_eq!(value(&pool).await?, i, "read after write {i} via {route:?}");
        if matches!(route, Route::Replica(_)) {
            on_replica_count += 1;
        }
    }
    assert!(
        on_replica_count > 0,
        "no read after a write went to the replica"
    );
    let states = router.states().await;
    assert!(states[0].up, "{states:?}");

    // Replay paused: a read after a write goes to the primary; other reads may use the replica
    // only while what it lacks is younger than the bound, and then no more.
    on_replica(&standby, "SELECT pg_wal_replay_pause()").await?;
    let (lsn, written) = write(&primary_pool, 1000).await?;
    let (route, pool) = router.route(Some(lsn)).await;
    assert_eq!(route, Route::PrimaryForWrite);
    assert_eq!(value(&pool).await?, 1000);
    let mut stale_served = 0;
    let until = Instant::now() + max_lag * 2;
    let mut fell_back = false;
    while Instant::now() < until {
        let decided = Instant::now();
        let (route, pool) = router.route(None).await;
        let v = value(&pool).await?;
        if v != 1000 {
            stale_served += 1;
            assert!(matches!(route, Route::Replica(_)));
            let age = decided.duration_since(written);
            assert!(
                age <= max_lag,
                "served a read {age:?} stale, past the {max_lag:?} bound"
            );
        }
        if route == Route::PrimaryFallback {
            fell_back = true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(fell_back, "a paused replica must stop serving reads");
    eprintln!("paused replica: {stale_served} stale reads served, all within the bound");
    on_replica(&standby, "SELECT pg_wal_replay_resume()").await?;
    let back = Instant::now() + Duration::from_secs(10);
    loop {
        let (route, pool) = router.route(None).await;
        if matches!(route, Route::Replica(_)) {
            assert_eq!(value(&pool).await?, 1000);
            break;
        }
        assert!(Instant::now() < back, "the resumed replica never came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Killed: reads go to the primary and stay correct; restarted: back to the replica.
    replica::kill(&standby)?;
    let (lsn, _) = write(&primary_pool, 2000).await?;
    for after in [None, Some(lsn)] {
        let (route, pool) = router.route(after).await;
        assert_eq!(route, Route::PrimaryFallback);
        assert_eq!(value(&pool).await?, 2000);
    }
    assert!(!router.states().await[0].up);
    standby.ensure_started()?;
    let back = Instant::now() + Duration::from_secs(20);
    loop {
        let (route, pool) = router.route(Some(lsn)).await;
        if matches!(route, Route::Replica(_)) {
            assert_eq!(value(&pool).await?, 2000);
            break;
        }
        assert!(
            Instant::now() < back,
            "the restarted replica never came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let states = router.states().await;
    assert!(
        states[0].up && states[0].lag_seconds <= max_lag.as_secs_f64(),
        "{states:?}"
    );
    primary_pool.close().await;
    drop(clusters);
    Ok(())
}
