//! The platform's own figures for the slow tier of `/metrics`: time-series chunks and
//! rollups (through `timeseries.chunk_status()` / `rollup_status()`, so either backend
//! answers), the archive ledger and storage tiers, and the security events and
//! suspicious-activity findings of every tenant within the window (per tenant, by index).

use super::database::Groups;
use super::text::{Family, Kind};
use sqlx::PgConnection;

/// The suspicious-activity patterns of `detect_suspicious_activity`, exported at 0 when absent
/// so that dashboards and alerts see every series.
pub const SUSPICIOUS_PATTERNS: [(&str, &str); 5] = [
    ("REPEATED_LOGIN_FAILURES", "HIGH"),
    ("EXCESSIVE_SENSITIVE_READS", "MEDIUM"),
    ("REPEATED_PERMISSION_DENIALS", "CRITICAL"),
    ("OFF_HOURS_BULK_EXPORT", "HIGH"),
    ("MANY_ADDRESSES", "HIGH"),
];

pub(super) async fn timeseries(c: &mut PgConnection) -> Groups {
    let rows: Vec<(String, f64, f64, f64, f64, f64, f64)> = sqlx::query_as(
        "SELECT h.name,
                count(*) FILTER (WHERE c.compressed)::float8,
                count(*) FILTER (WHERE NOT c.compressed)::float8,
                count(*) FILTER (WHERE c.range_start > now())::float8,
                coalesce(sum(c.compressed_bytes) FILTER (WHERE c.compressed), 0)::float8,
                coalesce(sum(c.raw_bytes), 0)::float8,
                count(*) FILTER (WHERE h.retention IS NOT NULL AND c.range_end <= now() - h.retention)::float8
           FROM timeseries.hypertables h LEFT JOIN timeseries.chunk_status() c ON c.hypertable = h.name
          GROUP BY h.name ORDER BY h.name",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut chunks = Family::new(
        "pms_timeseries_chunks",
        Kind::Gauge,
        "Chunks of a hypertable by state",
    );
    let mut ahead = Family::new(
        "pms_timeseries_chunks_ahead",
        Kind::Gauge,
        "Chunks created ahead of now (the partition job keeps them)",
    );
    let mut compressed = Family::new(
        "pms_timeseries_compressed_bytes",
        Kind::Gauge,
        "Bytes of a hypertable's compressed chunks",
    );
    let mut raw = Family::new(
        "pms_timeseries_raw_bytes",
        Kind::Gauge,
        "Bytes of a hypertable's plain (uncompressed) rows",
    );
    let mut due = Family::new(
        "pms_timeseries_chunks_due_for_retention",
        Kind::Gauge,
        "Chunks past their retention, waiting for the retention job",
    );
    for (h, comp, plain, ah, cbytes, rbytes, d) in &rows {
        let l = [("hypertable", h.as_str())];
        chunks.push(&[("hypertable", h), ("state", "compressed")], *comp);
        chunks.push(&[("hypertable", h), ("state", "uncompressed")], *plain);
        ahead.push(&l, *ah);
        compressed.push(&l, *cbytes);
        raw.push(&l, *rbytes);
        due.push(&l, *d);
    }
    let rollups: Vec<(String, Option<f64>, f64, f64)> = sqlx::query_as(
        "SELECT rollup, extract(epoch FROM lag)::float8, pending_invalidations::float8,
                extract(epoch FROM bucket_width)::float8
           FROM timeseries.rollup_status() ORDER BY rollup",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut lag = Family::new(
        "pms_timeseries_rollup_lag_seconds",
        Kind::Gauge,
        "How far a rollup's materialized buckets are behind now (rollups never refreshed are left out)",
    );
    let mut pending = Family::new(
        "pms_timeseries_rollup_pending_invalidations",
        Kind::Gauge,
        "Changed buckets waiting for a rollup's next refresh",
    );
    let mut width = Family::new(
        "pms_timeseries_rollup_bucket_seconds",
        Kind::Gauge,
        "Bucket width of a rollup",
    );
    for (r, l, p, w) in &rollups {
        if let Some(l) = l {
            lag.push(&[("rollup", r)], *l);
        }
        pending.push(&[("rollup", r)], *p);
        width.push(&[("rollup", r)], *w);
    }
    Ok(vec![
        chunks, ahead, compressed, raw, due, lag, pending, width,
    ])
}

