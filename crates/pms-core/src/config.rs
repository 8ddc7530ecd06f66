//! Effective settings, read from the environment (and an optional `.env`, loaded by the binary).

use std::net::SocketAddr;
use std::path::PathBuf;

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "pretty" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            _ => Err(format!("must be `text` or `json`, not {s:?}")),
        }
    }
}

/// The platform's configuration. `None` for a URL means "use the embedded default".
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: Option<String>,
    pub redis_url: Option<String>,
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    pub worker_listen: SocketAddr,
    pub log_format: LogFormat,
    pub log_filter: String,
    /// `auto` (TimescaleDB when installed and preloaded at the first migrate), `native` or
    /// `timescaledb`; read by `pms migrate`'s bootstrap as `PMS_TIMESERIES_BACKEND`.
    pub timeseries_backend: &'static str,
}

/// A configuration error: which variable and what was wrong with it.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

impl Config {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the settings through `get`, so tests can supply their own environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let database_url = non_empty("DATABASE_URL");
        if let Some(u) = &database_url {
            validate_url("DATABASE_URL", u, &["postgres", "postgresql"])?;
        }
        let redis_url = non_empty("REDIS_URL");
        if let Some(u) = &redis_url {
            validate_url(
                "REDIS_URL",
                u,
                &["redis", "rediss", "redis+cluster", "redis-cluster"],
            )?;
        }
        let parse_addr = |var: &'static str, default: &str| -> Result<SocketAddr, ConfigError> {
            let raw = non_empty(var).unwrap_or_else(|| default.to_string());
            raw.parse().map_err(|e| ConfigError {
                var,
                message: format!("{raw:?} is not an address like 127.0.0.1:8080 ({e})"),
            })
        };
        Ok(Self {
            database_url,
            redis_url,
            data_dir: PathBuf::from(non_empty("PMS_DATA_DIR").unwrap_or_else(|| ".pms".into())),
            listen: parse_addr("PMS_LISTEN", "127.0.0.1:8080")?,
            worker_listen: parse_addr("PMS_WORKER_LISTEN", "127.0.0.1:9090")?,
            log_format: non_empty("PMS_LOG_FORMAT")
                .map(|v| v.parse())
                .transpose()
                .map_err(|message| ConfigError {
                    var: "PMS_LOG_FORMAT",
                    message,
                })?
                .unwrap_or(LogFormat::Text),
            log_filter: non_empty("RUST_LOG").unwrap_or_else(|| "info,sqlx=warn".into()),
            timeseries_backend: match non_empty("PMS_TIMESERIES_BACKEND")
                .as_deref()
                .map(str::trim)
            {
                None | Some("auto") => "auto",
                Some("native") => "native",
                Some("timescaledb") => "timescaledb",
                Some(other) => {
                    return Err(ConfigError {
                        var: "PMS_TIMESERIES_BACKEND",
                        message: format!(
                            "must be `auto`, `native` or `timescaledb`, not {other:?}"
                        ),
                    });
                }
            },
        })
    }

    /// The settings as `(name, value)` lines, with passwords masked.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        let url = |u: &Option<String>, default: &str| {
            u.as_deref()
                .map(mask_url)
                .unwrap_or_else(|| default.to_string())
        };
        vec![
            (
                "DATABASE_URL",
                url(
                    &self.database_url,
                    "(unset: private cluster under PMS_DATA_DIR)",
                ),
            ),
            (
                "REDIS_URL",
                url(&self.redis_url, "(unset: in-process cache)"),
            ),
            ("PMS_DATA_DIR", self.data_dir.display().to_string()),
            ("PMS_LISTEN", self.listen.to_string()),
            ("PMS_WORKER_LISTEN", self.worker_listen.to_string()),
            (
                "PMS_LOG_FORMAT",
                format!("{:?}", self.log_format).to_lowercase(),
            ),
            ("RUST_LOG", self.log_filter.clone()),
            (
                "PMS_TIMESERIES_BACKEND",
                self.timeseries_backend.to_string(),
            ),
        ]
    }
}

fn validate_url(var: &'static str, raw: &str, schemes: &[&str]) -> Result<(), ConfigError> {
    let parsed = url::Url::parse(raw).map_err(|e| ConfigError {
        var,
        message: format!("{} is not a valid URL ({e})", mask_url(raw)),
    })?;
    if !schemes.contains(&parsed.scheme()) {
        return Err(ConfigError {
            var,
            message: format!(
                "scheme {:?} is not one of {}",
                parsed.scheme(),
                schemes.join(", ")
            ),
        });
    }
    Ok(())
}

/// Replaces the password of a URL with `****`; leaves anything unparsable untouched but
/// never prints a string that looks like it holds credentials.
pub fn mask_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("****"));
            }
            let mut out = u.to_string();
            // query-string passwords (`?password=`)
            if let Some(q) = u.query()
                && q.contains("password=")
            {
                out = out.split('?').next().unwrap_or_default().to_string() + "?****";
            }
            out
        }
        Err(_) if raw.contains('@') => "****".into(),
        Err(_) => raw.to_string(),
    }
}

/// A credential that may be recognised but not read (an access key id): its first four
/// characters, the rest `****`; short values are masked whole.
pub fn mask_secret(raw: &str) -> String {
    if raw.chars().count() <= 8 {
        return "****".into();
    }
    format!("{}****", raw.chars().take(4).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_passwords() {
        assert_eq!(
            mask_url("postgres://u:secret@h:5432/db"),
            "postgres://u:****@h:5432/db"
        );
        assert_eq!(mask_url("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
        assert!(!mask_url("postgres://h/db?password=secret").contains("secret"));
        assert_eq!(mask_secret("AKIAIOSFODNN7EXAMPLE"), "AKIA****");
        assert_eq!(mask_secret("short"), "****");
    }

    #[test]
    fn rejects_bad_values() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let e = Config::from_lookup(env(&[("DATABASE_URL", "mysql://x/y")])).unwrap_err();
        assert_eq!(e.var, "DATABASE_URL");
        let e = Config::from_lookup(env(&[("PMS_LISTEN", "nowhere")])).unwrap_err();
        assert_eq!(e.var, "PMS_LISTEN");
        let e = Config::from_lookup(env(&[("PMS_TIMESERIES_BACKEND", "influx")])).unwrap_err();
        assert_eq!(e.var, "PMS_TIMESERIES_BACKEND");
        let c = Config::from_lookup(env(&[])).unwrap();
        assert_eq!(c.data_dir, PathBuf::from(".pms"));
        assert!(c.database_url.is_none());
    }
}
