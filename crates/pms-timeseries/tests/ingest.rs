//! Ingest through files: rows land in their chunks (created on demand), bad rows are rejected
//! with line number and reason, a batch with a bad row loads nothing, and rows that reach the
//! DEFAULT partition are moved into a chunk by the partition job, never lost.

mod common;

use pms_test_support::TestDb;
use pms_timeseries::ingest::{self, IngestOptions};
use pms_timeseries::parse::{Format, RecordReader};

async fn count(db: &TestDb, sql: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&db.maintenance)
        .await?)
}

#[tokio::test]
async fn a_clean_csv_loads_every_row_into_chunks() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "ingest-a", 2).await?;
    let (t, u0, u1) = (org.tenant, org.users[0], org.users[1]);
    let csv = format!(
        "tenant_id,user_id,metric_name,value,recorded_at\n\
         {t},{u0},quality,71.25,2025-03-01T10:00:00Z\n\
         {t},{u1},productivity,12.5,2026-02-14T10:00:00Z\n\
         {t},{u1},engagement_score,80,2024-12-31T23:59:59Z\n\
         \"{t}\",{u0},feedback_given,3,2026-01-05 08:00:00+00:00\n"
    );
    let reader = RecordReader::new(csv.as_bytes(), Format::Csv)?;
    let mut calls = 0;
    let summary = ingest::ingest(
        &db.maintenance,
        reader,
        &IngestOptions::default(),
        &mut |_| calls += 1,
    )
    .await?;
    assert_eq!(
        (
            summary.rows_read,
            summary.rows_loaded,
            summary.rows_rejected
        ),
        (4, 4, 0)
    );
    assert_eq!(calls, 1);
    assert_eq!(
        count(&db, "SELECT count(*) FROM performance_metrics_ts").await?,
        2
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM engagement_metrics_ts").await?,
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM feedback_activity_ts").await?,
        1
    );
    // Each row sits in a real chunk, none in the DEFAULT partition.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM timeseries.performance_metrics_ts_default"
        )
        .await?,
        0
    );
    let value: f64 = sqlx::query_scalar(
        "SELECT value FROM performance_metrics_ts WHERE metric_name = 'quality'",
    )
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(value, 71.25);
    let chunk: String = sqlx::query_scalar(
        "SELECT tableoid::regclass::text FROM performance_metrics_ts WHERE metric_name = 'quality'",
    )
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(chunk, "timeseries.performance_metrics_ts_p20250301");
    Ok(())
}

