//! The right to erasure, tried as a new user would: `pms seed --demo`, old reviews, feedback
//! and one-on-ones archived, goals queued for the archive, every person's profile and an entry
//! naming them in the cache, then `pms privacy erase` for every person of the demo tenant, one
//! after another. Each erasure succeeds, except for the person under a legal hold, which is
//! refused and changes nothing (until the hold is released); after each, the checks of
//! `erasure_check` hold (no trace of them in a data-only dump, the archive objects or the cache;
//! every foreign key and CHECK holds; `pms audit verify` passes; every other person's rows are
//! byte-identical; a second erasure changes nothing). A person of another tenant, an unknown
//! person and an unknown tenant are clear errors. The same on the TimescaleDB backend where it
//! is installed.

mod erasure_check;

use anyhow::Context as _;
use erasure_check::{Env, erase_and_check, people, plant_cache, text};
use pms_archive::{ArchiveConfig, Archiver};
use pms_db::DbUrls;
use pms_test_support::integrity::TenantRows;
use pms_test_support::timescale::TimescaleDb;
use pms_test_support::{RedisServer, TestDb};
use sqlx::PgPool;
use uuid::Uuid;

async fn erase_every_demo_person(urls: DbUrls, maintenance: PgPool) -> anyhow::Result<()> {
    let redis = RedisServer::start()?;
    let env = Env::new(urls, redis.url(), "erasure-demo")?;
    env.pms_ok(&["seed", "--demo"])?;
    let mut admin = env.admin().await?;
    let tenant: Uuid = sqlx::query_scalar("SELECT id FROM tenants WHERE slug = 'demo-company'")
        .fetch_one(&mut admin)
        .await?;
    let others: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM tenants WHERE id <> $1")
        .bind(tenant)
        .fetch_all(&mut admin)
        .await?;
    assert!(!others.is_empty(), "the demo has a second tenant");

    // Old records go to the archive (reviews without calibration or competency ratings, all
    // feedback and one-on-ones); individual goals are queued for it.
    for sql in [
        "UPDATE performance_reviews r SET created_at = now() - interval '6 years' WHERE r.tenant_id = $1
           AND NOT EXISTS (SELECT 1 FROM calibration_ratings c WHERE c.tenant_id = r.tenant_id AND c.review_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM competency_assessments c WHERE c.tenant_id = r.tenant_id AND c.review_id = r.id)",
        "UPDATE feedback SET created_at = now() - interval '6 years' WHERE tenant_id = $1",
        "UPDATE one_on_ones SET created_at = now() - interval '5 years' WHERE tenant_id = $1",
    ] {
        sqlx::query(sql).bind(tenant).execute(&mut admin).await?;
    }
    let mut cfg = ArchiveConfig::for_url(env.archive_url());
    cfg.batch_size = 2;
    let archiver = Archiver::new(maintenance.clone(), &cfg)?;
    let archived = archiver.run(&|_| {}).await?;
    assert!(archived.archived_rows >= 3, "{archived:?}");
    let queued: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT archive_entity('Goal', g.id, g.tenant_id, to_jsonb(g), g.created_at)
                               FROM goals g WHERE g.tenant_id = $1 AND g.goal_type = 'INDIVIDUAL') q",
    )
    .bind(tenant)
    .fetch_one(&maintenance)
    .await?;
    assert!(queued > 0);
    let everyone = people(&env, tenant).await?;
    assert!(everyone.len() >= 9, "{everyone:?}");
    plant_cache(&env, tenant, &everyone).await?;

    // Clear errors, nothing changed.
    let before = TenantRows::capture(&mut admin, tenant).await?;
    let acme = people(&env, others[0]).await?;
    for (t, u, want) in [
        (tenant, acme[0].id, "is a person of another tenant"),
        (tenant, Uuid::now_v7(), "no person"),
        (Uuid::now_v7(), everyone[0].id, "no tenant"),
    ] {
        let out = env.erase(t, u)?;
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(
            err.contains(want) && err.contains("nothing erased"),
            "{err}"
        );
    }
    assert!(TenantRows::capture(&mut admin, tenant).await? == before);

    let held: Vec<Uuid> = sqlx::query_scalar(
        "SELECT person_id FROM legal_holds WHERE tenant_id = $1 AND scope = 'PERSON' AND released_at IS NULL",
    )
    .bind(tenant)
    .fetch_all(&mut admin)
    .await?;
    assert_eq!(held.len(), 1, "the demo holds one person");
    let mut rows = before;
    for person in &everyone {
        if held.contains(&person.id) {
            let out = env.erase(tenant, person.id)?;
            assert!(!out.status.success());
            assert!(
                text(&out.stderr).contains("legal hold"),
                "{}",
                text(&out.stderr)
            );
            assert!(TenantRows::capture(&mut admin, tenant).await? == rows);
            continue;
        }
        rows = erase_and_check(&env, tenant, &others, person, &rows, true).await?;
    }
    // Once the hold is released, the last person goes too.
    sqlx::query("UPDATE legal_holds SET released_at = now() WHERE tenant_id = $1")
        .bind(tenant)
        .execute(&mut admin)
        .await?;
    let released = TenantRows::capture(&mut admin, tenant).await?;
    let jane = everyone
        .iter()
        .find(|p| held.contains(&p.id))
        .context("the held person")?;
    erase_and_check(&env, tenant, &others, jane, &released, true).await?;
    assert!(people(&env, tenant).await?.is_empty(), "everyone erased");
    // A pseudonym is nobody to erase.
    let pseudonym: Uuid = sqlx::query_scalar(
        "SELECT pseudonym_id FROM privacy_erasures WHERE tenant_id = $1 LIMIT 1",
    )
    .bind(tenant)
    .fetch_one(&mut admin)
    .await?;
    let rows = TenantRows::capture(&mut admin, tenant).await?;
    let out = env.erase(tenant, pseudonym)?;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("nobody to erase"),
        "{}",
        text(&out.stderr)
    );
    assert!(TenantRows::capture(&mut admin, tenant).await? == rows);
    // The other tenant's people are all still there.
    assert_eq!(people(&env, others[0]).await?.len(), acme.len());
    Ok(())
}

#[tokio::test]
async fn every_person_of_the_demo_tenant_can_be_erased() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    erase_every_demo_person(db.urls.clone(), db.maintenance.clone()).await
}

#[tokio::test]
async fn every_person_of_the_demo_tenant_can_be_erased_on_timescaledb() -> anyhow::Result<()> {
    let Some(db) =
        TimescaleDb::new("every_person_of_the_demo_tenant_can_be_erased_on_timescaledb").await?
    else {
        return Ok(());
    };
    erase_every_demo_person(db.urls.clone(), db.maintenance.clone()).await
}
