//! Ingest: validated rows loaded in batches with binary `COPY`. Runs on the `pms_maintenance`
//! pool (rows of several tenants, and PostgreSQL allows `COPY FROM` only where RLS does not
//! apply); tenant and user are checked row by row instead.
//!
//! A batch is all-or-nothing: if any row in it is rejected, none of it is loaded, and every
//! rejected row is reported with its line number and reason. Loaded batches are committed one
//! transaction each, so a failure never leaves part of a batch behind.

mod batch;
mod copy;
mod load;
mod validate;

use batch::Batch;
pub use copy::{CopyBuffer, copy_statement, pg_timestamp};
pub use validate::Validator;

use crate::parse::Record;
use crate::{Error, Hypertable, Result};
use sqlx::PgPool;
use std::time::{Duration as StdDuration, Instant};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// One point of a metric for one user.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub metric_name: String,
    pub value: f64,
    pub recorded_at: OffsetDateTime,
}

/// How to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Rows per batch (one transaction, one `COPY` per hypertable).
    pub batch_size: usize,
    /// How far ahead of now a time may be before it is "in the future".
    pub max_future: Duration,
    /// How many rejections the summary keeps (all are counted).
    pub keep_rejections: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            batch_size: 50_000,
            max_future: Duration::days(1),
            keep_rejections: 1000,
        }
    }
}

/// One rejected line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub line: u64,
    pub reason: String,
}

/// What an ingest run did.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    pub rows_read: u64,
    pub rows_loaded: u64,
    /// Rows not loaded: invalid ones and the valid rows of rejected batches.
    pub rows_rejected: u64,
    pub invalid_rows: u64,
    pub batches_loaded: u64,
    pub batches_rejected: u64,
    pub rejections: Vec<Rejection>,
    pub elapsed: StdDuration,
}

impl IngestSummary {
    pub fn rows_per_second(&self) -> f64 {
        self.rows_loaded as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Ingests numbered records (from [`crate::parse::RecordReader`] or built in code), calling
/// `progress` after every batch.
///
/// Reading, validating and encoding the next batch overlaps the loading of the current one,
/// which runs as its own task on its own connection: with two cores, the client's work hides
/// behind the server's `COPY`. At most one batch is loading and one being built, so memory
/// stays at two batches whatever the input's size. Batches still commit one at a time, in
/// order; a failed load stops the run before the next batch starts loading.
pub async fn ingest<I>(
    pool: &PgPool,
    records: I,
    opts: &IngestOptions,
    progress: &mut (dyn FnMut(&IngestSummary) + Send),
) -> Result<IngestSummary>
where
    I: Iterator<Item = Record>,
{
    if opts.batch_size == 0 {
        return Err(Error::Invalid("batch size must be at least 1".into()));
    }
    let started = Instant::now();
    let mut validator = Validator::load(pool, opts.max_future).await?;
    let timescale = crate::backend::timescale_storage(&mut *pool.acquire().await?).await?;
    let mut summary = IngestSummary::default();
    let mut records = records.peekable();
    let mut loading: Option<Loading> = None;
    loop {
        let next = if records.peek().is_some() {
            Some(read_batch(pool, &mut records, &mut validator, opts, &mut summary).await)
        } else {
            None
        };
        if let Some(prev) = loading.take() {
            prev.settle(&mut summary).await?;
            summary.elapsed = started.elapsed();
            progress(&summary);
        }
        match next.transpose()? {
            None => break,
            Some(Read::Valid(batch)) => loading = Some(Loading::start(pool, batch, timescale)),
            Some(Read::Rejected { bad, rows }) => {
                summary.invalid_rows += bad.len() as u64;
                summary.rows_rejected += rows;
                summary.batches_rejected += 1;
                let room = opts
                    .keep_rejections
                    .saturating_sub(summary.rejections.len());
                summary.rejections.extend(bad.into_iter().take(room));
                summary.elapsed = started.elapsed();
                progress(&summary);
            }
        }
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// A batch as read: every row valid, or the rejected lines (and how many rows it had).
enum Read {
    Valid(Batch),
    Rejected { bad: Vec<Rejection>, rows: u64 },
}

/// Reads, validates and encodes up to a batch of records. Once a row is rejected the batch can
/// no longer load, so the rest of it is only validated.
async fn read_batch<I>(
    pool: &PgPool,
    records: &mut I,
    validator: &mut Validator,
    opts: &IngestOptions,
    summary: &mut IngestSummary,
) -> Result<Read>
where
    I: Iterator<Item = Record>,
{
    let mut batch = Batch::new(opts.batch_size.min(1 << 20));
    let mut bad: Vec<Rejection> = Vec::new();
    let mut rows = 0;
    for (line, rec) in records.take(opts.batch_size) {
        rows += 1;
        let checked = match rec {
            Err(reason) => Err(reason),
            Ok(row) => validator.check_row(pool, &row).await?.map(|c| (c, row)),
        };
        match checked {
            Ok((c, row)) if bad.is_empty() => batch.push(line, c.table, c.pg_time, &row),
            Ok(_) => {}
            Err(reason) => bad.push(Rejection { line, reason }),
        }
    }
    summary.rows_read += rows;
    Ok(if bad.is_empty() {
        Read::Valid(batch)
    } else {
        Read::Rejected { bad, rows }
    })
}

/// A batch loading on its own task. Dropping it (the ingest future was dropped) aborts the
/// load, whose transaction then rolls back unless it had already committed.
struct Loading {
    task: tokio::task::JoinHandle<Result<()>>,
    lines: (u64, u64),
    rows: u64,
}

impl Loading {
    fn start(pool: &PgPool, batch: Batch, timescale: bool) -> Self {
        let lines = (batch.first_line, batch.last_line);
        let rows = batch.rows() as u64;
        let pool = pool.clone();
        let task = tokio::spawn(async move { load::load(&pool, batch, timescale).await });
        Self { task, lines, rows }
    }

    /// Waits for the load and counts it, or says which batch failed and what had loaded.
    async fn settle(mut self, summary: &mut IngestSummary) -> Result<()> {
        let outcome = match (&mut self.task).await {
            Ok(outcome) => outcome,
            Err(e) => Err(Error::Invalid(format!("the loading task failed: {e}"))),
        };
        let (first, last) = self.lines;
        outcome.map_err(|e| {
            Error::Invalid(format!(
                "the batch of lines {first}-{last} was not loaded ({e}); {} rows of earlier batches were loaded",
                summary.rows_loaded
            ))
        })?;
        summary.rows_loaded += self.rows;
        summary.batches_loaded += 1;
        Ok(())
    }
}

impl Drop for Loading {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Loads validated rows in one transaction: chunks made sure of, one binary `COPY` per chunk
/// (or per table when rows go through the parent). Rows are not validated here.
pub async fn load_batch(pool: &PgPool, rows: &[(Hypertable, MetricRow)]) -> Result<()> {
    let timescale = crate::backend::timescale_storage(&mut *pool.acquire().await?).await?;
    let mut batch = Batch::new(rows.len());
    for (line, (table, row)) in (1..).zip(rows) {
        batch.push(line, *table, pg_timestamp(row.recorded_at), row);
    }
    load::load(pool, batch, timescale).await
}
