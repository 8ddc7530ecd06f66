//! Where the archive lives and how big its batches are, from the environment:
//! `PMS_ARCHIVE_URL` (`file:///path` or `s3://bucket/prefix`; default `file://PMS_DATA_DIR/archive`),
//! `PMS_ARCHIVE_BATCH_SIZE` (default 1000), and for S3 the standard `AWS_*` variables
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`,
//! `AWS_ALLOW_HTTP` for an S3-compatible server).

use crate::error::{ArchiveError, Result};
use std::path::Path;

/// The archive's settings.
#[derive(Debug, Clone)]
pub struct ArchiveConfig {
    pub url: String,
    pub batch_size: u32,
    /// Extra S3 options (`aws_endpoint`, `aws_access_key_id`, ...) applied over `AWS_*`.
    pub s3_options: Vec<(String, String)>,
}

pub const DEFAULT_BATCH_SIZE: u32 = 1000;

impl ArchiveConfig {
    /// Reads `PMS_ARCHIVE_URL` and `PMS_ARCHIVE_BATCH_SIZE`; `data_dir` gives the default.
    pub fn from_env(data_dir: &Path) -> Result<Self> {
        Self::from_lookup(data_dir, |k| std::env::var(k).ok())
    }

    /// As [`ArchiveConfig::from_env`], through `get`.
    pub fn from_lookup(data_dir: &Path, get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let url = match get("PMS_ARCHIVE_URL").filter(|v| !v.trim().is_empty()) {
            Some(u) => u.trim().to_string(),
            None => {
                let dir = std::path::absolute(data_dir.join("archive")).map_err(|e| {
                    ArchiveError::BadUrl {
                        url: data_dir.display().to_string(),
                        reason: format!("cannot make the data directory absolute: {e}"),
                    }
                })?;
                format!("file://{}", dir.display())
            }
        };
        let batch_size = match get("PMS_ARCHIVE_BATCH_SIZE").filter(|v| !v.trim().is_empty()) {
            None => DEFAULT_BATCH_SIZE,
            Some(v) => match v.trim().parse::<u32>() {
                Ok(n) if (1..=100_000).contains(&n) => n,
                _ => {
                    return Err(ArchiveError::Invalid(format!(
                        "PMS_ARCHIVE_BATCH_SIZE must be a whole number from 1 to 100000, not {v:?}"
                    )));
                }
            },
        };
        Ok(Self {
            url,
            batch_size,
            s3_options: Vec::new(),
        })
    }

    /// A configuration for `url` with the default batch size.
    pub fn for_url(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            batch_size: DEFAULT_BATCH_SIZE,
            s3_options: Vec::new(),
        }
    }
}
