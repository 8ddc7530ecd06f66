//! Watching pms: the operator's screen (`pms monitor`, [`report`]) and the Prometheus metrics
//! that the worker's `/metrics` (and `pms serve`'s, once the API exists) answer with
//! ([`metrics::Registry`]).
//!
//! Everything here only reads. Every query runs under a statement timeout and reads catalogs,
//! statistics views or index ranges, never a full scan of a big table, so that watching the
//! database cannot load it. Database figures behind `/metrics` are cached for a few seconds:
//! however often Prometheus (or anyone) scrapes, the database sees at most one collection per
//! interval.

pub mod cpu;
pub mod disk;
mod error;
pub mod metrics;
pub mod options;
pub mod pools;
pub mod report;
pub mod sql;

pub use error::MonitorError;
pub use metrics::Registry;
pub use options::MonitorOptions;

/// The `application_name` of the monitor's own sessions, so that its queries are told apart
/// (and left out of "longest query").
pub const APPLICATION_NAME: &str = "pms-monitor";

pub use sql::{monitor_pool, monitor_pool_as, monitor_pool_for_url};
