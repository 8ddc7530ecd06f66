//! The background worker: runs scheduled jobs (each idempotent, each deduplicated across worker
//! replicas by an advisory lock) and serves `/health` and `/metrics`.

pub mod error;
pub mod http;
pub mod job_metrics;
pub mod jobs;
pub mod scheduler;

pub use error::{JobContextExt, JobError, JobResult};
pub use scheduler::{Job, JobContext, Scheduler};
