//! The daily data pass: `daily_data_maintenance()` in the database (expired rows deleted under
//! legal holds, storage tiers, the time-series engine's maintenance when installed), then the
//! archiver (archive-then-verify-then-delete of every due batch, recovery of interrupted runs,
//! expiry of archived batches), then the tiers once more so they show the archive's new state.

use crate::error::{JobContextExt as _, JobResult};
use crate::scheduler::{Job, JobContext, JobFuture};
use pms_archive::{ArchiveConfig, Archiver, Progress};
use std::time::Duration;

pub struct DailyDataMaintenance;

impl Job for DailyDataMaintenance {
    fn name(&self) -> &'static str {
        "daily_data_maintenance"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(24 * 60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move { run_with_progress(ctx, &|_| {}).await })
    }
}

/// Runs the pass, reporting archive progress to `progress` (`pms maintenance run` shows it).
pub async fn run_with_progress(
    ctx: &JobContext,
    progress: &(dyn Fn(&Progress) + Send + Sync),
) -> JobResult<serde_json::Value> {
    let mut report: serde_json::Value = sqlx::query_scalar("SELECT daily_data_maintenance()")
        .fetch_one(&ctx.maintenance)
        .await
        .doing("daily_data_maintenance()")?;
    let data_dir = pms_core::Config::from_env()
        .doing("configuration")?
        .data_dir;
    let config = ArchiveConfig::from_env(&data_dir).doing("archive configuration")?;
    let archiver =
        Archiver::new(ctx.maintenance.clone(), &config).doing("opening the archive store")?;
    let archived = archiver
        .run(progress)
        .await
        .doing(format!("archiving to {}", archiver.store.url()))?;
    let tiers: i32 = sqlx::query_scalar("SELECT update_storage_tiers()")
        .fetch_one(&ctx.maintenance)
        .await
        .doing("update_storage_tiers()")?;
    let cleaned = report["audit_logs_cleaned"].as_u64().unwrap_or(0) + archived.audit_logs_archived;
    if let Some(o) = report.as_object_mut() {
        o.insert("archived".into(), archived.archived_rows.into());
        o.insert("audit_logs_cleaned".into(), cleaned.into());
        o.insert("tiers_updated".into(), tiers.into());
        o.insert("archive_url".into(), archiver.store.url().into());
        o.insert(
            "archive".into(),
            serde_json::to_value(&archived).doing("reporting the archive run")?,
        );
        o.remove("archive_due");
    }
    Ok(report)
}
