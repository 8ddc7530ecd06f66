//! kill -9 of PostgreSQL at several points while archiving rows in batches of 1,000, then a
//! rerun: no row lost or duplicated, ledger and objects 1:1, and a further run changes nothing.
//! Runs its OWN PostgreSQL cluster (under /var/tmp, on a free loopback port) and kills only
//! that one. 100,000 rows by default, the size (`PMS_KILL9_ROWS`, at least 10,000,
//! changes it). About 75 s on a loaded 2-core machine (load average 7), down from 150 s:
//! the table is analysed after loading, as a live table would be (without statistics every
//! batch's candidate query sorted the whole table: 430 ms a batch, now 80 ms), and the runs
//! that get killed give up on a dead server after 3 s instead of 10 (sqlx retries a refused
//! connection until the acquire timeout).

mod common;

use anyhow::Context as _;
use common::*;
use pms_archive::{ArchiveConfig, Archiver, failpoint};
use pms_db::cluster::{Cluster, DATABASE};
use pms_db::{DbUrls, RoleName};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

const BATCH: u32 = 1_000;

struct Running(Cluster, std::path::PathBuf);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.stop();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

fn postmaster_pid(c: &Cluster) -> Option<String> {
    std::fs::read_to_string(c.data.join("postmaster.pid"))
        .ok()?
        .lines()
        .next()
        .map(|l| l.trim().to_string())
}

fn kill9(c: &Cluster) {
    if let Some(pid) = postmaster_pid(c) {
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status();
    }
}

async fn restart(c: &Cluster) -> anyhow::Result<()> {
    // Orphaned backends notice their postmaster died and exit; until then start is refused.
    let mut last = None;
    for _ in 0..120 {
        match c.ensure_started() {
            // Right after SIGKILL the old postmaster may still look alive for a moment; only a
            // server that accepts a connection counts as restarted.
            Ok(()) if std::net::TcpStream::connect(("127.0.0.1", c.port)).is_ok() => return Ok(()),
            Ok(()) => last = None,
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(anyhow::anyhow!("restarting the killed cluster: {last:?}"))
}

/// A pool for a run that is about to be killed: a short acquire timeout, because sqlx keeps
/// retrying a refused connection until the timeout and the run must fail promptly.
async fn pool(urls: &DbUrls) -> anyhow::Result<PgPool> {
    pool_with(urls, Duration::from_secs(3)).await
}

/// A pool on a cluster that is (re)started: generous, since after a kill the cluster replays
/// WAL before it accepts connections and a shared 2-core machine can make that slow.
async fn steady_pool(urls: &DbUrls) -> anyhow::Result<PgPool> {
    pool_with(urls, Duration::from_secs(120)).await
}

async fn pool_with(urls: &DbUrls, acquire: Duration) -> anyhow::Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(acquire)
        .connect_with(urls.options(RoleName::Maintenance)?)
        .await?)
}

async fn ids_digest(pool: &PgPool) -> anyhow::Result<(i64, String)> {
    Ok(sqlx::query_as(
        "SELECT count(*), md5(string_agg(id, ',' ORDER BY id))
         FROM (SELECT id::text AS id FROM fx_goals UNION ALL SELECT id FROM archived_entities) x",
    )
    .fetch_one(pool)
    .await?)
}

