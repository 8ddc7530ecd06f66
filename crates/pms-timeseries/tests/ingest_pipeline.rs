//! The ingest pipeline (the next batch is read and encoded while the current one loads on its
//! own task): batches stay all-or-nothing and commit in order, rejections keep their line
//! numbers, a batch whose rows span several chunks and hypertables is split correctly, and a
//! batch the database refuses stops the run with everything before it loaded and nothing
//! after it.

mod common;

use pms_test_support::TestDb;
use pms_timeseries::ingest::{self, IngestOptions, MetricRow};
use pms_timeseries::parse::Record;
use sqlx::Executor;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

async fn values(db: &TestDb, sql: &str) -> anyhow::Result<Vec<f64>> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&db.maintenance)
        .await?)
}

fn point(org: &common::Org, k: usize, metric: &str, at: OffsetDateTime) -> MetricRow {
    MetricRow {
        tenant_id: org.tenant,
        user_id: org.users[k % org.users.len()],
        metric_name: metric.into(),
        value: k as f64,
        recorded_at: at,
    }
}

/// 60 lines in batches of 7 on a multi-threaded runtime, so loads really overlap reading: the
/// batches holding a bad line (lines 16 and 39-40) load nothing, every other batch loads
/// whole, progress sees the batches in order, and the rejections name their lines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_stay_atomic_and_ordered_while_the_next_one_is_read() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "pipe-a", 3).await?;
    let start = datetime!(2025-01-01 0:00 UTC);
    let records: Vec<Record> = (1..=60u64)
        .map(|line| {
            let k = line as usize;
            let mut row = point(&org, k, "quality", start + Duration::hours(7 * k as i64));
            let rec = match line {
                16 => Err("not a metric line".to_string()),
                39 => {
                    row.metric_name = "shoe_size".into();
                    Ok(row)
                }
                40 => {
                    row.value = f64::INFINITY;
                    Ok(row)
                }
                _ => Ok(row),
            };
            (line, rec)
        })
        .collect();
    let opts = IngestOptions {
        batch_size: 7,
        ..IngestOptions::default()
    };
    let mut seen: Vec<(u64, u64)> = Vec::new();
    let summary = ingest::ingest(&db.maintenance, records.into_iter(), &opts, &mut |s| {
        seen.push((s.rows_loaded, s.rows_rejected))
    })
    .await?;
    // Batches: 1-7, 8-14, 15-21 (line 16), 22-28, 29-35, 36-42 (39, 40), 43-49, 50-56, 57-60.
    assert_eq!(summary.rows_read, 60);
    assert_eq!((summary.batches_loaded, summary.batches_rejected), (7, 2));
    assert_eq!((summary.rows_loaded, summary.rows_rejected), (46, 14));
    assert_eq!(summary.invalid_rows, 3);
    let lines: Vec<u64> = summary.rejections.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![16, 39, 40]);
    assert!(summary.rejections[1].reason.contains("not registered"));
    assert!(summary.rejections[2].reason.contains("not a finite number"));
    assert_eq!(
        seen,
        vec![
            (7, 0),
            (14, 0),
            (14, 7),
            (21, 7),
            (28, 7),
            (28, 14),
            (35, 14),
            (42, 14),
            (46, 14)
        ],
        "progress after every batch, in order"
    );
    let loaded = values(
        &db,
        "SELECT value FROM performance_metrics_ts ORDER BY value",
    )
    .await?;
    let expect: Vec<f64> = (1..=60)
        .filter(|l| !(15..=21).contains(l) && !(36..=42).contains(l))
        .map(f64::from)
        .collect();
    assert_eq!(loaded, expect);
    Ok(())
}

/// One batch whose rows go back and forth across three monthly chunks, with rows of two
/// hypertables mixed in: each row lands in the chunk of its time, none in DEFAULT, with its
/// value intact.
#[tokio::test]
async fn a_batch_across_chunks_and_hypertables_is_split_by_chunk() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "pipe-b", 2).await?;
    let months = [
        datetime!(2025-03-10 12:00 UTC),
        datetime!(2025-05-20 08:30:00.25 UTC),
        datetime!(2025-04-01 0:00 UTC),
    ];
    let mut rows = Vec::new();
    for k in 0..30usize {
        let at = months[(k / 4) % 3] + Duration::minutes(k as i64);
        let metric = if k % 5 == 4 {
            "engagement_score"
        } else {
            "quality"
        };
        rows.push(point(&org, k, metric, at));
    }
    let summary = common::ingest_rows(&db.maintenance, rows.clone()).await?;
    assert_eq!((summary.rows_loaded, summary.batches_loaded), (30, 1));
    let stored: Vec<(String, f64, OffsetDateTime, String)> = sqlx::query_as(
        "SELECT metric_name, value, recorded_at, tableoid::regclass::text FROM performance_metrics_ts
         UNION ALL
         SELECT metric_name, value, recorded_at, tableoid::regclass::text FROM engagement_metrics_ts
         ORDER BY 2",
    )
    .fetch_all(&db.maintenance)
    .await?;
    assert_eq!(stored.len(), 30);
    for ((metric, value, at, chunk), row) in stored.iter().zip(&rows) {
        assert_eq!(
            (metric, *value, *at),
            (&row.metric_name, row.value, row.recorded_at)
        );
        let table = if metric == "quality" {
            "performance_metrics_ts"
        } else {
            "engagement_metrics_ts"
        };
        let month = format!("{:04}{:02}01", at.year(), u8::from(at.month()));
        assert_eq!(
            chunk,
            &format!("timeseries.{table}_p{month}"),
            "row {value}"
        );
    }
    Ok(())
}

/// The database refuses the third of five batches after validation passed it (a constraint
/// added for the test): the run stops with an error naming that batch's lines and what loaded
/// before it; the first two batches are in, the third and the one read while it loaded are
/// not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_the_database_refuses_stops_the_run_after_the_batches_before_it()
-> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let org = common::org(&db, "pipe-c", 2).await?;
    db.admin()
        .await?
        .execute("ALTER TABLE performance_metrics_ts ADD CONSTRAINT pipe_test_not_13 CHECK (value <> 13)")
        .await?;
    let start = datetime!(2025-06-01 0:00 UTC);
    let records = (1..=25u64).map(|line| {
        (
            line,
            Ok(point(
                &org,
                line as usize,
                "quality",
                start + Duration::hours(line as i64),
            )),
        )
    });
    let opts = IngestOptions {
        batch_size: 5,
        ..IngestOptions::default()
    };
    let mut progress = 0;
    let err = ingest::ingest(&db.maintenance, records, &opts, &mut |_| progress += 1)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("the batch of lines 11-15 was not loaded"),
        "{err}"
    );
    assert!(err.contains("pipe_test_not_13"), "{err}");
    assert!(
        err.contains("10 rows of earlier batches were loaded"),
        "{err}"
    );
    assert_eq!(progress, 2);
    let loaded = values(
        &db,
        "SELECT value FROM performance_metrics_ts ORDER BY value",
    )
    .await?;
    assert_eq!(loaded, (1..=10).map(f64::from).collect::<Vec<_>>());
    Ok(())
}