#[tokio::test]
async fn bad_rows_are_rejected_with_line_and_reason_and_their_batch_loads_nothing()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "ingest-b", 1).await?;
    let other = common::org(&db, "ingest-c", 1).await?;
    let (t, u) = (org.tenant, org.users[0]);
    let stranger = other.users[0];
    let unknown = uuid::Uuid::now_v7();
    let lines = [
        format!(
            r#"{{"tenant_id":"{t}","user_id":"{u}","metric_name":"quality","value":50,"recorded_at":"2026-01-01T00:00:00Z"}}"#
        ), // 1 ok
        format!(
            r#"{{"tenant_id":"{unknown}","user_id":"{u}","metric_name":"quality","value":50,"recorded_at":"2026-01-01T00:00:00Z"}}"#
        ), // 2
        format!(
            r#"{{"tenant_id":"{t}","user_id":"{stranger}","metric_name":"quality","value":50,"recorded_at":"2026-01-01T00:00:00Z"}}"#
        ), // 3
        format!(
            r#"{{"tenant_id":"{t}","user_id":"{u}","metric_name":"shoe_size","value":50,"recorded_at":"2026-01-01T00:00:00Z"}}"#
        ), // 4
        format!(
            r#"{{"tenant_id":"{t}","user_id":"{u}","metric_name":"quality","value":"NaN","recorded_at":"2026-01-01T00:00:00Z"}}"#
        ), // 5
        format!(
            r#"{{"tenant_id":"{t}","user_id":"{u}","metric_name":"quality","value":1,"recorded_at":"2999-01-01T00:00:00Z"}}"#
        ), // 6
        format!(
            r#"{{"tenant_id":"{t}","user_id":"{u}","metric_name":"quality","value":1,"recorded_at":"1969-12-31T23:59:59Z"}}"#
        ), // 7
        "{not json".to_string(), // 8
        format!(
            r#"{{"tenant_id":"{t}","user_id":"{u}","metric_name":"quality","value":2,"recorded_at":"2026-01-02T00:00:00Z"}}"#
        ), // 9 ok, 2nd batch
        format!(
            r#"{{"tenant_id":"{t}","user_id":"{u}","metric_name":"quality","value":3,"recorded_at":"2026-01-03T00:00:00Z"}}"#
        ), // 10 ok
    ];
    let text = lines.join("\n");
    let reader = RecordReader::new(text.as_bytes(), Format::Ndjson)?;
    let opts = IngestOptions {
        batch_size: 8,
        ..IngestOptions::default()
    };
    let summary = ingest::ingest(&db.maintenance, reader, &opts, &mut |_| {}).await?;
    assert_eq!(summary.rows_read, 10);
    assert_eq!(summary.rows_loaded, 2, "{summary:?}");
    assert_eq!(summary.rows_rejected, 8);
    assert_eq!(summary.invalid_rows, 7);
    assert_eq!((summary.batches_loaded, summary.batches_rejected), (1, 1));
    let got: Vec<(u64, &str)> = summary
        .rejections
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    let expect = [
        (2, "does not exist"),
        (3, "does not exist in tenant"),
        (4, "not registered"),
        (5, "value is missing or not a number"),
        (6, "in the future"),
        (7, "before 1970"),
        (8, "not valid JSON"),
    ];
    assert_eq!(got.len(), expect.len(), "{got:?}");
    for ((line, reason), (el, er)) in got.iter().zip(expect) {
        assert_eq!(*line, el);
        assert!(reason.contains(er), "line {line}: {reason}");
    }
    // Line 1 shared a batch with the bad rows: not loaded. Lines 9-10 were.
    let values: Vec<f64> =
        sqlx::query_scalar("SELECT value FROM performance_metrics_ts ORDER BY value")
            .fetch_all(&db.maintenance)
            .await?;
    assert_eq!(values, vec![2.0, 3.0]);

    // NaN and infinity in CSV parse as numbers and are refused by validation.
    let csv = format!(
        "tenant_id,user_id,metric_name,value,recorded_at\n{t},{u},quality,NaN,2026-01-01T00:00:00Z\n{t},{u},quality,inf,2026-01-01T00:00:00Z\n"
    );
    let summary = ingest::ingest(
        &db.maintenance,
        RecordReader::new(csv.as_bytes(), Format::Csv)?,
        &opts,
        &mut |_| {},
    )
    .await?;
    assert_eq!(summary.rows_loaded, 0);
    assert!(
        summary
            .rejections
            .iter()
            .all(|r| r.reason.contains("not a finite number")),
        "{:?}",
        summary.rejections
    );
    // A malformed file (no usable header) is refused as a whole.
    let err = RecordReader::new("tenant,user\n1,2\n".as_bytes(), Format::Csv)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("lacks column"), "{err}");
    // And the database refuses non-finite values even from direct SQL.
    let err = sqlx::query(
        "INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 'Infinity', now())",
    )
    .bind(t)
    .bind(u)
    .execute(&db.maintenance)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("check constraint"), "{err}");
    Ok(())
}

#[tokio::test]
async fn a_row_without_a_chunk_waits_in_default_and_is_moved_by_the_partition_job()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "ingest-d", 1).await?;
    sqlx::query(
        "INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 42, '2021-06-15T12:00:00Z')",
    )
    .bind(org.tenant)
    .bind(org.users[0])
    .execute(&db.maintenance)
    .await?;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM timeseries.performance_metrics_ts_default"
        )
        .await?,
        1
    );
    let report: serde_json::Value = sqlx::query_scalar("SELECT timeseries.create_future_chunks()")
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(report["partitions_for_waiting_rows"], 1, "{report}");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM timeseries.performance_metrics_ts_default"
        )
        .await?,
        0
    );
    let chunk: String =
        sqlx::query_scalar("SELECT tableoid::regclass::text FROM performance_metrics_ts")
            .fetch_one(&db.maintenance)
            .await?;
    assert_eq!(chunk, "timeseries.performance_metrics_ts_p20210601");
    Ok(())
}

