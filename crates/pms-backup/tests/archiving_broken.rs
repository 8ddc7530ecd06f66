//! B4: archiving broken. With the repository's WAL archive unwritable, `archive-push` fails:
//! `pg_stat_archiver` counts the failures, the `pms_backup_archiver_failing` gauge turns 1 and
//! `pgbackrest check` fails saying why. Once the repository is writable again the archiver
//! catches up, and a restore `--latest` holds every row written during the outage.

mod common;

use common::*;
use pms_backup::create::{BackupKind, create};
use pms_backup::restore::{RestoreOptions, RestoreTo, restore};
use pms_backup::scratch::free_port;
use sqlx::{Executor, PgConnection};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;
use time::OffsetDateTime;

async fn gauge(env: &Env, conn: &mut PgConnection, name: &str) -> anyhow::Result<f64> {
    let samples = pms_backup::metrics::collect(&env.cfg, &env.server, conn).await?;
    Ok(samples
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.value)
        .unwrap_or(f64::NAN))
}

#[tokio::test]
async fn unwritable_repository_shows_in_the_archiver_and_loses_nothing() -> anyhow::Result<()> {
    let env = env("b4").await?;
    let (t, u) = tenant(&env, "b4").await?;
    let app = env.app().await?;
    create(&env.cfg, &env.server, BackupKind::Full, 1).await?;
    let mut admin = env.admin().await?;
    assert_eq!(
        gauge(&env, &mut admin, "pms_backup_archiver_failing").await?,
        0.0
    );

    // Break the repository: the WAL archive directory loses its permissions.
    let archive = env.cfg.local_repo().join("archive");
    let mode = std::fs::metadata(&archive)?.permissions().mode();
    std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(0o000))?;
    goals(&app, t, u, "during outage", 25).await?;
    admin.execute("SELECT pg_switch_wal()").await?;
    let mut failed = 0;
    for _ in 0..150 {
        failed = sqlx::query_scalar::<_, i64>("SELECT failed_count FROM pg_stat_archiver")
            .fetch_one(&mut admin)
            .await?;
        if failed > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        failed > 0,
        "archive-push failures must show in pg_stat_archiver"
    );
    assert_eq!(
        gauge(&env, &mut admin, "pms_backup_archiver_failing").await?,
        1.0
    );
    let metrics = pms_backup::metrics::render(
        &pms_backup::metrics::collect(&env.cfg, &env.server, &mut admin).await?,
    );
    assert!(
        metrics.contains("pms_backup_archiver_failed_total"),
        "{metrics}"
    );
    let e = pms_backup::init::check(&env.cfg, &env.server)
        .expect_err("check must fail")
        .to_string();
    assert!(e.contains("archive"), "{e}");
    eprintln!("check while broken: {e}");

    // Repair; the archiver retries on the next segment and catches up.
    std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(mode))?;
    goals(&app, t, u, "after repair", 5).await?;
    admin.execute("SELECT pg_switch_wal()").await?;
    pms_backup::init::check(&env.cfg, &env.server)?;
    assert_eq!(
        gauge(&env, &mut admin, "pms_backup_archiver_failing").await?,
        0.0
    );

    let report = restore(
        &env.cfg,
        &env.server,
        &RestoreOptions {
            to: RestoreTo::Latest,
            target_dir: env.dir.join("restores").join("after"),
            port: free_port()?,
            start: true,
            repo: 1,
            in_place: false,
        },
        OffsetDateTime::now_utc(),
    )
    .await?;
    let got = titles(&report.restored.admin_url("pms"), t).await?;
    assert_eq!(
        got.iter()
            .filter(|t| t.starts_with("during outage"))
            .count(),
        25
    );
    assert_eq!(
        got.iter().filter(|t| t.starts_with("after repair")).count(),
        5
    );
    report.restored.stop();
    Ok(())
}
