//! Erasure at scale: a generated tenant of 1,000 people with six months of time-series history
//! (`pms seed --employees 1000 --months 6`), part of its feedback archived (batches that mix
//! many people), then a sample of eight people erased one after another through the binary:
//! the CEO, the three managers with the most reports, and four others spread over the tenant.
//! Each succeeds and passes the checks of `erasure_check` (no trace in a data-only dump, the
//! archive or the cache; every foreign key and CHECK holds; `pms audit verify` passes; every
//! other person's rows byte-identical, time-series points included; a second erasure says it
//! was already done).

mod erasure_check;

use erasure_check::{Env, erase_and_check, people, plant_cache};
use pms_archive::{ArchiveConfig, Archiver};
use pms_test_support::integrity::TenantRows;
use pms_test_support::{RedisServer, TestDb};
use uuid::Uuid;

#[tokio::test]
async fn a_sample_of_a_generated_tenant_with_history_can_be_erased() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let redis = RedisServer::start()?;
    let env = Env::new(db.urls.clone(), redis.url(), "erasure-generated")?;
    env.pms_ok(&["seed", "--employees", "1000", "--months", "6"])?;
    let mut admin = env.admin().await?;
    let tenant: Uuid = sqlx::query_scalar("SELECT id FROM tenants WHERE slug = 'generated'")
        .fetch_one(&mut admin)
        .await?;
    let points: i64 =
        sqlx::query_scalar("SELECT count(*) FROM performance_metrics_ts WHERE tenant_id = $1")
            .bind(tenant)
            .fetch_one(&mut admin)
            .await?;
    assert!(points > 10_000, "{points} time-series points");

    // A third of the feedback is old enough for the archive.
    sqlx::query(
        "UPDATE feedback SET created_at = now() - interval '5 years' WHERE tenant_id = $1 AND abs(hashtext(id::text)) % 3 = 0",
    )
    .bind(tenant)
    .execute(&mut admin)
    .await?;
    let archiver = Archiver::new(
        db.maintenance.clone(),
        &ArchiveConfig::for_url(env.archive_url()),
    )?;
    let archived = archiver.run(&|_| {}).await?;
    assert!(archived.archived_rows > 100, "{archived:?}");

    let everyone = people(&env, tenant).await?;
    assert_eq!(everyone.len(), 1000);
    let ranked: Vec<Uuid> = sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.tenant_id = $1
         ORDER BY (u.manager_id IS NULL) DESC, (SELECT count(*) FROM users r WHERE r.tenant_id = u.tenant_id AND r.manager_id = u.id) DESC, u.id
         LIMIT 4",
    )
    .bind(tenant)
    .fetch_all(&mut admin)
    .await?;
    let mut sample: Vec<&erasure_check::Person> = ranked
        .iter()
        .filter_map(|id| everyone.iter().find(|p| p.id == *id))
        .collect();
    for p in everyone.iter().step_by(everyone.len() / 4).take(4) {
        if !sample.iter().any(|s| s.id == p.id) {
            sample.push(p);
        }
    }
    assert!(sample.len() >= 7, "{sample:?}");
    let cached: Vec<erasure_check::Person> = sample.iter().map(|p| (*p).clone()).collect();
    plant_cache(&env, tenant, &cached).await?;

    let mut rows = TenantRows::capture(&mut admin, tenant).await?;
    for (i, person) in sample.into_iter().enumerate() {
        // Reading the whole tenant again after the second erasure of each costs more than it
        // shows at this size: the first one is checked, the demo test checks every one.
        rows = erase_and_check(&env, tenant, &[], person, &rows, i == 0).await?;
    }
    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE tenant_id = $1 AND email NOT LIKE '%@erased.invalid'",
    )
    .bind(tenant)
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(left, 1000 - cached.len() as i64);
    Ok(())
}
