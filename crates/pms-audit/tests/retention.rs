//! Retention drops whole monthly partitions past 3 years, never less, and the chain still
//! verifies afterwards from the anchor it recorded; a gap after the anchor is still caught.

mod common;

use common::{add_users, chain_ok, make_tenant};
use pms_audit::chain;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use sqlx::Executor;

#[tokio::test]
async fn expired_months_are_dropped_and_the_chain_still_verifies() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "retention").await?;
    add_users(&db, tenant, "r", 20).await?; // entries 1..=21

    // Everything below is as of one instant, read once: months are counted from its UTC month
    // whenever (and in whatever server time zone) the test runs.
    let at: time::OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.maintenance)
        .await?;
    let old_month: time::Date = sqlx::query_scalar(
        "SELECT (date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') - interval '40 months')::date",
    )
    .bind(at)
    .fetch_one(&db.maintenance)
    .await?;
    // A month 40 months back, and the first ten entries moved into it by the owner (to its
    // 15th, a second apart), the chain re-linked so that it is whole (as if those entries had
    // been written back then).
    let created: i32 = sqlx::query_scalar("SELECT pms_meta.audit_ensure_partitions($1, 0)")
        .bind(old_month)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(created, 2);
    let mut owner = db.owner().await?;
    owner
        .execute(sqlx::AssertSqlSafe(format!(
            r#"SELECT set_config('app.tenant_id', '{tenant}', false);
               UPDATE audit_log SET occurred_at = '{old_month} 00:00:00+00'::timestamptz + interval '14 days' + seq * interval '1 second'
                WHERE seq <= 10;
               DO $$
               DECLARE r record; prev bytea;
               BEGIN
                   FOR r IN SELECT seq FROM audit_log ORDER BY seq LOOP
                       UPDATE audit_log a SET prev_hash = prev WHERE a.seq = r.seq;
                       UPDATE audit_log a SET hash = audit_chain_hash(a.prev_hash, audit_log_canonical(a)) WHERE a.seq = r.seq
                           RETURNING a.hash INTO prev;
                   END LOOP;
                   UPDATE audit_chain_heads SET hash = prev WHERE stream = 'audit';
               END $$;"#
        )))
        .await?;
    let status = chain_ok(&db, tenant).await?;
    assert!(status.iter().all(|s| s.ok), "{status:?}");
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let heads = chain::export_head(&mut tx, tenant).await?;
    tx.commit().await?;

    // Less than the specification's 3 years is refused.
    let err = db
        .maintenance
        .execute("SELECT pms_meta.audit_drop_expired_partitions(12)")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("between 36 and 1200 months"),
        "{err}"
    );

    // The worker's pass at `at` drops that month (both tables) and creates nothing new when the
    // months ahead of `at` are there already (as the worker keeps them).
    sqlx::query(
        "SELECT pms_meta.audit_ensure_partitions(($1::timestamptz AT TIME ZONE 'UTC')::date, 3)",
    )
    .bind(at)
    .execute(&db.maintenance)
    .await?;
    let report: serde_json::Value =
        sqlx::query_scalar("SELECT pms_meta.audit_maintain_partitions($1)")
            .bind(at)
            .fetch_one(&db.maintenance)
            .await?;
    assert_eq!(report, serde_json::json!({"created": 0, "dropped": 2}));
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE tenant_id = $1")
        .bind(tenant.as_uuid())
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(left, 11);

    // The chain verifies from the anchor, and still holds the head exported before the drop.
    let status = chain_ok(&db, tenant).await?;
    let audit = status
        .iter()
        .find(|s| s.stream == "audit")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no audit stream"))?;
    assert!(
        audit.ok && audit.entries == 11 && audit.last_seq == 21,
        "{audit:?}"
    );
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    for h in &heads {
        assert_eq!(chain::check_head(&mut tx, h).await?, None);
    }
    tx.commit().await?;

    // A gap right after the anchor is still a broken link.
    owner
        .execute("DELETE FROM audit_log WHERE seq = 11")
        .await?;
    let status = chain_ok(&db, tenant).await?;
    let audit = status
        .iter()
        .find(|s| s.stream == "audit")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no audit stream"))?;
    assert_eq!((audit.ok, audit.broken_seq), (false, Some(11)), "{audit:?}");
    Ok(())
}
