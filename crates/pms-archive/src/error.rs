//! The crate's one error type: every variant says what failed and where, in one line.

/// Why an archive operation failed. Nothing is deleted from the database unless the object
/// that holds the data was written and verified first.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("archive URL {url:?} is invalid: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("archive store {url} is not usable: {source}")]
    Unreachable {
        url: String,
        source: object_store::Error,
    },
    #[error("writing archive object {key} to {url} failed (nothing was deleted): {source}")]
    Write {
        url: String,
        key: String,
        source: object_store::Error,
    },
    #[error("reading archive object {key} from {url} failed: {source}")]
    Read {
        url: String,
        key: String,
        source: object_store::Error,
    },
    #[error("deleting archive object {key} from {url} failed: {source}")]
    Delete {
        url: String,
        key: String,
        source: object_store::Error,
    },
    #[error("archive object {key} failed verification: {reason}")]
    Corrupt { key: String, reason: String },
    #[error("{0}")]
    Invalid(String),
    #[error("another archiver holds the archive lock; try again when it has finished")]
    Busy,
    #[error("person {person} of tenant {tenant} is under a legal hold: nothing erased")]
    Held {
        tenant: uuid::Uuid,
        person: uuid::Uuid,
    },
    #[error("no tenant {0}: nothing erased")]
    UnknownTenant(uuid::Uuid),
    #[error("no person {person} in tenant {tenant} (nor erased from it before): nothing erased")]
    UnknownPerson {
        tenant: uuid::Uuid,
        person: uuid::Uuid,
    },
    #[error("user {person} is a person of another tenant, not of tenant {tenant}: nothing erased")]
    PersonOfOtherTenant {
        tenant: uuid::Uuid,
        person: uuid::Uuid,
    },
    #[error("fail point {0} triggered")]
    FailPoint(String),
    /// Not marked as the source, so the message is printed once, not once per chain link.
    #[error("database: {0}")]
    Db(sqlx::Error),
    #[error("encoding archive data: {0}")]
    Encode(String),
}

impl From<sqlx::Error> for ArchiveError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e)
    }
}

pub type Result<T> = std::result::Result<T, ArchiveError>;
