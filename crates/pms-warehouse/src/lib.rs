//! The data warehouse: a star schema (schema `warehouse`, see the migration
//! `20261206100000_create_warehouse.sql`) kept up to date from OLTP by an incremental sync, its
//! status, and a Parquet export for external engines.
//!
//! The sync's logic is SQL (`sql/replaceable/080_warehouse_*.sql`), set-based, one function per
//! source; this crate runs a pass: one `REPEATABLE READ` snapshot, every tenant's sources in
//! order, watermarks and warehouse rows committed together.

pub mod canonical;
pub mod erasure;
pub mod error;
pub mod export;
pub mod parquet_batch;
pub mod report;
pub mod status;
pub mod sync;

pub use error::{Result, WarehouseError};
pub use status::{Status, status};
pub use sync::{SOURCES, SyncOptions, SyncReport, sync};
