//! What every job run leaves on `/metrics`, by job: `pms_job_failures_total`,
//! `pms_job_consecutive_failures` (0 again after a success, so an alert on it clears as soon as
//! the job works again), `pms_job_last_success_timestamp_seconds` and
//! `pms_job_last_run_timestamp_seconds`, beside the scheduler's `pms_job_runs_total` and
//! `pms_job_duration_seconds`. Backups are jobs like any other: the backup alerts are rules on
//! these metrics for jobs whose name starts with `backup`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn now_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Records one finished run of `job`.
pub fn record(job: &'static str, ok: bool, _took: Duration) {
    let now = now_seconds();
    metrics::gauge!("pms_job_last_run_timestamp_seconds", "job" => job).set(now);
    if ok {
        metrics::gauge!("pms_job_consecutive_failures", "job" => job).set(0.0);
        metrics::gauge!("pms_job_last_success_timestamp_seconds", "job" => job).set(now);
    } else {
        metrics::counter!("pms_job_failures_total", "job" => job).increment(1);
        metrics::gauge!("pms_job_consecutive_failures", "job" => job).increment(1.0);
    }
}

/// Exports every job's series at zero before its first run (failures 0), so dashboards and
/// rules see each job from the start, and describes the metrics.
pub fn register(jobs: &[&'static str]) {
    metrics::describe_counter!("pms_job_failures_total", "Failed runs of a job");
    metrics::describe_gauge!(
        "pms_job_consecutive_failures",
        "Failed runs of a job since its last success (0 after a success)"
    );
    metrics::describe_gauge!(
        "pms_job_last_success_timestamp_seconds",
        "When a job last succeeded (Unix time; absent until it has)"
    );
    metrics::describe_gauge!(
        "pms_job_last_run_timestamp_seconds",
        "When a job last finished, successfully or not (Unix time)"
    );
    metrics::describe_counter!("pms_job_runs_total", "Finished runs of a job by outcome");
    metrics::describe_histogram!(
        "pms_job_duration_seconds",
        metrics::Unit::Seconds,
        "How long a job's runs take"
    );
    for job in jobs {
        metrics::counter!("pms_job_failures_total", "job" => *job).increment(0);
        metrics::gauge!("pms_job_consecutive_failures", "job" => *job).increment(0.0);
        for outcome in ["ok", "error"] {
            metrics::counter!("pms_job_runs_total", "job" => *job, "outcome" => outcome)
                .increment(0);
        }
    }
}
