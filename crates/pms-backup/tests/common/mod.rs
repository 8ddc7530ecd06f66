//! A private PostgreSQL cluster per test (under /var/tmp, on a free loopback port), migrated,
//! with backups initialised; stopped and deleted at the end. Nothing here touches the shared
//! server on 5432.
#![allow(dead_code)]

use pms_backup::{BackupConfig, PgServer};
use pms_db::cluster::{Cluster, DATABASE};
use pms_db::{DbUrls, RoleName};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::path::PathBuf;
use std::time::Duration;
use uuid::Uuid;

pub struct Env {
    pub dir: PathBuf,
    pub cluster: Cluster,
    pub cfg: BackupConfig,
    pub server: PgServer,
    pub urls: DbUrls,
}

impl Drop for Env {
    fn drop(&mut self) {
        if std::env::var_os("PMS_TEST_KEEP_BACKUP_DIR").is_some() {
            eprintln!("kept {}", self.dir.display());
            return;
        }
        // Restored copies under the data directory first, then the cluster.
        for sub in ["restores", "backups/drills"] {
            if let Ok(rd) = std::fs::read_dir(self.dir.join(sub)) {
                for e in rd.flatten() {
                    let data = e.path().join("pg/data");
                    if data.is_dir() {
                        let _ = stop_data_dir(&self.cluster, &data);
                    }
                }
            }
        }
        let _ = self.cluster.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn stop_data_dir(c: &Cluster, data: &std::path::Path) -> std::io::Result<()> {
    let mut cmd = match &c.run_as {
        Some(u) => {
            let mut x = std::process::Command::new("runuser");
            x.args(["-u", u, "--"]).arg(c.bindir.join("pg_ctl"));
            x
        }
        None => std::process::Command::new(c.bindir.join("pg_ctl")),
    };
    cmd.arg("-D")
        .arg(data)
        .args(["-m", "immediate", "-w", "stop"])
        .output()
        .map(|_| ())
}

/// pgBackRest is part of the platform: its absence is a failure, not a skip.
pub fn require_pgbackrest() {
    assert!(
        pms_backup::pgbackrest::PgBackRest::installed(),
        "pgBackRest is not installed: apt-get install pgbackrest (scripts/test.sh installs it)"
    );
}

/// A migrated private cluster with backups initialised (archive_timeout 2 s: small tests).
pub async fn env(name: &str) -> anyhow::Result<Env> {
    env_with(name, |_| {}).await
}

pub async fn env_with(name: &str, tweak: impl FnOnce(&mut BackupConfig)) -> anyhow::Result<Env> {
    require_pgbackrest();
    let dir = PathBuf::from(format!(
        "/var/tmp/pms-bk-{name}-{}",
        &Uuid::new_v4().simple().to_string()[..8]
    ));
    let cluster = Cluster::new(&dir)?;
    cluster.ensure_started()?;
    let mut admin = PgConnection::connect(&cluster.admin_url("postgres")).await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {DATABASE}")))
        .await?;
    admin.close().await?;
    let urls = DbUrls::new(cluster.admin_url(DATABASE));
    let mut conn = urls.connect(RoleName::Admin).await?;
    pms_db::migrate::migrate(&mut conn).await?;
    conn.close().await?;
    let mut cfg = BackupConfig::for_data_dir(&dir)?;
    cfg.archive_timeout = Duration::from_secs(2);
    tweak(&mut cfg);
    let server = PgServer::private(&cluster);
    let env = Env {
        dir,
        cluster,
        cfg,
        server,
        urls,
    };
    pms_backup::init::init(&env.cfg, &env.server).await?;
    Ok(env)
}

impl Env {
    pub async fn admin(&self) -> anyhow::Result<PgConnection> {
        Ok(self.urls.connect(RoleName::Admin).await?)
    }
    pub async fn app(&self) -> anyhow::Result<PgPool> {
        Ok(self.urls.pool(RoleName::App, 4).await?)
    }
}

/// A tenant with one person (the owner of the goals), created as the superuser; returns
/// (tenant, user).
pub async fn tenant(env: &Env, slug: &str) -> anyhow::Result<(Uuid, Uuid)> {
    let mut c = env.admin().await?;
    let t = Uuid::now_v7();
    let u = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
        .bind(t)
        .bind(slug)
        .execute(&mut c)
        .await?;
    c.close().await?;
    let app = env.app().await?;
    let mut tx = pms_db::TenantTx::begin(&app, pms_core::TenantId(t), None).await?;
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, $3, 'Test', 'Person')",
    )
    .bind(t)
    .bind(u)
    .bind(format!("owner@{slug}.test"))
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    app.close().await;
    Ok((t, u))
}

/// Inserts `n` goals titled `PREFIX i` as the application (RLS applies); returns their ids.
pub async fn goals(
    app: &PgPool,
    t: Uuid,
    owner: Uuid,
    prefix: &str,
    n: i32,
) -> anyhow::Result<Vec<Uuid>> {
    let mut tx = pms_db::TenantTx::begin(app, pms_core::TenantId(t), None).await?;
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO goals (tenant_id, owner_id, title, period_start, period_end)
         SELECT $1, $2, $3 || ' ' || g, DATE '2026-01-01', DATE '2026-12-31' FROM generate_series(1, $4) g
         RETURNING id",
    )
    .bind(t)
    .bind(owner)
    .bind(prefix)
    .bind(n)
    .fetch_all(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(ids)
}

/// Goal titles of a tenant on a server (superuser URL), sorted.
pub async fn titles(url: &str, t: Uuid) -> anyhow::Result<Vec<String>> {
    let mut c = PgConnection::connect(url).await?;
    let v = sqlx::query_scalar("SELECT title FROM goals WHERE tenant_id = $1 ORDER BY title")
        .bind(t)
        .fetch_all(&mut c)
        .await?;
    c.close().await?;
    Ok(v)
}
