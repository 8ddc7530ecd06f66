//! `pms backup restore`: point-in-time recovery into a new cluster (never over the running
//! one), left running on its own port. Every input is checked before anything is written: a
//! time before the first backup or in the future, an unknown backup, a target directory that
//! holds anything, a port in use.

use crate::config::BackupConfig;
use crate::error::{BackupError, Result};
use crate::pgbackrest::{BackupSet, PgBackRest};
use crate::scratch::{RecoveryTarget, RestoreRequest, Restored, check_destination};
use crate::server::PgServer;
use std::path::PathBuf;
use std::time::Instant;
use time::OffsetDateTime;

/// The point to recover to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreTo {
    Time(OffsetDateTime),
    Lsn(String),
    /// The end of the archived WAL: as little lost as the archive allows.
    Latest,
}

/// A point-in-time restore.
#[derive(Debug, Clone)]
pub struct RestoreOptions {
    pub to: RestoreTo,
    pub target_dir: PathBuf,
    pub port: u16,
    /// Start the restored cluster (and wait for recovery); `false` leaves it stopped.
    pub start: bool,
    pub repo: u32,
    /// Over the private cluster itself, which must be stopped: its data directory is moved
    /// aside (kept as `pg/data.before-restore-<time>`, nothing is deleted) and the restore
    /// takes its place, on its own port. `target_dir` and `port` are then ignored.
    pub in_place: bool,
}

/// What a restore reached.
#[derive(Debug)]
pub struct RestoreReport {
    pub restored: Restored,
    pub backup_label: String,
    /// What the server log says recovery reached (empty when not started).
    pub recovery_point: String,
    /// From the start of the restore to a cluster accepting writes.
    pub rto_ms: u64,
    /// The data directory moved aside by an in-place restore.
    pub moved_aside: Option<PathBuf>,
}

/// Parses `--to`: RFC 3339 (`2026-12-02T15:04:05Z`, with an offset or fractions), or
/// `YYYY-MM-DD HH:MM:SS[.ffffff]` taken as UTC.
pub fn parse_time(raw: &str) -> Result<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let raw = raw.trim();
    if let Ok(t) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Ok(t);
    }
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    time::PrimitiveDateTime::parse(raw, &fmt)
        .map(|p| p.assume_utc())
        .map_err(|_| {
            BackupError::Invalid(format!(
                "--to {raw:?} is not a time like 2026-12-02T15:04:05Z or \"2026-12-02 15:04:05\" (UTC)"
            ))
        })
}

/// `X/Y` in hex, as PostgreSQL writes an LSN, as a number.
pub fn parse_lsn(raw: &str) -> Result<u64> {
    let bad = || BackupError::Invalid(format!("--lsn {raw:?} is not an LSN like 0/3000028"));
    let (hi, lo) = raw.trim().split_once('/').ok_or_else(bad)?;
    let hi = u64::from_str_radix(hi, 16).map_err(|_| bad())?;
    let lo = u64::from_str_radix(lo, 16).map_err(|_| bad())?;
    if hi > u32::MAX as u64 || lo > u32::MAX as u64 {
        return Err(bad());
    }
    Ok((hi << 32) | lo)
}

fn utc(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| secs.to_string())
}

