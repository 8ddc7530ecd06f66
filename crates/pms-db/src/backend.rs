//! Which engine stores the time series. TimescaleDB is used when its extension is installed
//! and preloaded (`shared_preload_libraries`), unless `PMS_TIMESERIES_BACKEND=native` says
//! otherwise; the switch happens when `pms migrate` first applies migration
//! `20261126200000_use_timescaledb_when_installed`. Afterwards `timeseries.backend()` answers.

use crate::migrate_error::MigrateError;
use sqlx::{Executor, PgConnection};

/// The migration that moves the hypertables onto TimescaleDB.
pub const SWITCH_MIGRATION: &str = "20261126200000_use_timescaledb_when_installed.sql";

/// What `PMS_TIMESERIES_BACKEND` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// TimescaleDB when it is installed and preloaded, else native (the default).
    Auto,
    /// The native engine even when TimescaleDB is there.
    Native,
    /// TimescaleDB, or `pms migrate` fails saying why not.
    Timescaledb,
}

impl Requested {
    /// Reads `PMS_TIMESERIES_BACKEND` (`auto`, `native` or `timescaledb`; unset is `auto`).
    pub fn from_env() -> Result<Self, MigrateError> {
        match std::env::var("PMS_TIMESERIES_BACKEND") {
            Err(_) => Ok(Self::Auto),
            Ok(v) => Self::parse(&v),
        }
    }

    pub fn parse(v: &str) -> Result<Self, MigrateError> {
        match v.trim() {
            "" | "auto" => Ok(Self::Auto),
            "native" => Ok(Self::Native),
            "timescaledb" => Ok(Self::Timescaledb),
            other => Err(MigrateError::Bootstrap(format!(
                "PMS_TIMESERIES_BACKEND must be `auto`, `native` or `timescaledb`, not {other:?}"
            ))),
        }
    }
}

/// Whether this server can run TimescaleDB: (installed, preloaded).
pub async fn timescaledb_available(conn: &mut PgConnection) -> Result<(bool, bool), sqlx::Error> {
    sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),
                'timescaledb' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))",
    )
    .fetch_one(&mut *conn)
    .await
}

/// Bootstrap step (as superuser): creates the extension when it is wanted and the switch
/// migration has not run yet. A database that was migrated natively stays native.
pub async fn create_timescaledb_if_wanted(conn: &mut PgConnection) -> Result<(), MigrateError> {
    create_timescaledb_if(conn, Requested::from_env()?).await
}

/// [`create_timescaledb_if_wanted`] with the request given rather than read from the
/// environment. A database already migrated onto the native engine is not converted: asking
/// for `timescaledb` there is an error that says so; `auto` keeps it native with a warning
/// when TimescaleDB has become available since.
pub async fn create_timescaledb_if(
    conn: &mut PgConnection,
    requested: Requested,
) -> Result<(), MigrateError> {
    if requested == Requested::Native {
        return Ok(());
    }
    let has_meta: bool =
        sqlx::query_scalar("SELECT to_regclass('pms_meta.migrations') IS NOT NULL")
            .fetch_one(&mut *conn)
            .await?;
    let switched = has_meta
        && sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM pms_meta.migrations WHERE name = $1)",
        )
        .bind(SWITCH_MIGRATION)
        .fetch_one(&mut *conn)
        .await?;
    if switched {
        if current(conn).await? == "native" {
            let (installed, preloaded) = timescaledb_available(conn).await?;
            if requested == Requested::Timescaledb {
                return Err(MigrateError::Bootstrap(format!(
                    "PMS_TIMESERIES_BACKEND=timescaledb, but this database was migrated onto the native time-series engine (migration {SWITCH_MIGRATION} ran while TimescaleDB was {}), and pms moves a database onto TimescaleDB only when it applies that migration. Keep this database native (PMS_TIMESERIES_BACKEND=auto or native), or migrate a new database with TimescaleDB installed and preloaded",
                    if installed {
                        "not preloaded or not wanted"
                    } else {
                        "not installed"
                    }
                )));
            }
            if installed && preloaded {
                tracing::warn!(
                    "TimescaleDB is installed and preloaded, but this database was migrated onto the native time-series engine before; it stays native (pms converts a database only when it first applies {SWITCH_MIGRATION})"
                );
            }
        }
        return Ok(());
    }
    let (installed, preloaded) = timescaledb_available(conn).await?;
    if !(installed && preloaded) {
        if requested == Requested::Timescaledb {
            return Err(MigrateError::Bootstrap(format!(
                "PMS_TIMESERIES_BACKEND=timescaledb, but the extension is {}: install TimescaleDB for this PostgreSQL and add `timescaledb` to shared_preload_libraries",
                if installed {
                    "not in shared_preload_libraries"
                } else {
                    "not installed"
                }
            )));
        }
        return Ok(());
    }
    // The native stand-in for time_bucket (replaceable SQL) would clash with the extension's.
    conn.execute(
        "DO $$
         BEGIN
             IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
                 DROP FUNCTION IF EXISTS public.time_bucket(interval, timestamptz);
             END IF;
         END
         $$;
         CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public;",
    )
    .await?;
    Ok(())
}

/// The backend a migrated database uses: `native` or `timescaledb`.
pub async fn current(conn: &mut PgConnection) -> Result<String, sqlx::Error> {
    let defined: bool =
        sqlx::query_scalar("SELECT to_regprocedure('timeseries.backend()') IS NOT NULL")
            .fetch_one(&mut *conn)
            .await?;
    if !defined {
        return Ok("native".into());
    }
    sqlx::query_scalar("SELECT timeseries.backend()")
        .fetch_one(&mut *conn)
        .await
}
