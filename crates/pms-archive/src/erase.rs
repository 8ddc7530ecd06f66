//! Erasure of a person (`pms privacy erase`), following the erasure plan
//! (`pms_retention.erasure_rules`: one rule per column that can name a person). In order:
//!
//! 1. checks: the tenant exists, the person is one of its people (or was erased before: then
//!    only the outside tiers are asked again), no legal hold covers them;
//! 2. a trial of the database tiers in a transaction that is rolled back, so that anything the
//!    plan cannot do (a column without a rule, a CHECK it would break, a tampered audit entry)
//!    stops the erasure before any tier has changed;
//! 3. the archive objects ([`crate::rewrite`]): batches the index says name the person, and any
//!    other batch of the tenant whose text names them; each rewrite is idempotent;
//! 4. the database tiers in one transaction (`pms_retention.erase_person_hot`: every table the
//!    plan covers, the archive queue, the time-series hook, the account; then
//!    `pms_meta.audit_redact_person`: the audit trail, whose hash chains stay verifiable;
//!    the erasure log's DONE);
//! 5. the tiers outside PostgreSQL ([`ErasureTier`]: the cache).
//!
//! Rerunnable: the pseudonym is kept per subject (by hash), and every step finds only what is
//! left to do.

use crate::archiver::Archiver;
use crate::error::{ArchiveError, Result};
use crate::rewrite::{Batch, Subject, rewrite_batch};
use serde::Serialize;
use sha2::{Digest, Sha256};
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
    /// True when the person had been erased before: nothing in the database changed.
    pub already_erased: bool,
    pub archive_batches_rewritten: u64,
    /// Archive batches of the tenant read to look for the person's words (not in the index).
    pub archive_batches_scanned: u64,
    pub archive_rows_pseudonymised: u64,
    pub archive_rows_deleted: u64,
    /// What `erase_person_hot` did: per table rows deleted, kept (compliance) and
    /// pseudonymised, the archive queue, the hooks, the account.
    pub database: serde_json::Value,
    /// What the redaction of the audit trail did (entries redacted, redaction events written).
    pub audit: serde_json::Value,
    /// What each [`ErasureTier`] reported.
    pub other_tiers: serde_json::Map<String, serde_json::Value>,
}

impl ErasureReport {
    fn new(tenant: Uuid, pseudonym: Uuid, already_erased: bool) -> Self {
        Self {
            tenant_id: tenant,
            pseudonym_id: pseudonym,
            already_erased,
            archive_batches_rewritten: 0,
            archive_batches_scanned: 0,
            archive_rows_pseudonymised: 0,
            archive_rows_deleted: 0,
            database: serde_json::Value::Null,
            audit: serde_json::Value::Null,
            other_tiers: serde_json::Map::new(),
        }
    }
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
    let tenant_known: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1)")
            .bind(tenant)
            .fetch_one(pool)
            .await?;
    if !tenant_known {
        return Err(ArchiveError::UnknownTenant(tenant));
    }
    let pseudonym_of_someone: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM privacy_erasures WHERE tenant_id = $1 AND pseudonym_id = $2)",
    )
    .bind(tenant)
    .bind(person)
    .fetch_one(pool)
    .await?;
    if pseudonym_of_someone {
        return Err(ArchiveError::Invalid(format!(
            "user {person} of tenant {tenant} is the pseudonym of an erased person: nobody to erase"
        )));
    }
    let held: bool = sqlx::query_scalar("SELECT pms_retention.person_held($1, $2)")
        .bind(tenant)
        .bind(person)
        .fetch_one(pool)
        .await?;
    if held {
        return Err(ArchiveError::Held { tenant, person });
    }
    let hash = subject_hash(tenant, person);
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2)")
            .bind(tenant)
            .bind(person)
            .fetch_one(pool)
            .await?;
    let previous: Option<(Uuid, String)> = sqlx::query_as(
        "SELECT pseudonym_id, status FROM privacy_erasures WHERE tenant_id = $1 AND subject_hash = $2",
    )
    .bind(tenant)
    .bind(&hash)
    .fetch_optional(pool)
    .await?;
    if !exists {
        return match previous {
            // Erased before: only the outside tiers are asked again (one may have failed), and
            // audit entries written since that name the id (the words went with the account).
            Some((pseudonym, status)) if status == "DONE" => {
                let mut report = ErasureReport::new(tenant, pseudonym, true);
                let mut tx = pool.begin().await?;
                report.audit = redact_audit(&mut tx, tenant, person, pseudonym, &[]).await?;
                tx.commit().await?;
                erase_in_tiers(tiers, &mut report, person).await?;
                Ok(report)
            }
            _ => Err(unknown_person(pool, tenant, person).await?),
        };
    }
    let terms: Vec<String> = sqlx::query_scalar("SELECT pms_retention.person_terms($1, $2)")
        .bind(tenant)
        .bind(person)
        .fetch_one(pool)
        .await?;
    let pseudonym = previous.as_ref().map_or_else(Uuid::now_v7, |(p, _)| *p);

    // The trial: the database tiers as they will run, rolled back.
    let mut trial = pool.begin().await?;
    erase_in_database(&mut trial, tenant, person, pseudonym, &terms).await?;
    trial.rollback().await?;

    if previous.is_none() {
        sqlx::query("INSERT INTO privacy_erasures (tenant_id, subject_hash, pseudonym_id) VALUES ($1, $2, $3)")
            .bind(tenant)
            .bind(&hash)
            .bind(pseudonym)
            .execute(pool)
            .await?;
    }
    let mut report = ErasureReport::new(tenant, pseudonym, false);
    erase_in_archive(archiver, tenant, person, pseudonym, &terms, &mut report).await?;

    let mut tx = pool.begin().await?;
    let (db, audit) = erase_in_database(&mut tx, tenant, person, pseudonym, &terms).await?;
    report.database = db;
    report.audit = audit;
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

