//! `pms backup bench`: on the cluster as it is (seed it first), in one run: full pgBackRest
//! backups (zstd, as configured, and any variants of pgBackRest's options asked for) against
//! `pg_basebackup` of the same cluster (plain, and with client-side zstd at pgBackRest's level)
//! as the baseline, round after round, alternating; the backup's size against the data's;
//! where a full backup's time goes (pgBackRest's log, phase by phase); an incremental backup
//! after one simulated day of writes; the time to restore to a point in time and accept writes
//! (RTO); and a restore drill of the incremental. The baselines' copies are deleted as soon as
//! they are measured.

use crate::config::BackupConfig;
use crate::create::{BackupKind, create, take};
use crate::error::{BackupError, Result, io_at};
use crate::restore::{RestoreOptions, RestoreTo, restore};
use crate::scratch::free_port;
use crate::server::PgServer;
use sqlx::{Connection, Executor, PgConnection};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// pgBackRest's compression level in pms's configuration, which the zstd baseline uses too.
pub use crate::pgbackrest::COMPRESS_LEVEL;

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Rounds of (plain baseline, zstd baseline, full backup as configured, each variant).
    pub rounds: u32,
    /// pgBackRest options to try besides the configuration, one set per variant, each option
    /// as given on pgBackRest's command line (`--process-max=4`).
    pub variants: Vec<Vec<String>>,
    /// Run the restore drill of the incremental (it restores and hashes the whole database).
    pub drill: bool,
}

impl Default for BenchOptions {
    fn default() -> Self {
        Self {
            rounds: 2,
            variants: Vec::new(),
            drill: true,
        }
    }
}

/// Parses a variant: pgBackRest options without their dashes, separated by commas
/// (`compress-level=3,process-max=4`, `no-archive-check`).
pub fn parse_variant(raw: &str) -> Result<Vec<String>> {
    let bad = |m: &str| BackupError::Invalid(format!("--variant {raw:?}: {m}"));
    let mut out = Vec::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, value) = item.split_once('=').unwrap_or((item, ""));
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            || name.starts_with('-')
        {
            return Err(bad(&format!(
                "{item:?} is not a pgBackRest option like process-max=4"
            )));
        }
        if ["type", "repo", "stanza", "config"].contains(&name) {
            return Err(bad(&format!("--{name} is set by pms")));
        }
        if value.bytes().any(|b| b.is_ascii_whitespace()) {
            return Err(bad(&format!("{item:?} has a space in its value")));
        }
        out.push(if value.is_empty() {
            format!("--{name}")
        } else {
            format!("--{name}={value}")
        });
    }
    if out.is_empty() {
        return Err(bad("names no option"));
    }
    Ok(out)
}

/// One full backup: the pgBackRest options it ran with beyond the configuration, its time and
/// where it went.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FullRun {
    /// Empty for pms's configuration.
    pub options: Vec<String>,
    pub secs: f64,
    pub repo_bytes: u64,
    /// "backup start archive" to "backup stop" in pgBackRest's log: copying the files.
    pub copy_s: f64,
    /// Seconds since the command began at each of its log lines (INFO), as logged.
    pub phases: Vec<(f64, String)>,
}

/// One round: both baselines and every full backup, one after another.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Round {
    pub basebackup_plain_s: f64,
    pub basebackup_plain_bytes: u64,
    pub basebackup_zstd_s: f64,
    pub basebackup_zstd_bytes: u64,
    pub fulls: Vec<FullRun>,
}

/// The figures of one run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    pub database_bytes: i64,
    pub cluster_bytes: u64,
    pub rounds: Vec<Round>,
    /// pms's manifest after the incremental (every row hashed, the restore point archived).
    pub manifest_s: f64,
    pub day_of_writes_rows: i64,
    pub incr_s: f64,
    pub incr_repo_bytes: u64,
    pub restore_rto_s: f64,
    pub verify_s: Option<f64>,
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
        c.args([
            "--format=tar",
            &format!("--compress=client-zstd:{COMPRESS_LEVEL}"),
        ]);
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

