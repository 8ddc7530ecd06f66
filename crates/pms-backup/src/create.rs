//! `pms backup create`: a pgBackRest backup, then the manifest of the database at a restore
//! point right after it (see `manifest`), then a WAL switch that `pgbackrest check` waits to
//! see archived, so the restore point is in the repository before the backup is reported.

use crate::config::BackupConfig;
use crate::error::{BackupError, Result};
use crate::pgbackrest::{BackupSet, PgBackRest};
use crate::records::{self, BackupRecord};
use crate::server::PgServer;
use std::time::Instant;

/// pgBackRest's backup types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum BackupKind {
    Full,
    Diff,
    Incr,
}

impl BackupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Diff => "diff",
            Self::Incr => "incr",
        }
    }
}

impl std::str::FromStr for BackupKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "full" => Ok(Self::Full),
            "diff" => Ok(Self::Diff),
            "incr" => Ok(Self::Incr),
            other => Err(format!(
                "backup type must be full, diff or incr, not {other:?}"
            )),
        }
    }
}

/// Takes one backup into repository `repo` (1 = local, 2 = S3) and records its manifest.
pub async fn create(
    cfg: &BackupConfig,
    server: &PgServer,
    kind: BackupKind,
    repo: u32,
) -> Result<(BackupRecord, BackupSet)> {
    if !cfg.conf_file().is_file() {
        return Err(BackupError::NotInitialised(cfg.data_dir.clone()));
    }
    if !cfg.repos().contains(&repo) {
        return Err(BackupError::Invalid(format!(
            "repository {repo} is not configured (1 is the local one; 2 is S3, set by PMS_BACKUP_S3_URL)"
        )));
    }
    let (set, sets, duration_ms) = take(cfg, server, kind, repo, &[])?;
    let manifest =
        crate::manifest::record(&server.admin_url, &format!("pms-{repo}-{}", set.label)).await?;
    // Switch to a new WAL segment and wait until it reached every repository.
    crate::init::check(cfg, server)?;
    let record = BackupRecord {
        label: set.label.clone(),
        repo,
        kind: set.kind.clone(),
        duration_ms,
        manifest,
        verifications: Vec::new(),
    };
    records::save(cfg, &record)?;
    prune(cfg, &sets)?;
    tracing::info!(label = %set.label, repo, kind = %set.kind, duration_ms, "backup taken");
    Ok((record, set))
}

/// The pgBackRest step of [`create`] alone: `pgbackrest backup` (with `extra` options after
/// pms's own, e.g. `--compress-level=3` for a benchmark), timed; returns the new set, every
/// set now in the repositories, and the command's milliseconds. No manifest is recorded: a
/// backup taken this way cannot be verified by a drill.
pub fn take(
    cfg: &BackupConfig,
    server: &PgServer,
    kind: BackupKind,
    repo: u32,
    extra: &[String],
) -> Result<(BackupSet, Vec<BackupSet>, u64)> {
    if repo == 1 {
        crate::init::ensure_room(cfg)?;
    }
    let br = PgBackRest::new(cfg, server);
    let before: Vec<String> = br.backups()?.into_iter().map(|b| b.label).collect();
    let mut args = vec![
        "backup".to_string(),
        format!("--type={}", kind.as_str()),
        format!("--repo={repo}"),
    ];
    args.extend(extra.iter().cloned());
    let started = Instant::now();
    br.run(&args)
        .map_err(|e| crate::init::explain(cfg, "backup", e))?;
    let duration_ms = started.elapsed().as_millis() as u64;
    let sets = br.backups()?;
    let set = sets
        .iter()
        .rev()
        .find(|b| b.repo == repo && !before.contains(&b.label))
        .cloned()
        .ok_or_else(|| {
            BackupError::Check("pgBackRest reported success but lists no new backup".into())
        })?;
    Ok((set, sets, duration_ms))
}

/// Deletes the records of backup sets that retention has expired.
fn prune(cfg: &BackupConfig, sets: &[BackupSet]) -> Result<()> {
    for r in records::all(cfg)? {
        if !sets.iter().any(|s| s.repo == r.repo && s.label == r.label) {
            let p = cfg
                .records_dir()
                .join(format!("{}-{}.json", r.repo, r.label));
            let _ = std::fs::remove_file(p);
        }
    }
    Ok(())
}
