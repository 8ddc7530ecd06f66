//! Compression returns exactly the rows a chunk held (including values and times that do not
//! fit the compact encodings), decompression restores them, and retention drops exactly the
//! expired chunks, whole.

mod common;

use pms_test_support::TestDb;
use pms_timeseries::status;
use time::{Duration, OffsetDateTime};

type Row = (uuid::Uuid, uuid::Uuid, String, f64, OffsetDateTime);

async fn all_rows(db: &TestDb, from: &str) -> anyhow::Result<Vec<Row>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT tenant_id, user_id, metric_name, value, recorded_at FROM {from} ORDER BY 1, 2, 5, 3, 4"
    )))
    .fetch_all(&db.maintenance)
    .await?)
}

#[tokio::test]
async fn compressed_chunks_return_exactly_their_rows_and_decompress_back() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "compress-a", 3).await?;
    let now = OffsetDateTime::now_utc();
    let old = (now - Duration::days(300)).replace_nanosecond(0)?;
    // Whole-second times with two-decimal values (the compact path) for users 0 and 1; user 2
    // gets sub-second times and values with more decimals (the exact fallbacks).
    sqlx::query(
        "INSERT INTO performance_metrics_ts (tenant_id, user_id, metric_name, value, recorded_at)
         SELECT $1, u, m, round((random() * 100)::numeric, 2)::float8, $3::timestamptz + g * interval '7 hours'
         FROM unnest($2::uuid[]) u, unnest(ARRAY['quality', 'productivity']) m, generate_series(0, 200) g",
    )
    .bind(org.tenant)
    .bind(&org.users[..2])
    .bind(old)
    .execute(&db.maintenance)
    .await?;
    sqlx::query(
        "INSERT INTO performance_metrics_ts VALUES ($1, $2, 'quality', 1.0 / 3, $3), ($1, $2, 'quality', -0.0, $3 + interval '1.5 seconds'),
                                                  ($1, $2, 'competency', 1e300, $3 + interval '3 days 0.000001 seconds')",
    )
    .bind(org.tenant)
    .bind(org.users[2])
    .bind(old + Duration::hours(1))
    .execute(&db.maintenance)
    .await?;
    let before = all_rows(&db, "performance_metrics_ts").await?;
    let daily_before = all_rows(&db, "(SELECT tenant_id, subject_id AS user_id, metric_name, round(avg_value::numeric, 9)::float8 AS value, bucket AS recorded_at FROM performance_metrics_daily WHERE grain = 'user') d").await?;

    let report = status::run_maintenance(&db.maintenance).await?;
    assert!(
        report["chunks_compressed"].as_i64().unwrap_or(0) >= 1,
        "{report}"
    );
    let compressed: Vec<String> =
        status::compressed_chunks(&db.maintenance, "performance_metrics_ts").await?;
    assert!(!compressed.is_empty());
    // Users 0 and 1 fit the packed words; user 2 needs the exact arrays.
    let (packed, exact): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE packed IS NOT NULL), count(*) FILTER (WHERE packed IS NULL)
         FROM timeseries.performance_metrics_ts_compressed WHERE tenant_id = $1",
    )
    .bind(org.tenant)
    .fetch_one(&db.maintenance)
    .await?;
    assert!(packed >= 2 && exact >= 1, "packed {packed}, exact {exact}");
    // The raw chunks are empty; the rows come back through the _all view and the functions.
    let raw_left = all_rows(&db, "performance_metrics_ts").await?;
    assert!(raw_left.len() < before.len());
    assert!(
        all_rows(&db, "performance_metrics_ts_all").await? == before,
        "compressed rows differ"
    );
    let daily_after = all_rows(&db, "(SELECT tenant_id, subject_id AS user_id, metric_name, round(avg_value::numeric, 9)::float8 AS value, bucket AS recorded_at FROM performance_metrics_daily WHERE grain = 'user') d").await?;
    assert!(
        daily_after == daily_before,
        "daily rollup changed by compression"
    );
    let recent: i64 =
        sqlx::query_scalar("SELECT count(*) FROM get_recent_performance_metrics($1, $2, 400)")
            .bind(org.tenant)
            .bind(org.users[2])
            .fetch_one(&db.maintenance)
            .await?;
    assert_eq!(recent, 3);
    // The status reports both sizes.
    let st = status::status(&db.maintenance).await?;
    let c = st
        .chunks
        .iter()
        .find(|c| c.chunk_name == compressed[0])
        .expect("chunk in status");
    assert!(c.compressed && c.compressed_bytes > 0);

    for chunk in &compressed {
        status::decompress_chunk(&db.maintenance, chunk).await?;
    }
    assert!(
        all_rows(&db, "performance_metrics_ts").await? == before,
        "decompressed rows differ"
    );
    assert!(
        status::compressed_chunks(&db.maintenance, "performance_metrics_ts")
            .await?
            .is_empty()
    );
    let err = status::decompress_chunk(&db.maintenance, &compressed[0])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not compressed"), "{err}");
    let err = status::decompress_chunk(&db.maintenance, "no_such_chunk")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown chunk"), "{err}");
    Ok(())
}

