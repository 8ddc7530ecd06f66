//! Deletes sessions that expired or were revoked more than a day ago (all tenants).

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::Duration;

pub struct ExpireSessions;

impl Job for ExpireSessions {
    fn name(&self) -> &'static str {
        "expire_sessions"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(15 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let deleted = sqlx::query(
                "DELETE FROM sessions WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'",
            )
            .execute(&ctx.maintenance)
            .await
            .doing("deleting expired sessions")?
            .rows_affected();
            Ok(serde_json::json!({ "deleted": deleted }))
        })
    }
}
