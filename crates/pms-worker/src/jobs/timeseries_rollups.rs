//! Refreshes every rollup: invalidated buckets recomputed, new complete buckets materialized.
//! Idempotent: a second run right after the first finds nothing to do.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::Duration;

pub struct TimeseriesRollups;

impl Job for TimeseriesRollups {
    fn name(&self) -> &'static str {
        "timeseries_rollups"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(5 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            sqlx::query_scalar::<_, serde_json::Value>(
                "SELECT timeseries.refresh_all_rollups(coalesce($1, now()))",
            )
            .bind(ctx.at)
            .fetch_one(&ctx.maintenance)
            .await
            .doing("refreshing rollups")
        })
    }
}