/// Chooses the backup set for a target, refusing targets no backup can reach. `now` is the
/// current time (injected, so tests hold on any day).
pub fn choose_set(
    sets: &[BackupSet],
    repo: u32,
    to: &RestoreTo,
    now: OffsetDateTime,
) -> Result<BackupSet> {
    let sets: Vec<&BackupSet> = sets.iter().filter(|s| s.repo == repo).collect();
    let (Some(first), Some(last)) = (sets.first(), sets.last()) else {
        return Err(BackupError::Invalid(format!(
            "there is no backup in repository {repo} to restore from; take one with `pms backup create`"
        )));
    };
    match to {
        RestoreTo::Latest => Ok((*last).clone()),
        RestoreTo::Time(t) => {
            if *t > now {
                return Err(BackupError::Invalid(format!(
                    "{t} is in the future (it is now {now})"
                )));
            }
            // A backup is consistent once it stopped; pgBackRest keeps whole seconds.
            let secs = t.unix_timestamp();
            sets.iter()
                .rev()
                .find(|s| s.stop < secs)
                .map(|s| (*s).clone())
                .ok_or_else(|| {
                    BackupError::Invalid(format!(
                        "{t} is before the first backup completed (backup {} ended at {}); the earliest point to restore to is {}",
                        first.label,
                        utc(first.stop),
                        utc(first.stop + 1)
                    ))
                })
        }
        RestoreTo::Lsn(raw) => {
            let lsn = parse_lsn(raw)?;
            sets.iter()
                .rev()
                .find(|s| parse_lsn(&s.lsn_stop).is_ok_and(|stop| stop <= lsn))
                .map(|s| (*s).clone())
                .ok_or_else(|| {
                    BackupError::Invalid(format!(
                        "LSN {raw} is before the first backup completed (backup {} ended at LSN {})",
                        first.label, first.lsn_stop
                    ))
                })
        }
    }
}

/// PostgreSQL's form of a recovery target time.
pub fn target_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// Restores into `opts.target_dir` and (unless told not to) starts it, waiting for recovery.
pub async fn restore(
    cfg: &BackupConfig,
    server: &PgServer,
    opts: &RestoreOptions,
    now: OffsetDateTime,
) -> Result<RestoreReport> {
    if !cfg.conf_file().is_file() {
        return Err(BackupError::NotInitialised(cfg.data_dir.clone()));
    }
    if !cfg.repos().contains(&opts.repo) {
        return Err(BackupError::Invalid(format!(
            "repository {} is not configured",
            opts.repo
        )));
    }
    if opts.in_place {
        return restore_in_place(cfg, server, opts, now).await;
    }
    if opts.target_dir.starts_with(&server.data) || server.data.starts_with(&opts.target_dir) {
        return Err(BackupError::Invalid(format!(
            "{} overlaps the running server's data directory {}",
            opts.target_dir.display(),
            server.data.display()
        )));
    }
    check_destination(&opts.target_dir, opts.port)?;
    let sets = PgBackRest::new(cfg, server).backups()?;
    let set = choose_set(&sets, opts.repo, &opts.to, now)?;
    if let RestoreTo::Time(_) = opts.to {
        mark_time(cfg, server).await;
    }
    let target = target_of(&opts.to);
    let started = Instant::now();
    let restored = Restored::restore(
        cfg,
        server,
        &RestoreRequest {
            root: opts.target_dir.clone(),
            port: opts.port,
            repo: opts.repo,
            set: Some(set.label.clone()),
            target,
            scratch: false,
            in_place: false,
        },
    )?;
    finish(restored, set.label, opts.start, started, None).await
}

async fn finish(
    restored: Restored,
    backup_label: String,
    start: bool,
    started: Instant,
    moved_aside: Option<PathBuf>,
) -> Result<RestoreReport> {
    let mut recovery_point = String::new();
    if start {
        restored.start().await?;
        recovery_point = restored.recovery_point();
    }
    Ok(RestoreReport {
        restored,
        backup_label,
        recovery_point,
        rto_ms: started.elapsed().as_millis() as u64,
        moved_aside,
    })
}

/// Recovery to a time stops at the first commit after it, so it needs one in the archive: on
/// a live server, commit a transaction now and wait until its WAL is archived. A dead server
/// is left alone (recovery then stops at the end of the archive, and says so).
pub(crate) async fn mark_time(cfg: &BackupConfig, server: &PgServer) {
    use sqlx::Connection as _;
    let connect = sqlx::PgConnection::connect(&server.admin_url);
    let Ok(Ok(mut conn)) = tokio::time::timeout(std::time::Duration::from_secs(5), connect).await
    else {
        return;
    };
    let marked = sqlx::query("SELECT txid_current()")
        .execute(&mut conn)
        .await;
    conn.close().await.ok();
    if marked.is_ok()
        && let Err(e) = crate::init::check(cfg, server)
    {
        tracing::warn!(error = %e, "archiving the WAL after the target time");
    }
}

