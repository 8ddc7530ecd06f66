//! Deterministic history for seeding: the same seed gives the same points (per user
//! position), loaded through the ingest path and visible in the rollups after a refresh.

mod common;

use pms_core::{TenantId, UserId};
use pms_test_support::TestDb;

#[tokio::test]
async fn history_is_deterministic_and_goes_through_ingest() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let a = common::org(&db, "gen-a", 3).await?;
    let b = common::org(&db, "gen-b", 3).await?;
    let ids = |o: &common::Org| o.users.iter().map(|u| UserId(*u)).collect::<Vec<_>>();
    // One end for every run: history() ends at today's midnight, which moves if the runs
    // straddle midnight.
    let end = time::OffsetDateTime::now_utc().replace_time(time::Time::MIDNIGHT);
    let history = |tenant: uuid::Uuid, users: Vec<UserId>, seed: u64| {
        let pool = db.maintenance.clone();
        async move {
            pms_timeseries::generate::history_until(&pool, TenantId(tenant), &users, 3, seed, end)
                .await
        }
    };
    let sa = history(a.tenant, ids(&a), 42).await?;
    let sb = history(b.tenant, ids(&b), 42).await?;
    assert!(sa.rows_loaded > 100 && sa.rows_rejected == 0, "{sa:?}");
    assert_eq!(sa.rows_loaded, sb.rows_loaded);
    let points = |tenant: uuid::Uuid, users: Vec<uuid::Uuid>| {
        let pool = db.maintenance.clone();
        async move {
            let rows: Vec<(i32, String, f64, time::OffsetDateTime)> = sqlx::query_as(
                "SELECT array_position($2, user_id), metric_name, value, recorded_at FROM (
                     SELECT * FROM performance_metrics_ts UNION ALL SELECT * FROM engagement_metrics_ts
                     UNION ALL SELECT * FROM goal_progress_ts UNION ALL SELECT * FROM feedback_activity_ts) x
                 WHERE tenant_id = $1 ORDER BY 1, 4, 2",
            )
            .bind(tenant)
            .bind(users)
            .fetch_all(&pool)
            .await?;
            anyhow::Ok(rows)
        }
    };
    let pa = points(a.tenant, a.users.clone()).await?;
    let pb = points(b.tenant, b.users.clone()).await?;
    assert_eq!(pa.len() as u64, sa.rows_loaded);
    assert!(pa == pb, "same seed, different history");
    // A different seed gives different values.
    let c = common::org(&db, "gen-c", 3).await?;
    history(c.tenant, ids(&c), 43).await?;
    let pc = points(c.tenant, c.users.clone()).await?;
    assert!(pa != pc);
    sqlx::query("SELECT timeseries.refresh_all_rollups($1)")
        .bind(end)
        .execute(&db.maintenance)
        .await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM performance_metrics_daily WHERE tenant_id = $1 AND grain = 'team'",
    )
    .bind(a.tenant)
    .fetch_one(&db.maintenance)
    .await?;
    assert!(n > 0);
    Ok(())
}
