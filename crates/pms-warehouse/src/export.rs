//! The Parquet export: every star table of every tenant (or one) to an object store
//! (`file://` or `s3://`, opened like the archive's), Hive-partitioned by tenant and, for the
//! facts, by month (`fact_feedback/tenant_id=…/month=2026-11/part.parquet`), with a manifest
//! (`_manifest.json`) of every partition's row count and fingerprint. Incremental: a partition
//! whose fingerprint (the digest of its rows) is unchanged is not rewritten, one whose rows are
//! gone is deleted. Read from one snapshot of the warehouse; the manifest is written last, so
//! an interrupted export is finished by the next.

use crate::error::{Doing as _, Result, WarehouseError};
use crate::parquet_batch::{Columns, parquet_bytes};
use crate::status::TABLES;
use pms_archive::ArchiveStore;
use serde::{Deserialize, Serialize};
use sqlx::{Connection as _, Executor as _, PgConnection};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The manifest's key at the root of the export.
pub const MANIFEST: &str = "_manifest.json";

/// One exported partition.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Partition {
    pub table: String,
    pub tenant_id: Uuid,
    /// `YYYY-MM` for the facts; none for the dimensions.
    pub month: Option<String>,
    pub rows: i64,
    pub fingerprint: String,
    pub bytes: u64,
}

/// The export's table of contents, by object key.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub partitions: BTreeMap<String, Partition>,
}

/// What an export did.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    pub url: String,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub rows_written: i64,
    pub bytes_written: u64,
}

/// The surrogate key a table's rows are ordered by (the second primary-key column).
fn order_key(table: &str) -> &'static str {
    match table {
        "dim_tenant" => "tenant_key",
        "dim_date" => "date_key",
        "dim_user" => "user_key",
        "dim_department" => "department_key",
        "dim_team" => "team_key",
        "dim_review_cycle" => "cycle_key",
        "dim_competency" => "competency_key",
        "fact_performance_review" => "review_key",
        "fact_feedback" => "feedback_key",
        "fact_engagement" => "engagement_key",
        "fact_goal_progress" => "goal_key",
        _ => "daily_key",
    }
}

/// The object key of a partition.
pub fn partition_key(table: &str, tenant: Uuid, month: Option<&str>) -> String {
    match month {
        Some(m) => format!("{table}/tenant_id={tenant}/month={m}/part.parquet"),
        None => format!("{table}/tenant_id={tenant}/part.parquet"),
    }
}

/// Exports the warehouse (of `tenant`, or all) to `store`.
pub async fn export(
    conn: &mut PgConnection,
    store: &ArchiveStore,
    tenant: Option<Uuid>,
) -> Result<ExportReport> {
    let fail = |reason: String| WarehouseError::Export {
        url: store.url().to_string(),
        reason,
    };
    store.check().await?;
    let keys = store.list().await?;
    let mut manifest: Manifest = if keys.iter().any(|k| k == MANIFEST) {
        serde_json::from_slice(&store.get(MANIFEST).await?)
            .map_err(|e| fail(format!("the manifest {MANIFEST} is unreadable: {e}")))?
    } else {
        Manifest::default()
    };
    manifest.version = 1;
    let mut report = ExportReport {
        url: store.url().to_string(),
        ..Default::default()
    };
    let mut tx = conn.begin().await.doing("beginning the export")?;
    tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .await
        .doing("setting REPEATABLE READ")?;
    let mut present = std::collections::BTreeSet::new();
    for table in TABLES {
        let is_fact = table.starts_with("fact_");
        let month = if is_fact {
            "to_char(to_date(f.date_key::text, 'YYYYMMDD'), 'YYYY-MM')"
        } else {
            "NULL::text"
        };
        let key = order_key(table);
        let parts: Vec<(Uuid, Option<String>, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT f.tenant_id, {month} AS month, count(*), md5(string_agg(f::text, E'\\n' ORDER BY f.{key}))
               FROM warehouse.{table} f WHERE $1::uuid IS NULL OR f.tenant_id = $1 GROUP BY 1, 2"
        )))
        .bind(tenant)
        .fetch_all(&mut *tx)
        .await
        .doing(format!("fingerprinting warehouse.{table}"))?;
        let cols = Columns::of(&mut tx, table).await?;
        for (t, m, rows, fingerprint) in parts {
            let path = partition_key(table, t, m.as_deref());
            present.insert(path.clone());
            if manifest
                .partitions
                .get(&path)
                .is_some_and(|p| p.fingerprint == fingerprint && p.rows == rows)
            {
                report.unchanged += 1;
                continue;
            }
            let data: Vec<sqlx::postgres::PgRow> = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM warehouse.{table} f WHERE f.tenant_id = $1 AND {month} IS NOT DISTINCT FROM $2 ORDER BY f.{key}",
                cols.select_list()
            )))
            .bind(t)
            .bind(&m)
            .fetch_all(&mut *tx)
            .await
            .doing(format!("reading warehouse.{table}"))?;
            let bytes = parquet_bytes(&cols.batch(&data)?)?;
            let n = bytes.len() as u64;
            store.put(&path, bytes).await?;
            report.written += 1;
            report.rows_written += rows;
            report.bytes_written += n;
            manifest.partitions.insert(
                path,
                Partition {
                    table: (*table).to_string(),
                    tenant_id: t,
                    month: m,
                    rows,
                    fingerprint,
                    bytes: n,
                },
            );
        }
    }
    tx.commit().await.doing("ending the export's snapshot")?;
    let gone: Vec<String> = manifest
        .partitions
        .iter()
        .filter(|(k, p)| tenant.is_none_or(|t| p.tenant_id == t) && !present.contains(*k))
        .map(|(k, _)| k.clone())
        .collect();
    for k in gone {
        store.delete(&k).await?;
        manifest.partitions.remove(&k);
        report.removed += 1;
    }
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| fail(e.to_string()))?;
    store.put(MANIFEST, text).await?;
    Ok(report)
}
