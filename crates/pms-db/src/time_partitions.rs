//! The partitions by time range that a database needs at an instant: the audit trail's months
//! (`audit_log`, `security_events`: the instant's UTC month and the next three, as the worker's
//! `audit_partitions` job keeps them) and, on the native time-series engine, the chunks of the
//! four hypertables (the interval holding the instant and `chunks_ahead` more, plus a chunk for
//! every range whose rows wait in a DEFAULT partition, as the `timeseries_partitions` job makes
//! them).
//!
//! `pms migrate` runs this after the migrations, every time it runs, so a freshly migrated
//! database takes its first ingest into chunks rather than into the DEFAULT partition. It is
//! not a migration: a migration runs once, with the clock of its day, and a database migrated
//! in March would get March's chunks forever. Test databases, cloned from a template migrated
//! whenever the schema last changed, run it too, so they look migrated today.
//!
//! On TimescaleDB the chunks are TimescaleDB's (made as rows arrive): only the audit months
//! are prepared there.

use sqlx::PgConnection;
use time::OffsetDateTime;

/// What [`prepare`] made, and for which instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The instant the partitions were made for.
    pub at: OffsetDateTime,
    /// The time-series backend (`native` or `timescaledb`); chunks are made on `native` only.
    pub backend: String,
    /// Monthly partitions of `audit_log` and `security_events` created.
    pub audit_partitions_created: i64,
    /// Time-series chunks created.
    pub chunks_created: i64,
}

/// Makes the partitions by time range for `at` (the database's `now()` when `None`, read
/// once). Idempotent: what exists is left alone. Needs a role that may run
/// `timeseries.create_future_chunks` and `pms_meta.audit_ensure_partitions` (the owner, or
/// `pms_maintenance`); the partitions belong to `pms_owner` either way (the functions that
/// create them are its, SECURITY DEFINER). A schema without those functions (a partial
/// migration list) gets nothing and no error.
pub async fn prepare(
    conn: &mut PgConnection,
    at: Option<OffsetDateTime>,
) -> Result<Prepared, sqlx::Error> {
    let at = match at {
        Some(at) => at,
        None => {
            sqlx::query_scalar("SELECT now()")
                .fetch_one(&mut *conn)
                .await?
        }
    };
    let (has_audit, has_chunks): (bool, bool) = sqlx::query_as(
        "SELECT to_regprocedure('pms_meta.audit_ensure_partitions(date, integer)') IS NOT NULL,
                to_regprocedure('timeseries.create_future_chunks(timestamptz)') IS NOT NULL",
    )
    .fetch_one(&mut *conn)
    .await?;
    let audit_partitions_created = if has_audit {
        sqlx::query_scalar::<_, i32>(
            "SELECT pms_meta.audit_ensure_partitions(($1::timestamptz AT TIME ZONE 'UTC')::date, 3)",
        )
        .bind(at)
        .fetch_one(&mut *conn)
        .await?
        .into()
    } else {
        0
    };
    let backend = crate::backend::current(conn).await?;
    let chunks_created = if has_chunks && backend == "native" {
        let report: serde_json::Value =
            sqlx::query_scalar("SELECT timeseries.create_future_chunks($1)")
                .bind(at)
                .fetch_one(&mut *conn)
                .await?;
        report["partitions_created"].as_i64().unwrap_or(0)
    } else {
        0
    };
    Ok(Prepared {
        at,
        backend,
        audit_partitions_created,
        chunks_created,
    })
}
