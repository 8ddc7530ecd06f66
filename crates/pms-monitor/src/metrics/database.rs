//! The database's figures for `/metrics`, in two tiers: *fast* (activity, transaction ages,
//! counters, replication, WAL archiving: statistics views, microseconds to read) and *slow*
//! (database size, disk, time-series chunks and rollups, archive ledger, security events and
//! suspicious findings: a few index range scans and size calls). Each group runs in its own
//! bounded read-only transaction, so one that fails (a missing privilege, a schema not
//! migrated yet) costs only its own families and shows as `pms_monitor_collect_ok{group} 0`.

use super::platform;
use super::text::{Family, Kind};
use crate::MonitorOptions;
use crate::sql::bounded;
use sqlx::{PgConnection, PgPool};

pub(super) type Groups = Result<Vec<Family>, sqlx::Error>;

macro_rules! group {
    ($pool:expr, $opts:expr, $name:literal, $ok:expr, $out:expr, $f:path $(, $arg:expr)*) => {{
        let result: Groups = async {
            let mut tx = bounded($pool, $opts.statement_timeout).await?;
            let fams = $f(&mut tx $(, $arg)*).await?;
            tx.commit().await?;
            Ok(fams)
        }
        .await;
        match result {
            Ok(fams) => {
                $ok.push(&[("group", $name)], 1.0);
                $out.extend(fams);
            }
            Err(e) => {
                tracing::debug!(group = $name, error = %e, "monitoring query failed");
                $ok.push(&[("group", $name)], 0.0);
            }
        }
    }};
}

fn ok_family() -> Family {
    Family::new(
        "pms_monitor_collect_ok",
        Kind::Gauge,
        "1 when the last collection of a group of database figures succeeded",
    )
}

/// Is the database there at all? One trivial statement under the timeout.
async fn reachable(pool: &PgPool, opts: &MonitorOptions) -> Result<(), sqlx::Error> {
    let mut tx = bounded(pool, opts.statement_timeout).await?;
    sqlx::query("SELECT 1").execute(&mut *tx).await?;
    tx.commit().await
}

/// The fast tier, led by `pms_database_up`.
pub async fn fast(pool: &PgPool, opts: &MonitorOptions) -> Vec<Family> {
    let up = reachable(pool, opts).await;
    let mut out = vec![Family::single(
        "pms_database_up",
        Kind::Gauge,
        "1 when the database answered the last collection, 0 when it did not",
        if up.is_ok() { 1.0 } else { 0.0 },
    )];
    if let Err(e) = up {
        tracing::debug!(error = %e, "database unreachable for monitoring");
        return out;
    }
    let mut ok = ok_family();
    group!(pool, opts, "activity", ok, out, activity);
    group!(pool, opts, "database_stats", ok, out, database_stats);
    group!(pool, opts, "replication", ok, out, replication);
    group!(pool, opts, "wal_archiver", ok, out, archiver);
    out.push(ok);
    out
}

/// The slow tier (nothing when the database is down).
pub async fn slow(pool: &PgPool, opts: &MonitorOptions) -> Vec<Family> {
    if reachable(pool, opts).await.is_err() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut ok = ok_family();
    group!(pool, opts, "size", ok, out, size);
    group!(pool, opts, "disk", ok, out, disk, opts);
    group!(pool, opts, "timeseries", ok, out, platform::timeseries);
    group!(pool, opts, "archive", ok, out, platform::archive);
    group!(
        pool,
        opts,
        "audit",
        ok,
        out,
        platform::audit,
        opts.suspicious_hours
    );
    out.push(ok);
    out
}

