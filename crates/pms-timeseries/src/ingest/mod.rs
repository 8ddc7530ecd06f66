//! Ingest: validated rows loaded in batches with binary `COPY`. Runs on the `pms_maintenance`
//! pool (rows of several tenants, and PostgreSQL allows `COPY FROM` only where RLS does not
//! apply); tenant and user are checked row by row instead.
//!
//! A batch is all-or-nothing: if any row in it is rejected, none of it is loaded, and every
//! rejected row is reported with its line number and reason. Loaded batches are committed one
//! transaction each, so a failure never leaves part of a batch behind.

mod copy;
mod validate;

pub use copy::{CopyBuffer, copy_statement, pg_timestamp};
pub use validate::Validator;

use crate::parse::Record;
use crate::{Error, Hypertable, Result};
use sqlx::PgPool;
use std::collections::BTreeMap;
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
    while records.peek().is_some() {
        let mut batch: Vec<(Hypertable, MetricRow)> =
            Vec::with_capacity(opts.batch_size.min(1 << 20));
        let mut bad: Vec<Rejection> = Vec::new();
        let mut first_line = 0;
        let mut last_line = 0;
        for (line, rec) in records.by_ref().take(opts.batch_size) {
            if first_line == 0 {
                first_line = line;
            }
            last_line = line;
            summary.rows_read += 1;
            let checked = match rec {
                Err(reason) => Err(reason),
                Ok(row) => validator.check(pool, &row).await?.map(|h| (h, row)),
            };
            match checked {
                Ok(pair) => batch.push(pair),
                Err(reason) => bad.push(Rejection { line, reason }),
            }
        }
        let rows_in_batch = (batch.len() + bad.len()) as u64;
        if bad.is_empty() {
            load_batch_to(pool, &batch, timescale).await.map_err(|e| {
                Error::Invalid(format!(
                    "the batch of lines {first_line}-{last_line} was not loaded ({e}); {} rows of earlier batches were loaded",
                    summary.rows_loaded
                ))
            })?;
            summary.rows_loaded += rows_in_batch;
            summary.batches_loaded += 1;
        } else {
            summary.invalid_rows += bad.len() as u64;
            summary.rows_rejected += rows_in_batch;
            summary.batches_rejected += 1;
            let room = opts
                .keep_rejections
                .saturating_sub(summary.rejections.len());
            summary.rejections.extend(bad.into_iter().take(room));
        }
        summary.elapsed = started.elapsed();
        progress(&summary);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Loads validated rows in one transaction: chunks made sure of, one binary `COPY` per table.
pub async fn load_batch(pool: &PgPool, rows: &[(Hypertable, MetricRow)]) -> Result<()> {
    let timescale = crate::backend::timescale_storage(&mut *pool.acquire().await?).await?;
    load_batch_to(pool, rows, timescale).await
}

/// [`load_batch`] with the backend already known (an ingest run looks it up once).
async fn load_batch_to(
    pool: &PgPool,
    rows: &[(Hypertable, MetricRow)],
    timescale: bool,
) -> Result<()> {
    let mut per_table: BTreeMap<Hypertable, Vec<&MetricRow>> = BTreeMap::new();
    for (h, r) in rows {
        per_table.entry(*h).or_default().push(r);
    }
    let mut tx = pool.begin().await?;
    // The invalidation trigger's transition table holds the whole batch; with the default
    // 4 MB a 50,000-row batch would spill it to a temporary file.
    sqlx::query("SET LOCAL work_mem = '64MB'")
        .execute(&mut *tx)
        .await?;
    for (table, rows) in per_table {
        let (lo, hi) = rows
            .iter()
            .fold((rows[0].recorded_at, rows[0].recorded_at), |(lo, hi), r| {
                (lo.min(r.recorded_at), hi.max(r.recorded_at))
            });
        sqlx::query("SELECT timeseries.ensure_chunks($1, $2, $3)")
            .bind(table.table())
            .bind(lo)
            .bind(hi)
            .execute(&mut *tx)
            .await?;
        if !timescale && copy_into_chunks(&mut tx, table, &rows, lo).await? {
            continue;
        }
        let mut buf = CopyBuffer::new(rows.len());
        for r in &rows {
            buf.push(r);
        }
        let target = crate::backend::storage_table(table, timescale);
        let mut copy = tx.copy_in_raw(&copy_statement(&target)).await?;
        copy.send(buf.finish()).await?;
        copy.finish().await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The native engine's fast path: when no row of the batch lies below the hypertable's
/// rollup watermark (the usual case, new points), there is nothing for the invalidation
/// trigger to log, so the rows are copied straight into their chunks, which skips the
/// parent's tuple routing and its statement trigger's transition table. Returns false, having
/// written nothing, when the batch must take the ordinary path through the parent: some row is
/// below the watermark (late data, which the trigger logs) or falls in a compressed chunk.
async fn copy_into_chunks(
    tx: &mut sqlx::PgConnection,
    table: Hypertable,
    rows: &[&MetricRow],
    lo: OffsetDateTime,
) -> Result<bool> {
    let parent = table.table();
    // An INSERT through the parent takes this lock; a refresh's SHARE lock waits for it, so
    // the watermark read below cannot move until this transaction ends.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "LOCK TABLE public.{parent} IN ROW EXCLUSIVE MODE"
    )))
    .execute(&mut *tx)
    .await?;
    let watermark: Option<OffsetDateTime> = sqlx::query_scalar(
        "SELECT max(watermark) FROM timeseries.rollups WHERE hypertable = $1 AND source_rollup IS NULL",
    )
    .bind(parent)
    .fetch_one(&mut *tx)
    .await?;
    if watermark.is_some_and(|w| lo < w) {
        return Ok(false);
    }
    let hi = rows.iter().map(|r| r.recorded_at).max().unwrap_or(lo);
    let chunks: Vec<(String, OffsetDateTime, OffsetDateTime)> = sqlx::query_as(
        "SELECT chunk_name, range_start, range_end FROM timeseries.chunks
         WHERE hypertable = $1 AND range_end > $2 AND range_start <= $3 AND compressed_at IS NULL
         ORDER BY range_start",
    )
    .bind(parent)
    .bind(lo)
    .bind(hi)
    .fetch_all(&mut *tx)
    .await?;
    let mut chunk_of = Vec::with_capacity(rows.len());
    let mut counts = vec![0usize; chunks.len()];
    for r in rows {
        let Some(i) = chunks
            .iter()
            .position(|(_, start, end)| *start <= r.recorded_at && r.recorded_at < *end)
        else {
            return Ok(false);
        };
        chunk_of.push(i);
        counts[i] += 1;
    }
    let mut buffers: Vec<CopyBuffer> = counts.iter().map(|&n| CopyBuffer::new(n)).collect();
    for (r, &i) in rows.iter().zip(&chunk_of) {
        buffers[i].push(r);
    }
    for ((name, _, _), buf) in chunks.iter().zip(buffers) {
        if buf.rows() == 0 {
            continue;
        }
        let target = format!("timeseries.\"{}\"", name.replace('"', "\"\""));
        let mut copy = tx.copy_in_raw(&copy_statement(&target)).await?;
        copy.send(buf.finish()).await?;
        copy.finish().await?;
    }
    Ok(true)
}
