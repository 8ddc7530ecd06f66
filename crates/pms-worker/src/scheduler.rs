//! A small scheduler: every job runs at its interval; a job runs on one worker at a time
//! (`pg_try_advisory_lock` on the job's name), so several workers never duplicate work.

use crate::error::{JobError, JobResult};
use sqlx::PgPool;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::watch;

/// What a job gets: the maintenance pool (cross-tenant work) and the instant it runs at.
#[derive(Clone)]
pub struct JobContext {
    pub maintenance: PgPool,
    /// The instant the time-based jobs (partitions, rollups, compression, retention, audit
    /// partitions) work as of; `None`, as in `pms worker`, is the database's `now()` at each
    /// run. Tests pin it, so that a run and its repeat see the same instant even when a month
    /// boundary or midnight falls between them.
    pub at: Option<OffsetDateTime>,
    /// The application pool (`pms_app`, under row-level security), for jobs that work as a
    /// person of a tenant (`generate_reports` computes each report as its requester). `None`:
    /// those jobs skip their work and say so.
    pub app: Option<PgPool>,
}

impl JobContext {
    /// A context on the database's clock.
    pub fn new(maintenance: PgPool) -> Self {
        Self {
            maintenance,
            at: None,
            app: None,
        }
    }

    /// The same context, with the application pool for jobs that work as a person.
    pub fn with_app(self, app: PgPool) -> Self {
        Self {
            app: Some(app),
            ..self
        }
    }

    /// The same context, working as of `at`.
    pub fn as_of(self, at: OffsetDateTime) -> Self {
        Self {
            at: Some(at),
            ..self
        }
    }
}

/// A job's run: its report, or why it failed (logged once, by the scheduler).
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = JobResult<serde_json::Value>> + Send + 'a>>;

/// One scheduled job. Implementations live one per file in `jobs/`.
pub trait Job: Send + Sync {
    fn name(&self) -> &'static str;
    fn interval(&self) -> Duration;
    fn run<'a>(&'a self, ctx: &'a JobContext) -> JobFuture<'a>;
}

/// Runs jobs until told to stop.
pub struct Scheduler {
    ctx: JobContext,
    jobs: Vec<Arc<dyn Job>>,
}

impl Scheduler {
    pub fn new(ctx: JobContext, jobs: Vec<Arc<dyn Job>>) -> Self {
        Self { ctx, jobs }
    }

    pub fn job_names(&self) -> Vec<&'static str> {
        self.jobs.iter().map(|j| j.name()).collect()
    }

    /// Runs one job now, under its advisory lock. `Ok(None)` when another worker holds it.
    pub async fn run_once(ctx: &JobContext, job: &dyn Job) -> JobResult<Option<serde_json::Value>> {
        let mut conn = ctx
            .maintenance
            .acquire()
            .await
            .map_err(|source| JobError::Scheduler {
                job: job.name(),
                doing: "no database connection",
                source,
            })?;
        let key = format!("pms.job.{}", job.name());
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))")
            .bind(&key)
            .fetch_one(&mut *conn)
            .await
            .map_err(|source| JobError::Scheduler {
                job: job.name(),
                doing: "taking its advisory lock",
                source,
            })?;
        if !got {
            return Ok(None);
        }
        let started = Instant::now();
        let result = job.run(ctx).await;
        let _ = sqlx::query("SELECT pg_advisory_unlock(hashtext($1))")
            .bind(&key)
            .execute(&mut *conn)
            .await;
        let elapsed = started.elapsed();
        crate::job_metrics::record(job.name(), result.is_ok(), elapsed);
        metrics::histogram!("pms_job_duration_seconds", "job" => job.name())
            .record(elapsed.as_secs_f64());
        match &result {
            Ok(_) => {
                metrics::counter!("pms_job_runs_total", "job" => job.name(), "outcome" => "ok")
                    .increment(1)
            }
            Err(_) => {
                metrics::counter!("pms_job_runs_total", "job" => job.name(), "outcome" => "error")
                    .increment(1)
            }
        }
        result.map(Some)
    }

    /// Runs every job at its interval (first run immediately) until `stop` turns true.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut handles = Vec::new();
        for job in self.jobs {
            let ctx = self.ctx.clone();
            let mut stop = stop.clone();
            handles.push(tokio::spawn(async move {
                loop {
                    match Scheduler::run_once(&ctx, job.as_ref()).await {
                        Ok(Some(report)) => {
                            tracing::info!(job = job.name(), report = %report, "job finished")
                        }
                        Ok(None) => {
                            tracing::debug!(job = job.name(), "job running elsewhere; skipped")
                        }
                        Err(e) => tracing::error!(job = job.name(), error = %e, "job failed"),
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(job.interval()) => {}
                        _ = stop.changed() => break,
                    }
                }
            }));
        }
        let _ = stop.changed().await;
        for h in handles {
            let _ = h.await;
        }
    }
}
