//! `pms seed --employees N`: a realistic generated tenant, bulk-loaded with COPY.
//!
//! The load is split into batches (the structure, then employees in blocks of
//! [`BATCH_EMPLOYEES`], then a finishing step); each batch is one transaction that also records
//! itself in `seed_batches`. Employee batches load `workers` at a time on their own connections;
//! a batch waits only for the batches that hold its people's managers. An interrupted run leaves whole batches only, and running the same
//! command again skips the recorded ones, so it completes without duplicates. Every row is a
//! function of (slug, seed, employee index), so the resumed tenant equals an uninterrupted one.
//!
//! In a verified bulk load ([`generate_verified`]) the rows of the [`TENANT_PARTITIONED`] tables
//! go to partitions of the tenant's own, detached until every batch is in; then their indexes
//! are built (the tables side by side), their foreign keys checked, and they are attached with
//! the completion record, in one transaction (migrations `20261128100100` and
//! `20261129100000`), which records on the audit chain each table's row count and the digest
//! of what was sent ([`partition_digests`]). Until then the tenant's goals, reviews, feedback
//! and the rest are invisible; a resumed run picks up where the interrupted one stopped,
//! batch, build or attach.
//!
//! Generated people share one password hash, computed once per run (hashing 100k passwords with
//! Argon2 would take longer than loading the whole tenant): they all log in with
//! [`crate::demo::DEMO_PASSWORD`].

mod digests;
mod employees;
mod load;
mod names;
mod options;
mod plan;
mod planned;
mod run;
mod structure;

pub use crate::error::{MAX_EMPLOYEES, MAX_MONTHS, SeedError};
pub use options::{
    BATCH_EMPLOYEES, GenerateOptions, GenerateSummary, Progress, TENANT_PARTITIONED,
    generated_tenant_id,
};
pub use planned::{partition_digests, planned_size};
// For the benchmark's baselines, which copy the same rows.
pub(crate) use employees::employee_batch;
pub(crate) use plan::plan_for;
pub(crate) use structure::structure_rows;

use sqlx::PgPool;
use std::ops::ControlFlow;
use std::time::Instant;

/// Generates (or resumes) a tenant with per-row checks: every row pays PostgreSQL's foreign-key
/// triggers and, on audited tables, one audit entry. `pool` logs in as `pms_maintenance` and
/// must allow `workers + 1` connections. `progress` is called after each batch; returning
/// `Break` stops the run there (Ctrl-C in the CLI), leaving whole batches that the next run with
/// the same parameters resumes from.
pub async fn generate(
    pool: &PgPool,
    opts: &GenerateOptions,
    progress: &mut (dyn FnMut(&Progress) -> ControlFlow<()> + Send),
) -> Result<GenerateSummary, SeedError> {
    generate_with(pool, None, opts, progress).await
}

/// As [`generate`], but the employee batches load through verified bulk-load sessions from
/// `bulk` ([`crate::bulk::bulk_pool`], `workers` connections): the database checks each
/// batch's tenant and foreign keys set-based and audits it as one entry per table, instead of
/// per row. The structure and the finishing step still go through `pool`, row by row. The
/// tenant is the same, row for row, as the one [`generate`] makes.
pub async fn generate_verified(
    pool: &PgPool,
    bulk: &PgPool,
    opts: &GenerateOptions,
    progress: &mut (dyn FnMut(&Progress) -> ControlFlow<()> + Send),
) -> Result<GenerateSummary, SeedError> {
    generate_with(pool, Some(bulk), opts, progress).await
}

async fn generate_with(
    pool: &PgPool,
    bulk: Option<&PgPool>,
    opts: &GenerateOptions,
    progress: &mut (dyn FnMut(&Progress) -> ControlFlow<()> + Send),
) -> Result<GenerateSummary, SeedError> {
    let employees = opts.validate()?;
    let started = Instant::now();
    let tenant = generated_tenant_id(&opts.slug);
    let mut conn = pool.acquire().await?;
    let locked: bool = sqlx::query_scalar(
        "SELECT pg_try_advisory_lock(hashtext('pms.seed.generate'), hashtext($1))",
    )
    .bind(&opts.slug)
    .fetch_one(&mut *conn)
    .await?;
    if !locked {
        return Err(SeedError::Busy(opts.slug.clone()));
    }
    let result = match bulk {
        Some(b) => match b.acquire().await {
            Ok(mut c) => crate::bulk::check_session(&mut c).await,
            Err(e) => Err(e.into()),
        },
        None => Ok(()),
    };
    let result = match result {
        Ok(()) => {
            run::run(
                pool, bulk, &mut conn, opts, employees, tenant, started, progress,
            )
            .await
        }
        Err(e) => Err(e),
    };
    let _ = sqlx::query("SELECT pg_advisory_unlock(hashtext('pms.seed.generate'), hashtext($1))")
        .bind(&opts.slug)
        .execute(&mut *conn)
        .await;
    result
}
