//! Drops every chunk past its hypertable's retention, as whole partitions.
//! Idempotent: a second run right after the first finds nothing to do.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::Duration;

pub struct TimeseriesRetention;

impl Job for TimeseriesRetention {
    fn name(&self) -> &'static str {
        "timeseries_retention"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            sqlx::query_scalar::<_, serde_json::Value>(
                "SELECT timeseries.apply_retention(coalesce($1, now()))",
            )
            .bind(ctx.at)
            .fetch_one(&ctx.maintenance)
            .await
            .doing("applying retention")
        })
    }
}
