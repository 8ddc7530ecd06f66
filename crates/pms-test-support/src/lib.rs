//! Test harness: a database per test cloned from a migrated template, pools that log in as the
//! platform's roles (tests act as `pms_app`, which cannot bypass RLS), and a real-Redis helper.
//!
//! The administrative server comes from `PMS_TEST_DATABASE_URL` (default
//! `postgresql://postgres@127.0.0.1:5432/postgres`). The template `pms_tpl_<fingerprint>` is
//! built once per schema version, under an advisory lock, so parallel test processes share it;
//! each test gets `CREATE DATABASE ... TEMPLATE`, which is far cheaper than migrating. The
//! template may be months old: each test database then gets the partitions by time range of
//! the instant it is made (`pms_db::time_partitions::prepare`, what every `pms migrate` run
//! does), so it looks migrated today.

use anyhow::Context as _;
use pms_db::{DbUrls, RoleName};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::time::Duration;

pub use pms_db;

pub mod catalog;
pub mod integrity;
pub mod pgbouncer;
pub mod redis_server;
pub mod timescale;

pub use pgbouncer::TestPgBouncer;
pub use redis_server::{RedisCluster, RedisServer};

/// The administrative URL of the test server.
pub fn admin_url() -> String {
    std::env::var("PMS_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgresql://postgres@127.0.0.1:5432/postgres".into())
}

fn url_with_db(url: &str, db: &str) -> anyhow::Result<String> {
    let mut u = url::Url::parse(url).context("PMS_TEST_DATABASE_URL is not a URL")?;
    u.set_path(&format!("/{db}"));
    Ok(u.to_string())
}

const TEMPLATE_LOCK: i64 = 0x706d_735f_7470_6c00;

/// Makes sure the migrated template for this build's schema exists; returns its name.
pub async fn ensure_template() -> anyhow::Result<String> {
    let name = format!("pms_tpl_{}", pms_db::migrate::schema_fingerprint());
    let admin = admin_url();
    let mut conn = PgConnection::connect(&admin)
        .await
        .with_context(|| format!("cannot reach the test PostgreSQL at {admin}; is it running? (scripts/test.sh starts it)"))?;
    conn.execute(sqlx::query("SELECT pg_advisory_lock($1)").bind(TEMPLATE_LOCK))
        .await?;
    let result = build_template(&mut conn, &name).await;
    let _ = conn
        .execute(sqlx::query("SELECT pg_advisory_unlock($1)").bind(TEMPLATE_LOCK))
        .await;
    result.map(|()| name)
}

async fn build_template(conn: &mut PgConnection, name: &str) -> anyhow::Result<()> {
    let state: Option<bool> =
        sqlx::query_scalar("SELECT datistemplate FROM pg_database WHERE datname = $1")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?;
    if state == Some(true) {
        return Ok(());
    }
    if state == Some(false) {
        conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE \"{name}\" WITH (FORCE)"
        ))))
        .await?;
    }
    // Older templates of other schema versions are dead weight; dropped only on request, since
    // several checkouts (with different schemas) may share one test server.
    let drop_stale = std::env::var("PMS_TEST_DROP_STALE_TEMPLATES").is_ok_and(|v| v == "1");
    let stale: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'pms\\_tpl\\_%' AND datname <> $1",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    for s in stale.into_iter().filter(|_| drop_stale) {
        let _ = conn
            .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "ALTER DATABASE \"{s}\" IS_TEMPLATE false"
            ))))
            .await;
        let _ = conn
            .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{s}\" WITH (FORCE)"
            ))))
            .await;
    }
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE \"{name}\""
    ))))
    .await?;
    let mut tpl = PgConnection::connect(&url_with_db(&admin_url(), name)?).await?;
    pms_db::migrate::migrate(&mut tpl)
        .await
        .context("migrating the test template")?;
    tpl.close().await?;
    conn.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE \"{name}\" IS_TEMPLATE true"
    ))))
    .await?;
    Ok(())
}

