//! The baseline of the seed benchmark: a plain COPY of as many rows into an unindexed table.

use super::copy_text::{CopyBuf, Ids};
use super::generate::SeedError;
use sqlx::{Acquire, PgConnection};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The baseline of the seed benchmark: COPY of `rows` rows of about the same size as the seed's
/// (`bytes` in all) into an unindexed table without constraints, in batches of the same size,
/// one transaction each. `conn` must be allowed to create a table.
pub async fn baseline_copy(
    conn: &mut PgConnection,
    rows: u64,
    bytes: u64,
    batches: u64,
) -> Result<Duration, SeedError> {
    use sqlx::Executor as _;
    conn.execute("DROP TABLE IF EXISTS seed_copy_baseline; CREATE TABLE seed_copy_baseline (tenant_id uuid, id uuid, payload text)").await?;
    let per_row = (bytes / rows.max(1)).saturating_sub(75).max(1) as usize;
    let payload = "x".repeat(per_row);
    let per_batch = rows.div_ceil(batches.max(1));
    let tenant = Uuid::nil();
    let ids = Ids::new(tenant);
    let started = Instant::now();
    let mut sent = 0;
    while sent < rows {
        let n = per_batch.min(rows - sent);
        let mut buf = CopyBuf::new();
        for k in sent..sent + n {
            buf.raw(tenant).raw(ids.id("baseline", k, 0)).text(&payload);
            buf.end_row();
        }
        let mut tx = conn.begin().await?;
        let mut copy = tx
            .copy_in_raw("COPY seed_copy_baseline (tenant_id, id, payload) FROM STDIN")
            .await?;
        copy.send(buf.data.as_bytes()).await?;
        copy.finish().await?;
        tx.commit().await?;
        sent += n;
    }
    let elapsed = started.elapsed();
    conn.execute("DROP TABLE seed_copy_baseline").await?;
    Ok(elapsed)
}
