//! One sync pass: every tenant (or one), every source, in one `REPEATABLE READ` transaction of
//! the maintenance role (which bypasses RLS and the visibility policies, as the warehouse must
//! see every row), its watermarks committed with the warehouse rows it wrote.
//!
//! The horizon: before the snapshot is taken, the start of the oldest other open transaction of
//! the database (or now). A change the snapshot misses belongs to a transaction that started
//! at or after it, so its `updated_at`, audit entry or change-log row is at or after the
//! horizon, and the next pass, reading from the horizon on, sees it. Rows at the edge are read
//! twice; the merge writes only rows that differ, so that costs nothing but the reading.

use crate::error::{Doing as _, Result, WarehouseError};
use sqlx::{Connection as _, Executor as _, PgConnection};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use uuid::Uuid;

/// The sources of a pass, in the order it reads them (as `warehouse.sync_sources()`).
pub const SOURCES: &[&str] = &[
    "tenants",
    "departments",
    "users",
    "teams",
    "review_cycles",
    "competencies",
    "performance_reviews",
    "feedback",
    "engagement_answers",
    "engagement_weekly",
    "goals",
    "performance_daily",
];

/// Serialises passes on one database (a second waits for the first to finish).
pub const SYNC_LOCK_KEY: i64 = 0x706d_735f_7768_7379; // "pms_whsy"

/// What a pass covers.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Only this tenant (by slug); every tenant when `None`.
    pub tenant: Option<String>,
    /// Rebuild from scratch: the tenant's warehouse rows and watermarks go first, and every
    /// source is read whole (history of the slowly changing dimensions from the audit trail).
    pub full: bool,
    /// A pause after each source, inside the transaction: throttles a pass on a busy primary
    /// (`PMS_WAREHOUSE_STEP_PAUSE_MS`), and lets tests stop one at a chosen point.
    pub step_pause: Duration,
}

/// One step of a pass, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub tenant: &'a str,
    pub source: &'a str,
    pub done: u64,
    pub total: u64,
}

/// What a pass did for one tenant.
#[derive(Debug, Clone)]
pub struct TenantReport {
    pub tenant_id: Uuid,
    pub slug: String,
    /// Warehouse rows written or deleted, per source (plus `dates`).
    pub changed: BTreeMap<String, i64>,
    /// Rows deleted by `--full` before the rebuild.
    pub reset: i64,
    /// Time spent per source (where a slow pass spends it).
    pub timings: BTreeMap<String, Duration>,
}

impl TenantReport {
    /// Rows the pass changed for this tenant (the reset not counted).
    pub fn total_changed(&self) -> i64 {
        self.changed.values().sum()
    }
}

/// What a pass did.
#[derive(Debug, Clone)]
pub struct SyncReport {
    pub horizon: OffsetDateTime,
    pub full: bool,
    pub tenants: Vec<TenantReport>,
    pub duration: Duration,
    /// The commit alone (the deferred foreign-key checks of the facts run there).
    pub commit: Duration,
    /// False when the role could not see other sessions' transactions, so the horizon was
    /// moved back an hour to stay safe.
    pub exact_horizon: bool,
}

impl SyncReport {
    pub fn total_changed(&self) -> i64 {
        self.tenants.iter().map(TenantReport::total_changed).sum()
    }
}

