//! Per-category counters: kept in process for `Cache::stats` and mirrored to the `metrics`
//! facade, so whichever process installs the Prometheus recorder exports them on `/metrics`.

use crate::Category;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    errors: AtomicU64,
    loads: AtomicU64,
    load_nanos: AtomicU64,
}

/// The counters of every category.
pub(crate) struct Stats {
    by_category: Vec<Counters>,
}

/// A snapshot of one category's counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryStats {
    pub category: Category,
    pub hits: u64,
    pub misses: u64,
    pub errors: u64,
    pub loads: u64,
    pub load_time: Duration,
}

fn index(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

impl Stats {
    pub fn new() -> Self {
        Self {
            by_category: Category::ALL.iter().map(|_| Counters::default()).collect(),
        }
    }

    fn of(&self, c: Category) -> Option<&Counters> {
        self.by_category.get(index(c))
    }

    pub fn hit(&self, c: Category) {
        if let Some(x) = self.of(c) {
            x.hits.fetch_add(1, Ordering::Relaxed);
        }
        metrics::counter!("pms_cache_hits_total", "category" => c.label()).increment(1);
    }

    pub fn miss(&self, c: Category) {
        if let Some(x) = self.of(c) {
            x.misses.fetch_add(1, Ordering::Relaxed);
        }
        metrics::counter!("pms_cache_misses_total", "category" => c.label()).increment(1);
    }

    pub fn error(&self, c: Category) {
        if let Some(x) = self.of(c) {
            x.errors.fetch_add(1, Ordering::Relaxed);
        }
        metrics::counter!("pms_cache_errors_total", "category" => c.label()).increment(1);
    }

    pub fn loaded(&self, c: Category, took: Duration) {
        if let Some(x) = self.of(c) {
            x.loads.fetch_add(1, Ordering::Relaxed);
            x.load_nanos.fetch_add(
                u64::try_from(took.as_nanos()).unwrap_or(u64::MAX),
                Ordering::Relaxed,
            );
        }
        metrics::histogram!("pms_cache_loader_seconds", "category" => c.label())
            .record(took.as_secs_f64());
    }

    pub fn snapshot(&self) -> Vec<CategoryStats> {
        Category::ALL
            .iter()
            .zip(&self.by_category)
            .map(|(c, x)| CategoryStats {
                category: *c,
                hits: x.hits.load(Ordering::Relaxed),
                misses: x.misses.load(Ordering::Relaxed),
                errors: x.errors.load(Ordering::Relaxed),
                loads: x.loads.load(Ordering::Relaxed),
                load_time: Duration::from_nanos(x.load_nanos.load(Ordering::Relaxed)),
            })
            .collect()
    }
}

/// Registers descriptions of the cache's metrics with the installed recorder, and every
/// category's counters at zero, so that a scrape shows them before the first read.
pub fn describe_metrics() {
    for c in crate::Category::ALL {
        metrics::counter!("pms_cache_hits_total", "category" => c.label()).increment(0);
        metrics::counter!("pms_cache_misses_total", "category" => c.label()).increment(0);
        metrics::counter!("pms_cache_errors_total", "category" => c.label()).increment(0);
    }
    metrics::describe_gauge!(
        "pms_cache_breaker_state",
        "State of the Redis circuit breaker: 0 closed, 1 half-open (one probe), 2 open"
    );
    metrics::describe_gauge!(
        "pms_cache_pending_invalidations",
        "Invalidations waiting for Redis to come back"
    );
    metrics::describe_counter!(
        "pms_cache_hits_total",
        "Cache reads served from the cache, by category"
    );
    metrics::describe_counter!(
        "pms_cache_misses_total",
        "Cache reads that went to the loader, by category"
    );
    metrics::describe_counter!(
        "pms_cache_errors_total",
        "Failed cache calls (Redis errors, timeouts, open breaker), by category"
    );
    metrics::describe_histogram!(
        "pms_cache_loader_seconds",
        metrics::Unit::Seconds,
        "Time spent in loaders (the source of truth), by category"
    );
    metrics::describe_histogram!(
        "pms_cache_redis_seconds",
        metrics::Unit::Seconds,
        "Latency of Redis round trips, by category and operation"
    );
    metrics::describe_counter!(
        "pms_cache_breaker_opened_total",
        "Times the Redis circuit breaker opened"
    );
    metrics::describe_counter!(
        "pms_cache_deferred_invalidations_total",
        "Invalidations queued while Redis was unavailable"
    );
}
