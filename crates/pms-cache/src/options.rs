//! Cache settings: where Redis is (from `REDIS_URL`, already validated by pms-core), the key
//! prefix, and the fault limits. The limits have defaults and `PMS_CACHE_*` overrides.

use crate::CacheError;
use std::time::Duration;

/// How a [`crate::Cache`] connects and how it behaves when Redis misbehaves.
#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// `None`: the in-process cache. `redis://`, `rediss://`: one server;
    /// `redis+cluster://` or `redis-cluster://`: a Redis Cluster seed node.
    pub redis_url: Option<String>,
    /// Put in front of every key; `pms:` in production, a unique prefix in tests.
    pub prefix: String,
    /// The longest any single Redis call may take (`PMS_CACHE_TIMEOUT_MS`, default 50).
    pub timeout: Duration,
    /// Consecutive failures that open the breaker (`PMS_CACHE_BREAKER_FAILURES`, default 5).
    pub breaker_failures: u32,
    /// How long the open breaker refuses calls before one probe (`PMS_CACHE_BREAKER_OPEN_MS`,
    /// default 1000).
    pub breaker_open: Duration,
    /// Loaders that may run at once, so a cold cache cannot flood PostgreSQL
    /// (`PMS_CACHE_MAX_LOADS`, default 32).
    pub max_concurrent_loads: usize,
    /// Entry limit of the in-process cache (`PMS_CACHE_LOCAL_ENTRIES`, default 100000).
    pub local_max_entries: u64,
}

impl Default for CacheOptions {
    fn default() -> Self {
        Self {
            redis_url: None,
            prefix: "pms:".into(),
            timeout: Duration::from_millis(50),
            breaker_failures: 5,
            breaker_open: Duration::from_millis(1000),
            max_concurrent_loads: 32,
            local_max_entries: 100_000,
        }
    }
}

impl CacheOptions {
    /// The in-process cache with default limits.
    pub fn local() -> Self {
        Self::default()
    }

    /// Redis at `url` with default limits.
    pub fn redis(url: impl Into<String>) -> Self {
        Self {
            redis_url: Some(url.into()),
            ..Self::default()
        }
    }

    /// From the platform configuration plus the `PMS_CACHE_*` variables of the environment.
    pub fn from_config(config: &pms_core::Config) -> Result<Self, CacheError> {
        Self::from_lookup(config.redis_url.clone(), |k| std::env::var(k).ok())
    }

    /// As [`CacheOptions::from_config`], with the environment supplied by `get`.
    pub fn from_lookup(
        redis_url: Option<String>,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, CacheError> {
        let num = |var: &str, default: u64, min: u64, max: u64| -> Result<u64, CacheError> {
            match get(var).filter(|v| !v.trim().is_empty()) {
                None => Ok(default),
                Some(raw) => match raw.trim().parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => Ok(n),
                    _ => Err(CacheError::Config(format!(
                        "{var} must be a whole number from {min} to {max}, not {raw:?}"
                    ))),
                },
            }
        };
        Ok(Self {
            redis_url,
            prefix: "pms:".into(),
            timeout: Duration::from_millis(num("PMS_CACHE_TIMEOUT_MS", 50, 1, 60_000)?),
            breaker_failures: u32::try_from(num("PMS_CACHE_BREAKER_FAILURES", 5, 1, 1000)?)
                .unwrap_or(5),
            breaker_open: Duration::from_millis(num(
                "PMS_CACHE_BREAKER_OPEN_MS",
                1000,
                10,
                600_000,
            )?),
            max_concurrent_loads: usize::try_from(num("PMS_CACHE_MAX_LOADS", 32, 1, 100_000)?)
                .unwrap_or(32),
            local_max_entries: num("PMS_CACHE_LOCAL_ENTRIES", 100_000, 1, 1 << 40)?,
        })
    }

    /// Checks the prefix: no braces (the tenant must be the first hash tag), no control
    /// characters, not too long.
    pub(crate) fn validate(&self) -> Result<(), CacheError> {
        if self.prefix.contains(['{', '}'])
            || self.prefix.chars().any(char::is_control)
            || self.prefix.len() > 128
        {
            return Err(CacheError::Config(format!(
                "key prefix {:?} must be at most 128 characters without braces or control characters",
                self.prefix
            )));
        }
        if self.max_concurrent_loads == 0 {
            return Err(CacheError::Config(
                "max_concurrent_loads must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_and_bad_values() {
        let o =
            CacheOptions::from_lookup(None, |k| (k == "PMS_CACHE_TIMEOUT_MS").then(|| "20".into()))
                .unwrap();
        assert_eq!(o.timeout, Duration::from_millis(20));
        let e = CacheOptions::from_lookup(None, |k| {
            (k == "PMS_CACHE_MAX_LOADS").then(|| "lots".into())
        })
        .unwrap_err();
        assert!(e.to_string().contains("PMS_CACHE_MAX_LOADS"), "{e}");
        let bad = CacheOptions {
            prefix: "a{b}:".into(),
            ..CacheOptions::local()
        };
        assert!(bad.validate().is_err());
    }
}