/// Runs the benchmark (backups must be initialised).
pub async fn run(
    cfg: &BackupConfig,
    server: &PgServer,
    opts: &BenchOptions,
    progress: &dyn Fn(&str),
) -> Result<BenchReport> {
    if opts.rounds == 0 {
        return Err(BackupError::Invalid("--rounds must be at least 1".into()));
    }
    let mut conn = PgConnection::connect(&server.admin_url).await?;
    let database_bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut conn)
        .await?;
    // pg_wal is not part of a backup (either tool takes only the WAL it needs).
    let cluster_bytes = du(&server.data).saturating_sub(du(&server.data.join("pg_wal")));
    let scratch = cfg.dir().join("bench");
    let mut variants: Vec<Vec<String>> = vec![Vec::new()];
    variants.extend(opts.variants.iter().cloned());
    let mut rounds = Vec::new();
    for round in 1..=opts.rounds {
        progress(&format!("round {round}: pg_basebackup, plain"));
        let plain = basebackup(server, &scratch, false)?;
        progress(&format!(
            "round {round}: pg_basebackup, client-side zstd level {COMPRESS_LEVEL}"
        ));
        let zstd = basebackup(server, &scratch, true)?;
        let mut fulls = Vec::new();
        for v in &variants {
            progress(&format!(
                "round {round}: pgBackRest full backup{}",
                if v.is_empty() {
                    String::new()
                } else {
                    format!(" with {}", v.join(" "))
                }
            ));
            let (set, _, ms) = take(cfg, server, BackupKind::Full, 1, v)?;
            let phases = phases(cfg).unwrap_or_default();
            fulls.push(FullRun {
                options: v.clone(),
                secs: ms as f64 / 1000.0,
                repo_bytes: set.repo_bytes,
                copy_s: copy_phase(&phases).unwrap_or(0.0),
                phases,
            });
        }
        rounds.push(Round {
            basebackup_plain_s: plain.0,
            basebackup_plain_bytes: plain.1,
            basebackup_zstd_s: zstd.0,
            basebackup_zstd_bytes: zstd.1,
            fulls,
        });
    }
    progress("one day of writes");
    let day_of_writes_rows = day_of_writes(&mut conn).await?;
    progress("pgBackRest incremental backup (and pms's manifest)");
    let started = Instant::now();
    let (incr_record, incr) = create(cfg, server, BackupKind::Incr, 1).await?;
    let manifest_s = started.elapsed().as_secs_f64() - incr_record.duration_ms as f64 / 1000.0;
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
    let verify_s = if opts.drill {
        progress("restore drill of the incremental");
        let v = crate::verify::verify(cfg, server, Some(&incr.label), Some(1)).await?;
        if !v.verification.ok {
            return Err(BackupError::Verification {
                label: incr.label,
                problems: v.verification.problems,
            });
        }
        Some(v.verification.restore_ms as f64 / 1000.0)
    } else {
        None
    };
    Ok(BenchReport {
        database_bytes,
        cluster_bytes,
        rounds,
        manifest_s,
        day_of_writes_rows,
        incr_s: incr_record.duration_ms as f64 / 1000.0,
        incr_repo_bytes: incr.repo_bytes,
        restore_rto_s,
        verify_s,
    })
}

/// The INFO lines of the last `backup` command in pgBackRest's backup log, each with the
/// seconds since that command began.
fn phases(cfg: &BackupConfig) -> Option<Vec<(f64, String)>> {
    let log = std::fs::read_to_string(
        cfg.dir()
            .join("log")
            .join(format!("{}-backup.log", crate::config::STANZA)),
    )
    .ok()?;
    Some(parse_phases(&log))
}

/// See [`phases`]; `log` is the text of pgBackRest's backup log.
pub fn parse_phases(log: &str) -> Vec<(f64, String)> {
    let secs = |line: &str| -> Option<f64> {
        let t = line.split_whitespace().nth(1)?;
        let mut parts = t.split(':');
        let h: f64 = parts.next()?.parse().ok()?;
        let m: f64 = parts.next()?.parse().ok()?;
        let s: f64 = parts.next()?.parse().ok()?;
        Some(h * 3600.0 + m * 60.0 + s)
    };
    let lines: Vec<&str> = log.lines().collect();
    let Some(begin) = lines
        .iter()
        .rposition(|l| l.contains("INFO: backup command begin"))
    else {
        return Vec::new();
    };
    let Some(t0) = secs(lines[begin]) else {
        return Vec::new();
    };
    lines[begin..]
        .iter()
        .filter_map(|l| {
            let (_, msg) = l.split_once("INFO: ")?;
            let mut dt = secs(l)? - t0;
            if dt < 0.0 {
                dt += 86_400.0; // past midnight
            }
            let msg: String = msg.chars().take(110).collect();
            Some((dt, msg))
        })
        .collect()
}

/// From "backup start archive" to the "backup stop" after it: the copy of the files.
fn copy_phase(phases: &[(f64, String)]) -> Option<f64> {
    let start = phases
        .iter()
        .find(|(_, m)| m.starts_with("backup start archive"))?;
    let stop = phases
        .iter()
        .find(|(_, m)| m.starts_with("execute non-exclusive backup stop"))?;
    Some(stop.0 - start.0)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants() {
        assert_eq!(
            parse_variant("process-max=4, compress-level=3").unwrap(),
            vec!["--process-max=4", "--compress-level=3"]
        );
        assert_eq!(
            parse_variant("no-archive-check").unwrap(),
            vec!["--no-archive-check"]
        );
        for bad in ["", ",", "--process-max=4", "repo=2", "Process=1", "a=b c"] {
            let e = parse_variant(bad).unwrap_err().to_string();
            assert!(e.contains("nothing was changed"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn phases_of_the_last_backup() {
        let log = "\
2026-12-04 01:20:00.000 P00   INFO: backup command begin 2.45: --type=full
2026-12-04 01:20:09.000 P00   INFO: backup command end: completed successfully (9000ms)

-------------------PROCESS START-------------------
2026-12-04 23:59:59.500 P00   INFO: backup command begin 2.45: --type=full
2026-12-05 00:00:00.250 P00   INFO: execute non-exclusive backup start: backup begins after the requested immediate checkpoint completes
2026-12-05 00:00:00.500 P00   INFO: backup start archive = 000000010000000000000004, lsn = 0/4000028
2026-12-05 00:00:02.500 P00   INFO: execute non-exclusive backup stop and wait for all WAL segments to archive
2026-12-05 00:00:02.900 P00   INFO: backup command end: completed successfully (3400ms)
";
        let p = parse_phases(log);
        assert_eq!(p.len(), 5);
        assert_eq!(p[0].0, 0.0);
        assert!((p[4].0 - 3.4).abs() < 1e-9, "{p:?}");
        assert!((copy_phase(&p).unwrap() - 2.0).abs() < 1e-9);
    }
}
