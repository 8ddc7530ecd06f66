//! The daily warehouse sync: every tenant, incrementally from the watermarks, in one snapshot
//! committed with its new watermarks (`pms_warehouse::sync`). Idempotent: a second run right
//! after the first changes no warehouse row.

use crate::error::JobContextExt as _;
use crate::scheduler::{Job, JobContext, JobFuture};
use std::time::Duration;

pub struct WarehouseSync;

impl Job for WarehouseSync {
    fn name(&self) -> &'static str {
        "warehouse_sync"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(24 * 60 * 60)
    }

    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a> {
        Box::pin(async move {
            let mut conn = ctx
                .maintenance
                .acquire()
                .await
                .doing("connecting for the warehouse sync")?;
            let report = pms_warehouse::sync(
                &mut conn,
                &pms_warehouse::SyncOptions::default(),
                &mut |_| {},
            )
            .await
            .doing("syncing the warehouse")?;
            Ok(serde_json::json!({
                "tenants": report.tenants.len(),
                "rows_changed": report.total_changed(),
                "horizon": report.horizon.to_string(),
                "duration_ms": report.duration.as_millis() as u64,
            }))
        })
    }
}
