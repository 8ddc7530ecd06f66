//! `pms backup list`: pgBackRest's backup sets joined with pms's records (verified or not).

use crate::config::BackupConfig;
use crate::error::{BackupError, Result};
use crate::pgbackrest::{BackupSet, PgBackRest};
use crate::records::{self, BackupRecord};
use crate::server::PgServer;

/// One backup set and what pms recorded about it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Listed {
    pub set: BackupSet,
    pub record: Option<BackupRecord>,
}

impl Listed {
    /// `verified <time>`, `FAILED <time>: first problem`, or `not verified`.
    pub fn status(&self) -> String {
        match self.record.as_ref().and_then(|r| r.last_verification()) {
            Some(v) if v.ok => format!("verified {}", v.at),
            Some(v) => format!(
                "FAILED {}: {}",
                v.at,
                v.problems.first().cloned().unwrap_or_default()
            ),
            None if self.record.is_none() => "not verified (no manifest: not taken by pms)".into(),
            None => "not verified".into(),
        }
    }
}

/// Every backup set, oldest first.
pub fn list(cfg: &BackupConfig, server: &PgServer) -> Result<Vec<Listed>> {
    if !cfg.conf_file().is_file() {
        return Err(BackupError::NotInitialised(cfg.data_dir.clone()));
    }
    let sets = PgBackRest::new(cfg, server).backups()?;
    sets.into_iter()
        .map(|set| {
            let record = records::load(cfg, set.repo, &set.label)?;
            Ok(Listed { set, record })
        })
        .collect()
}

/// `bytes` as `12.3 MB`.
pub fn human_bytes(bytes: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", units[i])
    }
}
