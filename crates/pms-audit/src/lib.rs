//! The audit trail and security events of pms, from Rust.
//!
//! The rules live in PostgreSQL (see `crates/pms-db/migrations/*_audit_*` and
//! `sql/replaceable/040_audit_*`): a trigger writes every change of a sensitive table, the
//! application records security events through one function, and both are linked into a
//! per-tenant hash chain that nobody but the owner can rewrite. This crate is the typed way to
//! use them: record security events ([`events`]), verify and export the chains ([`chain`]),
//! read history ([`history`]), find suspicious activity ([`suspicious`]) and check the catalog
//! ([`catalog`]).

pub mod catalog;
pub mod chain;
pub mod events;
pub mod history;
pub mod suspicious;

pub use chain::{ChainHead, ChainStatus};
pub use events::{Actor, NewSecurityEvent, SecurityEventKind, Severity};
pub use history::{AuditEntry, SecurityEvent};
pub use suspicious::{AlertSettings, Finding};

/// What can go wrong with an audit operation.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The input was refused (SQLSTATE 22023): the message says what was wrong.
    #[error("{0}")]
    InvalidInput(String),
    /// The database refused the operation for lack of rights (SQLSTATE 42501), e.g. a
    /// row-level security violation or a write to the append-only audit tables.
    #[error("permission denied: {0}")]
    Denied(String),
    /// A chain head file or value could not be read.
    #[error("chain head: {0}")]
    Head(String),
    #[error("database error: {0}")]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for AuditError {
    fn from(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error() {
            match db.code().as_deref() {
                Some("22023") => return AuditError::InvalidInput(db.message().to_string()),
                Some("42501") => return AuditError::Denied(db.message().to_string()),
                _ => {}
            }
        }
        AuditError::Db(e)
    }
}

/// True when PostgreSQL refused `err` for lack of rights: a missing privilege, a row-level
/// security violation, "must be owner". These are the denials that become security events.
pub fn is_denial(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "42501")
}
