//! The archive tier of an erasure: a batch that names the person is rewritten as the erasure
//! plan says, row by row (`pms_retention.erase_row`: the same rules as the hot tables, so a
//! row the plan keeps for compliance is kept pseudonymised, a row that is the person's own is
//! dropped, and someone else's row that names them keeps its meaning with the pseudonym). The
//! new object is written and verified before the index moves to it, then the old object is
//! retired: at any moment the ledger names one complete object per batch, so an interrupted
//! rewrite is finished by running the erasure again.

use crate::archiver::{Archiver, commit_batch, object_key};
use crate::error::{ArchiveError, Result};
use crate::failpoint;
use crate::format::{self, ArchivedRow, BatchHeader};
use time::OffsetDateTime;
use uuid::Uuid;

/// One ledger row of an archived batch.
pub(crate) struct Batch {
    pub id: Uuid,
    pub entity_type: String,
    pub key: String,
    pub sha256: String,
    pub rows: i32,
}

/// What erasure asks of the archive for one person.
pub(crate) struct Subject<'a> {
    pub tenant: Uuid,
    pub person: Uuid,
    pub pseudonym: Uuid,
    pub terms: &'a [String],
    /// The terms that identify them anywhere (`pms_retention.strong_terms`).
    pub strong: &'a [String],
    /// What finds the person in a row's text: their strong terms in lower case and their id.
    pub needles: &'a [String],
}

/// Rows of one rewritten batch: kept pseudonymised (compliance or someone else's), dropped.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Rewritten {
    pub pseudonymised: u64,
    pub deleted: u64,
    pub rewritten: bool,
}

/// Rewrites `batch` without the person; a batch in which nothing names them is left as it is
/// (`scan`: it was not found through the index, only read to look for their words).
pub(crate) async fn rewrite_batch(
    archiver: &Archiver,
    who: &Subject<'_>,
    batch: &Batch,
    scan: bool,
) -> Result<Rewritten> {
    let bytes = archiver.store.get(&batch.key).await?;
    let (header, rows) =
        format::decode(&batch.key, &bytes, Some((&batch.sha256, batch.rows as u32)))?;
    if scan && !mentions(&rows, who.needles)? {
        return Ok(Rewritten::default());
    }
    let data: Vec<serde_json::Value> = rows.iter().map(|r| r.data.clone()).collect();
    let verdicts: Vec<(String, Option<serde_json::Value>)> = sqlx::query_as(
        "SELECT x.action, x.row_after FROM unnest($1::jsonb[]) WITH ORDINALITY AS d(v, o)
         CROSS JOIN LATERAL pms_retention.erase_row($2, d.v, $3, $4, $5, $6) x ORDER BY d.o",
    )
    .bind(&data)
    .bind(&batch.entity_type)
    .bind(who.person)
    .bind(who.pseudonym)
    .bind(who.terms)
    .bind(who.strong)
    .fetch_all(&archiver.pool)
    .await?;
    if verdicts.len() != rows.len() {
        return Err(ArchiveError::Invalid(format!(
            "erase_row judged {} of the {} rows of {}",
            verdicts.len(),
            rows.len(),
            batch.key
        )));
    }
    let mut done = Rewritten::default();
    let mut out = Vec::with_capacity(rows.len());
    for (mut r, (action, after)) in rows.into_iter().zip(verdicts) {
        let listed = r.person_ids.contains(&who.person);
        match action.as_str() {
            "DELETE" => {
                done.deleted += 1;
                continue;
            }
            "NONE" if !listed => {
                out.push(r);
                continue;
            }
            _ => {}
        }
        if let Some(after) = after {
            r.data = after;
        }
        for p in r.person_ids.iter_mut().filter(|p| **p == who.person) {
            *p = who.pseudonym;
        }
        done.pseudonymised += 1;
        out.push(r);
    }
    if done.deleted == 0 && done.pseudonymised == 0 {
        return Ok(done);
    }
    done.rewritten = true;
    replace_object(archiver, who.tenant, batch, &header, out).await?;
    Ok(done)
}

