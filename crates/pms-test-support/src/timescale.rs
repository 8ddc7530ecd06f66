//! Databases for the TimescaleDB backend's tests. TimescaleDB must be preloaded, which the
//! shared server is not (and must not be reconfigured), so these tests start a private cluster
//! of their own (the platform's `pms_db::cluster`, which preloads `timescaledb` when it is
//! installed), or use `PMS_TEST_TIMESCALE_URL` (an administrative URL of a server that preloads
//! it). When the extension is not installed, [`TimescaleDb::new`] returns `None` after printing
//! why, and the test returns early as skipped.

use anyhow::Context as _;
use pms_db::cluster::Cluster;
use pms_db::{DbUrls, RoleName};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

/// How many tests of this process use the private cluster; the last one stops it.
static CLUSTER_USERS: Mutex<usize> = Mutex::new(0);

fn cluster_dir() -> PathBuf {
    std::env::temp_dir().join(format!("pms-tsdb-test-{}", std::process::id()))
}

/// Why TimescaleDB cannot be tested here, if it cannot.
fn missing_extension() -> Option<String> {
    let (bindir, _) = match pms_db::cluster::find_bindir() {
        Ok(b) => b,
        Err(e) => return Some(format!("no PostgreSQL server binaries: {e}")),
    };
    let libdir = bindir.parent().map(|p| p.join("lib")).unwrap_or_default();
    if !libdir.join("timescaledb.so").is_file() {
        return Some(format!(
            "TimescaleDB is not installed ({} has no timescaledb.so)",
            libdir.display()
        ));
    }
    None
}

fn admin_url_with_db(url: &str, db: &str) -> anyhow::Result<String> {
    let mut u = url::Url::parse(url).context("parsing the TimescaleDB test URL")?;
    u.set_path(db);
    Ok(u.to_string())
}

/// A migrated database on a server with TimescaleDB, dropped (and the private cluster stopped
/// after its last user) when this value is dropped.
pub struct TimescaleDb {
    pub name: String,
    pub urls: DbUrls,
    /// Logs in as `pms_app`: owns nothing, cannot bypass RLS.
    pub app: PgPool,
    /// Logs in as `pms_maintenance`: cross-tenant jobs.
    pub maintenance: PgPool,
    admin_url: String,
    cluster: Option<Cluster>,
}

impl TimescaleDb {
    /// A fresh database migrated onto the TimescaleDB backend, or `None` (with a printed
    /// `SKIPPED` line naming `test`) when the extension is not installed.
    pub async fn new(test: &str) -> anyhow::Result<Option<Self>> {
        let Some(mut db) = Self::unmigrated(test).await? else {
            return Ok(None);
        };
        db.migrate().await?;
        Ok(Some(db))
    }

    /// An empty database on a server with TimescaleDB (pools unusable until [`Self::migrate`]),
    /// for tests that migrate in steps.
    pub async fn unmigrated(test: &str) -> anyhow::Result<Option<Self>> {
        let (admin_url, cluster) = match std::env::var("PMS_TEST_TIMESCALE_URL") {
            Ok(url) if !url.is_empty() => (url, None),
            _ => {
                if let Some(why) = missing_extension() {
                    // Straight to stderr: the test harness captures print macros of passing tests.
                    let _ = writeln!(
                        std::io::stderr(),
                        "SKIPPED {test}: {why}; the TimescaleDB backend was not tested"
                    );
                    return Ok(None);
                }
                let cluster = start_cluster()?;
                (cluster.admin_url("postgres"), Some(cluster))
            }
        };
        let name = format!("pms_tsdb_{}", uuid::Uuid::new_v4().simple());
        let this = Self {
            name: name.clone(),
            urls: DbUrls::new(admin_url_with_db(&admin_url, &name)?),
            app: PgPool::connect_lazy("postgresql://localhost/unused")?,
            maintenance: PgPool::connect_lazy("postgresql://localhost/unused")?,
            admin_url: admin_url.clone(),
            cluster,
        };
        let mut conn = PgConnection::connect(&admin_url)
            .await
            .context("connecting to the TimescaleDB test server")?;
        conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{name}\""
        ))))
        .await?;
        conn.close().await?;
        Ok(Some(this))
    }

    /// Applies every migration, checks the database is on TimescaleDB, pauses TimescaleDB's
    /// scheduler for it, and opens the role pools.
    pub async fn migrate(&mut self) -> anyhow::Result<()> {
        let mut admin = self.urls.connect(RoleName::Admin).await?;
        let report = pms_db::migrate::migrate(&mut admin)
            .await
            .context("migrating the TimescaleDB test database")?;
        let backend = pms_db::backend::current(&mut admin).await?;
        anyhow::ensure!(
            backend == "timescaledb",
            "migrated onto the {backend} backend, not timescaledb (is PMS_TIMESERIES_BACKEND set?)"
        );
        // Chunks are TimescaleDB's business: migrate prepared only the audit months.
        let prepared = report
            .time_partitions
            .context("migrate reported no partitions")?;
        anyhow::ensure!(
            prepared.backend == "timescaledb" && prepared.chunks_created == 0,
            "migrate made native chunks on TimescaleDB: {prepared:?}"
        );
        // The tests run policies' work themselves: TimescaleDB's scheduler must not race them.
        admin
            .execute("SELECT public.alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE job_id >= 1000")
            .await?;
        admin.close().await?;
        self.app = self.urls.pool(RoleName::App, 4).await?;
        self.maintenance = self.urls.pool(RoleName::Maintenance, 4).await?;
        Ok(())
    }

    /// A connection as the administrative (superuser) user: for setup only.
    pub async fn admin(&self) -> anyhow::Result<PgConnection> {
        Ok(self.urls.connect(RoleName::Admin).await?)
    }

    /// A connection as `pms_owner`, which owns the continuous aggregates.
    pub async fn owner(&self) -> anyhow::Result<PgConnection> {
        Ok(self.urls.connect(RoleName::Owner).await?)
    }
}

fn start_cluster() -> anyhow::Result<Cluster> {
    let mut users = CLUSTER_USERS
        .lock()
        .map_err(|_| anyhow::anyhow!("cluster lock poisoned"))?;
    let cluster = Cluster::new(&cluster_dir()).context("describing the private cluster")?;
    if *users == 0 || !cluster.is_running() {
        cluster
            .ensure_started()
            .context("starting the private TimescaleDB cluster")?;
    }
    *users += 1;
    Ok(cluster)
}

impl Drop for TimescaleDb {
    fn drop(&mut self) {
        crate::drop_database_blocking(self.admin_url.clone(), self.name.clone());
        if let (Some(cluster), Ok(mut users)) = (self.cluster.take(), CLUSTER_USERS.lock()) {
            *users = users.saturating_sub(1);
            if *users == 0 {
                let _ = cluster.stop();
                let _ = std::fs::remove_dir_all(cluster_dir());
            }
        }
    }
}