#[tokio::test]
async fn retention_drops_exactly_the_expired_chunks() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "retain-a", 1).await?;
    // Rows, expectations and retention all as of one instant (read once; UTC arithmetic, like
    // the chunk bounds): at a month boundary the horizon would otherwise move between them.
    let at: OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&db.maintenance)
        .await?;
    // One row on the first day of each month from 30 months ago to last month.
    sqlx::query(
        "INSERT INTO performance_metrics_ts
         SELECT $1, $2, 'quality', g, (date_trunc('month', $3::timestamptz AT TIME ZONE 'UTC') - make_interval(months => g)) AT TIME ZONE 'UTC'
         FROM generate_series(1, 30) g",
    )
    .bind(org.tenant)
    .bind(org.users[0])
    .bind(at)
    .execute(&db.maintenance)
    .await?;
    sqlx::query("SELECT timeseries.create_future_chunks($1)")
        .bind(at)
        .execute(&db.maintenance)
        .await?;
    let expired: Vec<String> = sqlx::query_scalar(
        "SELECT chunk_name FROM timeseries.chunks WHERE hypertable = 'performance_metrics_ts'
           AND range_end <= ($1::timestamptz AT TIME ZONE 'UTC' - interval '2 years') AT TIME ZONE 'UTC' ORDER BY 1",
    )
    .bind(at)
    .fetch_all(&db.maintenance)
    .await?;
    assert!(expired.len() >= 6, "{expired:?}");
    let report: serde_json::Value = sqlx::query_scalar("SELECT timeseries.apply_retention($1)")
        .bind(at)
        .fetch_one(&db.maintenance)
        .await?;
    let mut dropped: Vec<String> = serde_json::from_value(report["dropped"].clone())?;
    dropped.sort();
    assert_eq!(dropped, expired);
    for chunk in &expired {
        let gone: bool = sqlx::query_scalar("SELECT to_regclass('timeseries.' || $1) IS NULL")
            .bind(chunk)
            .fetch_one(&db.maintenance)
            .await?;
        assert!(gone, "{chunk} still exists");
    }
    // Every row younger than 2 years is still there, every older one is gone.
    let (kept, oldest): (i64, OffsetDateTime) =
        sqlx::query_as("SELECT count(*), min(recorded_at) FROM performance_metrics_ts")
            .fetch_one(&db.maintenance)
            .await?;
    // A row's chunk ends where the next month starts; it is kept when that end is after the
    // horizon.
    let expect: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM generate_series(1, 30) g
         WHERE date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') - make_interval(months => g - 1)
               > $1::timestamptz AT TIME ZONE 'UTC' - interval '2 years'",
    )
    .bind(at)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(kept, expect);
    // Whole chunks only: the oldest kept row is at most one chunk older than the horizon.
    assert!(oldest > at - Duration::days(2 * 366 + 31));
    // Running it again drops nothing.
    let again: serde_json::Value = sqlx::query_scalar("SELECT timeseries.apply_retention($1)")
        .bind(at)
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(again["chunks_dropped"], 0);
    Ok(())
}
