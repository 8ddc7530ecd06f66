//! What can go wrong while migrating. It has a module of its own so that the bootstrap and the
//! backend choice, which `migrate` runs, can fail with it without importing `migrate` back.

/// A migration failure: which file, and what PostgreSQL said.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("migration {name} failed: {source}")]
    Migration { name: String, source: sqlx::Error },
    #[error("replaceable SQL {name} failed: {source}")]
    Replaceable { name: String, source: sqlx::Error },
    #[error(
        "migration {name} was changed after it was applied (checksum differs); migrations are forward-only: add a new one instead"
    )]
    Changed { name: String },
    #[error(
        "the database has migration {name} applied that this binary does not know; is this binary older than the database?"
    )]
    Unknown { name: String },
    #[error("{0}")]
    Bootstrap(String),
    #[error("preparing the partitions by time range (audit months, time-series chunks): {0}")]
    TimePartitions(sqlx::Error),
    #[error("Citus: {0}")]
    Citus(String),
    #[error("database error while migrating: {0}")]
    Db(#[from] sqlx::Error),
}
