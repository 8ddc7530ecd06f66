//! Backup settings: where the repositories are, the retention policy and the schedule. Read
//! from the environment (`PMS_BACKUP_*`), with defaults that match the documented policy:
//! a full backup every week and a differential every day into the local repository, four
//! weeks of fulls kept there; weekly fulls on S3 (when configured), twelve weeks kept.

use crate::error::{BackupError, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The stanza name pms uses for its database cluster.
pub const STANZA: &str = "pms";

/// An S3 (or S3-compatible) repository, pgBackRest's `repo2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Repo {
    pub bucket: String,
    /// Path inside the bucket, starting with `/`.
    pub path: String,
    /// Host name of the endpoint (pgBackRest checks the TLS certificate against it).
    pub endpoint: String,
    pub port: u16,
    pub region: String,
    pub key: String,
    pub secret: String,
    /// A CA bundle to trust (a private CA, or an S3-compatible server's own certificate).
    pub ca_file: Option<PathBuf>,
    /// `false` only for test servers with a certificate that cannot be verified.
    pub verify_tls: bool,
}

/// Everything `pms backup` needs to know besides the database server.
#[derive(Debug, Clone)]
pub struct BackupConfig {
    /// `PMS_DATA_DIR`, absolute.
    pub data_dir: PathBuf,
    pub s3: Option<S3Repo>,
    /// Full backups kept in the local repository (`repo1-retention-full`).
    pub local_retention_full: u32,
    /// Full backups kept on S3 (`repo2-retention-full`).
    pub s3_retention_full: u32,
    /// `archive_timeout`: the longest a committed write waits before its WAL segment is
    /// archived, so the most writes a lost server can take with it (the RPO).
    pub archive_timeout: Duration,
    pub full_every: Duration,
    pub diff_every: Duration,
    pub verify_every: Duration,
}

impl BackupConfig {
    /// The defaults for a data directory: local repository only, the documented policy.
    pub fn for_data_dir(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(crate::error::io_at(data_dir))?;
        let data_dir = std::fs::canonicalize(data_dir).map_err(crate::error::io_at(data_dir))?;
        Ok(Self {
            data_dir,
            s3: None,
            local_retention_full: 4,
            s3_retention_full: 12,
            archive_timeout: Duration::from_secs(60),
            full_every: Duration::from_secs(7 * 86_400),
            diff_every: Duration::from_secs(86_400),
            verify_every: Duration::from_secs(7 * 86_400),
        })
    }

    /// Reads `PMS_BACKUP_*` (and the `AWS_*` credentials for S3) through `get`.
    pub fn from_lookup(data_dir: &Path, get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let mut cfg = Self::for_data_dir(data_dir)?;
        if let Some(url) = get("PMS_BACKUP_S3_URL") {
            cfg.s3 = Some(parse_s3(&url, &get)?);
        }
        let count = |var: &str, default: u32| -> Result<u32> {
            match get(var) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| {
                        BackupError::Invalid(format!(
                            "{var}: {v:?} is not a whole number of at least 1"
                        ))
                    }),
            }
        };
        cfg.local_retention_full = count("PMS_BACKUP_RETENTION_FULL_LOCAL", 4)?;
        cfg.s3_retention_full = count("PMS_BACKUP_RETENTION_FULL_S3", 12)?;
        let dur = |var: &str, default: Duration| -> Result<Duration> {
            match get(var) {
                None => Ok(default),
                Some(v) => parse_duration(&v).ok_or_else(|| {
                    BackupError::Invalid(format!(
                        "{var}: {v:?} is not a duration like 60s, 15m, 24h or 7d"
                    ))
                }),
            }
        };
        cfg.archive_timeout = dur("PMS_BACKUP_ARCHIVE_TIMEOUT", cfg.archive_timeout)?;
        if cfg.archive_timeout.as_secs() < 1 {
            return Err(BackupError::Invalid(
                "PMS_BACKUP_ARCHIVE_TIMEOUT must be at least 1s".into(),
            ));
        }
        cfg.full_every = dur("PMS_BACKUP_FULL_EVERY", cfg.full_every)?;
        cfg.diff_every = dur("PMS_BACKUP_DIFF_EVERY", cfg.diff_every)?;
        cfg.verify_every = dur("PMS_BACKUP_VERIFY_EVERY", cfg.verify_every)?;
        Ok(cfg)
    }

    /// Reads the settings from the process environment.
    pub fn from_env(data_dir: &Path) -> Result<Self> {
        Self::from_lookup(data_dir, |k| std::env::var(k).ok())
    }

    /// `PMS_DATA_DIR/backups`: configuration, local repository, logs, pms's records.
    pub fn dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }
    pub fn conf_file(&self) -> PathBuf {
        self.dir().join("pgbackrest.conf")
    }
    pub fn local_repo(&self) -> PathBuf {
        self.dir().join("repo")
    }
    /// pms's own records of each backup (manifest at backup time, verification results).
    pub fn records_dir(&self) -> PathBuf {
        self.dir().join("records")
    }
    /// The repositories configured: 1 (local) and 2 (S3) when set.
    pub fn repos(&self) -> Vec<u32> {
        if self.s3.is_some() {
            vec![1, 2]
        } else {
            vec![1]
        }
    }
}

