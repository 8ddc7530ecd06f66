//! `pms backup bench`: on the cluster as it is (seed it first), in one run: a full pgBackRest
//! backup (zstd, two processes) against `pg_basebackup` of the same cluster (plain, and with
//! client-side zstd) as the baseline, the backup's size against the data's, an incremental
//! backup after one simulated day of writes, and the time to restore to a point in time and
//! accept writes (RTO). The baselines' copies are deleted as soon as they are measured.

use crate::config::BackupConfig;
use crate::create::{BackupKind, create};
use crate::error::{BackupError, Result, io_at};
use crate::restore::{RestoreOptions, RestoreTo, restore};
use crate::scratch::free_port;
use crate::server::PgServer;
use sqlx::{Connection, Executor, PgConnection};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The figures of one run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    pub database_bytes: i64,
    pub cluster_bytes: u64,
    pub basebackup_plain_s: f64,
    pub basebackup_plain_bytes: u64,
    pub basebackup_zstd_s: f64,
    pub basebackup_zstd_bytes: u64,
    pub full_s: f64,
    /// The part of the full backup that copies files (pgBackRest's log: from "backup start"
    /// to "backup stop"); the rest is fixed cost (set-up, checkpoint, WAL checks, expiry).
    pub full_copy_s: f64,
    pub full_repo_bytes: u64,
    pub manifest_s: f64,
    pub day_of_writes_rows: i64,
    pub incr_s: f64,
    pub incr_repo_bytes: u64,
    pub restore_rto_s: f64,
    pub verify_s: f64,
}

fn du(path: &Path) -> u64 {
    Command::new("du")
        .args(["-sb"])
        .arg(path)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn basebackup(server: &PgServer, dir: &Path, zstd: bool) -> Result<(f64, u64)> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    crate::pgbackrest::give_to(&server.run_as, dir)?;
    let bin = server.bindir.join("pg_basebackup");
    let mut c = match &server.run_as {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", u, "--"]).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    c.arg("-D").arg(dir).args([
        "-h",
        "127.0.0.1",
        "-p",
        &server.port.to_string(),
        "-U",
        "postgres",
    ]);
    // Synced like pgBackRest's files: a backup that is not on disk is not a backup.
    c.args(["--checkpoint=fast", "--wal-method=fetch"]);
    if zstd {
        c.args(["--format=tar", "--compress=client-zstd:3"]);
    }
    let started = Instant::now();
    let out = c.output().map_err(io_at(dir))?;
    let secs = started.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(BackupError::Tool {
            command: "pg_basebackup".into(),
            status: out.status.code().map(|c| c.to_string()).unwrap_or_default(),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let bytes = du(dir);
    let _ = std::fs::remove_dir_all(dir);
    Ok((secs, bytes))
}

/// Runs the benchmark (backups must be initialised). `now` is injected for the restore.
pub async fn run(
    cfg: &BackupConfig,
    server: &PgServer,
    progress: &dyn Fn(&str),
) -> Result<BenchReport> {
    let mut conn = PgConnection::connect(&server.admin_url).await?;
    let database_bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut conn)
        .await?;
    // pg_wal is not part of a backup (either tool takes only the WAL it needs).
    let cluster_bytes = du(&server.data).saturating_sub(du(&server.data.join("pg_wal")));
    let scratch = cfg.dir().join("bench");
    // Each measured twice, alternating, the faster kept: the machine is shared and noisy.
    let (mut plain, mut zstd, mut full_s, mut manifest_s) =
        ((f64::MAX, 0), (f64::MAX, 0), f64::MAX, 0.0);
    let mut full = None;
    let mut full_copy_s = 0.0;
    for round in 1..=2 {
        progress(&format!("round {round}: pg_basebackup, plain"));
        let p = basebackup(server, &scratch, false)?;
        if p.0 < plain.0 {
            plain = p;
        }
        progress(&format!("round {round}: pg_basebackup, client-side zstd"));
        let z = basebackup(server, &scratch, true)?;
        if z.0 < zstd.0 {
            zstd = z;
        }
        progress(&format!("round {round}: pgBackRest full backup"));
        let started = Instant::now();
        let (record, set) = create(cfg, server, BackupKind::Full, 1).await?;
        let secs = record.duration_ms as f64 / 1000.0;
        if secs < full_s {
            full_s = secs;
            full_copy_s = copy_phase(cfg).unwrap_or(0.0);
            manifest_s = started.elapsed().as_secs_f64() - secs;
        }
        full = Some(set);
    }
    let full = full.ok_or_else(|| BackupError::Check("no full backup was taken".into()))?;
    let ((basebackup_plain_s, basebackup_plain_bytes), (basebackup_zstd_s, basebackup_zstd_bytes)) =
        (plain, zstd);
    progress("one day of writes");
    let day_of_writes_rows = day_of_writes(&mut conn).await?;
    progress("pgBackRest incremental backup");
    let (incr_record, incr) = create(cfg, server, BackupKind::Incr, 1).await?;
    let at: time::OffsetDateTime = sqlx::query_scalar("SELECT clock_timestamp()")
        .fetch_one(&mut conn)
        .await?;
    conn.execute("SELECT pg_switch_wal()").await?;
    conn.close().await.ok();
    crate::init::check(cfg, server)?;
    progress("restore to a point in time");
    let target = cfg.dir().join("bench-restore");
    let _ = std::fs::remove_dir_all(&target);
    let now = time::OffsetDateTime::now_utc();
    let report = restore(
        cfg,
        server,
        &RestoreOptions {
            to: RestoreTo::Time(at),
            target_dir: target.clone(),
            port: free_port()?,
            start: true,
            repo: 1,
            in_place: false,
        },
        now,
    )
    .await?;
    let restore_rto_s = report.rto_ms as f64 / 1000.0;
    report.restored.stop();
    drop(report);
    let _ = std::fs::remove_dir_all(&target);
    progress("restore drill of the incremental backup");
    let v = crate::verify::verify(cfg, server, Some(&incr.label), Some(1)).await?;
    if !v.verification.ok {
        return Err(BackupError::Verification {
            label: incr.label,
            problems: v.verification.problems,
        });
    }
    Ok(BenchReport {
        database_bytes,
        cluster_bytes,
        basebackup_plain_s,
        basebackup_plain_bytes,
        basebackup_zstd_s,
        basebackup_zstd_bytes,
        full_s,
        full_copy_s,
        full_repo_bytes: full.repo_bytes,
        manifest_s,
        day_of_writes_rows,
        incr_s: incr_record.duration_ms as f64 / 1000.0,
        incr_repo_bytes: incr.repo_bytes,
        restore_rto_s,
        verify_s: v.verification.restore_ms as f64 / 1000.0,
    })
}

