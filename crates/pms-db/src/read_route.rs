//! Read-only work on streaming replicas (`PMS_READ_DATABASE_URL`), never staler than a bound.
//!
//! [`ReadRouter::reader`] hands out a replica's pool only when that replica answers and is known
//! to be at most `max_lag` behind the primary, and, for a session that just wrote, once it has
//! replayed the write's position ([`Lsn`]), waiting at most `wait` for it; otherwise the
//! primary's pool. Reports, dashboards, warehouse reads and monitor queries take their pool
//! from here; writes always go to the primary.
//!
//! How stale a replica may be is measured conservatively: when it has replayed everything the
//! primary has written its lag is 0, else it is the age of the last transaction it replayed
//! (every transaction it lacks committed after that one). A status is reused for at most
//! `check_every`, and its age is added to the lag it measured, so the bound holds at the moment
//! of use, not only at the moment of the check.

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A position in the primary's write-ahead log (bytes from its start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lsn(pub i64);

impl Lsn {
    /// The primary's current write position: after a commit, at or past that commit.
    pub async fn current(primary: &PgPool) -> Result<Self, sqlx::Error> {
        let mut tx = primary.begin().await?;
        let v: i64 =
            sqlx::query_scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(Self(v))
    }
}

/// Bounds of the router, from `PMS_READ_MAX_LAG`, `PMS_READ_WAIT`, `PMS_READ_CHECK_INTERVAL`
/// (`500ms`, `5s`, `1m`; a bare number is seconds).
#[derive(Debug, Clone, Copy)]
pub struct RouterOptions {
    /// The stalest a replica read may be (default 5 s).
    pub max_lag: Duration,
    /// How long a read after a write waits for a replica to replay it (default 200 ms).
    pub wait: Duration,
    /// How long a replica's status is reused (default 250 ms), and how long a replica that did
    /// not answer is left alone (four times that).
    pub check_every: Duration,
    /// How long a status query may take before the replica counts as down (default 500 ms).
    pub probe_timeout: Duration,
}

impl Default for RouterOptions {
    fn default() -> Self {
        Self {
            max_lag: Duration::from_secs(5),
            wait: Duration::from_millis(200),
            check_every: Duration::from_millis(250),
            probe_timeout: Duration::from_millis(500),
        }
    }
}

impl RouterOptions {
    /// The defaults, overridden by the environment; a value that is not a number of
    /// milliseconds is an error naming the variable.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// As [`RouterOptions::from_env`], reading through `get`.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut o = Self::default();
        for (var, field) in [
            ("PMS_READ_MAX_LAG", &mut o.max_lag),
            ("PMS_READ_WAIT", &mut o.wait),
            ("PMS_READ_CHECK_INTERVAL", &mut o.check_every),
        ] {
            if let Some(v) = get(var).filter(|v| !v.trim().is_empty()) {
                *field = parse_duration(&v).ok_or_else(|| {
                    format!("{var}: {v:?} is not a duration like 500ms, 5s or 1m")
                })?;
            }
        }
        Ok(o)
    }
}

