//! The backup jobs on a private cluster of their own (under /var/tmp, a free loopback port):
//! `backup_create` takes the full backup that is due, then nothing until the next is due;
//! `backup_verify` runs the drill when due and fails the job (the failed-job alert) when the
//! backup does not verify; `backup_metrics` publishes the `pms_backup_*` gauges.

use pms_backup::{BackupConfig, PgServer};
use pms_db::cluster::{Cluster, DATABASE};
use pms_db::{DbUrls, RoleName};
use pms_worker::{JobContext, Scheduler};
use sqlx::{Connection, Executor, PgConnection};
use std::time::Duration;

struct Running(Cluster, std::path::PathBuf);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.stop();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

#[tokio::test]
async fn backup_jobs_take_verify_and_report() -> anyhow::Result<()> {
    assert!(
        pms_backup::pgbackrest::PgBackRest::installed(),
        "pgBackRest is not installed: apt-get install pgbackrest (scripts/test.sh installs it)"
    );
    let dir = std::path::PathBuf::from(format!(
        "/var/tmp/pms-bkjobs-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    ));
    let cluster = Cluster::new(&dir)?;
    cluster.ensure_started()?;
    let _running = Running(cluster.clone(), dir.clone());
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
    let server = PgServer::private(&cluster);
    assert!(
        pms_worker::jobs::backups::jobs(cfg.clone(), server.clone()).is_empty(),
        "no jobs before init"
    );
    pms_backup::init::init(&cfg, &server).await?;
    let jobs = pms_worker::jobs::backups::jobs(cfg.clone(), server.clone());
    let names: Vec<&str> = jobs.iter().map(|j| j.name()).collect();
    assert_eq!(names, ["backup_create", "backup_verify", "backup_metrics"]);
    let ctx = JobContext::new(urls.pool(RoleName::Maintenance, 4).await?);

    let report = Scheduler::run_once(&ctx, jobs[0].as_ref())
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(report["taken"][0]["type"], "full", "{report}");
    let report = Scheduler::run_once(&ctx, jobs[0].as_ref())
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(
        report["taken"].as_array().map(Vec::len),
        Some(0),
        "nothing due right after a full: {report}"
    );

    let report = Scheduler::run_once(&ctx, jobs[1].as_ref())
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert!(report["verified"].is_string(), "{report}");
    let report = Scheduler::run_once(&ctx, jobs[1].as_ref())
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(report["due"], false, "{report}");

    let report = Scheduler::run_once(&ctx, jobs[2].as_ref())
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert!(report["gauges"].as_u64().unwrap_or(0) >= 8, "{report}");

    // A damaged backup fails the drill, and so the job.
    let mut every_time = cfg.clone();
    every_time.verify_every = Duration::from_secs(0);
    let verify = pms_worker::jobs::backups::jobs(every_time, server.clone()).remove(1);
    let set_dir = cfg.local_repo().join("backup/pms");
    let label = std::fs::read_dir(&set_dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with('F'))
        .expect("the full backup's directory");
    let bundle = set_dir.join(&label).join("bundle/1");
    let mut bytes = std::fs::read(&bundle)?;
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&bundle, bytes)?;
    let e = Scheduler::run_once(&ctx, verify.as_ref())
        .await
        .expect_err("the job must fail")
        .to_string();
    assert!(
        e.contains("failed verification") && e.contains("bundle/1"),
        "{e}"
    );
    Ok(())
}
