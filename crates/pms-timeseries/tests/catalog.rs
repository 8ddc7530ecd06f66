//! Catalog checks of the engine: forced RLS on every tenant table of schema `timeseries`,
//! partitions unreachable by the application role, and future partitions present after the
//! partition job; each check is also shown to catch a broken schema.

use pms_test_support::TestDb;
use pms_timeseries::catalog;
use sqlx::Executor;

#[tokio::test]
async fn every_engine_tenant_table_has_forced_rls_and_partitions_are_not_exposed()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    sqlx::query("SELECT timeseries_maintenance()")
        .execute(&db.maintenance)
        .await?;
    let mut owner = db.owner().await?;
    let bad = catalog::rls_violations(&mut owner).await?;
    assert!(bad.is_empty(), "{bad:?}");
    // The public hypertables are covered by the foundation's check of schema public.
    let public = pms_test_support::catalog::rls_violations(&mut owner).await?;
    assert!(public.is_empty(), "{public:?}");
    let exposed = catalog::exposed_partitions(&mut owner).await?;
    assert!(exposed.is_empty(), "{exposed:?}");

    owner
        .execute("ALTER TABLE timeseries.performance_metrics_daily_mat NO FORCE ROW LEVEL SECURITY")
        .await?;
    owner
        .execute("GRANT SELECT ON timeseries.performance_metrics_ts_default TO pms_app")
        .await?;
    let bad = catalog::rls_violations(&mut owner).await?;
    assert_eq!(
        bad,
        vec!["timeseries.performance_metrics_daily_mat".to_string()]
    );
    let exposed = catalog::exposed_partitions(&mut owner).await?;
    assert_eq!(
        exposed,
        vec!["timeseries.performance_metrics_ts_default to pms_app".to_string()]
    );
    Ok(())
}

#[tokio::test]
async fn future_partitions_exist_after_the_partition_job_and_a_gap_is_caught() -> anyhow::Result<()>
{
    let db = TestDb::new().await?;
    let mut owner = db.owner().await?;
    // The job and the checks run as of one instant, read once: a chunk boundary between them
    // would otherwise make the check ask for a chunk the job was not due to create.
    let at: time::OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&mut owner)
        .await?;
    // A fresh database has none yet: the check sees that.
    assert!(
        !catalog::missing_future_chunks(&mut owner, at)
            .await?
            .is_empty()
    );
    let report: serde_json::Value =
        sqlx::query_scalar("SELECT timeseries.create_future_chunks($1)")
            .bind(at)
            .fetch_one(&db.maintenance)
            .await?;
    assert_eq!(report["partitions_created"], 4 * 4, "{report}");
    let missing = catalog::missing_future_chunks(&mut owner, at).await?;
    assert!(missing.is_empty(), "{missing:?}");
    // Idempotent.
    let again: serde_json::Value = sqlx::query_scalar("SELECT timeseries.create_future_chunks($1)")
        .bind(at)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(again["partitions_created"], 0);

    // Detaching next month's chunk is noticed.
    let next: String = sqlx::query_scalar(
        "SELECT chunk_name FROM timeseries.chunks WHERE hypertable = 'performance_metrics_ts' AND range_start > $1 ORDER BY range_start LIMIT 1",
    )
    .bind(at)
    .fetch_one(&mut owner)
    .await?;
    owner
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE performance_metrics_ts DETACH PARTITION timeseries.{next}"
        ))))
        .await?;
    let missing = catalog::missing_future_chunks(&mut owner, at).await?;
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].starts_with("performance_metrics_ts has no chunk"),
        "{missing:?}"
    );
    Ok(())
}