fn state_label(state: &str) -> String {
    state
        .replace(['(', ')'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

async fn activity(c: &mut PgConnection) -> Groups {
    let rows: Vec<(String, f64)> = sqlx::query_as(
        "SELECT coalesce(state, 'unknown'), count(*)::float8 FROM pg_stat_activity
          WHERE backend_type = 'client backend' OR (backend_type IS NULL AND datid IS NOT NULL)
          GROUP BY 1 ORDER BY 1",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut by_state = Family::new(
        "pms_database_connections",
        Kind::Gauge,
        "Client connections to the server by state (unknown: another role's, not visible to the monitor)",
    );
    for s in ["active", "idle", "idle_in_transaction"] {
        if !rows.iter().any(|(r, _)| state_label(r) == s) {
            by_state.push(&[("state", s)], 0.0);
        }
    }
    for (state, n) in &rows {
        by_state.push(&[("state", &state_label(state))], *n);
    }
    let (max, query, xact, waiting): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT current_setting('max_connections')::float8,
                coalesce(max(extract(epoch FROM clock_timestamp() - query_start)) FILTER (WHERE state = 'active'), 0)::float8,
                coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)::float8,
                count(*) FILTER (WHERE wait_event_type = 'Lock')::float8
           FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND datname = current_database()
            AND pid <> pg_backend_pid() AND application_name IS DISTINCT FROM $1",
    )
    .bind(crate::APPLICATION_NAME)
    .fetch_one(&mut *c)
    .await?;
    Ok(vec![
        by_state,
        Family::single(
            "pms_database_max_connections",
            Kind::Gauge,
            "The server's max_connections",
            max,
        ),
        Family::single(
            "pms_database_longest_query_seconds",
            Kind::Gauge,
            "Age of the longest-running active statement in this database (0 when none)",
            query.max(0.0),
        ),
        Family::single(
            "pms_database_longest_transaction_seconds",
            Kind::Gauge,
            "Age of the oldest open transaction in this database (0 when none)",
            xact.max(0.0),
        ),
        Family::single(
            "pms_database_lock_waiters",
            Kind::Gauge,
            "Sessions of this database waiting for a lock",
            waiting,
        ),
    ])
}

async fn database_stats(c: &mut PgConnection) -> Groups {
    let (deadlocks, commits, rollbacks, hit, read, temp): (f64, f64, f64, f64, f64, f64) =
        sqlx::query_as(
            "SELECT deadlocks::float8, xact_commit::float8, xact_rollback::float8, blks_hit::float8,
                    blks_read::float8, temp_bytes::float8
               FROM pg_stat_database WHERE datname = current_database()",
        )
        .fetch_one(&mut *c)
        .await?;
    let mut xacts = Family::new(
        "pms_database_transactions_total",
        Kind::Counter,
        "Transactions of this database by outcome",
    );
    xacts.push(&[("outcome", "commit")], commits);
    xacts.push(&[("outcome", "rollback")], rollbacks);
    let mut blocks = Family::new(
        "pms_database_blocks_total",
        Kind::Counter,
        "Block reads of this database: found in shared buffers (hit) or read from the OS (read)",
    );
    blocks.push(&[("source", "hit")], hit);
    blocks.push(&[("source", "read")], read);
    Ok(vec![
        Family::single(
            "pms_database_deadlocks_total",
            Kind::Counter,
            "Deadlocks detected in this database",
            deadlocks,
        ),
        xacts,
        blocks,
        Family::single(
            "pms_database_temp_bytes_total",
            Kind::Counter,
            "Bytes written to temporary files by queries of this database",
            temp,
        ),
    ])
}

async fn replication(c: &mut PgConnection) -> Groups {
    let (standby, delay): (bool, f64) = sqlx::query_as(
        "SELECT pg_is_in_recovery(),
                CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                     ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0) END::float8",
    )
    .fetch_one(&mut *c)
    .await?;
    let mut out = vec![Family::single(
        "pms_database_in_recovery",
        Kind::Gauge,
        "1 when this server is a standby",
        if standby { 1.0 } else { 0.0 },
    )];
    let mut replay = Family::new(
        "pms_database_replay_delay_seconds",
        Kind::Gauge,
        "On a standby: how far replay is behind the last transaction received (0 when caught up)",
    );
    if standby {
        replay.push(&[], delay.max(0.0));
        out.push(replay);
        return Ok(out);
    }
    out.push(replay);
    let rows: Vec<(String, String, f64, f64)> = sqlx::query_as(
        "SELECT coalesce(nullif(application_name, ''), 'unnamed'),
                coalesce(host(client_addr) || ':' || client_port, 'local:' || pid),
                coalesce(extract(epoch FROM replay_lag), 0)::float8,
                coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::float8
           FROM pg_stat_replication ORDER BY 1, 2",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut lag = Family::new(
        "pms_database_replication_lag_seconds",
        Kind::Gauge,
        "Per streaming replica: time between WAL flushed here and replayed there (0 when caught up)",
    );
    let mut bytes = Family::new(
        "pms_database_replication_lag_bytes",
        Kind::Gauge,
        "Per streaming replica: WAL written here and not yet replayed there",
    );
    for (name, client, secs, b) in &rows {
        lag.push(&[("replica", name), ("client", client)], *secs);
        bytes.push(&[("replica", name), ("client", client)], *b);
    }
    out.push(Family::single(
        "pms_database_replicas",
        Kind::Gauge,
        "Streaming replicas connected to this primary",
        rows.len() as f64,
    ));
    out.push(lag);
    out.push(bytes);
    Ok(out)
}