/// Loads `rows` through the platform's ingest path.
async fn ingest_rows(db: &TestDb, rows: Vec<ingest::MetricRow>) -> anyhow::Result<u64> {
    Ok(common::ingest_rows(&db.maintenance, rows)
        .await?
        .rows_loaded)
}

/// New points (none below the rollup watermark) are copied straight into their chunks; late
/// points go through the parent, whose trigger logs their days. Either way the rows land in the
/// right chunks and, after a refresh, the daily rollup equals the raw aggregates.
#[tokio::test]
async fn new_points_skip_the_trigger_and_late_points_still_invalidate_their_days()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "ingest-late", 2).await?;
    // The refreshes run as of one instant read once, so the watermark is this midnight (UTC)
    // even when the test runs across midnight; the points are placed around that watermark.
    let at: time::OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.maintenance)
        .await?;
    let midnight = at.replace_time(time::Time::MIDNIGHT);
    let points = |from: time::OffsetDateTime, n: i64, base: f64| -> Vec<ingest::MetricRow> {
        (0..n)
            .map(|k| ingest::MetricRow {
                tenant_id: org.tenant,
                user_id: org.users[(k % 2) as usize],
                metric_name: "quality".into(),
                value: base + (k % 17) as f64,
                recorded_at: from + time::Duration::minutes(37 * k),
            })
            .collect()
    };
    // Ten days of history before any rollup exists, then a refresh: watermark at midnight.
    assert_eq!(
        ingest_rows(&db, points(midnight - time::Duration::days(10), 380, 10.0)).await?,
        380
    );
    sqlx::query("SELECT timeseries.refresh_all_rollups($1)")
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    assert_eq!(
        count(&db, "SELECT count(*) FROM timeseries.invalidations").await?,
        0
    );
    // Late points in three materialized days: logged by the trigger on the parent.
    assert_eq!(
        ingest_rows(&db, points(midnight - time::Duration::days(3), 100, 50.0)).await?,
        100
    );
    let logged = count(&db, "SELECT count(DISTINCT day) FROM timeseries.invalidations WHERE hypertable = 'performance_metrics_ts'").await?;
    assert!(logged >= 2, "late points logged {logged} days");
    // New points at and after the watermark: straight into their chunk, nothing logged.
    let before = count(&db, "SELECT count(*) FROM timeseries.invalidations").await?;
    let fresh = points(midnight, 3, 70.0);
    assert_eq!(ingest_rows(&db, fresh).await?, 3);
    assert_eq!(
        count(&db, "SELECT count(*) FROM timeseries.invalidations").await?,
        before
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM timeseries.performance_metrics_ts_default"
        )
        .await?,
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM performance_metrics_ts").await?,
        483
    );
    sqlx::query("SELECT timeseries.refresh_all_rollups($1)")
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    let wrong = count(
        &db,
        "WITH raw AS (
             SELECT user_id, timeseries.bucket('1 day', recorded_at) AS day, count(*) AS n, sum(value) AS s
             FROM performance_metrics_ts GROUP BY 1, 2)
         SELECT count(*) FROM raw r FULL JOIN (
             SELECT subject_id AS user_id, bucket AS day, sample_count AS n, sum_value AS s
             FROM performance_metrics_daily WHERE grain = 'user') d USING (user_id, day)
         WHERE r.n IS DISTINCT FROM d.n OR abs(r.s - d.s) > 1e-6 OR r.s IS NULL OR d.s IS NULL",
    )
    .await?;
    assert_eq!(wrong, 0, "daily rollup differs from raw in {wrong} rows");
    Ok(())
}
