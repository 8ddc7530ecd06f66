//! Backup and recovery for pms: pgBackRest with continuous WAL archiving into a local
//! repository (and S3), backups proved by restore drills, point-in-time recovery into a new
//! cluster, single-tenant restore and logical exports.

pub mod bench;
pub mod config;
pub mod create;
pub mod error;
pub mod export;
pub mod init;
pub mod list;
pub mod manifest;
pub mod metrics;
pub mod pgbackrest;
pub mod records;
pub mod restore;
pub mod schedule;
pub mod scratch;
pub mod server;
pub mod tenant_restore;
pub mod tenant_tables;
pub mod verify;

pub use config::BackupConfig;
pub use error::BackupError;
pub use server::PgServer;
