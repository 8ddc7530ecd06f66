//! Isolation as the application role: the hypertables, the *_all views, the rollups, the
//! engine's tables and the query functions show only the current tenant's rows; no tenant
//! means no rows; the application can write its own tenant's points (and so invalidate its
//! rollups) but not another tenant's, and cannot run the engine's maintenance.

mod common;

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use uuid::Uuid;

const READS: [&str; 14] = [
    "performance_metrics_ts",
    "engagement_metrics_ts",
    "performance_metrics_ts_all",
    "engagement_metrics_ts_all",
    "performance_metrics_daily",
    "performance_metrics_monthly",
    "engagement_metrics_weekly",
    "feedback_trends_monthly",
    "timeseries.performance_metrics_daily_mat",
    "timeseries.performance_metrics_monthly_mat",
    "timeseries.engagement_metrics_weekly_mat",
    "timeseries.performance_metrics_ts_compressed",
    "feedback_activity_ts_all",
    "goal_progress_ts_all",
];

async fn seed(db: &TestDb, tenant: Uuid, user: Uuid) -> anyhow::Result<()> {
    for (table, metric) in [
        ("performance_metrics_ts", "quality"),
        ("engagement_metrics_ts", "engagement_score"),
        ("feedback_activity_ts", "feedback_given"),
        ("goal_progress_ts", "goal_progress_pct"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} SELECT $1, $2, '{metric}', g % 100, now() - g * interval '1 day' FROM generate_series(1, 400) g"
        )))
        .bind(tenant)
        .bind(user)
        .execute(&db.maintenance)
        .await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_app_role_sees_only_its_tenant_in_every_time_series_object() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let a = common::org(&db, "iso-a", 1).await?;
    let b = common::org(&db, "iso-b", 1).await?;
    seed(&db, a.tenant, a.users[0]).await?;
    seed(&db, b.tenant, b.users[0]).await?;
    let report: serde_json::Value = sqlx::query_scalar("SELECT timeseries_maintenance()")
        .fetch_one(&db.maintenance)
        .await?;
    assert!(
        report["chunks_compressed"].as_i64().unwrap_or(0) > 0,
        "{report}"
    );

    let mut tx = TenantTx::begin(&db.app, TenantId(a.tenant), None).await?;
    for obj in READS {
        let (total, foreign): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*), count(*) FILTER (WHERE tenant_id <> $1) FROM {obj}"
        )))
        .bind(a.tenant)
        .fetch_one(&mut **tx)
        .await?;
        assert_eq!(foreign, 0, "{obj} shows another tenant's rows");
        assert!(total > 0, "{obj} shows nothing of the own tenant");
    }
    let mine: i64 =
        sqlx::query_scalar("SELECT count(*) FROM get_recent_performance_metrics($1, $2, 3650)")
            .bind(a.tenant)
            .bind(a.users[0])
            .fetch_one(&mut **tx)
            .await?;
    assert_eq!(mine, 400);
    let theirs: i64 =
        sqlx::query_scalar("SELECT count(*) FROM get_recent_performance_metrics($1, $2, 3650)")
            .bind(b.tenant)
            .bind(b.users[0])
            .fetch_one(&mut **tx)
            .await?;
    assert_eq!(theirs, 0);
    let (trend,): (String,) =
        sqlx::query_as("SELECT trend FROM calculate_engagement_trend($1, $2, '1 year')")
            .bind(b.tenant)
            .bind(b.users[0])
            .fetch_one(&mut **tx)
            .await?;
    assert_eq!(trend, "NO_DATA");
    let (trend,): (String,) =
        sqlx::query_as("SELECT trend FROM calculate_engagement_trend($1, $2, '1 year')")
            .bind(a.tenant)
            .bind(a.users[0])
            .fetch_one(&mut **tx)
            .await?;
    assert_ne!(trend, "NO_DATA");

    // Writing its own points works (and logs an invalidation); another tenant's is refused.
    sqlx::query("INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 1, now() - interval '3 days')")
        .bind(a.tenant)
        .bind(a.users[0])
        .execute(&mut **tx)
        .await?;
    let err = sqlx::query("INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 1, now() - interval '3 days')")
        .bind(b.tenant)
        .bind(b.users[0])
        .execute(&mut **tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    tx.rollback().await?;

    // No tenant: nothing at all.
    let mut conn = db.app.acquire().await?;
    for obj in READS {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {obj}")))
            .fetch_one(&mut *conn)
            .await?;
        assert_eq!(n, 0, "{obj} without a tenant");
    }
    // The engine's levers are not the application's.
    for call in [
        "SELECT timeseries_maintenance()",
        "SELECT timeseries.compress_chunk('x')",
        "SELECT timeseries.refresh_rollup('performance_metrics_daily')",
    ] {
        let err = sqlx::query(call).execute(&mut *conn).await.unwrap_err();
        assert!(
            err.to_string().contains("permission denied"),
            "{call}: {err}"
        );
    }
    let err = sqlx::query("SELECT count(*) FROM timeseries.performance_metrics_ts_default")
        .execute(&mut *conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    Ok(())
}
