//! Packs every chunk past its hypertable's compression horizon (once its rollups cover it).
//! Idempotent: a second run right after the first finds nothing to do.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::Duration;

pub struct TimeseriesCompression;

impl Job for TimeseriesCompression {
    fn name(&self) -> &'static str {
        "timeseries_compression"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            sqlx::query_scalar::<_, serde_json::Value>(
                "SELECT timeseries.compress_due_chunks(coalesce($1, now()))",
            )
            .bind(ctx.at)
            .fetch_one(&ctx.maintenance)
            .await
            .doing("compressing chunks")
        })
    }
}
