//! pms's record of each backup, kept beside the local repository as one JSON file per backup
//! set (`backups/records/<repo>-<label>.json`): the manifest taken at backup time and the
//! result of every restore drill. Files, not tables: the records must outlive the database
//! they describe.

use crate::config::BackupConfig;
use crate::error::{BackupError, Result, io_at};
use crate::manifest::Manifest;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The result of one restore drill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// RFC 3339, UTC.
    pub at: String,
    pub ok: bool,
    pub problems: Vec<String>,
    pub restore_ms: u64,
    pub tables_checked: usize,
    pub indexes_checked: usize,
    pub tenants_checked: usize,
}

/// What pms knows about one backup set beyond pgBackRest's own information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupRecord {
    pub label: String,
    pub repo: u32,
    pub kind: String,
    pub duration_ms: u64,
    pub manifest: Manifest,
    #[serde(default)]
    pub verifications: Vec<Verification>,
}

impl BackupRecord {
    /// The latest drill, if any.
    pub fn last_verification(&self) -> Option<&Verification> {
        self.verifications.last()
    }
    /// A backup counts only once a drill verified it.
    pub fn verified(&self) -> bool {
        self.last_verification().is_some_and(|v| v.ok)
    }
}

fn path(cfg: &BackupConfig, repo: u32, label: &str) -> PathBuf {
    cfg.records_dir().join(format!("{repo}-{label}.json"))
}

/// Writes (replaces) a record, atomically.
pub fn save(cfg: &BackupConfig, r: &BackupRecord) -> Result<()> {
    let dir = cfg.records_dir();
    std::fs::create_dir_all(&dir).map_err(io_at(&dir))?;
    let p = path(cfg, r.repo, &r.label);
    let tmp = p.with_extension("json.tmp");
    let text = serde_json::to_vec_pretty(r).map_err(|source| BackupError::Json {
        what: format!("record of {}", r.label),
        source,
    })?;
    std::fs::write(&tmp, text).map_err(io_at(&tmp))?;
    std::fs::rename(&tmp, &p).map_err(io_at(&p))?;
    Ok(())
}

/// The record of one backup set, if pms took it.
pub fn load(cfg: &BackupConfig, repo: u32, label: &str) -> Result<Option<BackupRecord>> {
    let p = path(cfg, repo, label);
    match std::fs::read(&p) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|source| BackupError::Json {
                what: p.display().to_string(),
                source,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_at(&p)(e)),
    }
}

/// Every record, in no particular order.
pub fn all(cfg: &BackupConfig) -> Result<Vec<BackupRecord>> {
    let dir = cfg.records_dir();
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_at(&dir)(e)),
    };
    let mut out = Vec::new();
    for entry in rd.flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "json") {
            let bytes = std::fs::read(&p).map_err(io_at(&p))?;
            out.push(
                serde_json::from_slice(&bytes).map_err(|source| BackupError::Json {
                    what: p.display().to_string(),
                    source,
                })?,
            );
        }
    }
    Ok(out)
}

/// Now, as RFC 3339 UTC.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