/// `250ms`, `5s`, `2m`, or a bare number of seconds.
fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (num, unit) = raw.split_at(split);
    let n: u64 = num.parse().ok()?;
    match unit.trim() {
        "ms" => Some(Duration::from_millis(n)),
        "" | "s" => Some(Duration::from_secs(n)),
        "m" => Some(Duration::from_secs(n.checked_mul(60)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_durations_and_name_a_bad_one() {
        let o = RouterOptions::from_lookup(|k| match k {
            "PMS_READ_MAX_LAG" => Some("2s".into()),
            "PMS_READ_WAIT" => Some("50ms".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(o.max_lag, Duration::from_secs(2));
        assert_eq!(o.wait, Duration::from_millis(50));
        assert_eq!(o.check_every, Duration::from_millis(250));
        let e = RouterOptions::from_lookup(|k| (k == "PMS_READ_MAX_LAG").then(|| "soon".into()))
            .unwrap_err();
        assert!(e.contains("PMS_READ_MAX_LAG"), "{e}");
    }
}

/// What the router last knew of one replica.
#[derive(Debug, Clone, Copy)]
struct Status {
    at: Instant,
    up: bool,
    replay: Lsn,
    /// Lag measured at `at`, in seconds.
    lag: f64,
}

struct Replica {
    label: String,
    pool: PgPool,
    status: Mutex<Option<Status>>,
}

/// Where a read went and why (for the `pms_read_routed_total` counter and the tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Replica(usize),
    /// No replica configured.
    PrimaryOnly,
    /// Replicas down or too stale.
    PrimaryFallback,
    /// No replica replayed the session's write within the wait.
    PrimaryForWrite,
}

/// One replica's state for `/metrics` and `pms monitor`.
#[derive(Debug, Clone)]
pub struct ReplicaState {
    pub label: String,
    pub up: bool,
    pub lag_seconds: f64,
}

/// Chooses the pool for read-only work: a fresh enough replica, else the primary.
pub struct ReadRouter {
    primary: PgPool,
    replicas: Vec<Replica>,
    options: RouterOptions,
}

impl ReadRouter {
    /// A router over `replicas` (pools that log in to each replica as the reading role).
    pub fn new(primary: PgPool, replicas: Vec<(String, PgPool)>, options: RouterOptions) -> Self {
        Self {
            primary,
            replicas: replicas
                .into_iter()
                .map(|(label, pool)| Replica {
                    label,
                    pool,
                    status: Mutex::new(None),
                })
                .collect(),
            options,
        }
    }

    /// A router over the comma-separated replica URLs `urls` (`PMS_READ_DATABASE_URL`), with
    /// pools of `max` connections that connect on first use, so a replica that is down at
    /// start-up is only a fallback to the primary.
    pub fn from_urls(
        primary: PgPool,
        urls: &str,
        max: u32,
        options: RouterOptions,
    ) -> Result<Self, sqlx::Error> {
        let mut replicas = Vec::new();
        for url in urls.split(',').map(str::trim).filter(|u| !u.is_empty()) {
            let opts = PgConnectOptions::from_str(url)?.application_name("pms-read");
            let pool = PgPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(options.probe_timeout)
                .connect_lazy_with(opts);
            replicas.push((pms_core::config::mask_url(url), pool));
        }
        Ok(Self::new(primary, replicas, options))
    }

    pub fn primary(&self) -> &PgPool {
        &self.primary
    }

    /// The pool for read-only work that must see everything up to `after` (a session's last
    /// write, from [`Lsn::current`]), or anything at most `max_lag` old when `None`.
    pub async fn reader(&self, after: Option<Lsn>) -> PgPool {
        let (route, pool) = self.route(after).await;
        let target = match route {
            Route::Replica(_) => "replica",
            Route::PrimaryOnly => "primary",
            Route::PrimaryFallback => "primary_fallback",
            Route::PrimaryForWrite => "primary_after_write",
        };
        metrics::counter!("pms_read_routed_total", "target" => target).increment(1);
        pool
    }

    /// As [`ReadRouter::reader`], saying where the read went.
    pub async fn route(&self, after: Option<Lsn>) -> (Route, PgPool) {
        if self.replicas.is_empty() {
            return (Route::PrimaryOnly, self.primary.clone());
        }
        let mut behind_write = false;
        for (i, r) in self.replicas.iter().enumerate() {
            let Some(s) = self.status(r).await else {
                continue;
            };
            if !s.up || s.lag + s.at.elapsed().as_secs_f64() > self.options.max_lag.as_secs_f64() {
                continue;
            }
            match after {
                Some(lsn) if s.replay < lsn => {
                    if self.wait_for(r, lsn).await {
                        return (Route::Replica(i), r.pool.clone());
                    }
                    behind_write = true;
                }
                _ => return (Route::Replica(i), r.pool.clone()),
            }
        }
        let route = if behind_write {
            Route::PrimaryForWrite
        } else {
            Route::PrimaryFallback
        };
        (route, self.primary.clone())
    }

    /// Every replica's state, checked now.
    pub async fn states(&self) -> Vec<ReplicaState> {
        let mut out = Vec::new();
        for r in &self.replicas {
            let s = self.probe(r).await;
            out.push(ReplicaState {
                label: r.label.clone(),
                up: s.up,
                lag_seconds: s.lag,
            });
        }
        out
    }

    /// Sets `pms_read_replica_up` and `pms_read_replica_lag_seconds` (-1 while down) per
    /// replica on the installed metrics recorder, measured now.
    pub async fn record_gauges(&self) {
        for s in self.states().await {
            metrics::gauge!("pms_read_replica_up", "replica" => s.label.clone()).set(if s.up {
                1.0
            } else {
                0.0
            });
            let lag = if s.lag_seconds.is_finite() {
                s.lag_seconds
            } else {
                -1.0
            };
            metrics::gauge!("pms_read_replica_lag_seconds", "replica" => s.label).set(lag);
        }
    }

    /// As [`ReadRouter::record_gauges`] from what the router last measured, without a round
    /// trip (for `Registry::on_render` hooks, which cannot wait; keep the statuses fresh with
    /// [`ReadRouter::states`] on a timer). A replica never measured is left out.
    pub fn record_cached_gauges(&self) {
        for r in &self.replicas {
            let Some(s) = r.status.lock().ok().and_then(|s| *s) else {
                continue;
            };
            metrics::gauge!("pms_read_replica_up", "replica" => r.label.clone()).set(if s.up {
                1.0
            } else {
                0.0
            });
            // A replica that is down has no lag to report; -1 says so without an infinity.
            let lag = if s.lag.is_finite() { s.lag } else { -1.0 };
            metrics::gauge!("pms_read_replica_lag_seconds", "replica" => r.label.clone()).set(lag);
        }
    }

    /// The cached status when fresh enough, else a new probe; `None` while a replica that did
    /// not answer is left alone.
    async fn status(&self, r: &Replica) -> Option<Status> {
        let cached = r.status.lock().ok().and_then(|s| *s);
        if let Some(s) = cached {
            let keep = if s.up {
                self.options.check_every
            } else {
                self.options.check_every * 4
            };
            if s.at.elapsed() < keep {
                return s.up.then_some(s);
            }
        }
        let s = self.probe(r).await;
        s.up.then_some(s)
    }

    async fn probe(&self, r: &Replica) -> Status {
        let at = Instant::now();
        let measured = tokio::time::timeout(self.options.probe_timeout, async {
            let primary = Lsn::current(&self.primary).await?;
            let mut tx = r.pool.begin().await?;
            let (in_recovery, replay, age): (bool, Option<i64>, Option<f64>) = sqlx::query_as(
                "SELECT pg_is_in_recovery(),
                        pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint,
                        extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8",
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>((primary, in_recovery, replay, age))
        })
        .await;
        let status = match measured {
            Ok(Ok((primary, true, Some(replay), age))) => {
                let lag = if replay >= primary.0 {
                    0.0
                } else {
                    // Behind with nothing replayed yet: unknown, so too stale.
                    age.unwrap_or(f64::INFINITY).max(0.0)
                };
                Status {
                    at,
                    up: true,
                    replay: Lsn(replay),
                    lag,
                }
            }
            // Down, timed out, or not a standby (a promoted replica is no read replica).
            _ => Status {
                at,
                up: false,
                replay: Lsn(0),
                lag: f64::INFINITY,
            },
        };
        if let Ok(mut s) = r.status.lock() {
            *s = Some(status);
        }
        status
    }

    /// Polls a replica until it has replayed `lsn`, for at most the router's wait.
    async fn wait_for(&self, r: &Replica, lsn: Lsn) -> bool {
        let deadline = Instant::now() + self.options.wait;
        loop {
            let replayed = tokio::time::timeout(self.options.probe_timeout, async {
                let mut tx = r.pool.begin().await?;
                let v: Option<i64> = sqlx::query_scalar(
                    "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint",
                )
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(v)
            })
            .await;
            match replayed {
                Ok(Ok(Some(v))) if v >= lsn.0 => return true,
                Ok(Ok(_)) => {}
                _ => return false,
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}
