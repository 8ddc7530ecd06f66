//! Settings of the HTTP API, from the environment (`PMS_*`), with defaults that suit one machine.

use std::time::Duration;

/// How `pms serve` behaves. Every value has a default; [`ApiConfig::from_lookup`] validates.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Absolute lifetime of a session (`PMS_SESSION_TTL_SECS`, default 24 h, the session
    /// category's TTL).
    pub session_ttl: Duration,
    /// A session unused for this long ends (`PMS_SESSION_IDLE_SECS`, default 2 h).
    pub session_idle: Duration,
    /// Activity is written to `sessions.last_seen_at` at most this often per session.
    pub touch_interval: Duration,
    /// Largest request body accepted (`PMS_MAX_BODY_BYTES`, default 1 MiB).
    pub max_body_bytes: usize,
    /// A request that runs longer is answered 503 and its transaction rolled back
    /// (`PMS_REQUEST_TIMEOUT_MS`, default 30 s).
    pub request_timeout: Duration,
    /// Origins allowed by CORS (`PMS_CORS_ORIGINS`, comma-separated; empty: no CORS headers).
    pub cors_origins: Vec<String>,
    /// Also set the session as an `HttpOnly; SameSite=Strict` cookie, `Secure` unless
    /// `PMS_COOKIE_INSECURE=1` (plain-HTTP development).
    pub cookie_secure: bool,
    /// Password hashes verified at once (`PMS_LOGIN_CONCURRENCY`, default: cores − 1, at least
    /// 1), so that logins cannot starve other requests.
    pub login_concurrency: usize,
    /// Login attempts per tenant+email and per client address in the rate-limit window.
    pub login_per_account: u32,
    pub login_per_address: u32,
    /// Connections of the API's `pms_app` pool (`PMS_API_DB_CONNECTIONS`, default 16).
    pub db_connections: u32,
    /// Trust `X-Forwarded-For` for the client address (`PMS_TRUST_PROXY=1`, behind a proxy).
    pub trust_proxy: bool,
}

impl Default for ApiConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            session_ttl: Duration::from_secs(24 * 3600),
            session_idle: Duration::from_secs(2 * 3600),
            touch_interval: Duration::from_secs(60),
            max_body_bytes: 1 << 20,
            request_timeout: Duration::from_secs(30),
            cors_origins: Vec::new(),
            cookie_secure: true,
            login_concurrency: cores.saturating_sub(1).max(1),
            login_per_account: 5,
            login_per_address: 20,
            db_connections: 16,
            trust_proxy: false,
        }
    }
}

/// A setting that could not be used: which variable and why.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ApiConfigError {
    pub var: &'static str,
    pub message: String,
}

impl ApiConfig {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self, ApiConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the settings through `get` (tests supply their own environment).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ApiConfigError> {
        let mut c = Self::default();
        let val = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let num = |var: &'static str, min: u64, max: u64| -> Result<Option<u64>, ApiConfigError> {
            let Some(raw) = val(var) else { return Ok(None) };
            match raw.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
                _ => Err(ApiConfigError {
                    var,
                    message: format!("{raw:?} is not a whole number from {min} to {max}"),
                }),
            }
        };
        let flag = |var: &'static str| -> Result<Option<bool>, ApiConfigError> {
            match val(var).as_deref() {
                None => Ok(None),
                Some("1" | "true" | "yes" | "on") => Ok(Some(true)),
                Some("0" | "false" | "no" | "off") => Ok(Some(false)),
                Some(other) => Err(ApiConfigError {
                    var,
                    message: format!("{other:?} is not 1/0, true/false, yes/no or on/off"),
                }),
            }
        };
        if let Some(n) = num("PMS_SESSION_TTL_SECS", 60, 30 * 86_400)? {
            c.session_ttl = Duration::from_secs(n);
        }
        if let Some(n) = num("PMS_SESSION_IDLE_SECS", 60, 30 * 86_400)? {
            c.session_idle = Duration::from_secs(n);
        }
        if let Some(n) = num("PMS_MAX_BODY_BYTES", 1024, 64 << 20)? {
            c.max_body_bytes = n as usize;
        }
        if let Some(n) = num("PMS_REQUEST_TIMEOUT_MS", 100, 600_000)? {
            c.request_timeout = Duration::from_millis(n);
        }
        if let Some(n) = num("PMS_LOGIN_CONCURRENCY", 1, 256)? {
            c.login_concurrency = n as usize;
        }
        if let Some(n) = num("PMS_LOGIN_PER_ACCOUNT", 1, 10_000)? {
            c.login_per_account = n as u32;
        }
        if let Some(n) = num("PMS_LOGIN_PER_ADDRESS", 1, 100_000)? {
            c.login_per_address = n as u32;
        }
        if let Some(n) = num("PMS_API_DB_CONNECTIONS", 1, 1000)? {
            c.db_connections = n as u32;
        }
        if let Some(insecure) = flag("PMS_COOKIE_INSECURE")? {
            c.cookie_secure = !insecure;
        }
        if let Some(t) = flag("PMS_TRUST_PROXY")? {
            c.trust_proxy = t;
        }
        if let Some(raw) = val("PMS_CORS_ORIGINS") {
            for o in raw.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                let ok = (o.starts_with("http://") || o.starts_with("https://"))
                    && !o.ends_with('/')
                    && axum::http::HeaderValue::from_str(o).is_ok();
                if !ok {
                    return Err(ApiConfigError {
                        var: "PMS_CORS_ORIGINS",
                        message: format!(
                            "{o:?} is not an origin like https://app.example.com (scheme and host, no path)"
                        ),
                    });
                }
                c.cors_origins.push(o.to_string());
            }
        }
        if c.session_idle > c.session_ttl {
            c.session_idle = c.session_ttl;
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn defaults_and_overrides() {
        let c = ApiConfig::from_lookup(env(&[])).unwrap();
        assert_eq!(c.session_ttl, Duration::from_secs(86_400));
        let c = ApiConfig::from_lookup(env(&[
            ("PMS_SESSION_IDLE_SECS", "600"),
            (
                "PMS_CORS_ORIGINS",
                "https://a.example, http://localhost:3000",
            ),
            ("PMS_COOKIE_INSECURE", "1"),
        ]))
        .unwrap();
        assert_eq!(c.session_idle, Duration::from_secs(600));
        assert_eq!(c.cors_origins.len(), 2);
        assert!(!c.cookie_secure);
    }

    #[test]
    fn bad_values_name_their_variable() {
        let e = ApiConfig::from_lookup(env(&[("PMS_MAX_BODY_BYTES", "lots")])).unwrap_err();
        assert_eq!(e.var, "PMS_MAX_BODY_BYTES");
        let e = ApiConfig::from_lookup(env(&[("PMS_CORS_ORIGINS", "example.com")])).unwrap_err();
        assert_eq!(e.var, "PMS_CORS_ORIGINS");
        let e = ApiConfig::from_lookup(env(&[("PMS_TRUST_PROXY", "maybe")])).unwrap_err();
        assert_eq!(e.var, "PMS_TRUST_PROXY");
    }
}
