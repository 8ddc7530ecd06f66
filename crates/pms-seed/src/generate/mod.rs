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
//! [`super::demo::DEMO_PASSWORD`].

use super::copy_text::{CopyBuf, Ids};
pub use super::error::{MAX_EMPLOYEES, MAX_MONTHS, SeedError};
use super::generate_rows::{Plan, employee_batch};
use super::seed_id;
use futures::StreamExt as _;
use sqlx::{Acquire, PgConnection, PgPool};
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Employees per batch (one transaction each): about 45k rows.
pub const BATCH_EMPLOYEES: u64 = 2_000;
/// The tables partitioned by tenant (`pms_meta.tenant_partitioned_tables()`, in attach order):
/// a verified bulk load fills the tenant's own partitions of these.
pub const TENANT_PARTITIONED: &[&str] = &[
    "teams",
    "team_members",
    "user_roles",
    "reporting_lines",
    "goals",
    "key_results",
    "performance_reviews",
    "feedback",
    "one_on_ones",
];

/// The layout of generated ids ([`super::copy_text::Ids`]), part of a run's parameters: a run
/// interrupted under another layout is not resumed with this one.
const IDS_VERSION: u32 = 2;

/// The parameters of a generated tenant.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub employees: i64,
    pub months: i64,
    pub seed: u64,
    pub slug: String,
    pub name: Option<String>,
    /// Employees per batch (transaction); [`BATCH_EMPLOYEES`] unless tuned.
    pub batch_employees: u64,
    /// Batches loaded at the same time, each on its own connection (the pool needs one more).
    pub workers: u64,
}

/// Reported after each batch.
#[derive(Debug, Clone)]
pub struct Progress {
    pub employees_done: u64,
    pub employees_total: u64,
    pub rows_loaded: u64,
    pub batch_skipped: bool,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct GenerateSummary {
    pub tenant_id: Uuid,
    pub rows: u64,
    pub bytes: u64,
    pub rows_by_table: BTreeMap<&'static str, u64>,
    /// Time spent in each table's COPY (where a slow seed spends it).
    pub copy_time_by_table: BTreeMap<&'static str, Duration>,
    pub batches_loaded: u64,
    pub batches_skipped: u64,
    /// Building the tenant's own partitions: their indexes and foreign-key checks
    /// (verified bulk loads only).
    pub partition_build: Duration,
    /// Attaching them (verified bulk loads only).
    pub partition_attach: Duration,
    pub elapsed: Duration,
}

impl GenerateOptions {
    /// Checks every parameter before anything is written.
    pub fn validate(&self) -> Result<u64, SeedError> {
        if self.employees < 1 {
            return Err(SeedError::NoEmployees(self.employees));
        }
        if self.employees > MAX_EMPLOYEES {
            return Err(SeedError::TooManyEmployees(self.employees));
        }
        if !(0..=MAX_MONTHS).contains(&self.months) {
            return Err(SeedError::BadMonths(self.months));
        }
        if !(1..=100_000).contains(&self.batch_employees) {
            return Err(SeedError::BadBatch(self.batch_employees));
        }
        if !(1..=16).contains(&self.workers) {
            return Err(SeedError::BadWorkers(self.workers));
        }
        let s = self.slug.as_bytes();
        let ok = (2..=63).contains(&s.len())
            && s[0].is_ascii_alphanumeric()
            && s.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
        if !ok {
            return Err(SeedError::BadSlug(self.slug.clone()));
        }
        Ok(self.employees as u64)
    }

