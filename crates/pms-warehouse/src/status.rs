//! `pms warehouse status`: per tenant and source the watermark and its lag, the warehouse's row
//! counts per table, and the last runs with their durations.

use crate::error::{Doing as _, Result, WarehouseError};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// The tables of the star, dimensions first.
pub const TABLES: &[&str] = &[
    "dim_tenant",
    "dim_date",
    "dim_user",
    "dim_department",
    "dim_team",
    "dim_review_cycle",
    "dim_competency",
    "fact_performance_review",
    "fact_feedback",
    "fact_engagement",
    "fact_goal_progress",
    "fact_performance_daily",
];

/// One watermark.
#[derive(Debug, Clone)]
pub struct Watermark {
    pub slug: String,
    pub source: String,
    pub horizon: OffsetDateTime,
    pub lag_seconds: f64,
    pub rows_changed: i64,
}

/// One recorded run of one tenant.
#[derive(Debug, Clone)]
pub struct Run {
    pub slug: String,
    pub mode: String,
    pub finished_at: OffsetDateTime,
    pub duration_ms: i64,
    pub rows_changed: i64,
}

/// The warehouse's state.
#[derive(Debug, Clone)]
pub struct Status {
    pub watermarks: Vec<Watermark>,
    pub row_counts: Vec<(String, i64)>,
    pub last_runs: Vec<Run>,
}

/// Reads the status, of one tenant (by id) or all, as of `now` (lag = now - horizon).
pub async fn status(
    conn: &mut PgConnection,
    tenant: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<Status> {
    let migrated: bool =
        sqlx::query_scalar("SELECT to_regclass('warehouse.sync_watermarks') IS NOT NULL")
            .fetch_one(&mut *conn)
            .await
            .doing("checking the warehouse schema")?;
    if !migrated {
        return Err(WarehouseError::NotMigrated);
    }
    let watermarks = sqlx::query_as::<_, (String, String, OffsetDateTime, f64, i64)>(
        "SELECT t.slug, w.source, w.horizon, extract(epoch FROM $2 - w.horizon)::float8, w.rows_changed
           FROM warehouse.sync_watermarks w JOIN public.tenants t ON t.id = w.tenant_id
          WHERE $1::uuid IS NULL OR w.tenant_id = $1
          ORDER BY t.slug, array_position(warehouse.sync_sources(), w.source)",
    )
    .bind(tenant)
    .bind(now)
    .fetch_all(&mut *conn)
    .await
    .doing("reading the watermarks")?
    .into_iter()
    .map(|(slug, source, horizon, lag_seconds, rows_changed)| Watermark {
        slug,
        source,
        horizon,
        lag_seconds,
        rows_changed,
    })
    .collect();
    let mut row_counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM warehouse.{table} WHERE $1::uuid IS NULL OR tenant_id = $1"
        )))
        .bind(tenant)
        .fetch_one(&mut *conn)
        .await
        .doing(format!("counting warehouse.{table}"))?;
        row_counts.push(((*table).to_string(), n));
    }
    let last_runs = sqlx::query_as::<_, (String, String, OffsetDateTime, i64, i64)>(
        "SELECT DISTINCT ON (r.tenant_id) t.slug, r.mode, r.finished_at, r.duration_ms, r.rows_changed
           FROM warehouse.sync_runs r JOIN public.tenants t ON t.id = r.tenant_id
          WHERE $1::uuid IS NULL OR r.tenant_id = $1
          ORDER BY r.tenant_id, r.finished_at DESC",
    )
    .bind(tenant)
    .fetch_all(&mut *conn)
    .await
    .doing("reading the last runs")?
    .into_iter()
    .map(|(slug, mode, finished_at, duration_ms, rows_changed)| Run {
        slug,
        mode,
        finished_at,
        duration_ms,
        rows_changed,
    })
    .collect();
    Ok(Status {
        watermarks,
        row_counts,
        last_runs,
    })
}
