//! `/metrics`: the process's own metrics (the `metrics` facade: jobs, cache, pool waits, HTTP
//! once the API exists) rendered by the Prometheus exporter, followed by the figures computed
//! at scrape time: pools (read from the pools, no round trip) and the database (cached per
//! tier, see [`database`]). Any process mounts the same [`Registry`]: the worker now, `pms
//! serve` later.
//!
//! A scrape never fails: with the database down it answers with what the process has and
//! `pms_database_up 0`, after at most the statement timeout (the monitor pool's acquire
//! timeout), once per cache interval.

pub mod database;
mod platform;
pub mod text;

pub use platform::SUSPICIOUS_PATTERNS;

use crate::pools::ObservedPools;
use crate::{MonitorError, MonitorOptions};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use text::{Family, Kind};
use tokio::sync::Mutex;

/// Histogram buckets of every facade histogram (seconds): job runs from milliseconds to an
/// hour, pool waits and cache loads from a tenth of a millisecond.
pub const BUCKETS: [f64; 16] = [
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 60.0, 600.0,
    3600.0,
];

static RECORDER: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

/// The process's Prometheus recorder, installed on first use (a process has one global
/// recorder; later callers share it).
pub fn recorder() -> Result<PrometheusHandle, MonitorError> {
    RECORDER
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .map_err(|e| e.to_string())?
                .install_recorder()
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(MonitorError::Recorder)
}

#[derive(Default)]
struct Cached {
    at: Option<Instant>,
    /// How long this collection stands (the slow tier retries sooner after a failure).
    ttl: std::time::Duration,
    text: String,
}

/// What one process exports on `/metrics`.
pub struct Registry {
    handle: PrometheusHandle,
    db: PgPool,
    options: MonitorOptions,
    /// The pools shown as `pms_pool_*`; add with [`ObservedPools::observe`].
    pub pools: ObservedPools,
    fast: Mutex<Cached>,
    slow: Mutex<Cached>,
    hooks: std::sync::Mutex<Vec<Hook>>,
}

/// Called before each render, to set gauges that are read rather than recorded (the cache's
/// breaker state, say).
pub type Hook = Box<dyn Fn() + Send + Sync>;

impl Registry {
    /// A registry reading the database through `monitor_pool` (see [`crate::monitor_pool`]).
    pub fn new(monitor_pool: PgPool, options: MonitorOptions) -> Result<Arc<Self>, MonitorError> {
        describe();
        Ok(Arc::new(Self {
            handle: recorder()?,
            db: monitor_pool,
            options,
            pools: ObservedPools::default(),
            fast: Mutex::new(Cached::default()),
            slow: Mutex::new(Cached::default()),
            hooks: std::sync::Mutex::new(Vec::new()),
        }))
    }

    pub fn options(&self) -> &MonitorOptions {
        &self.options
    }

    /// Runs `hook` before every render (e.g. `Cache::record_gauges` of the process's cache).
    pub fn on_render(&self, hook: Hook) {
        self.hooks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(hook);
    }

    /// The whole `/metrics` text. Concurrent scrapes share one collection per tier and
    /// interval (single flight under the tier's lock).
    pub async fn render(&self) -> String {
        let (fast, slow) = tokio::join!(self.fast_text(), self.slow_text());
        for hook in self.hooks.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            hook();
        }
        self.handle.run_upkeep();
        let mut out = self.handle.render();
        out.push_str(&text::render(&self.pools.families()));
        out.push_str(&fast);
        out.push_str(&slow);
        out
    }

    async fn fast_text(&self) -> String {
        let mut c = self.fast.lock().await;
        if c.at.is_none_or(|t| t.elapsed() >= self.options.fast_ttl) {
            let started = Instant::now();
            self.pools.probe(self.options.probe_timeout).await;
            let mut fams = database::fast(&self.db, &self.options).await;
            fams.push(took("fast", started));
            c.text = text::render(&fams);
            c.at = Some(Instant::now());
        }
        c.text.clone()
    }

    async fn slow_text(&self) -> String {
        let mut c = self.slow.lock().await;
        if c.at.is_none_or(|t| t.elapsed() >= c.ttl) {
            let started = Instant::now();
            let mut fams = database::slow(&self.db, &self.options).await;
            // Nothing (the database is down): try again after the fast interval, not the slow
            // one, so the slow figures return soon after the database does.
            c.ttl = if fams.is_empty() {
                self.options.fast_ttl.min(self.options.slow_ttl)
            } else {
                fams.push(took("slow", started));
                self.options.slow_ttl
            };
            c.text = text::render(&fams);
            c.at = Some(Instant::now());
        }
        c.text.clone()
    }

    /// Drops the cached database figures, so that the next render collects afresh.
    pub async fn invalidate(&self) {
        self.fast.lock().await.at = None;
        self.slow.lock().await.at = None;
    }
}

fn took(tier: &'static str, started: Instant) -> Family {
    let name = match tier {
        "fast" => "pms_monitor_collect_fast_seconds",
        _ => "pms_monitor_collect_slow_seconds",
    };
    Family::single(
        name,
        Kind::Gauge,
        "How long the last collection of this tier of database figures took",
        started.elapsed().as_secs_f64(),
    )
}

/// Help texts of the facade metrics this crate records.
fn describe() {
    metrics::describe_histogram!(
        "pms_pool_acquire_seconds",
        metrics::Unit::Seconds,
        "Time to get a connection from a pool (the scrape's probe and callers of pms_monitor::pools::acquire)"
    );
    metrics::describe_gauge!(
        "pms_pool_waiters",
        "Callers waiting for a connection of a pool (through pms_monitor::pools::acquire)"
    );
    metrics::describe_counter!(
        "pms_pool_acquire_timeouts_total",
        "Acquires that gave up waiting for a connection of a pool"
    );
}
