//! Which engine holds the hypertables: the native one, or TimescaleDB when the extension was
//! installed and preloaded at `pms migrate` (see `pms_db::backend`). On TimescaleDB the public
//! names are tenant-filtered views and the rows live in `timeseries.<name>_hyper`, which is
//! where cross-tenant bulk loads go (`COPY` into a view is not possible).

use crate::{Hypertable, Result};
use sqlx::{PgConnection, PgPool};

/// `native` or `timescaledb`.
pub async fn current(pool: &PgPool) -> Result<String> {
    let mut conn = pool.acquire().await?;
    Ok(pms_db::backend::current(&mut conn).await?)
}

/// Whether bulk loads go to TimescaleDB's storage hypertables (`timeseries.<name>_hyper`)
/// rather than the native engine's partitioned tables (`public.<name>`).
pub async fn timescale_storage(conn: &mut PgConnection) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT to_regprocedure('timeseries.backend()') IS NOT NULL
            AND to_regclass('timeseries.performance_metrics_ts_hyper') IS NOT NULL",
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The table a maintenance-role bulk load of `table` writes to, schema-qualified.
pub fn storage_table(table: Hypertable, timescale: bool) -> String {
    if timescale {
        format!("timeseries.{}_hyper", table.table())
    } else {
        format!("public.{}", table.table())
    }
}

/// Refreshes every continuous aggregate over its policy's window now (TimescaleDB only; a
/// no-op returning 0 on the native engine): the per-person ones, then the tenant-grain ones
/// built on them (rollups with fixed-width buckets). Needs the owner (`pms_owner`) or a superuser connection, and no open
/// transaction: TimescaleDB refuses both otherwise. The worker leaves this to TimescaleDB's
/// job scheduler; tests and benchmarks call it to be deterministic. The team and department
/// grains are not continuous aggregates: `timeseries.refresh_all_rollups()` refreshes them,
/// as `pms_maintenance`.
pub async fn refresh_continuous_aggregates(conn: &mut PgConnection) -> Result<usize> {
    let caggs: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.name, r.bucket_width::text
         FROM timeseries.rollups r
         CROSS JOIN LATERAL (VALUES (1, r.name || '_cagg'), (2, r.name || '_tenant_cagg')) AS c(level, name)
         WHERE to_regclass('timeseries.' || quote_ident(c.name)) IS NOT NULL
         ORDER BY c.level, r.refresh_order, r.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut n = 0;
    for (cagg, width) in caggs {
        // Whole buckets only, like the refresh policies (end offset = one bucket), in one
        // atomic pass (TimescaleDB 2.28 otherwise splits a manual refresh into batches of 10
        // buckets, each its own transaction).
        let sql = format!(
            "CALL public.refresh_continuous_aggregate('timeseries.{cagg}', NULL, public.time_bucket('{width}'::interval, now()),
                                                      options => '{{\"buckets_per_batch\": 0}}')"
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await?;
        n += 1;
    }
    Ok(n)
}
