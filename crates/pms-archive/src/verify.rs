//! `pms archive verify`: every ARCHIVED ledger row has its object, with the recorded checksum
//! and row count and as many index rows; every object in the store has a ledger row.

use crate::error::Result;
use crate::format;
use crate::store::ArchiveStore;
use serde::Serialize;
use sqlx::PgPool;
use std::collections::BTreeSet;
use uuid::Uuid;

/// What verification found; `problems` empty means the ledger and store agree 1:1.
#[derive(Debug, Default, Clone, Serialize)]
pub struct VerifyReport {
    pub batches: u64,
    pub rows: u64,
    pub objects: u64,
    pub problems: Vec<String>,
}

/// Checks the whole archive (or one tenant's batches, then orphan objects are not judged).
pub async fn verify(
    pool: &PgPool,
    store: &ArchiveStore,
    tenant: Option<Uuid>,
) -> Result<VerifyReport> {
    let ledger: Vec<(Uuid, String, String, String, i32, i64)> = sqlx::query_as(
        "SELECT b.id, b.object_key, b.status, b.object_sha256, b.row_count,
                (SELECT count(*) FROM archived_entities a WHERE a.tenant_id = b.tenant_id AND a.batch_id = b.id)
         FROM archive_batches b WHERE $1::uuid IS NULL OR b.tenant_id = $1 ORDER BY b.object_key",
    )
    .bind(tenant)
    .fetch_all(pool)
    .await?;
    let mut report = VerifyReport::default();
    let mut keys = BTreeSet::new();
    for (id, key, status, sha, count, indexed) in ledger {
        keys.insert(key.clone());
        if status != "ARCHIVED" {
            report.problems.push(format!(
                "batch {id} ({key}) is {status}: an interrupted run; the next run recovers it"
            ));
            continue;
        }
        report.batches += 1;
        report.rows += count as u64;
        match store.get(&key).await {
            Err(e) => report.problems.push(format!("batch {id}: {e}")),
            Ok(bytes) => {
                if let Err(e) = format::decode(&key, &bytes, Some((&sha, count as u32))) {
                    report.problems.push(e.to_string());
                }
            }
        }
        if indexed != i64::from(count) {
            report.problems.push(format!(
                "batch {id} ({key}): {indexed} index rows for {count} archived rows"
            ));
        }
    }
    if tenant.is_none() {
        for key in store.list().await? {
            report.objects += 1;
            if !keys.contains(&key) {
                report
                    .problems
                    .push(format!("object {key} has no ledger row"));
            }
        }
    }
    Ok(report)
}
