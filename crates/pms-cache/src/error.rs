//! The one error type of the cache crate.

use std::sync::Arc;

/// What went wrong in a cache call. Reads of cacheable data never surface `Redis`,
/// `Timeout` or `CircuitOpen` to their callers (they fail open to the loader); the
/// variants exist for the calls that must not fail open and for operators' commands.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CacheError {
    /// A key part was empty, too long, or held control characters.
    #[error("invalid cache key: {0}")]
    InvalidKey(String),
    /// A setting (URL, timeout, prefix) was unusable.
    #[error("cache configuration: {0}")]
    Config(String),
    /// Redis answered with an error or the connection failed.
    #[error("redis: {0}")]
    Redis(String),
    /// Redis did not answer within the per-call timeout.
    #[error("redis did not answer within {0:?}")]
    Timeout(std::time::Duration),
    /// The circuit breaker is open: recent calls failed, so Redis is not asked for a while.
    #[error("redis circuit breaker is open")]
    CircuitOpen,
    /// A value could not be serialized for storage.
    #[error("cannot serialize the value: {0}")]
    Serialize(String),
    /// The loader (the source of truth) failed; shared with every caller waiting on it.
    #[error("loading the value failed: {0}")]
    Loader(#[source] Arc<dyn std::error::Error + Send + Sync>),
    /// The session record (PostgreSQL) could not be read or written.
    #[error("session store: {0}")]
    Database(String),
}

impl CacheError {
    /// Whether the error means "Redis is unhealthy" (as opposed to bad input).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Redis(_) | Self::Timeout(_) | Self::CircuitOpen)
    }
}

impl From<redis::RedisError> for CacheError {
    fn from(e: redis::RedisError) -> Self {
        Self::Redis(e.to_string())
    }
}
