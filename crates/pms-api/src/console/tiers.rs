//! The health of every tier, each checked on its own with a time limit: one that fails or
//! hangs is shown as failing with its reason while the others still render. A tenant's view
//! gets the same tiers, with nothing in them about another tenant.

use super::ops::{NO_OPERATIONS, Operations};
use super::session::Scope;
use crate::state::AppState;
use pms_core::TenantId;
use std::future::Future;
use std::time::Duration;
use uuid::Uuid;

const LIMIT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Health {
    Ok,
    Warning,
    Failing,
    Unavailable,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Warning => "warning",
            Health::Failing => "failing",
            Health::Unavailable => "unavailable",
        }
    }
}

/// One tier's verdict.
pub(crate) struct Tier {
    pub name: &'static str,
    pub health: Health,
    pub summary: String,
    /// The alert this verdict fires, named like the Prometheus rule where one exists.
    pub alert: Option<&'static str>,
}

impl Tier {
    fn new(name: &'static str, health: Health, summary: impl Into<String>) -> Self {
        Self {
            name,
            health,
            summary: summary.into(),
            alert: None,
        }
    }

    fn alert(mut self, name: &'static str) -> Self {
        self.alert = Some(name);
        self
    }
}

/// Runs `check` within the time limit; an error or a timeout is the tier failing, with why.
async fn bounded<F>(name: &'static str, alert: &'static str, check: F) -> Tier
where
    F: Future<Output = Result<Tier, String>>,
{
    match tokio::time::timeout(LIMIT, check).await {
        Ok(Ok(t)) => t,
        Ok(Err(why)) => Tier::new(name, Health::Failing, why).alert(alert),
        Err(_) => Tier::new(
            name,
            Health::Failing,
            format!("no answer within {} s", LIMIT.as_secs()),
        )
        .alert(alert),
    }
}

fn no_ops(name: &'static str) -> Tier {
    Tier::new(name, Health::Unavailable, NO_OPERATIONS)
}

/// Every tier, in screen order. `tenant` limits tenant-specific figures to that tenant.
pub(crate) async fn all(
    state: &AppState,
    ops: Option<&Operations>,
    scope: Scope,
    tenant: TenantId,
) -> Vec<Tier> {
    let only = (scope == Scope::Tenant).then_some(tenant.as_uuid());
    let (db, ts, cache, archive, wh, backups) = tokio::join!(
        bounded("Database", "PmsDatabaseDown", database(state, ops)),
        bounded("Time-series", "PmsRollupsLagging", timeseries(ops)),
        async { cache(state) },
        bounded(
            "Archive",
            "PmsArchiveVerificationFailing",
            archive(ops, only)
        ),
        bounded("Warehouse", "PmsWarehouseLagging", warehouse(ops, only)),
        bounded("Backups", "PmsBackupTooOld", backups(ops)),
    );
    vec![db, ts, cache, archive, wh, backups]
}

async fn database(state: &AppState, ops: Option<&Operations>) -> Result<Tier, String> {
    let Some(ops) = ops else {
        let mut tx = state.pool().begin().await.map_err(|e| e.to_string())?;
        sqlx::query("SELECT 1")
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        return Ok(Tier::new(
            "Database",
            Health::Ok,
            "answers (sizes need the operations connection)",
        ));
    };
    let (size, conns, max): (i64, i64, i32) = sqlx::query_as(
        "SELECT pg_database_size(current_database()),
                (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()),
                current_setting('max_connections')::int",
    )
    .fetch_one(&ops.pool)
    .await
    .map_err(|e| format!("the database does not answer: {e}"))?;
    let ratio = conns as f64 / max.max(1) as f64;
    let summary = format!(
        "answers; {} on disk; {conns} of {max} connections in use",
        super::layout::bytes(size)
    );
    Ok(if ratio > 0.9 {
        Tier::new("Database", Health::Warning, summary).alert("PmsDatabaseConnectionsNearMax")
    } else {
        Tier::new("Database", Health::Ok, summary)
    })
}

/// Lag beyond which a rollup is late: twice its bucket plus two hours (the alert rule's bound).
pub(crate) fn rollup_bucket_secs(rollup: &str) -> f64 {
    let day = 86_400.0;
    if rollup.ends_with("_daily") {
        day
    } else if rollup.ends_with("_weekly") {
        7.0 * day
    } else {
        31.0 * day
    }
}

pub(crate) fn rollup_late(rollup: &str, lag: Option<f64>) -> bool {
    lag.is_none_or(|l| l > 2.0 * rollup_bucket_secs(rollup) + 7200.0)
}

async fn timeseries(ops: Option<&Operations>) -> Result<Tier, String> {
    let Some(ops) = ops else {
        return Ok(no_ops("Time-series"));
    };
    let s = pms_timeseries::status::status(&ops.pool)
        .await
        .map_err(|e| format!("cannot read the chunk and rollup status: {e}"))?;
    let late: Vec<&str> = s
        .rollups
        .iter()
        .filter(|r| rollup_late(&r.rollup, r.lag_seconds))
        .map(|r| r.rollup.as_str())
        .collect();
    let compressed = s.chunks.iter().filter(|c| c.compressed).count();
    let summary = format!(
        "{} chunks ({compressed} compressed), {} rollups, engine {}",
        s.chunks.len(),
        s.rollups.len(),
        s.backend
    );
    Ok(if late.is_empty() {
        Tier::new("Time-series", Health::Ok, summary)
    } else {
        Tier::new(
            "Time-series",
            Health::Warning,
            format!("{summary}; lagging: {}", late.join(", ")),
        )
        .alert("PmsRollupsLagging")
    })
}

