//! `init` for a server pms does not manage (a `DATABASE_URL` server on this host): pms reads
//! its data directory, port and socket from the server, sets the archive settings, and, since
//! it never restarts such a server, says exactly that a restart is needed; after the operator's
//! restart a second `init` passes `pgbackrest check` and a backup and drill work as usual.

mod common;

use common::*;
use pms_backup::{BackupConfig, PgServer};
use pms_db::cluster::{Cluster, DATABASE};
use sqlx::{Connection, Executor, PgConnection};
use std::time::Duration;

#[tokio::test]
async fn init_on_an_external_server_asks_for_a_restart_then_works() -> anyhow::Result<()> {
    require_pgbackrest();
    let dir = std::path::PathBuf::from(format!(
        "/var/tmp/pms-bk-ext-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    ));
    let cluster = Cluster::new(&dir.join("server"))?;
    cluster.ensure_started()?;
    struct Stop(Cluster, std::path::PathBuf);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.stop();
            let _ = std::fs::remove_dir_all(&self.1);
        }
    }
    let _stop = Stop(cluster.clone(), dir.clone());
    let mut admin = PgConnection::connect(&cluster.admin_url("postgres")).await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {DATABASE}")))
        .await?;
    admin.close().await?;
    let url = cluster.admin_url(DATABASE);
    let mut conn = PgConnection::connect(&url).await?;
    pms_db::migrate::migrate(&mut conn).await?;
    conn.close().await?;

    let server = PgServer::local(&url).await?;
    assert!(server.cluster.is_none());
    assert_eq!(server.data, std::fs::canonicalize(&cluster.data)?);
    assert_eq!(server.port, cluster.port);
    let mut cfg = BackupConfig::for_data_dir(&dir.join("pms"))?;
    cfg.archive_timeout = Duration::from_secs(2);
    let e = pms_backup::init::init(&cfg, &server)
        .await
        .expect_err("a restart is needed")
        .to_string();
    assert!(e.contains("archive_mode") && e.contains("restart"), "{e}");
    // The operator restarts the server; init then completes.
    cluster.stop()?;
    cluster.ensure_started()?;
    let report = pms_backup::init::init(&cfg, &server).await?;
    assert!(!report.restarted);
    let (_, set) =
        pms_backup::create::create(&cfg, &server, pms_backup::create::BackupKind::Full, 1).await?;
    let v = pms_backup::verify::verify(&cfg, &server, Some(&set.label), None).await?;
    assert!(v.verification.ok, "{:#?}", v.verification.problems);
    Ok(())
}
