//! Archive-then-verify-then-delete. For each batch: lock the due rows, record a WRITING intent
//! in the ledger (committed), write the object, read it back and verify checksum and count,
//! then in one transaction mark the ledger row ARCHIVED, index every entity and delete the
//! rows. A crash anywhere leaves either the rows (and an intent whose object recovery removes)
//! or the archived batch: never both, never neither. Expiry and rewrites retire objects the
//! same way: ledger row RETIRING first, then the object, then the ledger row.

use crate::config::ArchiveConfig;
use crate::error::{ArchiveError, Result};
use crate::failpoint::{self, FailPoints};
use crate::format::{self, ArchivedRow, BatchHeader};
use crate::store::ArchiveStore;
use serde::Serialize;
use sqlx::{PgPool, Row};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// The advisory lock that keeps one archiver at a time per database.
const ARCHIVER_LOCK: &str = "pms.archiver";

/// What a run did.
#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct ArchiveReport {
    pub recovered_batches: u64,
    pub archived_batches: u64,
    pub archived_rows: u64,
    pub archived_by_type: BTreeMap<String, u64>,
    pub audit_logs_archived: u64,
    pub expired_batches: u64,
    pub expired_rows: u64,
}

/// Progress of a run, for displays.
#[derive(Debug, Clone)]
pub enum Progress {
    Recovered {
        batches: u64,
    },
    Batch {
        entity_type: String,
        tenant_id: Uuid,
        rows: u64,
        total_rows: u64,
    },
    Expired {
        entity_type: String,
        tenant_id: Uuid,
        rows: u64,
    },
}

/// Moves due rows into the archive store.
#[derive(Clone)]
pub struct Archiver {
    pub pool: PgPool,
    pub store: ArchiveStore,
    pub batch_size: u32,
    pub failpoints: FailPoints,
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// The object key of a batch: `{entity}/{tenant}/{yyyy}/{mm}/{batch}.ndjson.zst`, by the
/// month of its oldest row.
pub fn object_key(entity_type: &str, tenant: Uuid, oldest: OffsetDateTime, batch: Uuid) -> String {
    format!(
        "{entity_type}/{tenant}/{:04}/{:02}/{batch}.ndjson.zst",
        oldest.year(),
        u8::from(oldest.month())
    )
}

impl Archiver {
    /// An archiver on the maintenance pool (it works across tenants).
    pub fn new(pool: PgPool, config: &ArchiveConfig) -> Result<Self> {
        if config.batch_size == 0 {
            return Err(ArchiveError::Invalid(
                "batch size must be at least 1".into(),
            ));
        }
        Ok(Self {
            pool,
            store: ArchiveStore::open(config)?,
            batch_size: config.batch_size,
            failpoints: FailPoints::from_env(),
        })
    }

