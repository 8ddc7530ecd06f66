//! Creates the current and next chunks of every hypertable, and a chunk for rows waiting in a DEFAULT partition (moving them in).
//! Idempotent: a second run right after the first finds nothing to do.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::Duration;

pub struct TimeseriesPartitions;

impl Job for TimeseriesPartitions {
    fn name(&self) -> &'static str {
        "timeseries_partitions"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            sqlx::query_scalar::<_, serde_json::Value>(
                "SELECT timeseries.create_future_chunks(coalesce($1, now()))",
            )
            .bind(ctx.at)
            .fetch_one(&ctx.maintenance)
            .await
            .doing("creating chunks")
        })
    }
}
