//! Loading one batch: its COPYs (into the shared tables, or the tenant's detached partitions), its
//! record in `seed_batches`, and which batches an earlier run of the same parameters loaded.

use super::options::{GenerateOptions, GenerateSummary, TENANT_PARTITIONED};
use crate::copy_text::CopyBuf;
use crate::error::SeedError;
use sqlx::PgConnection;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The batches already loaded for this slug; refuses a slug that is not a resumable run of the
/// same parameters.
pub(super) async fn existing_batches(
    conn: &mut PgConnection,
    opts: &GenerateOptions,
    tenant: Uuid,
    partitions: bool,
) -> Result<BTreeMap<String, i64>, SeedError> {
    let existing: Option<Uuid> = sqlx::query_scalar("SELECT id FROM tenants WHERE slug = $1")
        .bind(&opts.slug)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(existing) = existing else {
        return Ok(BTreeMap::new());
    };
    if existing != tenant {
        return Err(SeedError::SlugExists(opts.slug.clone()));
    }
    let rows: Vec<(String, i64, serde_json::Value)> = sqlx::query_as(
        "SELECT batch, row_count, parameters FROM seed_batches WHERE tenant_id = $1",
    )
    .bind(tenant)
    .fetch_all(&mut *conn)
    .await?;
    let Some((_, _, params)) = rows.iter().find(|r| r.0 == "structure") else {
        return Err(SeedError::SlugExists(opts.slug.clone()));
    };
    if *params != opts.parameters(partitions) {
        return Err(SeedError::OtherParameters {
            slug: opts.slug.clone(),
            existing: params.to_string(),
        });
    }
    if rows.iter().any(|r| r.0 == "complete") {
        return Err(SeedError::SlugExists(opts.slug.clone()));
    }
    Ok(rows.into_iter().map(|(b, n, _)| (b, n)).collect())
}

/// What one batch loaded.
#[derive(Debug, Default)]
pub(super) struct BatchStats {
    rows: u64,
    bytes: u64,
    by_table: Vec<(&'static str, u64, Duration)>,
}

impl BatchStats {
    pub(super) fn add(&mut self, other: BatchStats) {
        self.rows += other.rows;
        self.bytes += other.bytes;
        self.by_table.extend(other.by_table);
    }
}

impl GenerateSummary {
    pub(super) fn add(&mut self, stats: BatchStats) {
        self.rows += stats.rows;
        self.bytes += stats.bytes;
        for (table, rows, time) in stats.by_table {
            *self.rows_by_table.entry(table).or_default() += rows;
            *self.copy_time_by_table.entry(table).or_default() += time;
        }
    }
}

/// COPYs each payload of a batch, in order.
pub(super) async fn load(
    conn: &mut PgConnection,
    tables: &[(&'static str, &'static str, CopyBuf)],
) -> Result<BatchStats, SeedError> {
    load_into(conn, &tables.iter().collect::<Vec<_>>(), None).await
}

/// As [`load`]; with `partition` (the tenant's id, 32 hex digits), the rows of the
/// [`TENANT_PARTITIONED`] tables go to the tenant's detached partitions
/// (`pms_meta.tenant_partitions_prepare`) instead of the shared tables.
pub(super) async fn load_into(
    conn: &mut PgConnection,
    tables: &[&(&'static str, &'static str, CopyBuf)],
    partition: Option<&str>,
) -> Result<BatchStats, SeedError> {
    let mut stats = BatchStats::default();
    for (table, target, buf) in tables {
        if buf.rows == 0 {
            continue;
        }
        let started = Instant::now();
        let statement = match partition {
            Some(hex) if TENANT_PARTITIONED.contains(table) => {
                let columns = target.strip_prefix(table).unwrap_or(target);
                format!("COPY pms_parts.{table}_t{hex}{columns} FROM STDIN")
            }
            _ => format!("COPY {target} FROM STDIN"),
        };
        let mut copy = conn.copy_in_raw(&statement).await?;
        copy.send(buf.data.as_bytes()).await?;
        let n = copy.finish().await?;
        stats.rows += n;
        stats.bytes += buf.data.len() as u64;
        stats.by_table.push((table, n, started.elapsed()));
    }
    Ok(stats)
}

pub(super) async fn record(
    conn: &mut PgConnection,
    tenant: Uuid,
    batch: &str,
    tables: &[(&'static str, &'static str, CopyBuf)],
    params: &serde_json::Value,
) -> Result<(), SeedError> {
    let rows: u64 = tables.iter().map(|t| t.2.rows).sum();
    sqlx::query("INSERT INTO seed_batches (tenant_id, batch, row_count, parameters) VALUES ($1, $2, $3, $4)")
        .bind(tenant)
        .bind(batch)
        .bind(rows as i64)
        .bind(params)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
