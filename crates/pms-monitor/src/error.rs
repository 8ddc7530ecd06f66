//! The one error type of this crate.

/// What can go wrong while watching.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("cannot connect for monitoring: {0}")]
    Connect(#[from] pms_db::connect::ConnectError),
    #[error("metrics recorder: {0}")]
    Recorder(String),
    #[error("invalid setting {name}={value}: {why}")]
    Setting {
        name: &'static str,
        value: String,
        why: &'static str,
    },
    #[error("{0}")]
    Invalid(String),
}
