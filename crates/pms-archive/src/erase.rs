//! Erasure of a person (`pms privacy erase`): archive objects first (each batch holding the
//! person is rewritten: their non-compliance rows dropped, compliance rows pseudonymised, the
//! new object verified before the index moves to it and the old object is retired), then the
//! database tiers in one transaction (`pms_retention.erase_person_hot`: registered tables, the
//! archive queue, the hooks of other tiers, the account; then `pms_meta.audit_redact_person`:
//! the audit trail, whose hash chains stay verifiable), then the tiers outside PostgreSQL
//! ([`ErasureTier`]: the cache). Rerunnable: the pseudonym is kept
//! per subject (by hash), and every step finds only what is left to do.

use crate::archiver::{Archiver, commit_batch, object_key};
use crate::error::{ArchiveError, Result};
use crate::failpoint;
use crate::format::{self, BatchHeader};
use crate::scrub;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// A tier outside PostgreSQL that holds personal data (the cache, a warehouse on another
/// server): erase_person calls each after the database transaction committed, and its answer
/// goes into the report. SQL tiers register a function in `pms_retention.erasure_hooks`.
pub trait ErasureTier: Send + Sync {
    fn name(&self) -> &'static str;
    fn erase<'a>(
        &'a self,
        tenant: Uuid,
        person: Uuid,
        pseudonym: Uuid,
    ) -> std::pin::Pin<
        Box<
            dyn std::future::Future<Output = std::result::Result<serde_json::Value, String>>
                + Send
                + 'a,
        >,
    >;
}

/// What an erasure did.
#[derive(Debug, Clone, Serialize)]
pub struct ErasureReport {
    pub tenant_id: Uuid,
    pub pseudonym_id: Uuid,
    pub already_erased: bool,
    pub archive_batches_rewritten: u64,
    pub archive_rows_pseudonymised: u64,
    pub archive_rows_deleted: u64,
    pub database: serde_json::Value,
    /// What the redaction of the audit trail did (entries redacted, redaction events written).
    pub audit: serde_json::Value,
    /// What each [`ErasureTier`] reported.
    pub other_tiers: serde_json::Map<String, serde_json::Value>,
}

fn subject_hash(tenant: Uuid, person: Uuid) -> String {
    hex::encode(Sha256::digest(format!("{tenant}:{person}").as_bytes()))
}

/// Erases `person` of `tenant` from every tier this crate reaches.
pub async fn erase_person(
    archiver: &Archiver,
    tenant: Uuid,
    person: Uuid,
) -> Result<ErasureReport> {
    erase_person_with(archiver, tenant, person, &[]).await
}