/// Why `person` cannot be erased from `tenant` when they are not one of its people.
async fn unknown_person(pool: &sqlx::PgPool, tenant: Uuid, person: Uuid) -> Result<ArchiveError> {
    let elsewhere: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)")
        .bind(person)
        .fetch_one(pool)
        .await?;
    Ok(if elsewhere {
        ArchiveError::PersonOfOtherTenant { tenant, person }
    } else {
        ArchiveError::UnknownPerson { tenant, person }
    })
}

/// The database tiers, in the caller's transaction: the hot tables, then the audit trail (after
/// the hot tables, so that the entries their own changes just wrote are redacted too).
async fn erase_in_database(
    tx: &mut sqlx::PgConnection,
    tenant: Uuid,
    person: Uuid,
    pseudonym: Uuid,
    terms: &[String],
) -> Result<(serde_json::Value, serde_json::Value)> {
    let db: serde_json::Value =
        sqlx::query_scalar("SELECT pms_retention.erase_person_hot($1, $2, $3, $4)")
            .bind(tenant)
            .bind(person)
            .bind(pseudonym)
            .bind(terms)
            .fetch_one(&mut *tx)
            .await?;
    let audit = redact_audit(tx, tenant, person, pseudonym, terms).await?;
    Ok((db, audit))
}

/// The archive objects of the tenant: first the batches whose index names the person, then the
/// others, read for the person's words.
async fn erase_in_archive(
    archiver: &Archiver,
    tenant: Uuid,
    person: Uuid,
    pseudonym: Uuid,
    terms: &[String],
    report: &mut ErasureReport,
) -> Result<()> {
    let strong: Vec<String> = sqlx::query_scalar("SELECT pms_retention.strong_terms($1, $2, $3)")
        .bind(tenant)
        .bind(person)
        .bind(terms)
        .fetch_one(&archiver.pool)
        .await?;
    let mut needles: Vec<String> = strong.iter().map(|t| t.to_lowercase()).collect();
    needles.push(person.to_string());
    let who = Subject {
        tenant,
        person,
        pseudonym,
        terms,
        strong: &strong,
        needles: &needles,
    };
    let batches: Vec<(Uuid, String, String, String, i32, bool)> = sqlx::query_as(
        "SELECT b.id, b.entity_type, b.object_key, b.object_sha256, b.row_count,
                EXISTS (SELECT 1 FROM archived_entities a WHERE a.tenant_id = b.tenant_id AND a.batch_id = b.id
                          AND a.person_ids @> ARRAY[$2::uuid]) AS indexed
         FROM archive_batches b WHERE b.tenant_id = $1 AND b.status = 'ARCHIVED'
         ORDER BY 6 DESC, b.created_min, b.id",
    )
    .bind(tenant)
    .bind(person)
    .fetch_all(&archiver.pool)
    .await?;
    for (id, entity_type, key, sha256, rows, indexed) in batches {
        let batch = Batch {
            id,
            entity_type,
            key,
            sha256,
            rows,
        };
        let done = rewrite_batch(archiver, &who, &batch, !indexed).await?;
        report.archive_batches_scanned += u64::from(!indexed);
        report.archive_batches_rewritten += u64::from(done.rewritten);
        report.archive_rows_pseudonymised += done.pseudonymised;
        report.archive_rows_deleted += done.deleted;
    }
    Ok(())
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
