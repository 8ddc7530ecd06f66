//! B4: archiving broken. With the repository's WAL archive unwritable, or the repository's
//! filesystem full, `archive-push` fails: `pg_stat_archiver` counts the failures, the
//! `pms_backup_archiver_failing` gauge turns 1 (what the `PmsWalArchivingFailing` alert
//! watches) and `pgbackrest check` or `pms backup create` fails saying why. Once the repository
//! is writable (or has room) again the archiver catches up, and a restore `--latest` holds
//! every row written during the outage.

mod common;

use common::*;
use pms_backup::create::{BackupKind, create};
use pms_backup::restore::{RestoreOptions, RestoreTo, restore};
use pms_backup::scratch::free_port;
use sqlx::{Executor, PgConnection};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
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

/// Waits until `pg_stat_archiver` counts more failures than `before` (the archiver retries a
/// failed segment three times a second apart, then on the next segment or a minute later).
async fn archive_failures_after(conn: &mut PgConnection, before: i64) -> anyhow::Result<i64> {
    let mut failed = before;
    for _ in 0..150 {
        failed = sqlx::query_scalar::<_, i64>("SELECT failed_count FROM pg_stat_archiver")
            .fetch_one(&mut *conn)
            .await?;
        if failed > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(failed)
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
    let failed = archive_failures_after(&mut admin, 0).await?;
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

    let (_, got) = restore_latest_titles(&env, t).await?;
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
    Ok(())
}

/// Restores `--latest` into `restores/after`, reads tenant `t`'s goal titles there and stops
/// the restored cluster; returns the backup set restored and the titles.
async fn restore_latest_titles(env: &Env, t: uuid::Uuid) -> anyhow::Result<(String, Vec<String>)> {
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
    let got = titles(&report.restored.admin_url("pms"), t).await;
    report.restored.stop();
    Ok((report.backup_label.clone(), got?))
}

/// A tmpfs mounted for the test, unmounted (lazily: the archiver may still hold a file there)
/// when dropped, before the environment deletes its directory.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// `None` when this process may not mount (not root, or in a container without
    /// CAP_SYS_ADMIN).
    fn mount(at: &Path, size_mib: u32) -> anyhow::Result<Option<Self>> {
        std::fs::create_dir_all(at)?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mib}m,mode=0755")])
            .arg("tmpfs")
            .arg(at)
            .output();
        match out {
            Ok(o) if o.status.success() => Ok(Some(Self(at.to_path_buf()))),
            Ok(o) => {
                eprintln!(
                    "mount tmpfs at {}: {}",
                    at.display(),
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                Ok(None)
            }
            Err(e) => {
                eprintln!("mount: {e}");
                Ok(None)
            }
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes `path` until the filesystem has no room left; returns the bytes written.
fn fill(path: &Path) -> anyhow::Result<u64> {
    let mut f = std::fs::File::create(path)?;
    let mut written = 0u64;
    for chunk in [1 << 20, 4096, 512, 1] {
        let buf = vec![0x5au8; chunk];
        loop {
            match f.write(&buf) {
                Ok(0) => break,
                Ok(n) => written += n as u64,
                Err(e) if e.raw_os_error() == Some(28) => break, // ENOSPC
                Err(e) => return Err(e.into()),
            }
        }
    }
    let _ = f.sync_all();
    Ok(written)
}

/// The WAL segments (`TTTTTTTTXXXXXXXXYYYYYYYY`) in the local repository's archive.
fn archived_segments(env: &Env) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let root = env.cfg.local_repo().join("archive");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)? {
            let e = e?;
            if e.file_type()?.is_dir() {
                stack.push(e.path());
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let seg = name.get(..24).unwrap_or_default();
            if seg.len() == 24
                && seg.bytes().all(|b| b.is_ascii_hexdigit())
                && name.as_bytes().get(24) == Some(&b'-')
            {
                out.push(seg.to_ascii_uppercase());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A segment's position in the WAL (16 MiB segments: 256 to a log file).
fn segment_number(seg: &str) -> anyhow::Result<u64> {
    let log = u64::from_str_radix(&seg[8..16], 16)?;
    let s = u64::from_str_radix(&seg[16..24], 16)?;
    Ok(log * 256 + s)
}

#[tokio::test]
async fn full_repository_shows_in_the_archiver_fails_backups_and_loses_nothing()
-> anyhow::Result<()> {
    // Can this process mount at all? (We run as root; a container may still refuse.)
    let probe = PathBuf::from(format!("/var/tmp/pms-bk-probe-{}", std::process::id()));
    let allowed = Tmpfs::mount(&probe, 1)?.is_some();
    let _ = std::fs::remove_dir(&probe);
    if !allowed {
        eprintln!(
            "SKIPPED full_repository_shows_in_the_archiver_fails_backups_and_loses_nothing: cannot mount a tmpfs here"
        );
        return Ok(());
    }
    // The local repository on a small filesystem of its own, mounted before `init` fills it.
    let mut mounted = None;
    let env = env_with("b4full", |cfg| {
        mounted = Some(Tmpfs::mount(&cfg.local_repo(), 256));
    })
    .await?;
    let _repo_fs = match mounted {
        Some(m) => {
            m?.ok_or_else(|| anyhow::anyhow!("the tmpfs probe mounted, the repository's did not"))?
        }
        None => anyhow::bail!("env_with did not run the tweak"),
    };
    let (t, u) = tenant(&env, "b4full").await?;
    let app = env.app().await?;
    goals(&app, t, u, "before", 10).await?;
    let (_, first) = create(&env.cfg, &env.server, BackupKind::Full, 1).await?;
    let mut admin = env.admin().await?;
    assert_eq!(
        gauge(&env, &mut admin, "pms_backup_archiver_failing").await?,
        0.0
    );
    let failed_before = sqlx::query_scalar::<_, i64>("SELECT failed_count FROM pg_stat_archiver")
        .fetch_one(&mut admin)
        .await?;

    // Fill the repository's filesystem.
    let filler = env.cfg.local_repo().join("filler");
    let filled = fill(&filler)?;
    eprintln!("filled the repository with {filled} bytes");
    goals(&app, t, u, "during outage", 25).await?;
    admin.execute("SELECT pg_switch_wal()").await?;
    let failed = archive_failures_after(&mut admin, failed_before).await?;
    assert!(
        failed > failed_before,
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
        metrics.contains("pms_backup_archiver_failing 1"),
        "{metrics}"
    );

    // A backup cannot be taken, and says why, naming the repository.
    let labels_before = pms_backup::pgbackrest::PgBackRest::new(&env.cfg, &env.server)
        .backups()?
        .len();
    let e = create(&env.cfg, &env.server, BackupKind::Full, 1)
        .await
        .expect_err("a backup into a full repository must fail")
        .to_string();
    eprintln!("backup while full: {e}");
    assert!(
        e.contains(&format!(
            "the repository {} is full",
            env.cfg.local_repo().display()
        )),
        "{e}"
    );

    // Free the space: the archiver retries and catches up; nothing was lost.
    std::fs::remove_file(&filler)?;
    goals(&app, t, u, "after freeing", 5).await?;
    admin.execute("SELECT pg_switch_wal()").await?;
    pms_backup::init::check(&env.cfg, &env.server)?;
    assert_eq!(
        gauge(&env, &mut admin, "pms_backup_archiver_failing").await?,
        0.0
    );
    // Every segment from the first backup's start to the last one archived is in the archive.
    let last_archived: String =
        sqlx::query_scalar("SELECT last_archived_wal FROM pg_stat_archiver")
            .fetch_one(&mut admin)
            .await?;
    let segments = archived_segments(&env)?;
    let (from, to) = (
        segment_number(&first.wal_start)?,
        segment_number(&last_archived)?,
    );
    let have: Vec<u64> = segments
        .iter()
        .map(|s| segment_number(s))
        .collect::<anyhow::Result<_>>()?;
    let missing: Vec<u64> = (from..=to).filter(|n| !have.contains(n)).collect();
    assert!(
        missing.is_empty(),
        "segments missing from the archive between {} and {last_archived}: {missing:?}",
        first.wal_start
    );
    // The failed backup left nothing behind that counts as a backup.
    assert_eq!(
        pms_backup::pgbackrest::PgBackRest::new(&env.cfg, &env.server)
            .backups()?
            .len(),
        labels_before
    );

    // The backup taken before the outage and the archived WAL reach every committed row.
    let (label, got) = restore_latest_titles(&env, t).await?;
    assert_eq!(label, first.label);
    for (prefix, n) in [("before", 10), ("during outage", 25), ("after freeing", 5)] {
        assert_eq!(
            got.iter()
                .filter(|t| t.starts_with(&format!("{prefix} ")))
                .count(),
            n,
            "{prefix}"
        );
    }

    // And a backup can be taken again; it holds every row too.
    let (record, _) = create(&env.cfg, &env.server, BackupKind::Full, 1).await?;
    // `goals` is partitioned by tenant: its rows are in its partitions (`pms_parts.goals_*`).
    let goal_rows: i64 = record
        .manifest
        .tables
        .iter()
        .filter(|(name, _)| name.starts_with("pms_parts.goals_"))
        .map(|(_, d)| d.rows)
        .sum();
    assert_eq!(goal_rows, 40);
    Ok(())
}
