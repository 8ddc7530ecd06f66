//! Deletes the API's idempotency keys older than a day (all tenants): a retry is answered from
//! its key for 24 hours (the API itself treats an older key as new), and the rows go here.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::Duration;

pub struct PurgeIdempotencyKeys;

impl Job for PurgeIdempotencyKeys {
    fn name(&self) -> &'static str {
        "purge_idempotency_keys"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let deleted = sqlx::query(
                "DELETE FROM api_idempotency_keys WHERE created_at < now() - interval '1 day'",
            )
            .execute(&ctx.maintenance)
            .await
            .doing("deleting idempotency keys older than a day")?
            .rows_affected();
            Ok(serde_json::json!({ "deleted": deleted }))
        })
    }
}