/// Runs a pass on `conn` (a maintenance-role connection with no transaction open). On any
/// error the transaction is rolled back: the warehouse and its watermarks are as before.
pub async fn sync(
    conn: &mut PgConnection,
    opts: &SyncOptions,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<SyncReport> {
    let started = Instant::now();
    let migrated: bool =
        sqlx::query_scalar("SELECT to_regproc('warehouse.sync_source') IS NOT NULL")
            .fetch_one(&mut *conn)
            .await
            .doing("checking the warehouse schema")?;
    if !migrated {
        return Err(WarehouseError::NotMigrated);
    }
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(SYNC_LOCK_KEY)
        .execute(&mut *conn)
        .await
        .doing("waiting for the warehouse sync lock")?;
    let result = locked(conn, opts, progress, started).await;
    let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(SYNC_LOCK_KEY)
        .execute(&mut *conn)
        .await;
    result
}

async fn locked(
    conn: &mut PgConnection,
    opts: &SyncOptions,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
    started: Instant,
) -> Result<SyncReport> {
    let sees_all: bool = sqlx::query_scalar(
        "SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut *conn)
    .await
    .doing("checking the role's view of other sessions")?;
    let horizon: OffsetDateTime = if sees_all {
        sqlx::query_scalar("SELECT warehouse.sync_horizon()")
    } else {
        tracing::warn!(
            "the sync's role cannot see other sessions (grant it pg_read_all_stats): reading from an hour before the horizon"
        );
        sqlx::query_scalar("SELECT warehouse.sync_horizon() - interval '1 hour'")
    }
    .fetch_one(&mut *conn)
    .await
    .doing("reading the sync horizon")?;

    let mut tx = conn.begin().await.doing("beginning the sync transaction")?;
    tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .await
        .doing("setting REPEATABLE READ")?;
    let tenants: Vec<(Uuid, String)> = match &opts.tenant {
        Some(slug) => {
            let row: Option<(Uuid, String)> =
                sqlx::query_as("SELECT id, slug FROM public.tenants WHERE slug = $1")
                    .bind(slug)
                    .fetch_optional(&mut *tx)
                    .await
                    .doing("looking up the tenant")?;
            vec![row.ok_or_else(|| WarehouseError::UnknownTenant(slug.clone()))?]
        }
        None => sqlx::query_as("SELECT id, slug FROM public.tenants ORDER BY slug")
            .fetch_all(&mut *tx)
            .await
            .doing("listing tenants")?,
    };
    let steps_per_tenant = SOURCES.len() as u64 + 1;
    let total = steps_per_tenant * tenants.len() as u64;
    let mut done = 0;
    let mut reports = Vec::with_capacity(tenants.len());
    for (tenant_id, slug) in &tenants {
        let tenant_started: OffsetDateTime = sqlx::query_scalar("SELECT clock_timestamp()")
            .fetch_one(&mut *tx)
            .await
            .doing("reading the clock")?;
        let reset: i64 = sqlx::query_scalar("SELECT warehouse.sync_tenant_begin($1, $2)")
            .bind(tenant_id)
            .bind(opts.full)
            .fetch_one(&mut *tx)
            .await
            .doing(format!("starting the pass of tenant {slug}"))?;
        let marks: BTreeMap<String, OffsetDateTime> =
            sqlx::query_as::<_, (String, OffsetDateTime)>(
                "SELECT source, horizon FROM warehouse.sync_watermarks WHERE tenant_id = $1",
            )
            .bind(tenant_id)
            .fetch_all(&mut *tx)
            .await
            .doing("reading the watermarks")?
            .into_iter()
            .collect();
        let mut changed = BTreeMap::new();
        let mut timings = BTreeMap::new();
        for source in SOURCES {
            let step = Instant::now();
            progress(Progress {
                tenant: slug,
                source,
                done,
                total,
            });
            let since = marks.get(*source).copied();
            let n: i64 = sqlx::query_scalar(
                "SELECT warehouse.sync_source($1, $2, coalesce($3, '-infinity'::timestamptz))",
            )
            .bind(tenant_id)
            .bind(*source)
            .bind(since)
            .fetch_one(&mut *tx)
            .await
            .doing(format!("syncing {source} of tenant {slug}"))?;
            changed.insert((*source).to_string(), n);
            timings.insert((*source).to_string(), step.elapsed());
            done += 1;
            if !opts.step_pause.is_zero() {
                tokio::time::sleep(opts.step_pause).await;
            }
        }
        progress(Progress {
            tenant: slug,
            source: "dates",
            done,
            total,
        });
        let details = serde_json::to_value(&changed).unwrap_or_default();
        let step = Instant::now();
        let all: i64 =
            sqlx::query_scalar("SELECT warehouse.sync_tenant_finish($1, $2, $3, $4, $5)")
                .bind(tenant_id)
                .bind(horizon)
                .bind(opts.full)
                .bind(tenant_started)
                .bind(&details)
                .fetch_one(&mut *tx)
                .await
                .doing(format!("finishing the pass of tenant {slug}"))?;
        changed.insert("dates".into(), all - changed.values().sum::<i64>());
        timings.insert("dates".into(), step.elapsed());
        done += 1;
        reports.push(TenantReport {
            tenant_id: *tenant_id,
            slug: slug.clone(),
            changed,
            reset,
            timings,
        });
    }
    progress(Progress {
        tenant: "",
        source: "commit",
        done,
        total,
    });
    let step = Instant::now();
    tx.commit().await.doing("committing the sync")?;
    let commit = step.elapsed();
    Ok(SyncReport {
        commit,
        horizon,
        full: opts.full,
        tenants: reports,
        duration: started.elapsed(),
        exact_horizon: sees_all,
    })
}
