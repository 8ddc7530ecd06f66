//! The platform's own state: the time-series engine (chunks ahead, rollup lag, compression,
//! retention due), the archive ledger and storage tiers.

use super::{Section, Status, human_bytes, human_secs, table};
use crate::sql::quote_ident;
use serde_json::json;
use sqlx::PgConnection;

/// Does the catalog check `sql` (one boolean) hold?
pub(super) async fn exists(c: &mut PgConnection, sql: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut *c)
        .await
}

pub(super) const NOT_MIGRATED: &str = "run `pms migrate` against this database";

pub async fn timeseries(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    if !exists(
        c,
        "SELECT to_regprocedure('timeseries.backend()') IS NOT NULL",
    )
    .await?
    {
        return Ok(Section::unavailable(
            "the time-series engine is not installed here",
            NOT_MIGRATED,
        ));
    }
    let backend: String = sqlx::query_scalar("SELECT timeseries.backend()")
        .fetch_one(&mut *c)
        .await?;
    type H = (String, i64, i64, i64, i64, i64, i64, f64);
    let tables: Vec<H> = sqlx::query_as(
        "SELECT h.name, count(c.chunk_name), count(*) FILTER (WHERE c.compressed),
                count(*) FILTER (WHERE c.range_start > now()),
                count(*) FILTER (WHERE h.retention IS NOT NULL AND c.range_end <= now() - h.retention),
                coalesce(sum(c.raw_bytes), 0)::bigint, coalesce(sum(c.compressed_bytes) FILTER (WHERE c.compressed), 0)::bigint,
                coalesce(sum(greatest(pc.reltuples, 0)) FILTER (WHERE NOT c.compressed), 0)::float8
           FROM timeseries.hypertables h
           LEFT JOIN timeseries.chunk_status() c ON c.hypertable = h.name
           LEFT JOIN pg_class pc ON pc.oid = to_regclass('timeseries.' || quote_ident(c.chunk_name))
          GROUP BY h.name ORDER BY h.name",
    )
    .fetch_all(&mut *c)
    .await?;
    type R = (String, Option<f64>, i64, Option<time::OffsetDateTime>, f64);
    let rollups: Vec<R> = sqlx::query_as(
        "SELECT rollup, extract(epoch FROM lag)::float8, pending_invalidations, last_refresh_at,
                extract(epoch FROM bucket_width)::float8
           FROM timeseries.rollup_status() ORDER BY rollup",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut ratios = serde_json::Map::new();
    let mut notes = Vec::new();
    if backend == "native" {
        for h in &tables {
            if h.2 == 0 {
                continue;
            }
            if let Some(r) = compression_ratio(c, &h.0, h.5 as f64, h.7, h.6 as f64).await? {
                ratios.insert(h.0.clone(), json!(r));
            }
        }
    } else {
        notes.push(
            "compression ratio: see TimescaleDB's hypertable_compression_stats() on this backend"
                .to_string(),
        );
    }
    let lagging: Vec<&R> = rollups
        .iter()
        .filter(|r| r.1.is_some_and(|l| l > 2.0 * r.4 + 7200.0))
        .collect();
    let missing_ahead: Vec<&H> = tables.iter().filter(|h| h.3 == 0).collect();
    let due: i64 = tables.iter().map(|h| h.4).sum();
    let status = if lagging.is_empty() && missing_ahead.is_empty() {
        Status::Ok
    } else {
        Status::Warning
    };
    let summary = format!(
        "{backend} engine; {} chunk(s), {} compressed, {due} due for retention; {} rollup(s) lagging; {} hypertable(s) without a chunk ahead",
        tables.iter().map(|h| h.1).sum::<i64>(),
        tables.iter().map(|h| h.2).sum::<i64>(),
        lagging.len(),
        missing_ahead.len()
    );
    let data = json!({
        "backend": backend,
        "hypertables": tables.iter().map(|h| json!({
            "name": h.0, "chunks": h.1, "compressed": h.2, "ahead": h.3, "due_for_retention": h.4,
            "raw_bytes": h.5, "compressed_bytes": h.6, "compression_ratio": ratios.get(&h.0),
        })).collect::<Vec<_>>(),
        "rollups": rollups.iter().map(|r| json!({
            "rollup": r.0, "lag_seconds": r.1, "pending_invalidations": r.2,
            "last_refresh_at": r.3.map(|t| t.unix_timestamp()), "bucket_seconds": r.4,
        })).collect::<Vec<_>>(),
    });
    let mut lines = table(
        &[
            "hypertable",
            "chunks",
            "compressed",
            "ahead",
            "retention due",
            "raw",
            "compressed",
            "ratio",
        ],
        &tables
            .iter()
            .map(|h| {
                vec![
                    h.0.clone(),
                    h.1.to_string(),
                    h.2.to_string(),
                    h.3.to_string(),
                    h.4.to_string(),
                    human_bytes(h.5 as f64),
                    human_bytes(h.6 as f64),
                    ratios
                        .get(&h.0)
                        .and_then(|v| v.as_f64())
                        .map_or("-".into(), |r| format!("{r:.1}x")),
                ]
            })
            .collect::<Vec<_>>(),
    );
    lines.extend(table(
        &["rollup", "lag", "pending", "last refresh"],
        &rollups
            .iter()
            .map(|r| {
                vec![
                    r.0.clone(),
                    r.1.map_or("never refreshed".into(), human_secs),
                    r.2.to_string(),
                    r.3.map_or("never".into(), |t| t.to_string()),
                ]
            })
            .collect::<Vec<_>>(),
    ));
    let mut s = Section::new(status, summary, data).lines(lines);
    s.notes = notes;
    Ok(s)
}

/// Raw bytes per point of the plain chunks against packed bytes per point of the compressed
/// ones. Packed points are counted on a sample of at most about 200,000 segments.
async fn compression_ratio(
    c: &mut PgConnection,
    hypertable: &str,
    raw_bytes: f64,
    raw_points: f64,
    packed_bytes: f64,
) -> Result<Option<f64>, sqlx::Error> {
    let table = format!(
        "timeseries.{}",
        quote_ident(&format!("{hypertable}_compressed"))
    );
    let segments: f64 = sqlx::query_scalar(
        "SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = to_regclass($1)",
    )
    .bind(&table)
    .fetch_one(&mut *c)
    .await?;
    let pct = if segments <= 200_000.0 {
        100.0
    } else {
        (200_000.0 / segments * 100.0).max(0.1)
    };
    let sql = format!(
        "SELECT avg(point_count)::float8, count(*) FROM {table} TABLESAMPLE SYSTEM ({pct})"
    );
    let (avg, n): (Option<f64>, i64) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *c)
        .await?;
    let total_segments = if pct >= 100.0 { n as f64 } else { segments };
    let packed_points = avg.unwrap_or(0.0) * total_segments;
    if raw_points <= 0.0 || packed_points <= 0.0 || packed_bytes <= 0.0 || raw_bytes <= 0.0 {
        return Ok(None);
    }
    Ok(Some(
        (raw_bytes / raw_points) / (packed_bytes / packed_points),
    ))
}

