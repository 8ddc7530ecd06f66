//! Loading one batch: one transaction, chunks made sure of, one binary `COPY` per chunk (or per
//! hypertable when the rows must go through the parent).

use super::batch::{Batch, TableRows};
use super::copy::{CopyBuffer, copy_statement, from_pg_timestamp};
use crate::Result;
use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;

/// Loads a batch in one transaction; `timescale` says which storage backend holds the rows.
pub(crate) async fn load(pool: &PgPool, batch: Batch, timescale: bool) -> Result<()> {
    let mut tx = pool.begin().await?;
    let mut work_mem_set = false;
    for rows in batch.tables {
        if rows.len() == 0 {
            continue;
        }
        let (lo, hi) = (from_pg_timestamp(rows.lo), from_pg_timestamp(rows.hi));
        sqlx::query("SELECT timeseries.ensure_chunks($1, $2, $3)")
            .bind(rows.table.table())
            .bind(lo)
            .bind(hi)
            .execute(&mut *tx)
            .await?;
        let rows = if timescale {
            rows
        } else {
            match copy_into_chunks(&mut tx, rows, lo, hi).await? {
                None => continue,
                Some(rows) => rows,
            }
        };
        if !work_mem_set {
            // The invalidation trigger's transition table holds the whole batch; with the
            // default 4 MB a 50,000-row batch would spill it to a temporary file.
            sqlx::query("SET LOCAL work_mem = '64MB'")
                .execute(&mut *tx)
                .await?;
            work_mem_set = true;
        }
        let target = crate::backend::storage_table(rows.table, timescale);
        send(&mut tx, &target, rows.payload).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn send(conn: &mut PgConnection, target: &str, payload: CopyBuffer) -> Result<()> {
    let mut copy = conn.copy_in_raw(&copy_statement(target)).await?;
    copy.send(payload.finish()).await?;
    copy.finish().await?;
    Ok(())
}

/// The native engine's fast path: when no row of the batch lies below the hypertable's
/// rollup watermark (the usual case, new points), there is nothing for the invalidation
/// trigger to log, so the rows are copied straight into their chunks, which skips the
/// parent's tuple routing and its statement trigger's transition table. Hands the rows back,
/// having written nothing, when they must take the ordinary path through the parent: some row
/// is below the watermark (late data, which the trigger logs) or falls in a compressed chunk.
async fn copy_into_chunks(
    tx: &mut PgConnection,
    rows: TableRows,
    lo: OffsetDateTime,
    hi: OffsetDateTime,
) -> Result<Option<TableRows>> {
    let parent = rows.table.table();
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
        return Ok(Some(rows));
    }
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
    let quoted = |name: &str| format!("timeseries.\"{}\"", name.replace('"', "\"\""));
    if let Some((name, _, _)) = chunks
        .iter()
        .find(|(_, start, end)| *start <= lo && hi < *end)
    {
        send(tx, &quoted(name), rows.payload).await?;
        return Ok(None);
    }
    let Some(parts) = split_by_chunk(&rows, table_ranges(&chunks)) else {
        return Ok(Some(rows));
    };
    for ((name, _, _), part) in chunks.iter().zip(parts) {
        if part.rows() > 0 {
            send(tx, &quoted(name), part).await?;
        }
    }
    Ok(None)
}

fn table_ranges(chunks: &[(String, OffsetDateTime, OffsetDateTime)]) -> Vec<(i64, i64)> {
    chunks
        .iter()
        .map(|(_, start, end)| {
            (
                super::copy::pg_timestamp(*start),
                super::copy::pg_timestamp(*end),
            )
        })
        .collect()
}

/// One payload per chunk range (`[start, end)` in PostgreSQL microseconds, ascending), or
/// None when some row falls in none of them. Rows of one chunk that follow each other in the
/// batch are copied as one run of bytes.
fn split_by_chunk(rows: &TableRows, ranges: Vec<(i64, i64)>) -> Option<Vec<CopyBuffer>> {
    let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (chunk, first row, end row)
    let mut bytes = vec![0usize; ranges.len()];
    let mut last = 0;
    for (i, &t) in rows.times.iter().enumerate() {
        let inside = |k: usize| ranges[k].0 <= t && t < ranges[k].1;
        if !(last < ranges.len() && inside(last)) {
            last = (0..ranges.len()).find(|&k| inside(k))?;
        }
        bytes[last] += rows.row_bytes(i).len();
        match runs.last_mut() {
            Some((k, _, end)) if *k == last => *end = i + 1,
            _ => runs.push((last, i, i + 1)),
        }
    }
    let mut parts: Vec<CopyBuffer> = bytes
        .iter()
        .map(|&b| CopyBuffer::with_capacity_bytes(b))
        .collect();
    for (k, first, end) in runs {
        parts[k].push_encoded(rows.rows_bytes(first..end), end - first);
    }
    Some(parts)
}
