//! One run of the generator: the structure batch, the employee batches `workers` at a time (each
//! waiting only for the batch of its people's managers), and, in a verified bulk load, the build
//! and attach of the tenant's own partitions; then the completion record.

use super::digests::{batch_digests, table_digests};
use super::employees::employee_batch;
use super::load::{existing_batches, load, load_into, record};
use super::options::{GenerateOptions, GenerateSummary, Progress, TENANT_PARTITIONED};
use super::plan::Plan;
use super::structure::structure_rows;
use crate::copy_text::Ids;
use crate::error::SeedError;
use futures::StreamExt as _;
use sqlx::{Acquire, PgConnection, PgPool};
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};
use uuid::Uuid;

#[allow(clippy::too_many_arguments)]
pub(super) async fn run(
    pool: &PgPool,
    bulk: Option<&PgPool>,
    conn: &mut PgConnection,
    opts: &GenerateOptions,
    employees: u64,
    tenant: Uuid,
    started: Instant,
    progress: &mut (dyn FnMut(&Progress) -> ControlFlow<()> + Send),
) -> Result<GenerateSummary, SeedError> {
    let partitions = bulk.is_some();
    let done = existing_batches(conn, opts, tenant, partitions).await?;
    let password_hash =
        crate::password::hash(crate::demo::DEMO_PASSWORD).map_err(SeedError::Password)?;
    let plan = Plan {
        tenant,
        slug: opts.slug.clone(),
        employees,
        seed: opts.seed,
        ids: Ids::new(tenant),
        password_hash,
    };
    let mut summary = GenerateSummary {
        tenant_id: tenant,
        rows: 0,
        bytes: 0,
        rows_by_table: BTreeMap::new(),
        copy_time_by_table: BTreeMap::new(),
        batches_loaded: 0,
        batches_skipped: 0,
        partition_build: Duration::ZERO,
        partition_attach: Duration::ZERO,
        elapsed: Duration::ZERO,
    };
    let params = opts.parameters(partitions);
    if done.contains_key("structure") {
        summary.batches_skipped += 1;
    } else {
        let mut tx = conn.begin().await?;
        sqlx::query("INSERT INTO tenants (id, slug, name, settings) VALUES ($1, $2, $3, jsonb_build_object('generated', $4::jsonb))")
            .bind(tenant)
            .bind(&opts.slug)
            .bind(opts.name.clone().unwrap_or_else(|| format!("Generated {}", opts.slug)))
            .bind(&params)
            .execute(&mut *tx)
            .await?;
        let tables = structure_rows(&plan);
        summary.add(load(&mut tx, &tables).await?);
        record(&mut tx, tenant, "structure", &tables, &params).await?;
        tx.commit().await?;
        summary.batches_loaded += 1;
    }
    // A verified bulk load fills detached partitions of the tenant's own (created here, or
    // found again when resuming), attached once every batch is in.
    let part = match bulk {
        Some(b) if !done.contains_key("complete") => {
            let mut c = b.acquire().await?;
            sqlx::query("SELECT pms_meta.tenant_partitions_prepare($1)")
                .bind(tenant)
                .execute(&mut *c)
                .await?;
            Some(tenant.simple().to_string())
        }
        _ => None,
    };
    let part_ref = part.as_deref();
    let size = opts.batch_employees;
    let batches = employees.div_ceil(size);
    // Batch b may start once every batch holding a manager of its people is committed (managers
    // always have smaller indexes, so that is an earlier batch for every b > 0).
    let (mark_tx, mark_rx) = tokio::sync::watch::channel(0u64);
    // Set when the caller breaks: batches not started yet are skipped, batches waiting for their
    // managers give up, and batches already loading finish (commit or roll back) on their own.
    // Dropping them instead would abandon connections in the middle of a COPY, and the pool
    // would hand them out again with the protocol half-read.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut finished = std::collections::BTreeSet::new();
    let mut mark = 0u64;
    let mut employees_done = 0u64;
    // The SHA-256 of each batch's COPY text per partitioned table (verified bulk loads only).
    let mut loaded_digests: BTreeMap<u64, Vec<(&'static str, [u8; 32])>> = BTreeMap::new();
    let owned_plan = std::sync::Arc::new(plan.clone());
    let shared_plan = &owned_plan;
    let plan_ref = &plan;
    let done_ref = &done;
    let params_ref = &params;
    let mut stream = futures::stream::iter(0..batches)
        .map(|b| {
            let (from, to) = (b * size, ((b + 1) * size).min(employees));
            let name = format!("employees-{b:05}");
            // A batch loaded by an earlier run is skipped; in a verified bulk load the digests
            // of its partitioned rows are needed again (it is a pure function of the
            // parameters).
            let done = done_ref.contains_key(&name);
            let digest = part_ref.is_some();
            let for_batch = shared_plan.clone();
            // Built on a blocking thread ahead of its load (up to one batch per worker ahead),
            // so that the connections keep streaming COPYs while the next batches are built.
            let generated = (!done || digest).then(|| {
                tokio::task::spawn_blocking(move || {
                    let batch = employee_batch(&for_batch, from, to);
                    let digests = digest.then(|| batch_digests(&batch.tables));
                    ((!done).then_some(batch), digests)
                })
            });
            async move {
                let (batch, digests) = match generated {
                    Some(task) => task
                        .await
                        .map_err(|e| SeedError::Generator(e.to_string()))?,
                    None => (None, None),
                };
                Ok::<_, SeedError>((b, from, to, name, batch, digests))
            }
        })
        .buffered(opts.workers as usize + 1)
        .map(|generated| {
            let mut managers = mark_rx.clone();
            let mut stopped = stop_rx.clone();
            async move {
                let (b, from, to, name, batch, digests) = generated?;
                let Some(batch) = batch else {
                    return Ok::<_, SeedError>((b, to - from, None, digests));
                };
                if *stopped.borrow() {
                    return Ok((b, 0, None, None));
                }
                // The batch's people need their managers' batches committed: their rows in
                // the shared tables are checked per batch (all rows with per-row checks; only
                // `users` in a verified load, whose other rows go to the tenant's partitions
                // and are checked at the build, so those are loaded before the wait).
                let needs = plan_ref.parent(to - 1).unwrap_or(0) / size;
                let mut managers_committed = Some(async move {
                    if b > 0 && needs < b {
                        tokio::select! {
                            waited = managers.wait_for(|m| *m > needs) => {
                                waited.map_err(|_| SeedError::Db(sqlx::Error::PoolClosed))?;
                            }
                            _ = stopped.wait_for(|s| *s) => return Err(SeedError::Interrupted { done: 0, total: 0 }),
                        }
                    }
                    Ok::<_, SeedError>(())
                });
                let (early, late): (Vec<_>, Vec<_>) = match part_ref {
                    Some(_) => batch
                        .tables
                        .iter()
                        .partition(|t| TENANT_PARTITIONED.contains(&t.0)),
                    None => (Vec::new(), batch.tables.iter().collect()),
                };
                if early.is_empty()
                    && let Some(wait) = managers_committed.take()
                {
                    wait.await?;
                }
                let mut conn = bulk.unwrap_or(pool).acquire().await?;
                let mut tx = conn.begin().await?;
                if bulk.is_some() {
                    let label = format!("seed {} {name}", plan_ref.slug);
                    crate::bulk::begin_batch(&mut tx, tenant, &label).await?;
                }
                let mut stats = load_into(&mut tx, &early, part_ref).await?;
                if let Some(wait) = managers_committed.take() {
                    wait.await?;
                }
                stats.add(load_into(&mut tx, &late, part_ref).await?);
                record(&mut tx, tenant, &name, &batch.tables, params_ref).await?;
                tx.commit().await?;
                Ok((b, to - from, Some(stats), digests))
            }
        })
        .buffer_unordered(opts.workers as usize);
    let mut interrupted = false;
    while let Some(result) = stream.next().await {
        if interrupted {
            // Draining: whatever these batches did is whole (committed, or rolled back).
            if let Err(e) = result
                && !matches!(e, SeedError::Interrupted { .. })
            {
                tracing::warn!(error = %e, "a batch in flight at the interruption failed; it was rolled back");
            }
            continue;
        }
        let (b, people, stats, digests) = result?;
        if let Some(d) = digests {
            loaded_digests.insert(b, d);
        }
        let skipped = stats.is_none();
        match stats {
            Some(stats) => {
                summary.add(stats);
                summary.batches_loaded += 1;
            }
            None => summary.batches_skipped += 1,
        }
        employees_done += people;
        let step = Progress {
            employees_done,
            employees_total: employees,
            rows_loaded: summary.rows,
            batch_skipped: skipped,
        };
        if progress(&step).is_break() && employees_done < employees {
            interrupted = true;
            let _ = stop_tx.send(true);
            continue;
        }
        finished.insert(b);
        while finished.remove(&mark) {
            mark += 1;
        }
        let _ = mark_tx.send(mark);
    }
    drop(stream);
    if interrupted {
        return Err(SeedError::Interrupted {
            done: employees_done,
            total: employees,
        });
    }
    if let (Some(b), Some(_)) = (bulk, part_ref) {
        // Each partition's indexes in one sorted build, the tables side by side.
        let started = Instant::now();
        tracing::info!(
            tables = TENANT_PARTITIONED.len(),
            "building the tenant's partitions"
        );
        // Longest first, so that no long build starts last on an otherwise idle connection.
        let order = [
            "feedback",
            "performance_reviews",
            "goals",
            "one_on_ones",
            "key_results",
            "user_roles",
            "team_members",
            "reporting_lines",
            "teams",
        ];
        debug_assert!(order.iter().all(|t| TENANT_PARTITIONED.contains(t)));
        let mut builds = futures::stream::iter(order)
            .map(|table| async move {
                let mut c = b.acquire().await?;
                sqlx::query("SELECT pms_meta.tenant_partition_build($1, $2)")
                    .bind(tenant)
                    .bind(table)
                    .execute(&mut *c)
                    .await?;
                Ok::<_, SeedError>(())
            })
            .buffer_unordered(opts.workers as usize);
        while let Some(built) = builds.next().await {
            built?;
        }
        summary.partition_build = started.elapsed();
    }
    if !done.contains_key("complete") {
        let mut tx = conn.begin().await?;
        if part_ref.is_some() {
            // Attached in one transaction with the completion record, so the tenant's rows
            // appear all at once (the partitions' indexes and foreign keys are adopted as built
            // and checked).
            let started = Instant::now();
            tracing::info!("attaching the tenant's partitions");
            sqlx::query("SELECT pms_meta.tenant_partitions_attach($1, $2, $3)")
                .bind(tenant)
                .bind(format!("seed {} partitions", plan.slug))
                .bind(table_digests(&loaded_digests))
                .execute(&mut *tx)
                .await?;
            summary.partition_attach = started.elapsed();
        }
        let keys = plan.department_keys();
        let depts: Vec<Uuid> = keys.iter().map(|k| plan.dept(*k)).collect();
        let heads: Vec<Uuid> = keys.iter().map(|k| plan.user(*k)).collect();
        sqlx::query(
            "UPDATE departments d SET head_id = h.head FROM unnest($2::uuid[], $3::uuid[]) AS h (dept, head)
             WHERE d.tenant_id = $1 AND d.id = h.dept",
        )
        .bind(tenant)
        .bind(&depts)
        .bind(&heads)
        .execute(&mut *tx)
        .await?;
        record(&mut tx, tenant, "complete", &[], &params).await?;
        tx.commit().await?;
    }
    summary.elapsed = started.elapsed();
    // Statistics for what was loaded (outside the load's time: autovacuum would get there
    // later, and until then the planner takes the new rows for none).
    let tables: Vec<&str> = summary.rows_by_table.keys().copied().collect();
    let analyzed = Instant::now();
    sqlx::query("SELECT pms_meta.analyze_after_load($1)")
        .bind(&tables)
        .execute(&mut *conn)
        .await?;
    tracing::info!(tables = tables.len(), elapsed = ?analyzed.elapsed(), "analyzed the loaded tables");
    Ok(summary)
}
