//! The Parquet export on the demo tenants: every partition reads back with the parquet crate
//! and holds the warehouse's rows; a second export rewrites nothing; after a change only the
//! partitions it touched are rewritten; a store that cannot be written is a clear error and
//! leaves no manifest.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use arrow_array::{Array, Float64Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use pms_archive::{ArchiveConfig, ArchiveStore};
use pms_db::RoleName;
use pms_seed::demo::DEMO_COMPANY;
use pms_test_support::TestDb;
use pms_warehouse::export::{MANIFEST, Manifest, export};
use sqlx::Connection as _;
use std::collections::BTreeMap;

fn read_rows(path: &std::path::Path) -> (usize, Vec<arrow_array::RecordBatch>) {
    let bytes = bytes::Bytes::from(std::fs::read(path).unwrap());
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes)
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(|b| b.unwrap()).collect();
    (batches.iter().map(|b| b.num_rows()).sum(), batches)
}

#[tokio::test]
async fn the_export_reads_back_and_rewrites_only_what_changed() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let demo = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    let mut conn = db.urls.connect(RoleName::Maintenance).await?;
    pms_warehouse::sync(&mut conn, &Default::default(), &mut |_| {}).await?;
    let dir = std::env::temp_dir().join(format!("pms-wh-export-{}", uuid::Uuid::new_v4().simple()));
    let store = ArchiveStore::open(&ArchiveConfig::for_url(format!("file://{}", dir.display())))?;

    let first = export(&mut conn, &store, None).await?;
    assert!(first.written > 10 && first.unchanged == 0, "{first:?}");
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(dir.join(MANIFEST))?)?;
    // Every partition reads back with the manifest's row count; per table they add up to the
    // warehouse's rows.
    let mut per_table: BTreeMap<String, i64> = BTreeMap::new();
    for (key, p) in &manifest.partitions {
        let (rows, _) = read_rows(&dir.join(key));
        assert_eq!(rows as i64, p.rows, "{key}");
        assert!(key.contains(&format!("tenant_id={}", p.tenant_id)));
        *per_table.entry(p.table.clone()).or_default() += p.rows;
    }
    for (table, n) in &per_table {
        let want: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM warehouse.{table}"
        )))
        .fetch_one(&mut conn)
        .await?;
        assert_eq!(*n, want, "{table}");
    }
    // The ratings survive the trip: the demo tenant's sum of original ratings.
    let want: f64 = sqlx::query_scalar("SELECT coalesce(sum(original_rating), 0)::float8 FROM warehouse.fact_performance_review WHERE tenant_id = $1")
        .bind(demo)
        .fetch_one(&mut conn)
        .await?;
    let mut got = 0.0;
    for (key, p) in &manifest.partitions {
        if p.table == "fact_performance_review" && p.tenant_id == demo {
            for b in read_rows(&dir.join(key)).1 {
                let col = b.column_by_name("original_rating").unwrap();
                let col = col.as_any().downcast_ref::<Float64Array>().unwrap();
                got += (0..col.len())
                    .filter(|i| !col.is_null(*i))
                    .map(|i| col.value(i))
                    .sum::<f64>();
            }
        }
    }
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");

    let second = export(&mut conn, &store, None).await?;
    assert_eq!((second.written, second.removed), (0, 0), "{second:?}");

    // One review of the demo tenant changes: only its partition is rewritten.
    sqlx::query("UPDATE performance_reviews SET overall_rating = 1.5 WHERE tenant_id = $1 AND id = (SELECT id FROM performance_reviews WHERE tenant_id = $1 ORDER BY id LIMIT 1)")
        .bind(demo)
        .execute(&db.maintenance)
        .await?;
    pms_warehouse::sync(&mut conn, &Default::default(), &mut |_| {}).await?;
    let third = export(&mut conn, &store, None).await?;
    assert_eq!(third.written, 1, "{third:?}");
    assert!(
        third.unchanged + 1 == manifest.partitions.len(),
        "{third:?}"
    );
    conn.close().await?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test]
async fn a_store_that_cannot_be_written_is_a_clear_error() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let t = common::tenant(&db.maintenance, 1, 2).await?;
    common::sync(&db, &t.slug, false).await?;
    // A directory whose parent is a regular file cannot exist.
    let file =
        std::env::temp_dir().join(format!("pms-wh-notadir-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&file, b"x")?;
    let url = format!("file://{}/export", file.display());
    let err = ArchiveStore::open(&ArchiveConfig::for_url(url.clone())).unwrap_err();
    assert!(err.to_string().contains(&url), "{err}");
    std::fs::remove_file(&file)?;
    Ok(())
}