fn target_of(to: &RestoreTo) -> RecoveryTarget {
    match to {
        RestoreTo::Time(t) => RecoveryTarget::Time(target_time(*t)),
        RestoreTo::Lsn(l) => RecoveryTarget::Lsn(l.trim().to_string()),
        RestoreTo::Latest => RecoveryTarget::Latest,
    }
}

async fn restore_in_place(
    cfg: &BackupConfig,
    server: &PgServer,
    opts: &RestoreOptions,
    now: OffsetDateTime,
) -> Result<RestoreReport> {
    let Some(cluster) = &server.cluster else {
        return Err(BackupError::Invalid(
            "--in-place restores the private cluster only; for a DATABASE_URL server restore into a new directory and switch over".into(),
        ));
    };
    if cluster.is_running() {
        return Err(BackupError::Invalid(format!(
            "the server is running (data {}); stop it first (`pms down`) to restore over it",
            cluster.data.display()
        )));
    }
    let sets = PgBackRest::new(cfg, server).backups()?;
    let set = choose_set(&sets, opts.repo, &opts.to, now)?;
    let stamp = now.unix_timestamp();
    let aside = cluster.root.join(format!("data.before-restore-{stamp}"));
    std::fs::rename(&cluster.data, &aside).map_err(crate::error::io_at(&cluster.data))?;
    let started = Instant::now();
    let root = cluster
        .root
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| cfg.data_dir.clone());
    let restored = Restored::restore(
        cfg,
        server,
        &RestoreRequest {
            root,
            port: cluster.port,
            repo: opts.repo,
            set: Some(set.label.clone()),
            target: target_of(&opts.to),
            scratch: false,
            in_place: true,
        },
    );
    let restored = match restored {
        Ok(r) => r,
        Err(e) => {
            // Put the old data back: a failed restore changes nothing.
            let _ = std::fs::remove_dir_all(&cluster.data);
            let _ = std::fs::rename(&aside, &cluster.data);
            return Err(e);
        }
    };
    finish(restored, set.label, opts.start, started, Some(aside)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(label: &str, stop: i64, lsn: &str) -> BackupSet {
        BackupSet {
            label: label.into(),
            kind: "full".into(),
            repo: 1,
            start: stop - 5,
            stop,
            database_bytes: 0,
            repo_bytes: 0,
            wal_start: String::new(),
            wal_stop: String::new(),
            lsn_stop: lsn.into(),
            prior: None,
        }
    }

    #[test]
    fn chooses_and_refuses() {
        let now = OffsetDateTime::from_unix_timestamp(10_000).unwrap();
        let sets = [set("a", 1_000, "0/5000000"), set("b", 5_000, "0/9000000")];
        let at = |s| RestoreTo::Time(OffsetDateTime::from_unix_timestamp(s).unwrap());
        assert_eq!(choose_set(&sets, 1, &at(3_000), now).unwrap().label, "a");
        assert_eq!(choose_set(&sets, 1, &at(9_000), now).unwrap().label, "b");
        let e = choose_set(&sets, 1, &at(500), now).unwrap_err().to_string();
        assert!(e.contains("before the first backup"), "{e}");
        let e = choose_set(&sets, 1, &at(20_000), now)
            .unwrap_err()
            .to_string();
        assert!(e.contains("future"), "{e}");
        assert_eq!(
            choose_set(&sets, 1, &RestoreTo::Lsn("0/6000000".into()), now)
                .unwrap()
                .label,
            "a"
        );
        assert!(choose_set(&sets, 1, &RestoreTo::Lsn("zz".into()), now).is_err());
        assert!(choose_set(&sets, 2, &RestoreTo::Latest, now).is_err());
        assert_eq!(parse_lsn("1/10").unwrap(), (1 << 32) | 16);
        assert!(parse_time("yesterday").is_err());
        assert_eq!(
            parse_time("2026-12-02 15:04:05").unwrap().unix_timestamp(),
            parse_time("2026-12-02T15:04:05Z").unwrap().unix_timestamp()
        );
        assert_eq!(
            target_time(parse_time("2026-12-02T15:04:05.25+01:00").unwrap()),
            "2026-12-02 14:04:05.250000+00"
        );
    }
}