fn parse_s3(url: &str, get: &impl Fn(&str) -> Option<String>) -> Result<S3Repo> {
    let bad = |m: String| BackupError::Invalid(format!("PMS_BACKUP_S3_URL: {m}"));
    let parsed = url::Url::parse(url).map_err(|e| bad(format!("{url:?} is not a URL ({e})")))?;
    if parsed.scheme() != "s3" {
        return Err(bad(format!("{url:?} must look like s3://bucket/prefix")));
    }
    let bucket = parsed.host_str().unwrap_or_default().to_string();
    if bucket.is_empty() {
        return Err(bad(format!("{url:?} names no bucket")));
    }
    let path = match parsed.path().trim_end_matches('/') {
        "" => "/".to_string(),
        p => p.to_string(),
    };
    let endpoint_raw = get("PMS_BACKUP_S3_ENDPOINT")
        .or_else(|| get("AWS_ENDPOINT_URL"))
        .unwrap_or_else(|| "https://s3.amazonaws.com".into());
    let endpoint = url::Url::parse(&endpoint_raw)
        .map_err(|e| bad(format!("endpoint {endpoint_raw:?} is not a URL ({e})")))?;
    if endpoint.scheme() != "https" {
        return Err(bad(format!(
            "endpoint {endpoint_raw:?}: pgBackRest talks to S3 over TLS only; use an https:// endpoint"
        )));
    }
    let key = get("AWS_ACCESS_KEY_ID").ok_or_else(|| bad("AWS_ACCESS_KEY_ID is not set".into()))?;
    let secret = get("AWS_SECRET_ACCESS_KEY")
        .ok_or_else(|| bad("AWS_SECRET_ACCESS_KEY is not set".into()))?;
    let verify_tls = match get("PMS_BACKUP_S3_VERIFY_TLS").as_deref().map(str::trim) {
        None | Some("1" | "true" | "yes" | "y") => true,
        Some("0" | "false" | "no" | "n") => false,
        Some(other) => {
            return Err(bad(format!(
                "PMS_BACKUP_S3_VERIFY_TLS must be true or false, not {other:?}"
            )));
        }
    };
    Ok(S3Repo {
        bucket,
        path,
        endpoint: endpoint.host_str().unwrap_or_default().to_string(),
        port: endpoint.port().unwrap_or(443),
        region: get("AWS_REGION").unwrap_or_else(|| "us-east-1".into()),
        key,
        secret,
        ca_file: get("PMS_BACKUP_S3_CA_FILE").map(PathBuf::from),
        verify_tls,
    })
}

/// `90s`, `15m`, `24h`, `7d` (or a bare number of seconds).
pub fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let (num, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => raw.split_at(i),
        None => (raw, "s"),
    };
    let n: u64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("60s"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("7d"), Some(Duration::from_secs(604_800)));
        assert_eq!(parse_duration("15"), Some(Duration::from_secs(15)));
        assert_eq!(parse_duration("1w"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn s3_settings_and_bad_values() {
        let dir = std::env::temp_dir();
        let c = BackupConfig::from_lookup(
            &dir,
            env(&[
                ("PMS_BACKUP_S3_URL", "s3://bk/prod/pms/"),
                ("AWS_ENDPOINT_URL", "https://localhost:9443"),
                ("AWS_ACCESS_KEY_ID", "k"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
            ]),
        )
        .unwrap();
        let s3 = c.s3.unwrap();
        assert_eq!((s3.bucket.as_str(), s3.path.as_str()), ("bk", "/prod/pms"));
        assert_eq!((s3.endpoint.as_str(), s3.port), ("localhost", 9443));
        assert_eq!(c.local_retention_full, 4);
        assert_eq!(c.s3_retention_full, 12);
        let e = BackupConfig::from_lookup(
            &dir,
            env(&[
                ("PMS_BACKUP_S3_URL", "s3://bk/x"),
                ("AWS_ENDPOINT_URL", "http://localhost:9000"),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("TLS"), "{e}");
        let e = BackupConfig::from_lookup(&dir, env(&[("PMS_BACKUP_FULL_EVERY", "weekly")]))
            .unwrap_err();
        assert!(e.to_string().contains("PMS_BACKUP_FULL_EVERY"), "{e}");
    }
}
