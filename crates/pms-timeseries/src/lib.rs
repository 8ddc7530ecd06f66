//! The time-series engine's Rust side: validated, batched binary-`COPY` ingest into the
//! hypertables, status of chunks and rollups, compression controls, deterministic history for
//! seeding, and the benchmark. The engine itself (chunks, rollups, compression, retention)
//! lives in PostgreSQL (`crates/pms-db/sql/replaceable/030_timeseries_*.sql`), so every client
//! gets the same behaviour; this crate drives it.

pub mod backend;
pub mod bench;
pub mod catalog;
pub mod generate;
pub mod hypertable;
pub mod ingest;
pub mod parse;
pub mod status;

pub use hypertable::Hypertable;
pub use ingest::{IngestOptions, IngestSummary, MetricRow, Rejection};

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
