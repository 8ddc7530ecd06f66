//! The cache's state as gauges, for a process's `/metrics`: the Redis circuit breaker's state
//! and the invalidations queued while Redis is away. Counters (hits, misses, errors) are
//! recorded as they happen (`stats.rs`); these are read at scrape time, so the process that
//! serves `/metrics` calls [`publish_gauges`] before each render
//! (`pms_monitor::Registry::on_render`).

use crate::{BreakerState, Cache};

/// Sets `pms_cache_breaker_state{backend}` (0 closed, 1 half-open, 2 open; always 0 in
/// process) and `pms_cache_pending_invalidations{backend}`.
pub fn publish_gauges(cache: &Cache) {
    let backend = cache.backend();
    let state = match cache.breaker_state() {
        BreakerState::Closed => 0.0,
        BreakerState::HalfOpen => 1.0,
        BreakerState::Open => 2.0,
    };
    metrics::gauge!("pms_cache_breaker_state", "backend" => backend).set(state);
    metrics::gauge!("pms_cache_pending_invalidations", "backend" => backend)
        .set(cache.pending_invalidations() as f64);
}

/// Describes the gauges (once per process is enough; repeated calls are harmless).
pub fn describe_gauges() {
    metrics::describe_gauge!(
        "pms_cache_breaker_state",
        "State of the Redis circuit breaker: 0 closed, 1 half-open, 2 open"
    );
    metrics::describe_gauge!(
        "pms_cache_pending_invalidations",
        "Invalidations queued while Redis was unavailable, not yet replayed"
    );
}
