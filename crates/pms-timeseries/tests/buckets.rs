//! time_bucket without TimescaleDB: days at midnight UTC, weeks on Mondays, months and
//! quarters from 2000-01-01, before 2000 too; NULL in, NULL out.

use pms_test_support::TestDb;

#[tokio::test]
async fn time_bucket_aligns_like_timescaledb() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let cases = [
        ("1 day", "2026-11-25 17:45:00+00", "2026-11-25 00:00:00+00"),
        ("1 hour", "2026-11-25 17:45:00+00", "2026-11-25 17:00:00+00"),
        ("7 days", "2026-11-25 17:45:00+00", "2026-11-23 00:00:00+00"),
        ("1 week", "2026-11-23 00:00:00+00", "2026-11-23 00:00:00+00"),
        (
            "1 month",
            "2026-11-25 17:45:00+00",
            "2026-11-01 00:00:00+00",
        ),
        (
            "3 months",
            "2026-11-25 17:45:00+00",
            "2026-10-01 00:00:00+00",
        ),
        (
            "3 months",
            "1969-11-15 00:00:00+00",
            "1969-10-01 00:00:00+00",
        ),
        ("1 year", "2026-11-25 17:45:00+00", "2026-01-01 00:00:00+00"),
        ("1 day", "2026-11-25 23:30:00-05", "2026-11-26 00:00:00+00"),
    ];
    let mut conn = db.app.acquire().await?;
    for (width, ts, want) in cases {
        let ok: bool = sqlx::query_scalar(
            "SELECT time_bucket($1::interval, $2::timestamptz) = $3::timestamptz",
        )
        .bind(width)
        .bind(ts)
        .bind(want)
        .fetch_one(&mut *conn)
        .await?;
        assert!(ok, "time_bucket({width}, {ts}) should be {want}");
    }
    let null: Option<time::OffsetDateTime> =
        sqlx::query_scalar("SELECT time_bucket('1 day', NULL::timestamptz)")
            .fetch_one(&mut *conn)
            .await?;
    assert!(null.is_none());
    Ok(())
}
