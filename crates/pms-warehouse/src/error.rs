//! The crate's one error type: each variant names what was wrong, in one line.

/// Why a warehouse operation failed. A sync that fails has changed nothing: its transaction
/// is rolled back, the watermarks stay where the last good run left them.
#[derive(Debug, thiserror::Error)]
pub enum WarehouseError {
    #[error("no tenant with slug {0:?}: nothing synced")]
    UnknownTenant(String),
    #[error("{doing}: {source}")]
    Database {
        doing: String,
        #[source]
        source: sqlx::Error,
    },
    /// A report's name or parameters that do not make sense: nothing was run.
    #[error("{0}")]
    BadInput(String),
    #[error("the warehouse schema is missing (run `pms migrate` first)")]
    NotMigrated,
    #[error("export to {url} failed: {reason} (the manifest was not updated)")]
    Export { url: String, reason: String },
    /// The object store of the export (boxed: the store's errors are large).
    #[error(transparent)]
    Archive(Box<pms_archive::ArchiveError>),
}

impl From<pms_archive::ArchiveError> for WarehouseError {
    fn from(e: pms_archive::ArchiveError) -> Self {
        WarehouseError::Archive(Box::new(e))
    }
}

/// `.doing("what")` on a database result: the crate's `.context`.
pub(crate) trait Doing<T> {
    fn doing(self, what: impl Into<String>) -> Result<T, WarehouseError>;
}

impl<T> Doing<T> for Result<T, sqlx::Error> {
    fn doing(self, what: impl Into<String>) -> Result<T, WarehouseError> {
        self.map_err(|source| WarehouseError::Database {
            doing: what.into(),
            source,
        })
    }
}

pub type Result<T, E = WarehouseError> = std::result::Result<T, E>;