pub async fn archive(c: &mut PgConnection) -> Result<Section, sqlx::Error> {
    if !exists(
        c,
        "SELECT to_regclass('public.archive_batches') IS NOT NULL",
    )
    .await?
    {
        return Ok(Section::unavailable(
            "the archive ledger is not installed here",
            NOT_MIGRATED,
        ));
    }
    let batches: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT status, count(*), coalesce(sum(row_count), 0)::bigint, coalesce(sum(object_bytes), 0)::bigint,
                coalesce(sum(raw_bytes), 0)::bigint
           FROM archive_batches GROUP BY status ORDER BY status",
    )
    .fetch_all(&mut *c)
    .await?;
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM archive_pending")
        .fetch_one(&mut *c)
        .await?;
    let tiers: Vec<(String, String, i64, Option<time::OffsetDateTime>)> = sqlx::query_as(
        "SELECT entity_type, tier, sum(row_count)::bigint, max(computed_at)
           FROM storage_tier_state GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .fetch_all(&mut *c)
    .await?;
    let interrupted: i64 = batches
        .iter()
        .filter(|b| b.0 != "ARCHIVED")
        .map(|b| b.1)
        .sum();
    let due: i64 = tiers.iter().filter(|t| t.1 == "DUE").map(|t| t.2).sum();
    let computed = tiers.iter().filter_map(|t| t.3).max();
    let archived = batches.iter().find(|b| b.0 == "ARCHIVED");
    let status = if interrupted > 0 {
        Status::Warning
    } else {
        Status::Ok
    };
    let summary = format!(
        "{} batch(es) archived ({} rows), {interrupted} interrupted, {pending} queued; {due} row(s) due for archival (tiers computed {})",
        archived.map_or(0, |b| b.1),
        archived.map_or(0, |b| b.2),
        computed.map_or("never".to_string(), |t| t.to_string())
    );
    let data = json!({
        "batches": batches.iter().map(|b| json!({"status": b.0, "batches": b.1, "rows": b.2, "object_bytes": b.3, "raw_bytes": b.4})).collect::<Vec<_>>(),
        "pending_entities": pending,
        "tiers": tiers.iter().map(|t| json!({"entity_type": t.0, "tier": t.1, "rows": t.2})).collect::<Vec<_>>(),
        "tiers_computed_at": computed.map(|t| t.unix_timestamp()),
    });
    let lines = table(
        &["entity type", "tier", "rows"],
        &tiers
            .iter()
            .map(|t| vec![t.0.clone(), t.1.clone(), t.2.to_string()])
            .collect::<Vec<_>>(),
    );
    let mut s = Section::new(status, summary, data).lines(lines);
    if interrupted > 0 {
        s = s.note("WRITING or RETIRING batches are runs that stopped midway: the next archive run recovers them; `pms archive verify` checks objects against the ledger");
    }
    Ok(s)
}