/// Seconds between the last "backup start archive" and the "backup stop" after it in
/// pgBackRest's backup log.
fn copy_phase(cfg: &BackupConfig) -> Option<f64> {
    let log = std::fs::read_to_string(
        cfg.dir()
            .join("log")
            .join(format!("{}-backup.log", crate::config::STANZA)),
    )
    .ok()?;
    let secs = |line: &str| -> Option<f64> {
        let t = line.split_whitespace().nth(1)?;
        let mut parts = t.split(':');
        let h: f64 = parts.next()?.parse().ok()?;
        let m: f64 = parts.next()?.parse().ok()?;
        let s: f64 = parts.next()?.parse().ok()?;
        Some(h * 3600.0 + m * 60.0 + s)
    };
    let lines: Vec<&str> = log.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.contains("INFO: backup start archive"))?;
    let stop = lines[start..]
        .iter()
        .find(|l| l.contains("execute non-exclusive backup stop"))?;
    Some(secs(stop)? - secs(lines[start])?)
}

/// A day of a tenant's writes: one point of every performance and engagement metric per
/// person, and progress on a tenth of the goals.
async fn day_of_writes(conn: &mut PgConnection) -> Result<i64> {
    let points = sqlx::query(
        "INSERT INTO performance_metrics_ts (tenant_id, user_id, metric_name, value, recorded_at)
         SELECT u.tenant_id, u.id, m, round((50 + random() * 50)::numeric, 2)::float8, now() - interval '1 hour'
           FROM users u CROSS JOIN unnest(ARRAY['productivity', 'quality', 'collaboration', 'goal_completion', 'competency']) m",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let goals = sqlx::query(
        "UPDATE goals SET progress = least(100, progress + 1) WHERE (hashtext(id::text) % 10) = 0",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((points + goals) as i64)
}
