//! B3: the recovery point objective. Rows are written continuously (one per transaction, each
//! acknowledged before the next); the server is killed with SIGKILL mid-stream; a restore
//! `--latest` from the repository alone (the dead server's own WAL is not used) holds a prefix
//! of the acknowledged rows with no gap, and the loss, in rows and seconds, is printed. The
//! loss is bounded by `archive_timeout` (2 s here, 60 s by default) plus the archiving time.

mod common;

use common::*;
use pms_backup::create::{BackupKind, create};
use pms_backup::restore::{RestoreOptions, RestoreTo, restore};
use pms_backup::scratch::free_port;
use sqlx::{Connection, PgConnection};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

#[tokio::test]
async fn kill_9_then_restore_latest_loses_only_the_unarchived_tail() -> anyhow::Result<()> {
    let env = env("b3").await?;
    let (t, u) = tenant(&env, "b3").await?;
    let app = env.app().await?;
    create(&env.cfg, &env.server, BackupKind::Full, 1).await?;

    let started = Instant::now();
    let mut acked: Vec<(String, Instant)> = Vec::new();
    // Long enough for several archive_timeout switches.
    while started.elapsed() < Duration::from_secs(8) {
        let title = format!("w{:05}", acked.len());
        goals(&app, t, u, &title, 1).await?;
        acked.push((format!("{title} 1"), Instant::now()));
    }
    let pid = std::fs::read_to_string(env.cluster.data.join("postmaster.pid"))?;
    let pid = pid.lines().next().unwrap_or_default().trim().to_string();
    let killed_at = Instant::now();
    std::process::Command::new("kill")
        .args(["-9", &pid])
        .status()?;
    app.close().await;
    // Orphaned backends go away with their postmaster.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let port = free_port()?;
    let report = restore(
        &env.cfg,
        &env.server,
        &RestoreOptions {
            to: RestoreTo::Latest,
            target_dir: env.dir.join("restores").join("latest"),
            port,
            start: true,
            repo: 1,
            in_place: false,
        },
        OffsetDateTime::now_utc(),
    )
    .await?;
    let got = titles(&report.restored.admin_url("pms"), t).await?;
    let want: Vec<&String> = acked.iter().map(|(t, _)| t).collect();
    assert!(got.len() <= want.len(), "more rows than were written");
    assert_eq!(
        got.iter().collect::<Vec<_>>(),
        want[..got.len()],
        "the restored rows must be a prefix of the acknowledged ones, with no gap"
    );
    assert!(
        !got.is_empty(),
        "WAL archived after the backup must be replayed"
    );
    let lost = want.len() - got.len();
    let last_kept = acked[got.len() - 1].1;
    let window = killed_at.saturating_duration_since(last_kept);
    eprintln!(
        "RPO: {} of {} acknowledged rows restored, {lost} lost: the last {:.1} s before the kill (archive_timeout {} s); restore took {} ms; {}",
        got.len(),
        want.len(),
        window.as_secs_f64(),
        env.cfg.archive_timeout.as_secs(),
        report.rto_ms,
        report.recovery_point
    );
    let mut c = PgConnection::connect(&report.restored.admin_url("pms")).await?;
    let writable: bool = sqlx::query_scalar("SELECT NOT pg_is_in_recovery()")
        .fetch_one(&mut c)
        .await?;
    assert!(writable);
    c.close().await?;
    report.restored.stop();
    Ok(())
}
