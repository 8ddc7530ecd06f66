//! Keeps the monthly partitions of `audit_log` and `security_events` three months ahead and
//! drops months past the 3-year retention (recording chain anchors first), all tenants.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::Duration;

pub struct AuditPartitions;

impl Job for AuditPartitions {
    fn name(&self) -> &'static str {
        "audit_partitions"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(6 * 60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let report: serde_json::Value = sqlx::query_scalar(
                "SELECT pms_meta.audit_maintain_partitions(coalesce($1, now()))",
            )
            .bind(ctx.at)
            .fetch_one(&ctx.maintenance)
            .await
            .doing("maintaining audit partitions")?;
            Ok(report)
        })
    }
}