    /// The parameters recorded with the run (and compared when it resumes). A verified bulk
    /// load puts the partitioned tables' rows into the tenant's own partitions, a per-row load
    /// into the shared ones: an interrupted run resumes only the way it started.
    fn parameters(&self, partitions: bool) -> serde_json::Value {
        let mut p = serde_json::json!({ "employees": self.employees, "months": self.months, "seed": self.seed, "batch_employees": self.batch_employees, "ids": IDS_VERSION });
        if partitions {
            p["load"] = serde_json::json!("tenant-partitions");
        }
        p
    }
}

/// The id a generated tenant gets (deterministic, so a resumed run finds its own tenant).
pub fn generated_tenant_id(slug: &str) -> Uuid {
    seed_id(&["generated", slug])
}

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
/// `bulk` ([`super::bulk::bulk_pool`], `workers` connections): the database checks each
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
            Ok(mut c) => super::bulk::check_session(&mut c).await,
            Err(e) => Err(e.into()),
        },
        None => Ok(()),
    };
    let result = match result {
        Ok(()) => {
            run(
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

#[allow(clippy::too_many_arguments)]
async fn run(
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
        super::password::hash(super::demo::DEMO_PASSWORD).map_err(SeedError::Password)?;
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
            async move {
                let (b, from, to, name, batch, digests) = generated?;
                let Some(batch) = batch else {
                    return Ok::<_, SeedError>((b, to - from, None, digests));
                };
                // The batch's people need their managers' batches committed: their rows in
                // the shared tables are checked per batch (all rows with per-row checks; only
                // `users` in a verified load, whose other rows go to the tenant's partitions
                // and are checked at the build, so those are loaded before the wait).
                let needs = plan_ref.parent(to - 1).unwrap_or(0) / size;
                let mut managers_committed = Some(async move {
                    if b > 0 && needs < b {
                        managers
                            .wait_for(|m| *m > needs)
                            .await
                            .map_err(|_| SeedError::Db(sqlx::Error::PoolClosed))?;
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
                    super::bulk::begin_batch(&mut tx, tenant, &label).await?;
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
    while let Some(result) = stream.next().await {
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
            // Dropping the stream abandons batches in flight: their transactions roll back.
            return Err(SeedError::Interrupted {
                done: employees_done,
                total: employees,
            });
        }
        finished.insert(b);
        while finished.remove(&mark) {
            mark += 1;
        }
        let _ = mark_tx.send(mark);
    }
    drop(stream);
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
    Ok(summary)
}

/// The SHA-256 of the COPY text of each [`TENANT_PARTITIONED`] table in one batch.
fn batch_digests(
    tables: &[(&'static str, &'static str, CopyBuf)],
) -> Vec<(&'static str, [u8; 32])> {
    use sha2::Digest as _;
    tables
        .iter()
        .filter(|t| TENANT_PARTITIONED.contains(&t.0))
        .map(|(table, _, buf)| (*table, sha2::Sha256::digest(buf.data.as_bytes()).into()))
        .collect()
}

/// The digest of each partitioned table's load, as `tenant_partitions_attach` records it on the
/// audit chain: the SHA-256 of the batches' digests of that table (their SHA-256 of the COPY
/// text sent), concatenated in batch order. Hex, by table name.
fn table_digests(batches: &BTreeMap<u64, Vec<(&'static str, [u8; 32])>>) -> serde_json::Value {
    use sha2::Digest as _;
    let mut by_table: BTreeMap<&'static str, sha2::Sha256> = TENANT_PARTITIONED
        .iter()
        .map(|t| (*t, sha2::Sha256::new()))
        .collect();
    for digests in batches.values() {
        for (table, digest) in digests {
            if let Some(h) = by_table.get_mut(table) {
                h.update(digest);
            }
        }
    }
    by_table
        .into_iter()
        .map(|(t, h)| {
            (
                t.to_string(),
                serde_json::Value::from(hex::encode(h.finalize())),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The digests a verified bulk load of `opts` records for its partitioned tables (see
/// [`table_digests`]), computed by generating every batch again without a database: anyone
/// holding a run's parameters (`seed_batches.parameters`) can check the audit chain's entries.
pub fn partition_digests(opts: &GenerateOptions) -> Result<serde_json::Value, SeedError> {
    let plan = plan_for(opts)?;
    let mut batches = BTreeMap::new();
    each_batch(&plan, opts.batch_employees, |b, tables| {
        batches.insert(b, batch_digests(tables));
    });
    Ok(table_digests(&batches))
}

/// Generates every employee batch of `plan` in order, `size` people each, without a database,
/// and hands each (its number, its tables) to `f`.
fn each_batch(
    plan: &Plan,
    size: u64,
    mut f: impl FnMut(u64, &[(&'static str, &'static str, CopyBuf)]),
) {
    let mut from = 0;
    while from < plan.employees {
        let to = (from + size).min(plan.employees);
        f(from / size, &employee_batch(plan, from, to).tables);
        from = to;
    }
}

/// The plan of a run with `opts` (the same rows as the run loads, without a database).
pub(super) fn plan_for(opts: &GenerateOptions) -> Result<Plan, SeedError> {
    let employees = opts.validate()?;
    let tenant = generated_tenant_id(&opts.slug);
    Ok(Plan {
        tenant,
        slug: opts.slug.clone(),
        employees,
        seed: opts.seed,
        ids: Ids::new(tenant),
        password_hash: super::password::hash(super::demo::DEMO_PASSWORD)
            .map_err(SeedError::Password)?,
    })
}

/// The rows and COPY bytes a run with `opts` loads in all (what the benchmark's baselines
/// copy), computed by building every batch without loading it.
pub fn planned_size(opts: &GenerateOptions) -> Result<(u64, u64), SeedError> {
    let plan = plan_for(opts)?;
    let size = |tables: &[(&'static str, &'static str, CopyBuf)]| {
        tables.iter().fold((0, 0), |(r, b), t| {
            (r + t.2.rows, b + t.2.data.len() as u64)
        })
    };
    let (mut rows, mut bytes) = size(&structure_rows(&plan));
    each_batch(&plan, opts.batch_employees, |_, tables| {
        let (r, b) = size(tables);
        rows += r;
        bytes += b;
    });
    Ok((rows, bytes))
}

/// The batches already loaded for this slug; refuses a slug that is not a resumable run of the
/// same parameters.
async fn existing_batches(
    conn: &mut PgConnection,
    opts: &GenerateOptions,
    tenant: Uuid,
    partitions: bool,
) -> Result<BTreeMap<String, i64>, SeedError> {
    let existing: Option<Uuid> = sqlx::query_scalar("SELECT id FROM tenants WHERE slug = $1")
        .bind(&opts.slug)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(existing) = existing else {
        return Ok(BTreeMap::new());
    };
    if existing != tenant {
        return Err(SeedError::SlugExists(opts.slug.clone()));
    }
    let rows: Vec<(String, i64, serde_json::Value)> = sqlx::query_as(
        "SELECT batch, row_count, parameters FROM seed_batches WHERE tenant_id = $1",
    )
    .bind(tenant)
    .fetch_all(&mut *conn)
    .await?;
    let Some((_, _, params)) = rows.iter().find(|r| r.0 == "structure") else {
        return Err(SeedError::SlugExists(opts.slug.clone()));
    };
    if *params != opts.parameters(partitions) {
        return Err(SeedError::OtherParameters {
            slug: opts.slug.clone(),
            existing: params.to_string(),
        });
    }
    if rows.iter().any(|r| r.0 == "complete") {
        return Err(SeedError::SlugExists(opts.slug.clone()));
    }
    Ok(rows.into_iter().map(|(b, n, _)| (b, n)).collect())
}

/// What one batch loaded.
#[derive(Debug, Default)]
struct BatchStats {
    rows: u64,
    bytes: u64,
    by_table: Vec<(&'static str, u64, Duration)>,
}

impl BatchStats {
    fn add(&mut self, other: BatchStats) {
        self.rows += other.rows;
        self.bytes += other.bytes;
        self.by_table.extend(other.by_table);
    }
}

impl GenerateSummary {
    fn add(&mut self, stats: BatchStats) {
        self.rows += stats.rows;
        self.bytes += stats.bytes;
        for (table, rows, time) in stats.by_table {
            *self.rows_by_table.entry(table).or_default() += rows;
            *self.copy_time_by_table.entry(table).or_default() += time;
        }
    }
}

/// COPYs each payload of a batch, in order.
async fn load(
    conn: &mut PgConnection,
    tables: &[(&'static str, &'static str, CopyBuf)],
) -> Result<BatchStats, SeedError> {
    load_into(conn, &tables.iter().collect::<Vec<_>>(), None).await
}

/// As [`load`]; with `partition` (the tenant's id, 32 hex digits), the rows of the
/// [`TENANT_PARTITIONED`] tables go to the tenant's detached partitions
/// (`pms_meta.tenant_partitions_prepare`) instead of the shared tables.
async fn load_into(
    conn: &mut PgConnection,
    tables: &[&(&'static str, &'static str, CopyBuf)],
    partition: Option<&str>,
) -> Result<BatchStats, SeedError> {
    let mut stats = BatchStats::default();
    for (table, target, buf) in tables {
        if buf.rows == 0 {
            continue;
        }
        let started = Instant::now();
        let statement = match partition {
            Some(hex) if TENANT_PARTITIONED.contains(table) => {
                let columns = target.strip_prefix(table).unwrap_or(target);
                format!("COPY pms_parts.{table}_t{hex}{columns} FROM STDIN")
            }
            _ => format!("COPY {target} FROM STDIN"),
        };
        let mut copy = conn.copy_in_raw(&statement).await?;
        copy.send(buf.data.as_bytes()).await?;
        let n = copy.finish().await?;
        stats.rows += n;
        stats.bytes += buf.data.len() as u64;
        stats.by_table.push((table, n, started.elapsed()));
    }
    Ok(stats)
}

async fn record(
    conn: &mut PgConnection,
    tenant: Uuid,
    batch: &str,
    tables: &[(&'static str, &'static str, CopyBuf)],
    params: &serde_json::Value,
) -> Result<(), SeedError> {
    let rows: u64 = tables.iter().map(|t| t.2.rows).sum();
    sqlx::query("INSERT INTO seed_batches (tenant_id, batch, row_count, parameters) VALUES ($1, $2, $3, $4)")
        .bind(tenant)
        .bind(batch)
        .bind(rows as i64)
        .bind(params)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Business units, cost centres, departments, roles, a review template and two review cycles.
pub(super) fn structure_rows(plan: &Plan) -> Vec<(&'static str, &'static str, CopyBuf)> {
    let t = plan.tenant;
    let a = super::generate_rows::anchor();
    let mut units = CopyBuf::new();
    let mut centers = CopyBuf::new();
    for (k, (code, name)) in [
        ("PE", "Product & Engineering"),
        ("GTM", "Go-To-Market"),
        ("CORP", "Corporate"),
    ]
    .iter()
    .enumerate()
    {
        units.raw(t).raw(plan.unit(k as u64)).text(code).text(name);
        units.end_row();
        centers
            .raw(t)
            .raw(plan.cost_center(k as u64))
            .text(&format!("CC-{}", 100 * (k + 1)))
            .text(name)
            .raw(plan.unit(k as u64));
        centers.end_row();
    }
    let mut depts = CopyBuf::new();
    for key in plan.department_keys() {
        let (code, name) = if key == 0 {
            ("EXEC".to_string(), "Executive Office".to_string())
        } else {
            (format!("D{key}"), format!("Department {key}"))
        };
        depts
            .raw(t)
            .raw(plan.dept(key))
            .text(&code)
            .text(&name)
            .opt(plan.parent(key).map(|p| plan.dept(p)));
        depts.raw(plan.unit(key)).raw(plan.cost_center(key));
        depts.end_row();
    }
    let mut roles = CopyBuf::new();
    for (code, name) in [
        ("EMPLOYEE", "Employee"),
        ("MANAGER", "People manager"),
        ("ADMIN", "Administrator"),
        ("HR_ADMIN", "HR administrator"),
    ] {
        roles
            .raw(t)
            .raw(plan.role(code))
            .text(code)
            .text(name)
            .raw("t");
        roles.end_row();
    }
    let mut templates = CopyBuf::new();
    templates
        .raw(t)
        .raw(plan.template())
        .text("Standard review")
        .text("MANAGER")
        .raw("t");
    templates.end_row();
    let mut cycles = CopyBuf::new();
    let d = |days: i64| a + time::Duration::days(days);
    cycles
        .raw(t)
        .raw(plan.cycle(2025))
        .text("Annual review 2025")
        .text("ANNUAL")
        .text("COMPLETED")
        .raw(plan.template())
        .raw(d(-365))
        .raw(d(-1));
    cycles.end_row();
    cycles
        .raw(t)
        .raw(plan.cycle(2026))
        .text("Mid-year review 2026")
        .text("SEMI_ANNUAL")
        .text("MANAGER_REVIEW")
        .raw(plan.template())
        .raw(a)
        .raw(d(180));
    cycles.end_row();
    vec![
        (
            "business_units",
            "business_units (tenant_id, id, code, name)",
            units,
        ),
        (
            "cost_centers",
            "cost_centers (tenant_id, id, code, name, business_unit_id)",
            centers,
        ),
        (
            "departments",
            "departments (tenant_id, id, code, name, parent_id, business_unit_id, cost_center_id)",
            depts,
        ),
        (
            "roles",
            "roles (tenant_id, id, code, name, is_system)",
            roles,
        ),
        (
            "review_templates",
            "review_templates (tenant_id, id, name, review_type, is_default)",
            templates,
        ),
        (
            "review_cycles",
            "review_cycles (tenant_id, id, name, cycle_type, status, template_id, period_start, period_end)",
            cycles,
        ),
    ]
}
