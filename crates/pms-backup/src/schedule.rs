//! What the worker's backup jobs should do now, decided from the repository's own list of
//! backups (so a restarted worker, or several workers, never take one twice): a full backup
//! when the newest full is older than `full_every`, a differential when the newest backup of
//! any type is older than `diff_every`, a drill when none ran within `verify_every`. The S3
//! repository gets the weekly fulls only.

use crate::config::BackupConfig;
use crate::create::BackupKind;
use crate::pgbackrest::BackupSet;
use crate::records::BackupRecord;

/// The backup due in `repo` at `now` (Unix seconds), if any.
pub fn due_backup(
    cfg: &BackupConfig,
    sets: &[BackupSet],
    repo: u32,
    now: i64,
) -> Option<BackupKind> {
    let in_repo = sets.iter().filter(|s| s.repo == repo);
    let last_full = in_repo
        .clone()
        .filter(|s| s.kind == "full")
        .map(|s| s.stop)
        .max();
    let last_any = in_repo.map(|s| s.stop).max();
    let older = |t: Option<i64>, every: std::time::Duration| {
        t.is_none_or(|t| now - t >= every.as_secs() as i64)
    };
    if older(last_full, cfg.full_every) {
        return Some(BackupKind::Full);
    }
    if repo == 1 && older(last_any, cfg.diff_every) {
        return Some(BackupKind::Diff);
    }
    None
}

/// True when no restore drill ran within `verify_every` (and there is a backup to drill).
pub fn due_verification(cfg: &BackupConfig, records: &[BackupRecord], now: i64) -> bool {
    if records.is_empty() {
        return false;
    }
    let last = records
        .iter()
        .flat_map(|r| r.verifications.iter())
        .filter_map(|v| {
            time::OffsetDateTime::parse(&v.at, &time::format_description::well_known::Rfc3339).ok()
        })
        .map(|t| t.unix_timestamp())
        .max();
    last.is_none_or(|t| now - t >= cfg.verify_every.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(kind: &str, repo: u32, stop: i64) -> BackupSet {
        BackupSet {
            label: format!("{kind}{stop}"),
            kind: kind.into(),
            repo,
            start: stop - 10,
            stop,
            database_bytes: 0,
            repo_bytes: 0,
            wal_start: String::new(),
            wal_stop: String::new(),
            lsn_stop: "0/0".into(),
            prior: None,
        }
    }

    #[test]
    fn weekly_full_daily_diff() {
        let cfg = BackupConfig::for_data_dir(&std::env::temp_dir()).unwrap();
        let day = 86_400;
        let t0 = 1_000_000;
        assert_eq!(due_backup(&cfg, &[], 1, t0), Some(BackupKind::Full));
        let sets = vec![set("full", 1, t0)];
        assert_eq!(due_backup(&cfg, &sets, 1, t0 + 3600), None);
        assert_eq!(due_backup(&cfg, &sets, 1, t0 + day), Some(BackupKind::Diff));
        let sets = vec![set("full", 1, t0), set("diff", 1, t0 + day)];
        assert_eq!(due_backup(&cfg, &sets, 1, t0 + day + 3600), None);
        assert_eq!(
            due_backup(&cfg, &sets, 1, t0 + 7 * day),
            Some(BackupKind::Full)
        );
        // S3: fulls only, and its own history.
        assert_eq!(due_backup(&cfg, &sets, 2, t0 + day), Some(BackupKind::Full));
        let sets = vec![set("full", 2, t0)];
        assert_eq!(due_backup(&cfg, &sets, 2, t0 + 2 * day), None);
    }
}
