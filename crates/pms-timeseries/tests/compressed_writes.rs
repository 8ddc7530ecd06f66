//! An UPDATE or DELETE of a point in a compressed chunk never silently touches nothing: through
//! `<hypertable>_all` it unpacks that person's segment and applies; directly on the hypertable
//! (plain rows only) the application is refused with the chunk named and the way out. On
//! TimescaleDB the write decompresses what it touches and applies. The chunk's instant is fixed
//! and compression is explicit, so nothing depends on the day the test runs.

mod common;

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use pms_test_support::timescale::TimescaleDb;
use sqlx::PgPool;
use uuid::Uuid;

const T0: &str = "2025-06-10 00:00:00+00";

/// 48 hourly points from T0 for each user, in a chunk of their own, packed.
async fn packed_chunk(m: &PgPool, tenant: Uuid, users: &[Uuid]) -> anyhow::Result<String> {
    sqlx::query(
        "INSERT INTO performance_metrics_ts (tenant_id, user_id, metric_name, value, recorded_at)
         SELECT $1, u, 'quality', g + 0.5, $3::timestamptz + g * interval '1 hour'
         FROM unnest($2::uuid[]) u, generate_series(0, 47) g",
    )
    .bind(tenant)
    .bind(users)
    .bind(T0)
    .execute(m)
    .await?;
    let chunk: Option<String> = sqlx::query_scalar(
        "SELECT timeseries.create_chunk('performance_metrics_ts', $1::timestamptz)",
    )
    .bind(T0)
    .fetch_one(m)
    .await?;
    let chunk = chunk.ok_or_else(|| anyhow::anyhow!("no new chunk for T0"))?;
    // Materialized up to a fixed instant after the chunk, so it may be packed.
    sqlx::query("SELECT timeseries.refresh_all_rollups('2025-09-01 00:00:00+00')")
        .execute(m)
        .await?;
    pms_timeseries::status::compress_chunk(m, &chunk).await?;
    Ok(chunk)
}

async fn segments(m: &PgPool, user: Uuid) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM timeseries.performance_metrics_ts_compressed WHERE user_id = $1",
    )
    .bind(user)
    .fetch_one(m)
    .await?)
}

#[tokio::test]
async fn writes_reach_compressed_points_or_are_refused_naming_the_chunk() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "cw-a", 2).await?;
    let other = common::org(&db, "cw-b", 1).await?;
    let (u0, u1) = (org.users[0], org.users[1]);
    let chunk = packed_chunk(&db.maintenance, org.tenant, &org.users).await?;
    assert_eq!(segments(&db.maintenance, u0).await?, 1);
    let tenant = TenantId::from(org.tenant);

    // Directly on the hypertable: refused, naming the chunk and both ways out; nothing changed.
    for sql in [
        "UPDATE performance_metrics_ts SET value = 0 WHERE user_id = $1",
        "DELETE FROM performance_metrics_ts WHERE user_id = $1",
    ] {
        let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
        let e = sqlx::query(sql)
            .bind(u0)
            .execute(&mut **tx)
            .await
            .expect_err("a blind write while points are packed");
        let db_err = e.as_database_error().expect("a database error");
        let hint = db_err
            .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
            .and_then(|p| p.hint().map(str::to_string))
            .unwrap_or_default();
        assert!(
            db_err.message().contains(&chunk) && hint.contains("pms timeseries decompress"),
            "{e} / hint: {hint}"
        );
        assert!(hint.contains("performance_metrics_ts_all"), "{hint}");
    }
    assert_eq!(segments(&db.maintenance, u0).await?, 1, "nothing unpacked");

    // Through the _all view: the packed point is changed, only its person's segment unpacked.
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let n = sqlx::query(
        "UPDATE performance_metrics_ts_all SET value = 99 WHERE user_id = $1 AND recorded_at = $2::timestamptz + interval '5 hours'",
    )
    .bind(u0)
    .bind(T0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    assert_eq!(n, 1);
    let n = sqlx::query(
        "DELETE FROM performance_metrics_ts_all WHERE user_id = $1 AND recorded_at < $2::timestamptz + interval '10 hours'",
    )
    .bind(u1)
    .bind(T0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    assert_eq!(n, 10);
    let (points0, ninety_nine, points1): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE user_id = $1), count(*) FILTER (WHERE user_id = $1 AND value = 99),
                count(*) FILTER (WHERE user_id = $2)
         FROM performance_metrics_ts_all",
    )
    .bind(u0)
    .bind(u1)
    .fetch_one(&mut **tx)
    .await?;
    assert_eq!((points0, ninety_nine, points1), (48, 1, 38));
    // Another tenant's points cannot be reached, nor its segments unpacked.
    let n = sqlx::query("UPDATE performance_metrics_ts_all SET value = 1 WHERE user_id = $1")
        .bind(other.users[0])
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 0);
    tx.commit().await?;
    assert_eq!(segments(&db.maintenance, u0).await?, 0);
    assert_eq!(segments(&db.maintenance, u1).await?, 0);

    let mut tx = TenantTx::begin(&db.app, TenantId::from(other.tenant), None).await?;
    let e = sqlx::query(
        "SELECT timeseries.decompress_segment('performance_metrics_ts', $1, $2, $3::timestamptz)",
    )
    .bind(org.tenant)
    .bind(u0)
    .bind(T0)
    .fetch_one(&mut **tx)
    .await
    .expect_err("another tenant's segment");
    assert!(e.to_string().contains("not the tenant"), "{e}");
    drop(tx);

    // Nothing of the tenant is packed any more: plain writes on the hypertable are exact again.
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let n = sqlx::query("UPDATE performance_metrics_ts SET value = value WHERE user_id = $1")
        .bind(u0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 48);
    tx.commit().await?;

    // The changes reach the rollups, and the compression job packs the unpacked rows again.
    sqlx::query("SELECT timeseries.refresh_all_rollups('2025-09-01 00:00:00+00')")
        .execute(&db.maintenance)
        .await?;
    let (daily_sum, raw_sum): (f64, f64) = sqlx::query_as(
        "SELECT (SELECT sum(sum_value) FROM timeseries.performance_metrics_daily_mat WHERE tenant_id = $1 AND grain = 'user' AND subject_id = $2),
                (SELECT sum(value) FROM performance_metrics_ts_all WHERE tenant_id = $1 AND user_id = $2)",
    )
    .bind(org.tenant)
    .bind(u0)
    .fetch_one(&db.maintenance)
    .await?;
    assert!(
        (daily_sum - raw_sum).abs() < 1e-6,
        "{daily_sum} vs {raw_sum}"
    );
    pms_timeseries::status::compress_chunk(&db.maintenance, &chunk).await?;
    assert_eq!(segments(&db.maintenance, u0).await?, 1);
    Ok(())
}

