//! Archive storage and retention for pms: batches of archived entities written to an object
//! store (a local directory by default, S3 in production) as compressed, self-describing files,
//! indexed in PostgreSQL; archive-then-verify-then-delete with a ledger, legal holds, expiry,
//! and erasure of a person across the archive.

pub mod archiver;
pub mod config;
pub mod erase;
pub mod error;
pub mod failpoint;
pub mod format;
pub mod retrieve;
mod rewrite;
pub mod store;
pub mod verify;

pub use archiver::{ArchiveReport, Archiver, Progress};
pub use config::ArchiveConfig;
pub use error::ArchiveError;
pub use failpoint::FailPoints;
pub use store::ArchiveStore;
