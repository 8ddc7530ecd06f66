//! Catalog checks of the engine: forced RLS on every tenant table of schema `timeseries`,
//! partitions unreachable by the application role, and chunks for now and the next intervals
//! after `pms migrate`; each check is also shown to catch a broken schema.

mod common;

use pms_core::TenantId;
use pms_db::TenantTx;
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

/// (hypertable, a metric registered for it)
const HYPERTABLES: [(&str, &str); 4] = [
    ("engagement_metrics_ts", "engagement_score"),
    ("feedback_activity_ts", "feedback_given"),
    ("goal_progress_ts", "goal_progress_pct"),
    ("performance_metrics_ts", "quality"),
];

async fn in_default_partitions(owner: &mut sqlx::PgConnection) -> anyhow::Result<i64> {
    let mut n = 0;
    for (table, _) in HYPERTABLES {
        n += sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM timeseries.{table}_default"
        )))
        .fetch_one(&mut *owner)
        .await?;
    }
    Ok(n)
}

/// `pms migrate` (every run of it, not a migration that ran once on its own day) leaves each
/// hypertable with chunks for the instant it ran and the next intervals, so the first points
/// never land in a DEFAULT partition; checked against the instant that run reports.
#[tokio::test]
async fn pms_migrate_leaves_chunks_for_now_and_the_next_interval() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "migrate-chunks", 1).await?;
    let mut owner = db.owner().await?;
    // As a database looked before: no chunk at all, only the DEFAULT partitions, where a point
    // of now lands (the check sees the gap).
    sqlx::query("SELECT timeseries.drop_chunk(chunk_name) FROM timeseries.chunks")
        .execute(&db.maintenance)
        .await?;
    let before: time::OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&mut owner)
        .await?;
    assert_eq!(
        catalog::missing_future_chunks(&mut owner, before)
            .await?
            .len(),
        4 * 4
    );
    sqlx::query("INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 1, now())")
        .bind(org.tenant)
        .bind(org.users[0])
        .execute(&db.maintenance)
        .await?;
    assert_eq!(in_default_partitions(&mut owner).await?, 1);

    let report = pms_db::migrate::migrate(&mut db.admin().await?).await?;
    let prepared = report
        .time_partitions
        .ok_or_else(|| anyhow::anyhow!("migrate reported no partitions by time range"))?;
    assert_eq!(prepared.backend, "native");
    // The interval of that instant and three more, for each of the four hypertables; the
    // waiting point moved into its chunk.
    assert_eq!(prepared.chunks_created, 4 * 4, "{prepared:?}");
    let missing = catalog::missing_future_chunks(&mut owner, prepared.at).await?;
    assert!(missing.is_empty(), "{missing:?}");
    let covered: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT h.name,
                EXISTS (SELECT 1 FROM timeseries.chunks c WHERE c.hypertable = h.name
                         AND c.range_start <= $1 AND c.range_end > $1),
                EXISTS (SELECT 1 FROM timeseries.chunks c WHERE c.hypertable = h.name
                         AND c.range_start <= ($1::timestamptz AT TIME ZONE 'UTC' + h.chunk_interval) AT TIME ZONE 'UTC'
                         AND c.range_end > ($1::timestamptz AT TIME ZONE 'UTC' + h.chunk_interval) AT TIME ZONE 'UTC')
         FROM timeseries.hypertables h ORDER BY 1",
    )
    .bind(prepared.at)
    .fetch_all(&mut owner)
    .await?;
    let all: Vec<(String, bool, bool)> = HYPERTABLES
        .iter()
        .map(|(t, _)| (t.to_string(), true, true))
        .collect();
    assert_eq!(
        covered, all,
        "(hypertable, chunk for now, chunk for the next interval)"
    );
    assert_eq!(in_default_partitions(&mut owner).await?, 0);

    // The application's first points of now, straight through the parents (no ingest path
    // making chunks on demand), land in chunks.
    let mut tx = TenantTx::begin(&db.app, TenantId(org.tenant), None).await?;
    for (table, metric) in HYPERTABLES {
        let chunk: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} VALUES ($1, $2, '{metric}', 2, now()) RETURNING tableoid::regclass::text"
        )))
        .bind(org.tenant)
        .bind(org.users[0])
        .fetch_one(&mut **tx)
        .await?;
        assert!(
            chunk.starts_with(&format!("timeseries.{table}_p")),
            "{table}: a point of now went to {chunk}"
        );
    }
    tx.commit().await?;
    assert_eq!(in_default_partitions(&mut owner).await?, 0);

    // Every run prepares for its own instant; the partition job at that instant then has
    // nothing left to do.
    let again = pms_db::migrate::migrate(&mut db.admin().await?)
        .await?
        .time_partitions
        .ok_or_else(|| anyhow::anyhow!("no partitions on the second run"))?;
    assert!(
        catalog::missing_future_chunks(&mut owner, again.at)
            .await?
            .is_empty()
    );
    let job: serde_json::Value = sqlx::query_scalar("SELECT timeseries.create_future_chunks($1)")
        .bind(again.at)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(job["partitions_created"], 0, "{job}");

    // Detaching the next chunk after that instant is noticed.
    let next: String = sqlx::query_scalar(
        "SELECT chunk_name FROM timeseries.chunks WHERE hypertable = 'performance_metrics_ts' AND range_start > $1 ORDER BY range_start LIMIT 1",
    )
    .bind(again.at)
    .fetch_one(&mut owner)
    .await?;
    owner
        .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE performance_metrics_ts DETACH PARTITION timeseries.{next}"
        ))))
        .await?;
    let missing = catalog::missing_future_chunks(&mut owner, again.at).await?;
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].starts_with("performance_metrics_ts has no chunk"),
        "{missing:?}"
    );
    Ok(())
}
