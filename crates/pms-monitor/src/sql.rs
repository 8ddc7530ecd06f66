//! Shared helpers: a bounded read-only transaction, identifier quoting, and the monitor's pool.

use crate::{APPLICATION_NAME, MonitorError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use std::time::Duration;

/// A read-only transaction whose statements may each run `timeout` at most and wait for a lock
/// a quarter of that: a monitoring query never holds up the database it watches.
pub(crate) async fn bounded(
    pool: &PgPool,
    timeout: Duration,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let ms = timeout.as_millis().max(1);
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {ms}; SET LOCAL lock_timeout = {}",
        (ms / 4).max(1)
    )))
    .execute(&mut *tx)
    .await?;
    Ok(tx)
}

/// `"name"`, for identifiers read from the catalog.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A small pool for watching, separate from the pools it watches (an exhausted pool must not
/// stop its own exhaustion from being reported). Lazy: a process whose database is down still
/// starts and reports `pms_database_up 0`. Waiting for a connection is bounded by `timeout`.
pub fn monitor_pool(options: PgConnectOptions, timeout: Duration) -> PgPool {
    monitor_pool_as(options, timeout, APPLICATION_NAME)
}

/// [`monitor_pool`] under another `application_name` (the benchmark finds its own sessions by it).
pub fn monitor_pool_as(
    options: PgConnectOptions,
    timeout: Duration,
    application_name: &str,
) -> PgPool {
    PgPoolOptions::new()
        .max_connections(2)
        .min_connections(0)
        .acquire_timeout(timeout)
        .idle_timeout(Duration::from_secs(300))
        .after_connect(|_, _| {
            Box::pin(async {
                pms_db::nodelay::apply();
                Ok(())
            })
        })
        .connect_lazy_with(options.application_name(application_name))
}

/// The monitor's pool for a URL (the `pms` binary passes `PMS_MONITOR_DATABASE_URL`, else the
/// administrative URL).
pub fn monitor_pool_for_url(url: &str, timeout: Duration) -> Result<PgPool, MonitorError> {
    let options: PgConnectOptions = url.parse().map_err(|e: sqlx::Error| {
        MonitorError::Invalid(format!(
            "monitor database URL {}: {e}",
            pms_core::config::mask_url(url)
        ))
    })?;
    Ok(monitor_pool(options, timeout))
}
