//! A PgBouncer of a test's own, on a free loopback port, in front of the test server
//! (`PMS_TEST_DATABASE_URL`, trust authentication), with the platform's configuration
//! ([`pms_db::pgbouncer`]) and the `* =` fallback entry so per-test databases pass through.
//! Stopped, and its folder removed, when dropped.

use anyhow::Context as _;
use pms_db::pgbouncer::{Auth, POOLED_ROLES, PgBouncerConfig};
use pms_db::pgbouncer_process::PgBouncer;
use std::path::PathBuf;

/// A running PgBouncer for one test.
pub struct TestPgBouncer {
    pub bouncer: PgBouncer,
    dir: PathBuf,
}

impl TestPgBouncer {
    /// Starts one whose pools hold at most `pool_size` server connections per database and
    /// role (no reserve), in front of the test server.
    pub fn start(pool_size: u32) -> anyhow::Result<Self> {
        let admin = url::Url::parse(&crate::admin_url()).context("PMS_TEST_DATABASE_URL")?;
        let host = admin.host_str().unwrap_or("127.0.0.1").to_string();
        let port = admin.port().unwrap_or(5432);
        let dir = std::env::temp_dir().join(format!("pms-pgbouncer-{}", uuid::Uuid::new_v4()));
        let listen = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut config = PgBouncerConfig::new(&dir, listen, &host, port);
        config.any_database = true;
        config.pool.default_pool_size = pool_size;
        config.pool.reserve_pool_size = 0;
        let admin_user = admin.username().to_string();
        config.auth = Auth::Trust(POOLED_ROLES.iter().map(|r| r.to_string()).collect());
        config.admin_users = vec![if admin_user.is_empty() {
            "postgres".into()
        } else {
            admin_user
        }];
        let bouncer = PgBouncer::start(config)
            .context("starting a test PgBouncer (apt-get install pgbouncer)")?;
        Ok(Self { bouncer, dir })
    }

    /// `postgresql://127.0.0.1:port`: what `PMS_PGBOUNCER_URL` would say.
    pub fn base_url(&self) -> String {
        format!("postgresql://127.0.0.1:{}", self.bouncer.config.listen_port)
    }

    /// The URL of `database` through this PgBouncer as `role`.
    pub fn url_for(&self, role: &str, database: &str) -> String {
        self.bouncer.config.url_for(role, database)
    }

    /// The admin console (`SHOW POOLS`, `SHOW SERVERS`), as the test server's superuser.
    pub fn console_url(&self) -> String {
        let user = self.bouncer.config.admin_users.first().cloned();
        self.url_for(user.as_deref().unwrap_or("postgres"), "pgbouncer")
    }
}

impl Drop for TestPgBouncer {
    fn drop(&mut self) {
        self.bouncer.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