async fn archiver(c: &mut PgConnection) -> Groups {
    let (archived, failed, last_ok, last_failed): (f64, f64, f64, f64) = sqlx::query_as(
        "SELECT archived_count::float8, failed_count::float8,
                coalesce(extract(epoch FROM last_archived_time), 0)::float8,
                coalesce(extract(epoch FROM last_failed_time), 0)::float8
           FROM pg_stat_archiver",
    )
    .fetch_one(&mut *c)
    .await?;
    Ok(vec![
        Family::single(
            "pms_database_wal_archived_total",
            Kind::Counter,
            "WAL files the archiver copied (pg_stat_archiver)",
            archived,
        ),
        Family::single(
            "pms_database_wal_archive_failures_total",
            Kind::Counter,
            "Failed attempts of the WAL archiver (pg_stat_archiver)",
            failed,
        ),
        Family::single(
            "pms_database_wal_last_archive_failure_timestamp_seconds",
            Kind::Gauge,
            "When the WAL archiver last failed (0: never)",
            last_failed,
        ),
        Family::single(
            "pms_database_wal_last_archived_timestamp_seconds",
            Kind::Gauge,
            "When the WAL archiver last succeeded (0: never)",
            last_ok,
        ),
    ])
}

async fn size(c: &mut PgConnection) -> Groups {
    let bytes: f64 = sqlx::query_scalar("SELECT pg_database_size(current_database())::float8")
        .fetch_one(&mut *c)
        .await?;
    Ok(vec![Family::single(
        "pms_database_size_bytes",
        Kind::Gauge,
        "Size of this database on disk",
        bytes,
    )])
}

/// The data directory: the configured one, else the server's own when it is readable.
pub(crate) async fn data_directory(
    c: &mut PgConnection,
    opts: &MonitorOptions,
) -> Result<std::path::PathBuf, sqlx::Error> {
    if let Some(d) = &opts.data_dir {
        return Ok(d.clone());
    }
    let dir: String = sqlx::query_scalar("SELECT current_setting('data_directory')")
        .fetch_one(&mut *c)
        .await?;
    Ok(dir.into())
}

async fn disk(c: &mut PgConnection, opts: &MonitorOptions) -> Groups {
    let dir = data_directory(c, opts).await?;
    let Some(u) = crate::disk::usage(&dir) else {
        return Err(sqlx::Error::Protocol(format!(
            "data directory {} is not on this machine (or not readable)",
            dir.display()
        )));
    };
    Ok(vec![
        Family::single(
            "pms_database_disk_total_bytes",
            Kind::Gauge,
            "Size of the file system holding the data directory",
            u.total_bytes as f64,
        ),
        Family::single(
            "pms_database_disk_free_bytes",
            Kind::Gauge,
            "Bytes still available to PostgreSQL on the file system of the data directory",
            u.available_bytes as f64,
        ),
        Family::single(
            "pms_database_disk_free_ratio",
            Kind::Gauge,
            "Free share (0 to 1) of the file system holding the data directory",
            u.free_ratio(),
        ),
    ])
}
