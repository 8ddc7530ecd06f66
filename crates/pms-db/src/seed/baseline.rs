//! The baseline of the seed benchmark: a plain COPY of as many rows into an unindexed table.

use super::copy_text::{CopyBuf, Ids};
use super::generate::SeedError;
use futures::StreamExt as _;
use sqlx::{Acquire, PgPool};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The baseline of the seed benchmark: COPY of `rows` rows of about the same size as the seed's
/// (`bytes` in all) into an unindexed table without constraints, in `batches` transactions of
/// one COPY each, `workers` at a time on their own connections (the seed's parallelism), with
/// the COPY text built while loading as the seed builds it. `pool` must be allowed to create a
/// table and hold `workers` connections.
pub async fn baseline_copy(
    pool: &PgPool,
    rows: u64,
    bytes: u64,
    batches: u64,
    workers: u64,
) -> Result<Duration, SeedError> {
    use sqlx::Executor as _;
    pool.execute("DROP TABLE IF EXISTS seed_copy_baseline; CREATE TABLE seed_copy_baseline (tenant_id uuid, id uuid, payload text)").await?;
    let per_row = (bytes / rows.max(1)).saturating_sub(75).max(1) as usize;
    let payload = "x".repeat(per_row);
    let per_batch = rows.div_ceil(batches.max(1)).max(1);
    let tenant = Uuid::nil();
    let ids = Ids::new(tenant);
    let started = Instant::now();
    let payload = &payload;
    let mut stream = futures::stream::iter((0..rows).step_by(per_batch as usize))
        .map(|first| async move {
            let n = per_batch.min(rows - first);
            let mut buf = CopyBuf::new();
            for k in first..first + n {
                buf.raw(tenant).raw(ids.id("baseline", k, 0)).text(payload);
                buf.end_row();
            }
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
        .buffer_unordered(workers.max(1) as usize);
    while let Some(done) = stream.next().await {
        done?;
    }
    drop(stream);
    let elapsed = started.elapsed();
    pool.execute("DROP TABLE seed_copy_baseline").await?;
    Ok(elapsed)
}