/// A database of its own for one test, dropped when this value is dropped (unless
/// `PMS_TEST_KEEP_DB=1`).
pub struct TestDb {
    pub name: String,
    pub urls: DbUrls,
    /// Logs in as `pms_app`: owns nothing, cannot bypass RLS.
    pub app: PgPool,
    /// Logs in as `pms_maintenance`: cross-tenant jobs.
    pub maintenance: PgPool,
}

impl TestDb {
    /// A fresh, migrated database, with the audit months and time-series chunks of now (as
    /// `pms migrate` would leave it today, however old the template).
    pub async fn new() -> anyhow::Result<Self> {
        let template = ensure_template().await?;
        let name = format!("pms_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::connect(&admin_url()).await?;
        let mut attempt = 0;
        loop {
            // The template is briefly busy while another process finishes building it.
            match conn
                .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
                ))))
                .await
            {
                Ok(_) => break,
                Err(e)
                    if attempt < 50 && e.to_string().contains("being accessed by other users") =>
                {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e).context("creating the test database"),
            }
        }
        conn.close().await?;
        let urls = DbUrls::new(url_with_db(&admin_url(), &name)?);
        let app = urls.pool(RoleName::App, 8).await?;
        let maintenance = urls.pool(RoleName::Maintenance, 4).await?;
        let db = Self {
            name,
            urls,
            app,
            maintenance,
        };
        // After `db` exists, so that a failure here still drops the database; on a connection
        // of its own, so the pools hold only what they did before.
        let mut conn = db.urls.connect(RoleName::Maintenance).await?;
        pms_db::time_partitions::prepare(&mut conn, None)
            .await
            .context("preparing the test database's partitions by time range")?;
        conn.close().await?;
        Ok(db)
    }

    /// A connection as the administrative (superuser) user: for setup only, never for the
    /// property under test.
    pub async fn admin(&self) -> anyhow::Result<PgConnection> {
        Ok(self.urls.connect(RoleName::Admin).await?)
    }

    /// A connection as `pms_owner` (what migrations run as).
    pub async fn owner(&self) -> anyhow::Result<PgConnection> {
        Ok(self.urls.connect(RoleName::Owner).await?)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::env::var("PMS_TEST_KEEP_DB").is_ok_and(|v| v == "1") {
            eprintln!("keeping test database {}", self.name);
            return;
        }
        drop_database_blocking(admin_url(), self.name.clone());
    }
}

/// Drops a test database, best effort, on its own thread and runtime, so that it works from
/// `Drop` in sync and async tests alike.
pub(crate) fn drop_database_blocking(admin: String, name: String) {
    let handle = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async move {
            if let Ok(mut c) = PgConnection::connect(&admin).await {
                let _ = c
                    .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    ))))
                    .await;
            }
        });
    });
    let _ = handle.join();
}

/// A real Redis for one test: its URL and a key prefix no other test uses.
pub struct TestRedis {
    pub url: String,
    pub prefix: String,
}

impl TestRedis {
    /// Connects to `PMS_TEST_REDIS_URL` (default `redis://127.0.0.1:6379`) and checks it answers.
    pub async fn new() -> anyhow::Result<Self> {
        let url =
            std::env::var("PMS_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
        let client = redis::Client::open(url.as_str())?;
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .with_context(|| format!("cannot reach the test Redis at {url}; is it running? (scripts/test.sh starts it)"))?;
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        Ok(Self {
            url,
            prefix: format!("pmstest:{}:", uuid::Uuid::new_v4().simple()),
        })
    }

    /// Deletes this test's keys (`SCAN` + `UNLINK` over the prefix; never a flush).
    pub async fn cleanup(&self) -> anyhow::Result<u64> {
        let client = redis::Client::open(self.url.as_str())?;
        let mut conn = client.get_multiplexed_async_connection().await?;
        let mut cursor: u64 = 0;
        let mut n = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(format!("{}*", self.prefix))
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await?;
            if !keys.is_empty() {
                let d: u64 = redis::cmd("UNLINK")
                    .arg(&keys)
                    .query_async(&mut conn)
                    .await?;
                n += d;
            }
            if next == 0 {
                return Ok(n);
            }
            cursor = next;
        }
    }
}
