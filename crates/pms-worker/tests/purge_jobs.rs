//! `purge_idempotency_keys` deletes the API's idempotency keys older than a day, in every
//! tenant, and keeps the younger ones (ages set relative to the database's clock).

use pms_seed::demo_tenants::{DEMO_COMPANY, SECOND_TENANT, tenant_id, user_id};
use pms_test_support::TestDb;
use pms_worker::jobs::purge_idempotency_keys::PurgeIdempotencyKeys;
use pms_worker::{JobContext, Scheduler};

#[tokio::test]
async fn idempotency_keys_older_than_a_day_go_and_younger_ones_stay() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let mut keys = Vec::new();
    for (t, local) in [(&DEMO_COMPANY, "employee"), (&SECOND_TENANT, "admin")] {
        for (key, age) in [
            ("old", "25 hours"),
            ("young", "23 hours"),
            ("new", "0 seconds"),
        ] {
            let key = format!("purge-{key}");
            sqlx::query(
                "INSERT INTO api_idempotency_keys (tenant_id, user_id, key, request_hash, created_at)
                 VALUES ($1, $2, $3, sha256('x'::bytea), now() - $4::interval)",
            )
            .bind(tenant_id(t))
            .bind(user_id(t, local))
            .bind(&key)
            .bind(age)
            .execute(&db.maintenance)
            .await?;
            keys.push(key);
        }
    }
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM api_idempotency_keys")
        .fetch_one(&db.maintenance)
        .await?;
    let ctx = JobContext::new(db.maintenance.clone());
    let report = Scheduler::run_once(&ctx, &PurgeIdempotencyKeys)
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(report["deleted"], 2, "{report}");
    let left: Vec<String> = sqlx::query_scalar(
        "SELECT key FROM api_idempotency_keys WHERE key LIKE 'purge-%' ORDER BY key",
    )
    .fetch_all(&db.maintenance)
    .await?;
    assert_eq!(
        left,
        ["purge-new", "purge-new", "purge-young", "purge-young"]
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM api_idempotency_keys")
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(after, before - 2, "only the two old keys went");
    // Idempotent: a second run finds nothing more.
    let again = Scheduler::run_once(&ctx, &PurgeIdempotencyKeys)
        .await
        .map_err(anyhow::Error::msg)?
        .expect("ran");
    assert_eq!(again["deleted"], 0, "{again}");
    Ok(())
}
