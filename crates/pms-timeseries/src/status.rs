//! What `pms timeseries status` shows, and the operator's levers: run maintenance, compress or
//! decompress one chunk. All of it calls the engine's SQL functions on the maintenance pool.

use crate::{Error, Result};
use sqlx::PgPool;
use time::OffsetDateTime;

/// One chunk of one hypertable.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChunkStatus {
    pub hypertable: String,
    pub chunk_name: String,
    pub range_start: OffsetDateTime,
    pub range_end: OffsetDateTime,
    pub compressed: bool,
    pub raw_bytes: i64,
    pub compressed_bytes: i64,
}

/// One rollup: how far it is materialized and what waits for the next refresh.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RollupStatus {
    pub rollup: String,
    pub hypertable: String,
    pub watermark: Option<OffsetDateTime>,
    pub lag_seconds: Option<f64>,
    pub pending_invalidations: i64,
    pub last_refresh_at: Option<OffsetDateTime>,
    pub last_refresh_ms: Option<f64>,
}

/// Chunks and rollups, and which engine holds them (`native` or `timescaledb`).
#[derive(Debug, Clone)]
pub struct Status {
    pub backend: String,
    pub chunks: Vec<ChunkStatus>,
    pub rollups: Vec<RollupStatus>,
}

pub async fn status(pool: &PgPool) -> Result<Status> {
    let chunks = sqlx::query_as::<_, ChunkStatus>("SELECT * FROM timeseries.chunk_status()")
        .fetch_all(pool)
        .await?;
    let rollups = sqlx::query_as::<_, RollupStatus>(
        "SELECT rollup, hypertable, watermark, extract(epoch FROM lag)::float8 AS lag_seconds, pending_invalidations,
                last_refresh_at, last_refresh_ms FROM timeseries.rollup_status()",
    )
    .fetch_all(pool)
    .await?;
    let backend = crate::backend::current(pool).await?;
    Ok(Status {
        backend,
        chunks,
        rollups,
    })
}

/// One pass of `timeseries_maintenance()`: partitions, rollups, compression, retention.
pub async fn run_maintenance(pool: &PgPool) -> Result<serde_json::Value> {
    Ok(sqlx::query_scalar("SELECT timeseries_maintenance()")
        .fetch_one(pool)
        .await?)
}

/// Packs one chunk; returns the number of compressed segment rows written.
pub async fn compress_chunk(pool: &PgPool, chunk: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT timeseries.compress_chunk($1)")
        .bind(chunk)
        .fetch_one(pool)
        .await
        .map_err(|e| sql_error(chunk, e))
}

/// Unpacks one chunk back into plain rows; returns the number of rows restored.
pub async fn decompress_chunk(pool: &PgPool, chunk: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT timeseries.decompress_chunk($1)")
        .bind(chunk)
        .fetch_one(pool)
        .await
        .map_err(|e| sql_error(chunk, e))
}

/// Chunk names of one hypertable that are compressed (for `decompress --all`).
pub async fn compressed_chunks(pool: &PgPool, hypertable: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT chunk_name FROM timeseries.chunk_status() WHERE hypertable = $1 AND compressed ORDER BY range_start")
        .bind(hypertable)
        .fetch_all(pool)
        .await?)
}

/// The engine raises a one-line reason (unknown chunk, not compressed): pass it on as such.
fn sql_error(chunk: &str, e: sqlx::Error) -> Error {
    match e.as_database_error() {
        Some(db) => Error::Invalid(format!("chunk {chunk}: {}", db.message())),
        None => Error::Db(e),
    }
}