    /// Recovers, archives everything due, expires what outlived the archive period.
    pub async fn run(&self, progress: &(dyn Fn(&Progress) + Send + Sync)) -> Result<ArchiveReport> {
        let mut lock = self.pool.acquire().await?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))")
            .bind(ARCHIVER_LOCK)
            .fetch_one(&mut *lock)
            .await?;
        if !got {
            return Err(ArchiveError::Busy);
        }
        let result = self.run_locked(progress).await;
        let _ = sqlx::query("SELECT pg_advisory_unlock(hashtext($1))")
            .bind(ARCHIVER_LOCK)
            .execute(&mut *lock)
            .await;
        result
    }

    async fn run_locked(
        &self,
        progress: &(dyn Fn(&Progress) + Send + Sync),
    ) -> Result<ArchiveReport> {
        self.store.check().await?;
        let mut report = ArchiveReport {
            recovered_batches: self.recover().await?,
            ..Default::default()
        };
        progress(&Progress::Recovered {
            batches: report.recovered_batches,
        });
        let due: Vec<(String, Uuid)> = sqlx::query_as(
            "SELECT DISTINCT entity_type, tenant_id FROM get_archival_candidates()
             WHERE action = 'ARCHIVE' AND row_count > 0 ORDER BY 1, 2",
        )
        .fetch_all(&self.pool)
        .await?;
        for (entity_type, tenant) in due {
            let mut total = 0u64;
            loop {
                let n = self.archive_batch(&entity_type, tenant).await? as u64;
                if n == 0 {
                    break;
                }
                total += n;
                report.archived_batches += 1;
                report.archived_rows += n;
                *report
                    .archived_by_type
                    .entry(entity_type.clone())
                    .or_default() += n;
                if entity_type == "AuditLog" {
                    report.audit_logs_archived += n;
                }
                progress(&Progress::Batch {
                    entity_type: entity_type.clone(),
                    tenant_id: tenant,
                    rows: n,
                    total_rows: total,
                });
                if n < u64::from(self.batch_size) {
                    break;
                }
            }
        }
        let (batches, rows) = self.expire(progress).await?;
        report.expired_batches = batches;
        report.expired_rows = rows;
        Ok(report)
    }

    /// Finishes what a crashed run left: WRITING intents (their transaction never committed,
    /// so the rows are still in place) and RETIRING batches lose their object and ledger row.
    pub async fn recover(&self) -> Result<u64> {
        sqlx::query("UPDATE archive_batches SET status = 'RETIRING' WHERE status = 'WRITING'")
            .execute(&self.pool)
            .await?;
        let retiring: Vec<(Uuid, Uuid, String)> =
            sqlx::query_as("SELECT tenant_id, id, object_key FROM archive_batches WHERE status = 'RETIRING' ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let n = retiring.len() as u64;
        for (tenant, id, key) in retiring {
            self.retire(tenant, id, &key).await?;
        }
        Ok(n)
    }

    /// Removes a RETIRING batch: its index rows (if any remain), its object, its ledger row.
    pub(crate) async fn retire(&self, tenant: Uuid, id: Uuid, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM archived_entities WHERE tenant_id = $1 AND batch_id = $2")
            .bind(tenant)
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.failpoints.hit(failpoint::BEFORE_OBJECT_DELETE)?;
        self.store.delete(key).await?;
        sqlx::query(
            "DELETE FROM archive_batches WHERE tenant_id = $1 AND id = $2 AND status = 'RETIRING'",
        )
        .bind(tenant)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Archives one batch of one tenant and type; returns how many rows it moved (0: none due).
    pub async fn archive_batch(&self, entity_type: &str, tenant: Uuid) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let fetched = sqlx::query(
            "SELECT entity_id, created_at, person_ids, data FROM retention_candidate_rows($1, $2, $3)",
        )
        .bind(entity_type)
        .bind(tenant)
        .bind(self.batch_size as i32)
        .fetch_all(&mut *tx)
        .await?;
        if fetched.is_empty() {
            tx.rollback().await?;
            return Ok(0);
        }
        let mut rows = Vec::with_capacity(fetched.len());
        let mut times = Vec::with_capacity(fetched.len());
        for r in &fetched {
            let created: OffsetDateTime = r.try_get("created_at")?;
            times.push(created);
            rows.push(ArchivedRow {
                id: r.try_get("entity_id")?,
                created_at: rfc3339(created),
                person_ids: r.try_get("person_ids")?,
                data: r.try_get("data")?,
            });
        }
        let (min, max) = match (times.iter().min(), times.iter().max()) {
            (Some(a), Some(b)) => (*a, *b),
            _ => return Ok(0),
        };
        let batch = Uuid::now_v7();
        let key = object_key(entity_type, tenant, min, batch);
        let header = BatchHeader {
            format: String::new(),
            batch_id: batch,
            tenant_id: tenant,
            entity_type: entity_type.to_string(),
            row_count: 0,
            rows_sha256: String::new(),
            created_min: rfc3339(min),
            created_max: rfc3339(max),
            written_at: rfc3339(OffsetDateTime::now_utc()),
        };
        let enc = format::encode(header, &rows)?;
        self.record_intent(tenant, batch, entity_type, &key, &enc, min, max)
            .await?;
        let outcome = async {
            self.failpoints.hit(failpoint::AFTER_INTENT)?;
            self.store.put(&key, enc.bytes.clone()).await?;
            self.failpoints.hit(failpoint::AFTER_OBJECT_WRITE)?;
            let back = self.store.get(&key).await?;
            format::decode(&key, &back, Some((&enc.sha256, enc.header.row_count)))?;
            self.failpoints.hit(failpoint::AFTER_VERIFY)?;
            let index: Vec<serde_json::Value> = rows
                .iter()
                .zip(&enc.frames)
                .zip(&times)
                .map(|((r, (off, len)), t)| {
                    serde_json::json!({ "id": r.id, "o": off, "l": len, "c": rfc3339(*t), "p": r.person_ids })
                })
                .collect();
            commit_batch(&mut tx, tenant, batch, entity_type, &serde_json::Value::Array(index), rows.len(), true).await?;
            self.failpoints.hit(failpoint::BEFORE_DELETE_COMMIT)?;
            tx.commit().await?;
            Ok::<(), ArchiveError>(())
        }
        .await;
        if let Err(e) = outcome {
            // Best effort now; recover() finishes it on the next run if the database is away.
            self.abandon(tenant, batch, &key).await;
            return Err(e);
        }
        self.failpoints.hit(failpoint::AFTER_DELETE_COMMIT)?;
        Ok(rows.len())
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_intent(
        &self,
        tenant: Uuid,
        batch: Uuid,
        entity_type: &str,
        key: &str,
        enc: &format::EncodedBatch,
        min: OffsetDateTime,
        max: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO archive_batches (tenant_id, id, entity_type, object_key, status, row_count, object_bytes,
                                          raw_bytes, object_sha256, created_min, created_max)
             VALUES ($1, $2, $3, $4, 'WRITING', $5, $6, $7, $8, $9, $10)",
        )
        .bind(tenant)
        .bind(batch)
        .bind(entity_type)
        .bind(key)
        .bind(enc.header.row_count as i32)
        .bind(enc.bytes.len() as i64)
        .bind(enc.raw_bytes as i64)
        .bind(&enc.sha256)
        .bind(min)
        .bind(max)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Undoes an intent whose batch did not commit. The status flip makes it safe even if the
    /// commit did reach the server: an ARCHIVED batch is never touched.
    async fn abandon(&self, tenant: Uuid, batch: Uuid, key: &str) {
        let flipped = sqlx::query(
            "UPDATE archive_batches SET status = 'RETIRING' WHERE tenant_id = $1 AND id = $2 AND status = 'WRITING'",
        )
        .bind(tenant)
        .bind(batch)
        .execute(&self.pool)
        .await;
        if matches!(flipped, Ok(r) if r.rows_affected() == 1)
            && let Err(e) = self.retire(tenant, batch, key).await
        {
            tracing::warn!(batch.id = %batch, error = %e, "abandoned batch left for recovery");
        }
    }

    /// Expires archived batches past their archive period that no legal hold covers.
    async fn expire(&self, progress: &(dyn Fn(&Progress) + Send + Sync)) -> Result<(u64, u64)> {
        let due: Vec<(Uuid, Uuid, String, String, i32)> = sqlx::query_as(
            "SELECT tenant_id, batch_id, entity_type, object_key, row_count FROM retention_expirable_batches(1000)",
        )
        .fetch_all(&self.pool)
        .await?;
        let (mut batches, mut rows) = (0u64, 0u64);
        for (tenant, id, entity_type, key, n) in due {
            let flipped = sqlx::query(
                "UPDATE archive_batches SET status = 'RETIRING' WHERE tenant_id = $1 AND id = $2 AND status = 'ARCHIVED'",
            )
            .bind(tenant)
            .bind(id)
            .execute(&self.pool)
            .await?;
            if flipped.rows_affected() == 1 {
                self.retire(tenant, id, &key).await?;
                batches += 1;
                rows += n as u64;
                progress(&Progress::Expired {
                    entity_type,
                    tenant_id: tenant,
                    rows: n as u64,
                });
            }
        }
        Ok((batches, rows))
    }
}

/// In the batch's transaction: ledger row ARCHIVED, index rows, source rows deleted (unless
/// `delete_source` is false: a rewrite of an archived batch). Any
/// mismatch aborts the transaction and leaves the rows where they were.
pub(crate) async fn commit_batch(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    tenant: Uuid,
    batch: Uuid,
    entity_type: &str,
    index: &serde_json::Value,
    expected: usize,
    delete_source: bool,
) -> Result<()> {
    let flipped = sqlx::query(
        "UPDATE archive_batches SET status = 'ARCHIVED', archived_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'WRITING'",
    )
    .bind(tenant)
    .bind(batch)
    .execute(&mut **tx)
    .await?;
    if flipped.rows_affected() != 1 {
        return Err(ArchiveError::Invalid(format!(
            "ledger row of batch {batch} is no longer WRITING"
        )));
    }
    let ids: Vec<String> = sqlx::query_scalar(
        "INSERT INTO archived_entities (tenant_id, entity_type, id, batch_id, frame_offset, frame_length, created_at, person_ids)
         SELECT $1, $2, x.id, $3, x.o, x.l, x.c, coalesce(x.p, '{}')
         FROM jsonb_to_recordset($4) AS x(id text, o bigint, l integer, c timestamptz, p uuid[])
         RETURNING id",
    )
    .bind(tenant)
    .bind(entity_type)
    .bind(batch)
    .bind(index)
    .fetch_all(&mut **tx)
    .await?;
    let deleted: i64 = if delete_source {
        sqlx::query_scalar("SELECT retention_delete_rows($1, $2, $3)")
            .bind(entity_type)
            .bind(tenant)
            .bind(&ids)
            .fetch_one(&mut **tx)
            .await?
    } else {
        expected as i64
    };
    if ids.len() != expected || deleted as usize != expected {
        return Err(ArchiveError::Invalid(format!(
            "batch {batch}: indexed {} and deleted {deleted} rows, expected {expected}; nothing changed",
            ids.len()
        )));
    }
    Ok(())
}
