//! The worker's jobs, one per file, each idempotent.

pub mod daily_data_maintenance;
pub mod expire_sessions;

use crate::scheduler::Job;
use std::sync::Arc;

/// Every job the worker runs.
pub fn all() -> Vec<Arc<dyn Job>> {
    vec![Arc::new(expire_sessions::ExpireSessions), Arc::new(daily_data_maintenance::DailyDataMaintenance)]
}