/// As [`erase_person`], then each of `tiers` (cache, ...).
pub async fn erase_person_with(
    archiver: &Archiver,
    tenant: Uuid,
    person: Uuid,
    tiers: &[&dyn ErasureTier],
) -> Result<ErasureReport> {
    let pool = &archiver.pool;
    let held: bool = sqlx::query_scalar("SELECT pms_retention.person_held($1, $2)")
        .bind(tenant)
        .bind(person)
        .fetch_one(pool)
        .await?;
    if held {
        return Err(ArchiveError::Held { tenant, person });
    }
    let hash = subject_hash(tenant, person);
    // email, first name, last name, display name, employee number
    type Account = (String, String, String, Option<String>, Option<String>);
    let account: Option<Account> = sqlx::query_as(
        "SELECT email, first_name, last_name, display_name, employee_number FROM users WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant)
    .bind(person)
    .fetch_optional(pool)
    .await?;
    let previous: Option<(Uuid, String)> =
        sqlx::query_as("SELECT pseudonym_id, status FROM privacy_erasures WHERE tenant_id = $1 AND subject_hash = $2")
            .bind(tenant)
            .bind(&hash)
            .fetch_optional(pool)
            .await?;
    let Some((email, first, last, display, number)) = account else {
        return match previous {
            // Erased before: only the outside tiers are asked again (one may have failed).
            Some((pseudonym_id, status)) if status == "DONE" => {
                let mut report = ErasureReport {
                    tenant_id: tenant,
                    pseudonym_id,
                    already_erased: true,
                    archive_batches_rewritten: 0,
                    archive_rows_pseudonymised: 0,
                    archive_rows_deleted: 0,
                    database: serde_json::Value::Null,
                    audit: serde_json::Value::Null,
                    other_tiers: serde_json::Map::new(),
                };
                // Entries written since (naming the id only: the words went with the account).
                let mut tx = pool.begin().await?;
                report.audit = redact_audit(&mut tx, tenant, person, pseudonym_id, &[]).await?;
                tx.commit().await?;
                erase_in_tiers(tiers, &mut report, person).await?;
                Ok(report)
            }
            _ => Err(ArchiveError::Invalid(format!(
                "no user {person} in tenant {tenant}"
            ))),
        };
    };
    let pseudonym = match previous {
        Some((p, _)) => p,
        None => {
            let p = Uuid::now_v7();
            sqlx::query("INSERT INTO privacy_erasures (tenant_id, subject_hash, pseudonym_id) VALUES ($1, $2, $3)")
                .bind(tenant)
                .bind(&hash)
                .bind(p)
                .execute(pool)
                .await?;
            p
        }
    };
    let terms = scrub::terms(&email, &first, &last, display.as_deref(), number.as_deref());
    let mut report = ErasureReport {
        tenant_id: tenant,
        pseudonym_id: pseudonym,
        already_erased: false,
        archive_batches_rewritten: 0,
        archive_rows_pseudonymised: 0,
        archive_rows_deleted: 0,
        database: serde_json::Value::Null,
        audit: serde_json::Value::Null,
        other_tiers: serde_json::Map::new(),
    };
    let batches: Vec<(Uuid, String, String, String, i32, bool)> = sqlx::query_as(
        "SELECT b.id, b.entity_type, b.object_key, b.object_sha256, b.row_count, p.compliance
         FROM archive_batches b JOIN pms_retention.policies p USING (entity_type)
         WHERE b.tenant_id = $1 AND b.status = 'ARCHIVED'
           AND b.id IN (SELECT a.batch_id FROM archived_entities a WHERE a.tenant_id = $1 AND a.person_ids @> ARRAY[$2::uuid])",
    )
    .bind(tenant)
    .bind(person)
    .fetch_all(pool)
    .await?;
    for (batch, entity_type, key, sha, count, compliance) in batches {
        let (kept, dropped) = rewrite_batch(
            archiver,
            tenant,
            batch,
            &entity_type,
            &key,
            &sha,
            count,
            compliance,
            person,
            pseudonym,
            &terms,
        )
        .await?;
        report.archive_batches_rewritten += 1;
        report.archive_rows_pseudonymised += kept;
        report.archive_rows_deleted += dropped;
    }
    let mut tx = pool.begin().await?;
    let db: serde_json::Value =
        sqlx::query_scalar("SELECT pms_retention.erase_person_hot($1, $2, $3, $4)")
            .bind(tenant)
            .bind(person)
            .bind(pseudonym)
            .bind(&terms)
            .fetch_one(&mut *tx)
            .await?;
    report.database = db;
    // After the hot tables, so that the entries their own changes just wrote are redacted too.
    report.audit = redact_audit(&mut tx, tenant, person, pseudonym, &terms).await?;
    let stored = serde_json::to_value(&report).map_err(|e| ArchiveError::Encode(e.to_string()))?;
    sqlx::query(
        "UPDATE privacy_erasures SET status = 'DONE', finished_at = now(), report = $3 WHERE tenant_id = $1 AND subject_hash = $2",
    )
    .bind(tenant)
    .bind(&hash)
    .bind(stored)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    erase_in_tiers(tiers, &mut report, person).await?;
    Ok(report)
}

/// The audit tier, in the caller's transaction (the maintenance role only may run it).
async fn redact_audit(
    tx: &mut sqlx::PgConnection,
    tenant: Uuid,
    person: Uuid,
    pseudonym: Uuid,
    terms: &[String],
) -> Result<serde_json::Value> {
    Ok(
        sqlx::query_scalar("SELECT pms_meta.audit_redact_person($1, $2, $3, $4)")
            .bind(tenant)
            .bind(person)
            .bind(pseudonym)
            .bind(terms)
            .fetch_one(tx)
            .await?,
    )
}

async fn erase_in_tiers(
    tiers: &[&dyn ErasureTier],
    report: &mut ErasureReport,
    person: Uuid,
) -> Result<()> {
    for tier in tiers {
        let answer = tier
            .erase(report.tenant_id, person, report.pseudonym_id)
            .await
            .map_err(|e| ArchiveError::Invalid(format!("erasing in tier {}: {e}", tier.name())))?;
        report.other_tiers.insert(tier.name().to_string(), answer);
    }
    Ok(())
}

/// Rewrites one batch without the person: returns (rows pseudonymised, rows dropped).
#[allow(clippy::too_many_arguments)]
async fn rewrite_batch(
    archiver: &Archiver,
    tenant: Uuid,
    batch: Uuid,
    entity_type: &str,
    key: &str,
    sha: &str,
    count: i32,
    compliance: bool,
    person: Uuid,
    pseudonym: Uuid,
    terms: &[String],
) -> Result<(u64, u64)> {
    let bytes = archiver.store.get(key).await?;
    let (header, rows) = format::decode(key, &bytes, Some((sha, count as u32)))?;
    let (p, q) = (person.to_string(), pseudonym.to_string());
    let (mut kept, mut dropped) = (0u64, 0u64);
    let mut out = Vec::with_capacity(rows.len());
    for mut r in rows {
        if !r.person_ids.contains(&person) {
            out.push(r);
        } else if compliance {
            scrub::scrub_value(&mut r.data, &p, &q, terms);
            r.person_ids = r
                .person_ids
                .iter()
                .map(|x| if *x == person { pseudonym } else { *x })
                .collect();
            kept += 1;
            out.push(r);
        } else {
            dropped += 1;
        }
    }
    let flip = "UPDATE archive_batches SET status = 'RETIRING' WHERE tenant_id = $1 AND id = $2 AND status = 'ARCHIVED'";
    if out.is_empty() {
        sqlx::query(flip)
            .bind(tenant)
            .bind(batch)
            .execute(&archiver.pool)
            .await?;
        archiver.retire(tenant, batch, key).await?;
        return Ok((kept, dropped));
    }
    let new_batch = Uuid::now_v7();
    let oldest = OffsetDateTime::parse(
        &header.created_min,
        &time::format_description::well_known::Rfc3339,
    )
    .map_err(|e| ArchiveError::Corrupt {
        key: key.to_string(),
        reason: format!("created_min: {e}"),
    })?;
    let new_key = object_key(entity_type, tenant, oldest, new_batch);
    let enc = format::encode(
        BatchHeader {
            batch_id: new_batch,
            written_at: crate::archiver::rfc3339(OffsetDateTime::now_utc()),
            ..header.clone()
        },
        &out,
    )?;
    let created_max = OffsetDateTime::parse(
        &header.created_max,
        &time::format_description::well_known::Rfc3339,
    )
    .map_err(|e| ArchiveError::Corrupt {
        key: key.to_string(),
        reason: format!("created_max: {e}"),
    })?;
    sqlx::query(
        "INSERT INTO archive_batches (tenant_id, id, entity_type, object_key, status, row_count, object_bytes,
                                      raw_bytes, object_sha256, created_min, created_max)
         VALUES ($1, $2, $3, $4, 'WRITING', $5, $6, $7, $8, $9, $10)",
    )
    .bind(tenant)
    .bind(new_batch)
    .bind(entity_type)
    .bind(&new_key)
    .bind(enc.header.row_count as i32)
    .bind(enc.bytes.len() as i64)
    .bind(enc.raw_bytes as i64)
    .bind(&enc.sha256)
    .bind(oldest)
    .bind(created_max)
    .execute(&archiver.pool)
    .await?;
    archiver.store.put(&new_key, enc.bytes.clone()).await?;
    let back = archiver.store.get(&new_key).await?;
    format::decode(&new_key, &back, Some((&enc.sha256, enc.header.row_count)))?;
    let mut tx = archiver.pool.begin().await?;
    // The old batch's index rows go, the new batch's come (the rows left their table long ago).
    sqlx::query(flip)
        .bind(tenant)
        .bind(batch)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM archived_entities WHERE tenant_id = $1 AND batch_id = $2")
        .bind(tenant)
        .bind(batch)
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
        entity_type,
        &serde_json::Value::Array(index),
        out.len(),
        false,
    )
    .await?;
    tx.commit().await?;
    archiver.failpoints.hit(failpoint::AFTER_DELETE_COMMIT)?;
    archiver.retire(tenant, batch, key).await?;
    Ok((kept, dropped))
}
