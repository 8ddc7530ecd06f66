//! The baselines of the seed benchmark: plain COPYs of as many rows into unindexed tables.

use super::copy_text::{CopyBuf, Ids};
use super::error::SeedError;
use futures::StreamExt as _;
use sqlx::{Acquire, PgPool};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The baseline of the seed benchmark: COPY of `rows` rows of about the same size as the seed's
/// (`bytes` in all) into an unindexed table without constraints, in `batches` transactions of
/// one COPY each, `streams` at a time on their own connections, with the COPY text built on
/// other threads meanwhile (one batch ahead of each stream), as a producer feeds a plain COPY.
/// `pool` must be allowed to create a table and hold `streams` connections.
pub async fn baseline_copy(
    pool: &PgPool,
    rows: u64,
    bytes: u64,
    batches: u64,
    streams: u64,
) -> Result<Duration, SeedError> {
    use sqlx::Executor as _;
    pool.execute("DROP TABLE IF EXISTS seed_copy_baseline; CREATE TABLE seed_copy_baseline (tenant_id uuid, id uuid, payload text)").await?;
    let per_row = (bytes / rows.max(1)).saturating_sub(75).max(1) as usize;
    let payload: std::sync::Arc<str> = "x".repeat(per_row).into();
    let per_batch = rows.div_ceil(batches.max(1)).max(1);
    let tenant = Uuid::nil();
    let ids = Ids::new(tenant);
    let started = Instant::now();
    let streams = streams.max(1) as usize;
    let mut copies = futures::stream::iter((0..rows).step_by(per_batch as usize))
        .map(|first| {
            let payload = payload.clone();
            tokio::task::spawn_blocking(move || {
                let n = per_batch.min(rows - first);
                let mut buf = CopyBuf::new();
                for k in first..first + n {
                    buf.raw(tenant).raw(ids.id("baseline", k, 0)).text(&payload);
                    buf.end_row();
                }
                buf
            })
        })
        .buffered(streams + 1)
        .map(|buf| async move {
            let buf = buf.map_err(|e| SeedError::Generator(e.to_string()))?;
            let mut conn = pool.acquire().await?;
            let mut tx = conn.begin().await?;
            let mut copy = tx
                .copy_in_raw("COPY seed_copy_baseline (tenant_id, id, payload) FROM STDIN")
                .await?;
            copy.send(buf.data.as_bytes()).await?;
            copy.finish().await?;
            tx.commit().await?;
            Ok::<_, SeedError>(())
        })
        .buffer_unordered(streams);
    while let Some(done) = copies.next().await {
        done?;
    }
    drop(copies);
    let elapsed = started.elapsed();
    pool.execute("DROP TABLE seed_copy_baseline").await?;
    Ok(elapsed)
}

/// The other baseline of the seed benchmark: the seed's own COPY payloads, byte for byte, into
/// plain copies of its tables (`LIKE ... INCLUDING DEFAULTS`: same columns, types and defaults;
/// no index, constraint but NOT NULL, generated column, trigger or RLS), one transaction per
/// batch, `streams` at a time on their own connections, each batch generated on another thread
/// meanwhile (one batch ahead of each stream). With one stream this is a plain COPY of the
/// seed's rows; with the seed's `workers`, the same parallelism as the seed. What the seed pays
/// beyond this is exactly the schema's machinery: indexes, constraints, generated columns,
/// verification and audit. `pool` must be allowed to create tables and hold `streams`
/// connections.
pub async fn baseline_same_rows(
    pool: &PgPool,
    opts: &super::generate::GenerateOptions,
    streams: u64,
) -> Result<(u64, Duration), SeedError> {
    use super::generate::{employee_batch, plan_for, structure_rows};
    use sqlx::Executor as _;
    let plan = std::sync::Arc::new(plan_for(opts)?);
    let structure = structure_rows(&plan);
    let tables: Vec<&'static str> = structure
        .iter()
        .map(|t| t.0)
        .chain(
            employee_batch(&plan, 0, 1.min(plan.employees))
                .tables
                .iter()
                .map(|t| t.0),
        )
        .collect();
    for t in &tables {
        pool.execute(sqlx::AssertSqlSafe(format!(
            "DROP TABLE IF EXISTS seed_baseline_{t}; CREATE TABLE seed_baseline_{t} (LIKE {t} INCLUDING DEFAULTS)"
        )))
        .await?;
    }
    let started = Instant::now();
    let copy = |tables: Vec<(&'static str, &'static str, CopyBuf)>| async move {
        let mut conn = pool.acquire().await?;
        let mut tx = conn.begin().await?;
        let mut rows = 0;
        for (_, target, buf) in &tables {
            if buf.rows == 0 {
                continue;
            }
            let mut copy = tx
                .copy_in_raw(&format!("COPY seed_baseline_{target} FROM STDIN"))
                .await?;
            copy.send(buf.data.as_bytes()).await?;
            rows += copy.finish().await?;
        }
        tx.commit().await?;
        Ok::<_, SeedError>(rows)
    };
    let mut rows = copy(structure).await?;
    let size = opts.batch_employees;
    let streams = streams.max(1) as usize;
    let copy = &copy;
    let mut copies = futures::stream::iter((0..plan.employees).step_by(size as usize))
        .map(|from| {
            let for_batch = plan.clone();
            tokio::task::spawn_blocking(move || {
                let to = (from + size).min(for_batch.employees);
                employee_batch(&for_batch, from, to)
            })
        })
        .buffered(streams + 1)
        .map(|batch| async move {
            let batch = batch.map_err(|e| SeedError::Generator(e.to_string()))?;
            copy(batch.tables).await
        })
        .buffer_unordered(streams);
    while let Some(done) = copies.next().await {
        rows += done?;
    }
    drop(copies);
    let elapsed = started.elapsed();
    for t in &tables {
        pool.execute(sqlx::AssertSqlSafe(format!("DROP TABLE seed_baseline_{t}")))
            .await?;
    }
    Ok((rows, elapsed))
}