fn cache(state: &AppState) -> Tier {
    let c = state.cache();
    let state_word = match c.breaker_state() {
        pms_cache::BreakerState::Closed => "closed",
        pms_cache::BreakerState::HalfOpen => "half-open",
        pms_cache::BreakerState::Open => "open",
    };
    let summary = format!(
        "{} backend; breaker {state_word}; {} invalidations pending",
        c.backend(),
        c.pending_invalidations()
    );
    match c.breaker_state() {
        pms_cache::BreakerState::Closed => Tier::new("Cache", Health::Ok, summary),
        pms_cache::BreakerState::HalfOpen => {
            Tier::new("Cache", Health::Warning, summary).alert("PmsCacheBreakerOpen")
        }
        pms_cache::BreakerState::Open => Tier::new(
            "Cache",
            Health::Failing,
            format!("{summary}: Redis is unreachable, reads go to the database"),
        )
        .alert("PmsCacheBreakerOpen"),
    }
}

async fn archive(ops: Option<&Operations>, only: Option<Uuid>) -> Result<Tier, String> {
    let Some(ops) = ops else {
        return Ok(no_ops("Archive"));
    };
    let Some(config) = &ops.archive else {
        return Ok(Tier::new(
            "Archive",
            Health::Unavailable,
            "no archive store configured (PMS_ARCHIVE_URL)",
        ));
    };
    let store = pms_archive::ArchiveStore::open(config)
        .map_err(|e| format!("the archive store cannot be opened: {e}"))?;
    let (archived, writing, pending): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'ARCHIVED'), count(*) FILTER (WHERE status = 'WRITING'),
                (SELECT count(*) FROM archive_pending q WHERE $1::uuid IS NULL OR q.tenant_id = $1)
           FROM archive_batches b WHERE $1::uuid IS NULL OR b.tenant_id = $1",
    )
    .bind(only)
    .fetch_one(&ops.pool)
    .await
    .map_err(|e| format!("cannot read the archive ledger: {e}"))?;
    let location = if only.is_some() {
        String::new()
    } else {
        format!(" at {}", store.url())
    };
    let summary = format!(
        "{archived} batches archived{location}; {pending} entities queued; {writing} batches being written"
    );
    Ok(Tier::new("Archive", Health::Ok, summary))
}

async fn warehouse(ops: Option<&Operations>, only: Option<Uuid>) -> Result<Tier, String> {
    let Some(ops) = ops else {
        return Ok(no_ops("Warehouse"));
    };
    let migrated: bool =
        sqlx::query_scalar("SELECT to_regclass('warehouse.sync_watermarks') IS NOT NULL")
            .fetch_one(&ops.pool)
            .await
            .map_err(|e| e.to_string())?;
    if !migrated {
        return Err("the warehouse schema is not migrated (pms migrate)".into());
    }
    let (sources, lag, last): (i64, Option<f64>, Option<time::OffsetDateTime>) = sqlx::query_as(
        "SELECT count(*), max(extract(epoch FROM now() - w.horizon))::float8,
                (SELECT max(r.finished_at) FROM warehouse.sync_runs r WHERE $1::uuid IS NULL OR r.tenant_id = $1)
           FROM warehouse.sync_watermarks w WHERE $1::uuid IS NULL OR w.tenant_id = $1",
    )
    .bind(only)
    .fetch_one(&ops.pool)
    .await
    .map_err(|e| format!("cannot read the sync watermarks: {e}"))?;
    let Some(last) = last else {
        return Ok(Tier::new(
            "Warehouse",
            Health::Warning,
            "never synced (pms warehouse sync, or the worker's warehouse_sync job)",
        )
        .alert("PmsWarehouseLagging"));
    };
    let lag = lag.unwrap_or(0.0);
    let summary = format!(
        "{sources} sources; last sync {}; largest lag {}",
        super::layout::when(last),
        super::layout::secs(lag)
    );
    Ok(if lag > 2.0 * 86_400.0 {
        Tier::new("Warehouse", Health::Warning, summary).alert("PmsWarehouseLagging")
    } else {
        Tier::new("Warehouse", Health::Ok, summary)
    })
}

/// Age after which the newest backup is late (the schedule takes one a day).
const STALE_BACKUP_SECS: f64 = 26.0 * 3600.0;

async fn backups(ops: Option<&Operations>) -> Result<Tier, String> {
    let Some(ops) = ops else {
        return Ok(no_ops("Backups"));
    };
    let Some(cfg) = &ops.backup else {
        return Ok(Tier::new(
            "Backups",
            Health::Unavailable,
            "no backup repository configured (pms backup init)",
        ));
    };
    let records = super::backups::records(cfg)?;
    let Some(newest) = records.first() else {
        return Ok(Tier::new(
            "Backups",
            Health::Warning,
            "no backup taken yet (pms backup create)",
        )
        .alert("PmsBackupTooOld"));
    };
    let age = newest.age_secs.unwrap_or(f64::INFINITY);
    let verified = records.iter().filter(|r| r.verified).count();
    let summary = format!(
        "{} backups, {verified} proved by a restore drill; newest {} old",
        records.len(),
        super::layout::secs(age.min(1e12))
    );
    Ok(if age > STALE_BACKUP_SECS {
        Tier::new("Backups", Health::Warning, summary).alert("PmsBackupTooOld")
    } else {
        Tier::new("Backups", Health::Ok, summary)
    })
}