fn rows() -> i64 {
    std::env::var("PMS_KILL9_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n >= 10_000)
        .unwrap_or(100_000)
}

#[tokio::test]
async fn kill_9_while_archiving_loses_and_duplicates_nothing() -> anyhow::Result<()> {
    let rows_total = rows();
    let dir = std::path::PathBuf::from(format!(
        "/var/tmp/pms-kill9-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let cluster = Cluster::new(&dir)?;
    cluster.ensure_started()?;
    let running = Running(cluster.clone(), dir.clone());
    let mut admin = PgConnection::connect(&cluster.admin_url("postgres")).await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {DATABASE}")))
        .await?;
    admin.close().await?;
    let urls = DbUrls::new(cluster.admin_url(DATABASE));
    let mut conn = urls.connect(RoleName::Admin).await?;
    pms_db::migrate::migrate(&mut conn).await?;
    conn.close().await?;
    let mut owner = urls.connect(RoleName::Owner).await?;
    owner.execute(FIXTURES).await?;
    owner.close().await?;
    // Setup data as the superuser (the owner is subject to forced RLS too).
    let mut owner = urls.connect(RoleName::Admin).await?;
    let tenant = uuid::Uuid::now_v7();
    owner
        .execute(
            sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'kill9', 'kill9')")
                .bind(tenant),
        )
        .await?;
    owner
        .execute(
            sqlx::query(
                "INSERT INTO fx_goals (tenant_id, title, created_at)
                 SELECT $1, 'goal ' || g, now() - interval '6 years' - g * interval '1 second' FROM generate_series(1, $2) g",
            )
            .bind(tenant)
            .bind(rows_total),
        )
        .await?;
    // Statistics, as a live table has them (autovacuum would get there within a minute).
    owner.execute("ANALYZE fx_goals").await?;
    owner.close().await?;
    let archive_dir = dir.join("archive");
    let mut cfg = ArchiveConfig::for_url(format!("file://{}", archive_dir.display()));
    cfg.batch_size = BATCH;
    let before = ids_digest(&steady_pool(&urls).await?).await?;
    assert_eq!(before.0, rows_total);

    // Each round kills PostgreSQL at one point of the protocol, on the n-th time it is reached.
    let rounds = [
        (failpoint::AFTER_OBJECT_WRITE, 3),
        (failpoint::BEFORE_DELETE_COMMIT, 4),
        (failpoint::AFTER_INTENT, 2),
        (failpoint::AFTER_VERIFY, 5),
        (failpoint::AFTER_DELETE_COMMIT, 3),
    ];
    for (point, nth) in rounds {
        let p = pool(&urls).await?;
        let a = Archiver::new(p.clone(), &cfg)?;
        let hits = Arc::new(AtomicU32::new(0));
        let c = cluster.clone();
        a.failpoints.call(point, move |_| {
            if hits.fetch_add(1, Ordering::SeqCst) + 1 == nth {
                kill9(&c);
            }
        });
        let started = std::time::Instant::now();
        let result = a.run(&no_progress).await;
        eprintln!(
            "run with a kill at {point}: {} ms",
            started.elapsed().as_millis()
        );
        assert!(
            result.is_err(),
            "the run survived a kill at {point}: {result:?}"
        );
        p.close().await;
        restart(&cluster).await?;
        eprintln!("killed at {point} (hit {nth}), restarted");
        let p = steady_pool(&urls)
            .await
            .with_context(|| format!("connecting after a kill at {point}"))?;
        let now = ids_digest(&p).await?;
        assert_eq!(
            now, before,
            "after a kill at {point}, rows were lost or duplicated"
        );
        p.close().await;
    }
    // One more kill, at whatever point a timer lands on.
    {
        let p = pool(&urls).await?;
        let a = Archiver::new(p.clone(), &cfg)?;
        let c = cluster.clone();
        let killer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            kill9(&c);
        });
        let _ = a.run(&no_progress).await;
        killer.await?;
        p.close().await;
        restart(&cluster).await?;
        eprintln!("killed by a timer, restarted");
    }

    let p = steady_pool(&urls)
        .await
        .context("connecting for the last run")?;
    let a = Archiver::new(p.clone(), &cfg)?;
    let started = std::time::Instant::now();
    let last = a.run(&no_progress).await.context("the last run")?;
    eprintln!("last run: {last:?} in {} ms", started.elapsed().as_millis());
    assert!(last.recovered_batches <= 1, "{last:?}");
    assert_eq!(ids_digest(&p).await?, before);
    assert_eq!(count(&p, "SELECT count(*) FROM fx_goals").await?, 0);
    assert_eq!(
        count(&p, "SELECT count(*) FROM archived_entities").await?,
        rows_total
    );
    assert_eq!(
        count(
            &p,
            "SELECT count(*) FROM archive_batches WHERE status = 'ARCHIVED'"
        )
        .await?,
        rows_total / i64::from(BATCH)
    );
    assert_eq!(
        count(
            &p,
            "SELECT count(*) FROM archive_batches WHERE status <> 'ARCHIVED'"
        )
        .await?,
        0
    );
    assert_consistent(&a).await?;
    // Every id is in exactly one object, once.
    let mut in_objects = Vec::with_capacity(rows_total as usize);
    for key in a.store.list().await? {
        let bytes = a.store.get(&key).await?;
        let (_, rows) = pms_archive::format::decode(&key, &bytes, None)?;
        in_objects.extend(rows.into_iter().map(|r| r.id));
    }
    in_objects.sort();
    let n = in_objects.len();
    in_objects.dedup();
    assert_eq!(
        (n, in_objects.len()),
        (rows_total as usize, rows_total as usize)
    );

    let keys = a.store.list().await?;
    let again = a.run(&no_progress).await?;
    assert_eq!(again, pms_archive::ArchiveReport::default());
    assert_eq!(a.store.list().await?, keys);
    p.close().await;
    drop(running);
    Ok(())
}
