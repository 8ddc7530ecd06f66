//! The one error type of the backup crate: every failure says what was wrong and, for bad
//! input, that nothing was changed.

use std::path::PathBuf;

/// Why a backup, verification or restore could not be done.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "pgBackRest is not installed (no `pgbackrest` on PATH); install it: apt-get install pgbackrest"
    )]
    NotInstalled,
    /// Backups were never set up for this data directory.
    #[error(
        "backups are not initialised for {0} (no pgBackRest configuration); run `pms backup init` first"
    )]
    NotInitialised(PathBuf),
    /// Bad input: the message says what, and nothing was changed.
    #[error("{0}; nothing was changed")]
    Invalid(String),
    /// `pgbackrest check` (or the set-up around it) found a problem; the message says which.
    #[error("{0}")]
    Check(String),
    /// A restore drill found the backup unusable or different from what was recorded.
    #[error("verification of backup {label} failed: {}", problems.join("; "))]
    Verification {
        label: String,
        problems: Vec<String>,
    },
    #[error("`{command}` failed (exit status {status}): {detail}")]
    Tool {
        command: String,
        status: String,
        detail: String,
    },
    #[error("{0}")]
    Recovery(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Connect(#[from] pms_db::connect::ConnectError),
    #[error(transparent)]
    Cluster(#[from] pms_db::cluster::ClusterError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what}: {source}")]
    Json {
        what: String,
        source: serde_json::Error,
    },
}

/// Maps an I/O error to one that names the path.
pub(crate) fn io_at(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub type Result<T> = std::result::Result<T, BackupError>;
