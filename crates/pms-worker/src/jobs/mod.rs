//! The worker's jobs, one per file, each idempotent.

pub mod archive_verify;
pub mod audit_chain_verify;
pub mod audit_partitions;
pub mod backups;
pub mod daily_data_maintenance;
pub mod expire_sessions;
pub mod generate_reports;
pub mod purge_idempotency_keys;
pub mod timeseries_compression;
pub mod timeseries_partitions;
pub mod timeseries_retention;
pub mod timeseries_rollups;
pub mod warehouse_sync;

use crate::scheduler::Job;
use std::sync::Arc;

/// Every job the worker runs.
pub fn all() -> Vec<Arc<dyn Job>> {
    vec![
        Arc::new(expire_sessions::ExpireSessions),
        Arc::new(purge_idempotency_keys::PurgeIdempotencyKeys),
        // Time-series, in the order one maintenance pass needs them.
        Arc::new(timeseries_partitions::TimeseriesPartitions),
        Arc::new(timeseries_rollups::TimeseriesRollups),
        Arc::new(timeseries_compression::TimeseriesCompression),
        Arc::new(timeseries_retention::TimeseriesRetention),
        Arc::new(audit_partitions::AuditPartitions),
        // Retention, tiers and archival (also runs the time-series pass in its report).
        Arc::new(daily_data_maintenance::DailyDataMaintenance),
        // Verdicts for the alerts on tampering and on the archive (gauges on /metrics).
        Arc::new(audit_chain_verify::AuditChainVerify),
        Arc::new(archive_verify::ArchiveVerify::default()),
        // The star schema, after the rollups it reads.
        Arc::new(warehouse_sync::WarehouseSync),
        // Report schedules and requested runs, each computed as its requester.
        Arc::new(generate_reports::GenerateReports),
    ]
}
