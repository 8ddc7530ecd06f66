//! Connection URLs per role. The administrative URL (`DATABASE_URL`) runs migrations; the
//! application and maintenance pools log in as their own roles, so RLS is never bypassed by
//! accident.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgConnection, PgPool};
use std::str::FromStr;
use std::time::Duration;

/// The roles pms logs in as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleName {
    Admin,
    Owner,
    App,
    Maintenance,
    Readonly,
}

impl RoleName {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleName::Admin => "(DATABASE_URL user)",
            RoleName::Owner => "pms_owner",
            RoleName::App => "pms_app",
            RoleName::Maintenance => "pms_maintenance",
            RoleName::Readonly => "pms_readonly",
        }
    }
}

/// Connection URLs for every role, derived from one administrative URL unless overridden
/// (`PMS_APP_DATABASE_URL`, `PMS_MAINTENANCE_DATABASE_URL`).
#[derive(Debug, Clone)]
pub struct DbUrls {
    pub admin: String,
    /// A PgBouncer (`postgresql://host:port`, from `PMS_PGBOUNCER_URL`) that the pooled roles
    /// ([`DbUrls::is_pooled`]) reach the server through.
    pub pgbouncer: Option<String>,
    /// The pooled roles' URLs reach a transaction-pooling PgBouncer (`PMS_PGBOUNCER=1`, or
    /// [`DbUrls::pgbouncer`] set): their connections then keep no statements between queries
    /// (see [`crate::pgbouncer`]).
    pub behind_pgbouncer: bool,
}

/// A connection failure with the masked URL it concerned.
#[derive(Debug, thiserror::Error)]
#[error("cannot connect to {url} as {role}: {source}")]
pub struct ConnectError {
    pub url: String,
    pub role: &'static str,
    #[source]
    pub source: sqlx::Error,
}

impl DbUrls {
    /// URLs derived from `admin`, with PgBouncer as the environment says (`PMS_PGBOUNCER_URL`,
    /// `PMS_PGBOUNCER`).
    pub fn new(admin: impl Into<String>) -> Self {
        let pgbouncer = std::env::var("PMS_PGBOUNCER_URL")
            .ok()
            .filter(|u| !u.trim().is_empty());
        let flag = std::env::var("PMS_PGBOUNCER")
            .is_ok_and(|v| matches!(v.trim(), "1" | "on" | "true" | "yes"));
        Self {
            admin: admin.into(),
            behind_pgbouncer: flag || pgbouncer.is_some(),
            pgbouncer,
        }
    }

    /// URLs derived from `admin` that reach the server directly, whatever the environment says
    /// about PgBouncer.
    pub fn direct(admin: impl Into<String>) -> Self {
        Self::new(admin).with_pgbouncer(None)
    }

    /// The same URLs with the pooled roles sent through `pgbouncer` (or directly, for `None`).
    pub fn with_pgbouncer(mut self, pgbouncer: Option<String>) -> Self {
        self.behind_pgbouncer = pgbouncer.is_some();
        self.pgbouncer = pgbouncer;
        self
    }

    /// True for the roles whose connections go through PgBouncer when there is one: the
    /// application's and the read-only reporting role. The others stay direct: migrations and
    /// maintenance jobs hold session advisory locks, which transaction pooling cannot keep.
    pub fn is_pooled(&self, role: RoleName) -> bool {
        self.behind_pgbouncer && matches!(role, RoleName::App | RoleName::Readonly)
    }

    /// The URL for `role`: an explicit environment override, else the admin URL with the
    /// user replaced by the role and the password dropped (trust or peer auth, or a
    /// `~/.pgpass` entry, supplies it).
    pub fn url_for(&self, role: RoleName) -> String {
        let env_override = match role {
            RoleName::App => std::env::var("PMS_APP_DATABASE_URL").ok(),
            RoleName::Maintenance => std::env::var("PMS_MAINTENANCE_DATABASE_URL").ok(),
            _ => None,
        };
        if let Some(u) = env_override.filter(|u| !u.is_empty()) {
            return u;
        }
        if role == RoleName::Admin {
            return self.admin.clone();
        }
        match url::Url::parse(&self.admin) {
            Ok(mut u) => {
                let _ = u.set_username(role.as_str());
                let _ = u.set_password(None);
                if let Some(bouncer) = self
                    .pgbouncer
                    .as_deref()
                    .filter(|_| self.is_pooled(role))
                    .and_then(|b| url::Url::parse(b).ok())
                {
                    let _ = u.set_host(bouncer.host_str());
                    let _ = u.set_port(bouncer.port());
                }
                u.to_string()
            }
            Err(_) => self.admin.clone(),
        }
    }

    pub fn options(&self, role: RoleName) -> Result<PgConnectOptions, ConnectError> {
        let url = self.url_for(role);
        let pooled = self.is_pooled(role);
        PgConnectOptions::from_str(&url)
            .map(|o| {
                let o = o
                    .application_name("pms")
                    .log_statements(tracing::log::LevelFilter::Trace);
                if pooled {
                    o.statement_cache_capacity(0).extra_float_digits(None)
                } else {
                    o
                }
            })
            .map_err(|source| ConnectError {
                url: pms_core::config::mask_url(&url),
                role: role.as_str(),
                source,
            })
    }

    /// One connection as `role`.
    pub async fn connect(&self, role: RoleName) -> Result<PgConnection, ConnectError> {
        let url = self.url_for(role);
        let conn = self
            .options(role)?
            .connect()
            .await
            .map_err(|source| ConnectError {
                url: pms_core::config::mask_url(&url),
                role: role.as_str(),
                source,
            })?;
        crate::nodelay::apply();
        Ok(conn)
    }

    /// A pool of connections as `role`.
    pub async fn pool(&self, role: RoleName, max: u32) -> Result<PgPool, ConnectError> {
        let url = self.url_for(role);
        let pool = PgPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(|_, _| {
                Box::pin(async {
                    crate::nodelay::apply();
                    Ok(())
                })
            })
            .connect_with(self.options(role)?)
            .await
            .map_err(|source| ConnectError {
                url: pms_core::config::mask_url(&url),
                role: role.as_str(),
                source,
            })?;
        // On Citus the tenant context must be set so that it reaches the workers.
        if !crate::tenant::uses_set_local() {
            let citus = async {
                let mut conn = pool.acquire().await?;
                crate::citus::is_citus(&mut conn).await
            }
            .await
            .map_err(|source| ConnectError {
                url: pms_core::config::mask_url(&url),
                role: role.as_str(),
                source,
            })?;
            if citus {
                crate::tenant::use_set_local();
            }
        }
        Ok(pool)
    }
}
