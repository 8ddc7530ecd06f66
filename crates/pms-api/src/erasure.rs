//! The erasure of a person behind `POST /admin/users/{id}/erasure`: the same work as
//! `pms privacy erase` (every tier: archive objects, hot tables, the audit trail, the cache),
//! which needs the maintenance role and the archive store, so `pms serve` hands the API an
//! [`PersonEraser`] that has them ([`crate::AppState::set_eraser`]). Without one, the endpoint
//! answers 503.

use pms_core::{TenantId, UserId};
use std::future::Future;
use std::pin::Pin;

/// What an erasure answers: its report (as `pms privacy erase` prints it), or why it failed.
pub type EraseResult = Result<serde_json::Value, EraseError>;

/// Why an erasure did not happen.
#[derive(Debug, Clone)]
pub enum EraseError {
    /// A legal hold covers the person.
    Held,
    /// Anything else (store unreachable, a tier failed); the erasure can be run again.
    Failed(String),
}

/// Erases one person of one tenant from every tier.
pub trait PersonEraser: Send + Sync {
    fn erase<'a>(
        &'a self,
        tenant: TenantId,
        person: UserId,
    ) -> Pin<Box<dyn Future<Output = EraseResult> + Send + 'a>>;
}