#[tokio::test]
async fn on_timescaledb_a_write_to_a_compressed_point_applies() -> anyhow::Result<()> {
    let Some(db) = TimescaleDb::new("on_timescaledb_a_write_to_a_compressed_point_applies").await?
    else {
        return Ok(());
    };
    let org = common::org_in(&db.maintenance, "cw-tsdb", 1).await?;
    let u = org.users[0];
    sqlx::query(
        "INSERT INTO timeseries.performance_metrics_ts_hyper (tenant_id, user_id, metric_name, value, recorded_at)
         SELECT $1, $2, 'quality', g + 0.5, $3::timestamptz + g * interval '1 hour' FROM generate_series(0, 47) g",
    )
    .bind(org.tenant)
    .bind(u)
    .bind(T0)
    .execute(&db.maintenance)
    .await?;
    // Packed with the platform's lever, as `pms timeseries compress` does (TimescaleDB's own
    // compress_chunk wants the hypertable's owner, which pms_maintenance is not).
    let chunk: String = sqlx::query_scalar(
        "SELECT chunk_name FROM timeseries.chunk_status()
         WHERE hypertable = 'performance_metrics_ts' AND range_start <= $1::timestamptz AND range_end > $1::timestamptz",
    )
    .bind(T0)
    .fetch_one(&db.maintenance)
    .await?;
    pms_timeseries::status::compress_chunk(&db.maintenance, &chunk).await?;
    assert_eq!(
        pms_timeseries::status::compressed_chunks(&db.maintenance, "performance_metrics_ts")
            .await?,
        std::slice::from_ref(&chunk)
    );
    let mut tx = TenantTx::begin(&db.app, TenantId::from(org.tenant), None).await?;
    let n = sqlx::query(
        "UPDATE performance_metrics_ts SET value = 99 WHERE user_id = $1 AND recorded_at = $2::timestamptz + interval '5 hours'",
    )
    .bind(u)
    .bind(T0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    assert_eq!(n, 1, "the compressed point was updated");
    let v: f64 = sqlx::query_scalar(
        "SELECT value FROM performance_metrics_ts WHERE user_id = $1 AND recorded_at = $2::timestamptz + interval '5 hours'",
    )
    .bind(u)
    .bind(T0)
    .fetch_one(&mut **tx)
    .await?;
    assert_eq!(v, 99.0);
    // The other points of the batch are still there, one of them changed.
    let (n, sum): (i64, f64) = sqlx::query_as(
        "SELECT count(*), sum(value) FROM performance_metrics_ts WHERE user_id = $1",
    )
    .bind(u)
    .fetch_one(&mut **tx)
    .await?;
    let expected: f64 = (0..48).map(|g| g as f64 + 0.5).sum::<f64>() - 5.5 + 99.0;
    assert_eq!(n, 48);
    assert!((sum - expected).abs() < 1e-9, "{sum} vs {expected}");
    tx.commit().await?;
    Ok(())
}
