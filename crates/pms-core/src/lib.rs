//! Types shared by every pms crate: identifiers, configuration, secrets masking.

pub mod config;
pub mod ids;

pub use config::{Config, LogFormat};
pub use ids::{TenantId, UserId};