pub(super) async fn archive(c: &mut PgConnection) -> Groups {
    let rows: Vec<(String, f64, f64)> = sqlx::query_as(
        "SELECT s.status, count(b.status)::float8, coalesce(sum(b.row_count), 0)::float8
           FROM unnest(ARRAY['WRITING', 'ARCHIVED', 'RETIRING']) AS s(status)
           LEFT JOIN archive_batches b ON b.status = s.status
          GROUP BY s.status ORDER BY s.status",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut batches = Family::new(
        "pms_archive_batches",
        Kind::Gauge,
        "Archive ledger batches by status (WRITING or RETIRING: an interrupted run)",
    );
    let mut archived_rows = Family::new(
        "pms_archive_rows",
        Kind::Gauge,
        "Rows held in archive batches, by batch status",
    );
    for (s, n, r) in &rows {
        batches.push(&[("status", s)], *n);
        archived_rows.push(&[("status", s)], *r);
    }
    let pending: f64 = sqlx::query_scalar("SELECT count(*)::float8 FROM archive_pending")
        .fetch_one(&mut *c)
        .await?;
    let tiers: Vec<(String, f64)> = sqlx::query_as(
        "SELECT t.tier, coalesce(sum(s.row_count), 0)::float8
           FROM unnest(ARRAY['HOT', 'WARM', 'COLD', 'DUE', 'ARCHIVE']) AS t(tier)
           LEFT JOIN storage_tier_state s ON s.tier = t.tier
          GROUP BY t.tier ORDER BY t.tier",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut by_tier = Family::new(
        "pms_retention_rows",
        Kind::Gauge,
        "Rows per storage tier as the last daily pass computed them (DUE: waiting for archival)",
    );
    for (t, n) in &tiers {
        by_tier.push(&[("tier", t)], *n);
    }
    Ok(vec![
        batches,
        archived_rows,
        Family::single(
            "pms_archive_pending_entities",
            Kind::Gauge,
            "Entities queued by archive_entity() for the next archive run",
            pending,
        ),
        by_tier,
    ])
}

pub(super) async fn audit(c: &mut PgConnection, hours: i32) -> Groups {
    // Per tenant, an index range scan of the window (security_events_time_idx); never a scan
    // of the month's partition.
    let events: Vec<(String, String, f64)> = sqlx::query_as(
        "SELECT e.event_type, e.severity, count(*)::float8
           FROM tenants t CROSS JOIN LATERAL (
                SELECT s.event_type, s.severity FROM security_events s
                 WHERE s.tenant_id = t.id AND s.occurred_at >= now() - make_interval(hours => $1)) e
          GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind(hours)
    .fetch_all(&mut *c)
    .await?;
    let findings: Vec<(String, String, f64)> = sqlx::query_as(
        "SELECT f.pattern, f.severity, count(*)::float8
           FROM tenants t CROSS JOIN LATERAL detect_suspicious_activity(t.id, $1) f
          WHERE EXISTS (SELECT 1 FROM security_events s
                         WHERE s.tenant_id = t.id AND s.occurred_at >= now() - make_interval(hours => $1))
          GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind(hours)
    .fetch_all(&mut *c)
    .await?;
    let mut ev = Family::new(
        "pms_audit_security_events",
        Kind::Gauge,
        "Security events of all tenants within the window (pms_audit_window_seconds), by type and severity",
    );
    for (t, s, n) in &events {
        ev.push(&[("event_type", t), ("level", s)], *n);
    }
    let mut found = Family::new(
        "pms_audit_suspicious_findings",
        Kind::Gauge,
        "Suspicious-activity findings (detect_suspicious_activity) of all tenants within the window, by pattern",
    );
    for (p, s) in SUSPICIOUS_PATTERNS {
        if !findings.iter().any(|(fp, fs, _)| fp == p && fs == s) {
            found.push(&[("pattern", p), ("level", s)], 0.0);
        }
    }
    for (p, s, n) in &findings {
        found.push(&[("pattern", p), ("level", s)], *n);
    }
    Ok(vec![
        Family::single(
            "pms_audit_window_seconds",
            Kind::Gauge,
            "The window of the security-event and suspicious-finding figures",
            f64::from(hours) * 3600.0,
        ),
        ev,
        found,
    ])
}
