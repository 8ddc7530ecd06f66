//! The jobs behind two alerts turn what they find into gauges: `audit_chain_verify` counts the
//! streams whose hash chain is broken (0, then 1 after a security event is altered behind the
//! writers' backs), `archive_verify` the archive's problems (0, then 1 for an object without a
//! ledger row). Findings are not job failures: both runs succeed.

use pms_core::TenantId;
use pms_test_support::TestDb;
use pms_worker::jobs::{archive_verify::ArchiveVerify, audit_chain_verify::AuditChainVerify};
use pms_worker::{JobContext, Scheduler};
use sqlx::Executor;
use uuid::Uuid;

fn gauge(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn broken_chains_and_archive_problems_become_gauges() -> anyhow::Result<()> {
    let handle = pms_monitor::metrics::recorder()?;
    let db = TestDb::new().await?;
    let ctx = JobContext::new(db.maintenance.clone());
    let tenant = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'verify', 'Verify')")
        .bind(tenant)
        .execute(&db.maintenance)
        .await?;
    for _ in 0..3 {
        let mut tx = pms_db::TenantTx::begin(&db.app, TenantId(tenant), None).await?;
        tx.execute("SELECT record_security_event('LOGIN_FAILURE', NULL, '198.51.100.1', 'test', NULL, NULL, '{}', 'who@verify.test')")
            .await?;
        tx.commit().await?;
    }
    Scheduler::run_once(&ctx, &AuditChainVerify)
        .await
        .map_err(anyhow::Error::msg)?;
    let text = handle.render();
    assert_eq!(
        gauge(&text, "pms_audit_chain_broken_streams{stream=\"security\"}"),
        Some(0.0),
        "{text}"
    );
    assert!(
        text.contains("pms_audit_chain_verified_timestamp_seconds"),
        "{text}"
    );
    // Altered by someone with the owner's rights: the chain no longer verifies.
    let mut admin = db.admin().await?;
    sqlx::query(
        "UPDATE security_events SET event_type = 'LOGIN_SUCCESS' WHERE tenant_id = $1 AND seq = 2",
    )
    .bind(tenant)
    .execute(&mut admin)
    .await?;
    let report = Scheduler::run_once(&ctx, &AuditChainVerify)
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(
        report["broken"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
    let text = handle.render();
    assert_eq!(
        gauge(&text, "pms_audit_chain_broken_streams{stream=\"security\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        gauge(&text, "pms_audit_chain_broken_streams{stream=\"audit\"}"),
        Some(0.0),
        "{text}"
    );

    // The archive: clean, then an object nobody recorded.
    let dir = std::env::temp_dir().join(format!("pms-verify-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let job = ArchiveVerify::with_config(pms_archive::ArchiveConfig::for_url(format!(
        "file://{}",
        dir.display()
    )));
    Scheduler::run_once(&ctx, &job)
        .await
        .map_err(anyhow::Error::msg)?;
    assert_eq!(
        gauge(&handle.render(), "pms_archive_verify_problems"),
        Some(0.0)
    );
    std::fs::create_dir_all(dir.join("Goal"))?;
    std::fs::write(dir.join("Goal/stray.ndjson.zst"), b"not a batch")?;
    Scheduler::run_once(&ctx, &job)
        .await
        .map_err(anyhow::Error::msg)?;
    let text = handle.render();
    assert_eq!(
        gauge(&text, "pms_archive_verify_problems"),
        Some(1.0),
        "{text}"
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
