//! Checks the archive against its ledger (`pms_archive::verify`: every batch's object,
//! checksum, row count and index; objects without a ledger row) and leaves the verdict on
//! `/metrics`: `pms_archive_verify_problems` (the `PmsArchiveVerificationFailing` alert) and
//! `pms_archive_verified_timestamp_seconds`. Problems are findings; the job fails only when it
//! cannot verify (store unreachable, say), which the job-failure alert reports.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use pms_archive::{ArchiveConfig, ArchiveStore};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Reads the archive settings from the environment (`PMS_ARCHIVE_URL`, ...) at each run,
/// unless built [`ArchiveVerify::with_config`].
#[derive(Default)]
pub struct ArchiveVerify {
    config: Option<ArchiveConfig>,
}

impl ArchiveVerify {
    /// Verifies the archive of `config` (tests, and processes that hold their settings).
    pub fn with_config(config: ArchiveConfig) -> Self {
        Self {
            config: Some(config),
        }
    }
}

impl Job for ArchiveVerify {
    fn name(&self) -> &'static str {
        "archive_verify"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(24 * 60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let config = match &self.config {
                Some(c) => c.clone(),
                None => {
                    let data_dir = pms_core::Config::from_env()
                        .doing("configuration")?
                        .data_dir;
                    ArchiveConfig::from_env(&data_dir).doing("archive configuration")?
                }
            };
            let store = ArchiveStore::open(&config).doing("opening the archive store")?;
            let report = pms_archive::verify::verify(&ctx.maintenance, &store, None)
                .await
                .doing(format!("verifying the archive at {}", store.url()))?;
            metrics::gauge!("pms_archive_verify_problems").set(report.problems.len() as f64);
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0);
            metrics::gauge!("pms_archive_verified_timestamp_seconds").set(now);
            for p in &report.problems {
                tracing::error!(problem = %p, "archive verification");
            }
            serde_json::to_value(&report).doing("reporting the verification")
        })
    }
}
