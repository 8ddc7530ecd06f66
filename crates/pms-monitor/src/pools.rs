//! Connection pools on `/metrics`: size, idle and in-use connections against the maximum (read
//! from the pool itself, whoever uses it), and the time callers wait for a connection.
//!
//! sqlx does not expose how many callers wait inside `acquire`, so waiting is measured where
//! pms acquires through [`acquire`] (the scrape's own probe of every observed pool, and any
//! caller that opts in): `pms_pool_waiters` counts those in flight and
//! `pms_pool_acquire_seconds` their wait. The probe makes exhaustion visible even when nobody
//! else opted in: with every connection busy it waits, times out and counts a timeout.

use crate::metrics::text::{Family, Kind};
use sqlx::PgPool;
use sqlx::pool::PoolConnection;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts one waiter from construction to drop, so that a cancelled acquire is not left counted.
struct Waiting(&'static str);

impl Waiting {
    fn new(pool: &'static str) -> Self {
        metrics::gauge!("pms_pool_waiters", "pool" => pool).increment(1.0);
        Self(pool)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        metrics::gauge!("pms_pool_waiters", "pool" => self.0).decrement(1.0);
    }
}

/// `pool.acquire()`, measured: the wait goes into `pms_pool_acquire_seconds{pool}`, a failure
/// (the pool's acquire timeout) into `pms_pool_acquire_timeouts_total{pool}`.
pub async fn acquire(
    name: &'static str,
    pool: &PgPool,
) -> Result<PoolConnection<sqlx::Postgres>, sqlx::Error> {
    let started = Instant::now();
    let waiting = Waiting::new(name);
    let result = pool.acquire().await;
    drop(waiting);
    record(name, started.elapsed(), result.is_ok());
    result
}

fn record(name: &'static str, waited: Duration, ok: bool) {
    metrics::histogram!("pms_pool_acquire_seconds", "pool" => name).record(waited.as_secs_f64());
    if !ok {
        metrics::counter!("pms_pool_acquire_timeouts_total", "pool" => name).increment(1);
    }
}

/// The pools a process wants on its `/metrics`.
#[derive(Default)]
pub struct ObservedPools {
    pools: Mutex<Vec<(&'static str, PgPool)>>,
}

impl ObservedPools {
    /// Adds (or replaces) a pool under `name` (`maintenance`, `app`, ...).
    pub fn observe(&self, name: &'static str, pool: PgPool) {
        metrics::counter!("pms_pool_acquire_timeouts_total", "pool" => name).increment(0);
        metrics::gauge!("pms_pool_waiters", "pool" => name).increment(0.0);
        let mut pools = self.pools.lock().unwrap_or_else(|p| p.into_inner());
        pools.retain(|(n, _)| *n != name);
        pools.push((name, pool));
    }

    fn all(&self) -> Vec<(&'static str, PgPool)> {
        self.pools.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Tries one acquire per pool, waiting at most `timeout`, and gives the connection back at
    /// once. A pool whose every connection is busy shows as a timed-out acquire.
    pub async fn probe(&self, timeout: Duration) {
        for (name, pool) in self.all() {
            if pool.is_closed() {
                continue;
            }
            let started = Instant::now();
            let waiting = Waiting::new(name);
            let got = tokio::time::timeout(timeout, pool.acquire()).await;
            drop(waiting);
            let ok = matches!(got, Ok(Ok(_)));
            record(name, started.elapsed(), ok);
        }
    }

    /// Size, idle, in use and maximum of every pool, read now (no database round trip).
    pub fn families(&self) -> Vec<Family> {
        let mut conns = Family::new(
            "pms_pool_connections",
            Kind::Gauge,
            "Connections of a pool by state (idle, in_use)",
        );
        let mut size = Family::new(
            "pms_pool_size",
            Kind::Gauge,
            "Connections a pool holds open now",
        );
        let mut max = Family::new(
            "pms_pool_max_connections",
            Kind::Gauge,
            "The most connections a pool may open",
        );
        for (name, pool) in self.all() {
            let open = f64::from(pool.size());
            let idle = pool.num_idle() as f64;
            conns.push(&[("pool", name), ("state", "idle")], idle);
            conns.push(
                &[("pool", name), ("state", "in_use")],
                (open - idle).max(0.0),
            );
            size.push(&[("pool", name)], open);
            max.push(
                &[("pool", name)],
                f64::from(pool.options().get_max_connections()),
            );
        }
        vec![conns, size, max]
    }
}
