//! What a seed can fail with, and the limits of a generated tenant that its messages state: a
//! module of its own, so that the generator and the bulk-load sessions it uses both return it.

/// The largest tenant this generator makes; anything bigger is a typo.
pub const MAX_EMPLOYEES: i64 = 2_000_000;
/// The longest time-series history accepted.
pub const MAX_MONTHS: i64 = 120;

/// What went wrong, said so that the operator knows what to change.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("--employees must be at least 1 (got {0})")]
    NoEmployees(i64),
    #[error("--employees {0} is absurd: at most {MAX_EMPLOYEES} are generated")]
    TooManyEmployees(i64),
    #[error("--months must be between 0 and {MAX_MONTHS} (got {0})")]
    BadMonths(i64),
    #[error("--batch-size must be between 1 and 100000 (got {0})")]
    BadBatch(u64),
    #[error("--workers must be between 1 and 16 (got {0})")]
    BadWorkers(u64),
    #[error(
        "tenant slug {0:?} is invalid: use 2-63 lowercase letters, digits and dashes, starting with a letter or digit"
    )]
    BadSlug(String),
    #[error("a tenant with slug {0:?} already exists; choose another --tenant-slug")]
    SlugExists(String),
    #[error(
        "tenant {slug:?} was generated with other parameters ({existing}); re-run with those to resume, or choose another --tenant-slug"
    )]
    OtherParameters { slug: String, existing: String },
    #[error("interrupted after {done} of {total} employees; run the same command again to resume")]
    Interrupted { done: u64, total: u64 },
    #[error("another seed of tenant {0:?} is running")]
    Busy(String),
    #[error(
        "verified bulk loads need a superuser login (to set session_replication_role): {0}; use per-row checks instead"
    )]
    BulkNeedsSuperuser(String),
    #[error("--wal-compression must be one of off, pglz, lz4, zstd (got {0:?})")]
    BadWalCompression(String),
    #[error("not a bulk-load session (session_replication_role is {0:?}, expected \"replica\")")]
    NotBulkSession(String),
    #[error(
        "table(s) {0} are not enabled for verified bulk loads (pms_meta.enable_bulk_load); use per-row checks"
    )]
    NotBulkEnabled(String),
    #[error("generating a batch failed: {0}")]
    Generator(String),
    #[error("password hashing failed: {0}")]
    Password(String),
    #[error("database error while seeding: {0}")]
    Db(#[from] sqlx::Error),
}
