//! Real-time tracking's `daily_metrics` and `hourly_metrics` are views over the time-series
//! engine: as the application role they show exactly the aggregates of the current tenant's
//! raw points (materialized days and the live tail alike), nothing of another tenant, and
//! nothing without a tenant; they are read-only.

mod common;

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use time::OffsetDateTime;
use uuid::Uuid;

/// Points for one person: `per_hour` points in each of the `hours` hours before the (UTC) hour
/// of `at`, with values that differ per tenant so that a mix-up would show.
async fn points(
    db: &TestDb,
    (tenant, user): (Uuid, Uuid),
    at: OffsetDateTime,
    hours: i32,
    per_hour: i32,
    offset: f64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO performance_metrics_ts (tenant_id, user_id, metric_name, value, recorded_at)
         SELECT $1, $2, m, $5 + (h * 7 + k * 3) % 50,
                time_bucket('1 hour', $6::timestamptz) - h * interval '1 hour' + k * interval '7 minutes'
         FROM generate_series(1, $3) h, generate_series(0, $4 - 1) k, unnest(ARRAY['quality', 'productivity']) m",
    )
    .bind(tenant)
    .bind(user)
    .bind(hours)
    .bind(per_hour)
    .bind(offset)
    .bind(at)
    .execute(&db.maintenance)
    .await?;
    Ok(())
}

/// Rows of `view` that differ from the same aggregate computed over the raw points, both
/// read in the same tenant transaction.
const DAILY_MISMATCH: &str = "
    WITH raw AS (
        SELECT user_id, metric_name AS metric, (recorded_at AT TIME ZONE 'UTC')::date AS day,
               avg(value) AS value, min(value) AS min_value, max(value) AS max_value, count(*) AS n
        FROM performance_metrics_ts GROUP BY 1, 2, 3)
    SELECT count(*) FROM raw r FULL JOIN daily_metrics d USING (user_id, metric, day)
    WHERE r.n IS DISTINCT FROM d.sample_count
       OR abs(r.value - d.value) > 1e-9 OR r.min_value IS DISTINCT FROM d.min_value
       OR r.max_value IS DISTINCT FROM d.max_value";

const HOURLY_MISMATCH: &str = "
    WITH raw AS (
        SELECT user_id, metric_name AS metric, time_bucket('1 hour', recorded_at) AS bucket,
               avg(value) AS value, min(value) AS min_value, max(value) AS max_value, count(*) AS n
        FROM performance_metrics_ts GROUP BY 1, 2, 3)
    SELECT count(*) FROM raw r FULL JOIN hourly_metrics h USING (user_id, metric, bucket)
    WHERE r.n IS DISTINCT FROM h.sample_count
       OR abs(r.value - h.value) > 1e-9 OR r.min_value IS DISTINCT FROM h.min_value
       OR r.max_value IS DISTINCT FROM h.max_value";

#[tokio::test]
async fn daily_and_hourly_metrics_are_the_engine_aggregates_of_the_own_tenant() -> anyhow::Result<()>
{
    let db = TestDb::new().await?;
    let a = common::org(&db, "trk-a", 2).await?;
    let b = common::org(&db, "trk-b", 1).await?;
    // Three days of points, materialized; then late points in those days, which the next
    // refresh recomputes (like a continuous aggregate, a materialized day changes at its
    // refresh); then points in the current hour, which only the live tail shows. "Current" is
    // the hour of one instant read once, which the refreshes run as of too.
    let at: OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.maintenance)
        .await?;
    points(&db, (a.tenant, a.users[0]), at, 72, 3, 0.0).await?;
    points(&db, (b.tenant, b.users[0]), at, 72, 3, 50.0).await?;
    let refresh = || {
        sqlx::query("SELECT timeseries.refresh_all_rollups($1)")
            .bind(at)
            .execute(&db.maintenance)
    };
    refresh().await?;
    points(&db, (a.tenant, a.users[1]), at, 60, 2, 10.0).await?;
    refresh().await?;
    sqlx::query(
        "INSERT INTO performance_metrics_ts (tenant_id, user_id, metric_name, value, recorded_at)
         SELECT $1, $2, 'quality', 42 + k, time_bucket('1 hour', $3::timestamptz) + k * interval '1 second' FROM generate_series(0, 4) k",
    )
    .bind(a.tenant)
    .bind(a.users[1])
    .bind(at)
    .execute(&db.maintenance)
    .await?;

    let mut tx = TenantTx::begin(&db.app, TenantId(a.tenant), None).await?;
    for (view, mismatch) in [
        ("daily_metrics", DAILY_MISMATCH),
        ("hourly_metrics", HOURLY_MISMATCH),
    ] {
        let (total, foreign): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*), count(*) FILTER (WHERE tenant_id <> $1) FROM {view}"
        )))
        .bind(a.tenant)
        .fetch_one(&mut **tx)
        .await?;
        assert_eq!(foreign, 0, "{view} shows another tenant's rows");
        assert!(total > 0, "{view} shows nothing of the own tenant");
        let wrong: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(mismatch))
            .fetch_one(&mut **tx)
            .await?;
        assert_eq!(
            wrong, 0,
            "{view} differs from the raw aggregates in {wrong} rows"
        );
    }
    // Both people of tenant A appear, the late one included.
    let people: i64 = sqlx::query_scalar("SELECT count(DISTINCT user_id) FROM daily_metrics")
        .fetch_one(&mut **tx)
        .await?;
    assert_eq!(people, 2);
    // Read-only: the application holds no write privilege on them.
    let writable: bool = sqlx::query_scalar(
        "SELECT bool_or(has_table_privilege('pms_app', v, p))
         FROM unnest(ARRAY['daily_metrics', 'hourly_metrics']) v, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) p",
    )
    .fetch_one(&mut **tx)
    .await?;
    assert!(!writable, "pms_app may write through the tracking views");
    tx.rollback().await?;

    // No tenant: nothing.
    let mut conn = db.app.acquire().await?;
    for view in ["daily_metrics", "hourly_metrics"] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {view}")))
                .fetch_one(&mut *conn)
                .await?;
        assert_eq!(n, 0, "{view} without a tenant");
    }
    Ok(())
}
