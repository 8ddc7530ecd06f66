//! How the monitor watches: thresholds, timeouts and cache intervals, from `PMS_MONITOR_*`
//! variables (all optional) or set by a caller (tests shorten the intervals).

use crate::MonitorError;
use std::path::PathBuf;
use std::time::Duration;

/// Settings of the report and of the metrics collection.
#[derive(Debug, Clone)]
pub struct MonitorOptions {
    /// Statement timeout of every monitoring query (`PMS_MONITOR_STATEMENT_TIMEOUT_MS`, 2000).
    pub statement_timeout: Duration,
    /// How long the cheap database figures (activity, replication, counters) are reused between
    /// scrapes (`PMS_MONITOR_FAST_CACHE_MS`, 5000).
    pub fast_ttl: Duration,
    /// How long the dearer ones (sizes, disk, time-series, archive, security) are reused
    /// (`PMS_MONITOR_SLOW_CACHE_MS`, 60000).
    pub slow_ttl: Duration,
    /// The window of suspicious-activity findings on `/metrics`, in hours
    /// (`PMS_MONITOR_SUSPICIOUS_HOURS`, 1; `pms monitor` shows the last 24 h).
    pub suspicious_hours: i32,
    /// The data directory whose disk to measure (`PMS_MONITOR_DATA_DIR`); unset: the server's
    /// `data_directory`, when it is on this machine and readable.
    pub data_dir: Option<PathBuf>,
    /// How long the pool probe waits for a connection before counting a timeout (250 ms).
    pub probe_timeout: Duration,
}

impl Default for MonitorOptions {
    fn default() -> Self {
        Self {
            statement_timeout: Duration::from_millis(2000),
            fast_ttl: Duration::from_millis(5000),
            slow_ttl: Duration::from_millis(60_000),
            suspicious_hours: 1,
            data_dir: None,
            probe_timeout: Duration::from_millis(250),
        }
    }
}

fn millis(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: Duration,
    max: u64,
) -> Result<Duration, MonitorError> {
    match get(name).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => match v.parse::<u64>() {
            Ok(n) if n <= max => Ok(Duration::from_millis(n)),
            _ => Err(MonitorError::Setting {
                name,
                value: v,
                why: "expected a whole number of milliseconds in range",
            }),
        },
    }
}

impl MonitorOptions {
    /// From the process environment.
    pub fn from_env() -> Result<Self, MonitorError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// From any lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, MonitorError> {
        let d = Self::default();
        let statement_timeout = millis(
            &get,
            "PMS_MONITOR_STATEMENT_TIMEOUT_MS",
            d.statement_timeout,
            600_000,
        )?;
        if statement_timeout.is_zero() {
            return Err(MonitorError::Setting {
                name: "PMS_MONITOR_STATEMENT_TIMEOUT_MS",
                value: "0".into(),
                why: "0 would mean no timeout; monitoring queries must be bounded",
            });
        }
        let suspicious_hours = match get("PMS_MONITOR_SUSPICIOUS_HOURS").filter(|v| !v.is_empty()) {
            None => d.suspicious_hours,
            Some(v) => match v.parse::<i32>() {
                Ok(h) if (1..=8760).contains(&h) => h,
                _ => {
                    return Err(MonitorError::Setting {
                        name: "PMS_MONITOR_SUSPICIOUS_HOURS",
                        value: v,
                        why: "expected hours from 1 to 8760",
                    });
                }
            },
        };
        Ok(Self {
            statement_timeout,
            fast_ttl: millis(&get, "PMS_MONITOR_FAST_CACHE_MS", d.fast_ttl, 3_600_000)?,
            slow_ttl: millis(&get, "PMS_MONITOR_SLOW_CACHE_MS", d.slow_ttl, 3_600_000)?,
            suspicious_hours,
            data_dir: get("PMS_MONITOR_DATA_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            probe_timeout: d.probe_timeout,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<MonitorOptions, MonitorError> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        MonitorOptions::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_and_overrides() {
        let o = from(&[]).unwrap();
        assert_eq!(o.fast_ttl, Duration::from_secs(5));
        assert_eq!(o.slow_ttl, Duration::from_secs(60));
        let o = from(&[
            ("PMS_MONITOR_FAST_CACHE_MS", "1000"),
            ("PMS_MONITOR_SUSPICIOUS_HOURS", "24"),
            ("PMS_MONITOR_DATA_DIR", "/srv/pg"),
        ])
        .unwrap();
        assert_eq!(o.fast_ttl, Duration::from_secs(1));
        assert_eq!(o.suspicious_hours, 24);
        assert_eq!(o.data_dir, Some(PathBuf::from("/srv/pg")));
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        for (k, v) in [
            ("PMS_MONITOR_FAST_CACHE_MS", "soon"),
            ("PMS_MONITOR_STATEMENT_TIMEOUT_MS", "0"),
            ("PMS_MONITOR_SUSPICIOUS_HOURS", "0"),
        ] {
            let e = from(&[(k, v)]).unwrap_err().to_string();
            assert!(e.contains(k), "{e}");
        }
    }
}
