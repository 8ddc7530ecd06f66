//! The two ways the ingest comparison loads a slice of the dataset: bare binary COPY into a
//! table of the same shape, and the platform's ingest path.

use super::dataset::Dataset;
use crate::ingest::{self, CopyBuffer, IngestOptions, copy_statement};
use crate::{Error, Result};
use sqlx::PgPool;
use std::time::Instant;

const BATCH: u64 = 50_000;

/// Bare binary COPY of rows `range` of the dataset, in the same batches as the platform path.
pub(super) async fn copy_bare(
    m: &PgPool,
    ds: &Dataset,
    table: &str,
    range: std::ops::Range<u64>,
) -> Result<std::time::Duration> {
    let t = Instant::now();
    let mut i = range.start;
    while i < range.end {
        let n = BATCH.min(range.end - i);
        let mut buf = CopyBuffer::new(n as usize);
        for k in i..i + n {
            buf.push(&ds.row(k));
        }
        let mut tx = m.begin().await?;
        let mut copy = tx.copy_in_raw(&copy_statement(table)).await?;
        copy.send(buf.finish()).await?;
        copy.finish().await?;
        tx.commit().await?;
        i += n;
    }
    Ok(t.elapsed())
}

/// The platform path for rows `range`: validation, chunk creation on demand, binary COPY,
/// invalidation trigger.
pub(super) async fn ingest_platform(
    m: &PgPool,
    ds: &Dataset,
    range: std::ops::Range<u64>,
) -> Result<std::time::Duration> {
    let t = Instant::now();
    let expected = range.end - range.start;
    let records = range.map(|i| (i + 1, Ok(ds.row(i))));
    let opts = IngestOptions {
        batch_size: BATCH as usize,
        ..IngestOptions::default()
    };
    let summary = ingest::ingest(m, records, &opts, &mut |_| {}).await?;
    if summary.rows_loaded != expected {
        return Err(Error::Invalid(format!(
            "bench ingest loaded {} of {} rows: {:?}",
            summary.rows_loaded,
            expected,
            summary.rejections.first()
        )));
    }
    Ok(t.elapsed())
}
