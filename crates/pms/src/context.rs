//! Finding the database: `DATABASE_URL`, or the private cluster under `PMS_DATA_DIR`.

use anyhow::Context as _;
use pms_core::Config;
use pms_db::cluster::{self, Cluster};
use pms_db::{DbUrls, RoleName};
use sqlx::{Connection, Executor, PgConnection, PgPool};

/// Where the database is, and the private cluster when pms runs its own.
pub struct Database {
    pub urls: DbUrls,
    pub cluster: Option<Cluster>,
    /// The maintenance role's pool, opened on first use and shared by everything a command does.
    maintenance: tokio::sync::OnceCell<PgPool>,
}

/// Connections of the shared maintenance pool: a command's cross-tenant work is sequential, with
/// a little concurrency inside jobs (the archiver, the erasure's tiers).
const MAINTENANCE_CONNECTIONS: u32 = 4;

impl Database {
    /// Resolves the database; with no `DATABASE_URL`, starts (or reuses) the private cluster
    /// and makes sure its `pms` database exists.
    pub async fn open(config: &Config, verbose: bool) -> anyhow::Result<Self> {
        if let Some(url) = &config.database_url {
            let urls = DbUrls::new(url.clone());
            // Fail early, with the URL, when the server cannot be reached.
            let conn = urls
                .connect(RoleName::Admin)
                .await
                .context("DATABASE_URL")?;
            conn.close().await.ok();
            return Ok(Self {
                urls,
                cluster: None,
                maintenance: tokio::sync::OnceCell::new(),
            });
        }
        let c = Cluster::new(&config.data_dir).context("private PostgreSQL cluster")?;
        let was_running = c.is_running();
        if verbose {
            if was_running {
                println!(
                    "  PostgreSQL {} already running on 127.0.0.1:{} ({})",
                    c.major_version,
                    c.port,
                    c.data.display()
                );
            } else if c.is_initialised() {
                println!(
                    "  starting PostgreSQL {} on 127.0.0.1:{} ({})",
                    c.major_version,
                    c.port,
                    c.data.display()
                );
            } else {
                println!(
                    "  initialising PostgreSQL {} in {} (port {})",
                    c.major_version,
                    c.data.display(),
                    c.port
                );
            }
        }
        c.ensure_started().context("private PostgreSQL cluster")?;
        let mut conn = PgConnection::connect(&c.admin_url("postgres"))
            .await
            .with_context(|| format!("connecting to the private cluster on port {}", c.port))?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(cluster::DATABASE)
                .fetch_one(&mut conn)
                .await?;
        if !exists {
            conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE {}",
                cluster::DATABASE
            ))))
            .await?;
        }
        conn.close().await.ok();
        Ok(Self {
            urls: DbUrls::new(c.admin_url(cluster::DATABASE)),
            cluster: Some(c),
            maintenance: tokio::sync::OnceCell::new(),
        })
    }

    /// The maintenance role's pool (cross-tenant jobs, RLS bypassed by that role only), opened
    /// once per command. Commands that size a pool for their own parallelism (the seed's
    /// workers, the worker's jobs) open theirs with `urls.pool`.
    pub async fn maintenance_pool(&self) -> anyhow::Result<PgPool> {
        let pool = self
            .maintenance
            .get_or_try_init(|| {
                self.urls
                    .pool(RoleName::Maintenance, MAINTENANCE_CONNECTIONS)
            })
            .await
            .context("connecting as pms_maintenance")?;
        Ok(pool.clone())
    }

    /// Applies migrations as the administrative user.
    pub async fn migrate(&self) -> anyhow::Result<pms_db::migrate::MigrateReport> {
        let mut conn = self.urls.connect(RoleName::Admin).await?;
        let report = pms_db::migrate::migrate(&mut conn).await?;
        conn.close().await.ok();
        Ok(report)
    }

    /// The `psql` command line for a role.
    pub fn psql_hint(&self, role: RoleName) -> String {
        format!(
            "psql '{}'",
            pms_core::config::mask_url(&self.urls.url_for(role))
        )
    }
}