/// True when some row's text holds one of `needles` (lower case).
fn mentions(rows: &[ArchivedRow], needles: &[String]) -> Result<bool> {
    for r in rows {
        let text = serde_json::to_string(&r.data)
            .map_err(|e| ArchiveError::Encode(e.to_string()))?
            .to_lowercase();
        if needles.iter().any(|n| text.contains(n.as_str())) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn parse_time(key: &str, what: &str, value: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339).map_err(|e| {
        ArchiveError::Corrupt {
            key: key.to_string(),
            reason: format!("{what}: {e}"),
        }
    })
}

/// Writes `rows` as a new object (or retires the batch when none is left), moves the index to
/// it in one transaction, then retires the old object.
async fn replace_object(
    archiver: &Archiver,
    tenant: Uuid,
    batch: &Batch,
    header: &BatchHeader,
    out: Vec<ArchivedRow>,
) -> Result<()> {
    let flip = "UPDATE archive_batches SET status = 'RETIRING' WHERE tenant_id = $1 AND id = $2 AND status = 'ARCHIVED'";
    if out.is_empty() {
        sqlx::query(flip)
            .bind(tenant)
            .bind(batch.id)
            .execute(&archiver.pool)
            .await?;
        return archiver.retire(tenant, batch.id, &batch.key).await;
    }
    let new_batch = Uuid::now_v7();
    let oldest = parse_time(&batch.key, "created_min", &header.created_min)?;
    let newest = parse_time(&batch.key, "created_max", &header.created_max)?;
    let new_key = object_key(&batch.entity_type, tenant, oldest, new_batch);
    let enc = format::encode(
        BatchHeader {
            batch_id: new_batch,
            written_at: crate::archiver::rfc3339(OffsetDateTime::now_utc()),
            ..header.clone()
        },
        &out,
    )?;
    sqlx::query(
        "INSERT INTO archive_batches (tenant_id, id, entity_type, object_key, status, row_count, object_bytes,
                                      raw_bytes, object_sha256, created_min, created_max)
         VALUES ($1, $2, $3, $4, 'WRITING', $5, $6, $7, $8, $9, $10)",
    )
    .bind(tenant)
    .bind(new_batch)
    .bind(&batch.entity_type)
    .bind(&new_key)
    .bind(enc.header.row_count as i32)
    .bind(enc.bytes.len() as i64)
    .bind(enc.raw_bytes as i64)
    .bind(&enc.sha256)
    .bind(oldest)
    .bind(newest)
    .execute(&archiver.pool)
    .await?;
    archiver.store.put(&new_key, enc.bytes.clone()).await?;
    let back = archiver.store.get(&new_key).await?;
    format::decode(&new_key, &back, Some((&enc.sha256, enc.header.row_count)))?;
    let mut tx = archiver.pool.begin().await?;
    // The old batch's index rows go, the new batch's come (the rows left their table long ago).
    sqlx::query(flip)
        .bind(tenant)
        .bind(batch.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM archived_entities WHERE tenant_id = $1 AND batch_id = $2")
        .bind(tenant)
        .bind(batch.id)
        .execute(&mut *tx)
        .await?;
    let index: Vec<serde_json::Value> = out
        .iter()
        .zip(&enc.frames)
        .map(|(r, (off, len))| serde_json::json!({ "id": r.id, "o": off, "l": len, "c": r.created_at, "p": r.person_ids }))
        .collect();
    commit_batch(
        &mut tx,
        tenant,
        new_batch,
        &batch.entity_type,
        &serde_json::Value::Array(index),
        out.len(),
        false,
    )
    .await?;
    tx.commit().await?;
    archiver.failpoints.hit(failpoint::AFTER_DELETE_COMMIT)?;
    archiver.retire(tenant, batch.id, &batch.key).await
}
