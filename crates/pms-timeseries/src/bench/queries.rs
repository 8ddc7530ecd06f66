//! Timing reads as the application role: two statements against each other, in alternating
//! rounds after warm-up runs, and one time-range query.

use crate::{Error, Result};
use sqlx::{Connection, PgPool};
use std::time::Instant;
use time::OffsetDateTime;
use uuid::Uuid;

/// Runs of a prepared statement before timing it: past PostgreSQL's five custom plans and its
/// first generic plan, so both sides of a comparison are timed in their steady state.
const WARM_UP: u32 = 10;

pub(super) fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Mean milliseconds of two statements (binds: tenant, subject, time) as pms_app in the tenant,
/// each run `runs` times after warm-up runs, alternating between them in rounds so that load
/// from other work on the machine hits both alike.
pub(super) async fn compare_queries(
    app: &PgPool,
    tenant: Uuid,
    (sql_a, runs_a): (&str, u32),
    (sql_b, runs_b): (&str, u32),
    subject: Uuid,
    from: OffsetDateTime,
) -> Result<(f64, f64)> {
    let mut conn = app.acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await?;
    let q = |sql: &str| {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(tenant)
            .bind(subject)
            .bind(from)
    };
    for (sql, runs) in [(sql_a, runs_a), (sql_b, runs_b)] {
        if q(sql).fetch_all(&mut *tx).await?.is_empty() {
            return Err(Error::Invalid(format!(
                "bench query returned no rows: {sql}"
            )));
        }
        for _ in 1..WARM_UP.min(runs) {
            q(sql).fetch_all(&mut *tx).await?;
        }
    }
    let rounds = runs_a.min(runs_b).max(1);
    let (mut a, mut b) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for round in 0..rounds {
        let share = |runs: u32| runs / rounds + u32::from(round < runs % rounds);
        for (sql, runs, total) in [
            (sql_a, share(runs_a), &mut a),
            (sql_b, share(runs_b), &mut b),
        ] {
            let t = Instant::now();
            for _ in 0..runs {
                q(sql).fetch_all(&mut *tx).await?;
            }
            *total += t.elapsed();
        }
    }
    Ok((ms(a) / f64::from(runs_a), ms(b) / f64::from(runs_b)))
}

pub(super) async fn time_range_query(
    app: &PgPool,
    tenant: Uuid,
    sql: &str,
    user: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
    runs: u32,
) -> Result<f64> {
    let mut conn = app.acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await?;
    let q = || {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(tenant)
            .bind(user)
            .bind(from)
            .bind(to)
    };
    for _ in 0..WARM_UP {
        q().fetch_all(&mut *tx).await?;
    }
    let t = Instant::now();
    for _ in 0..runs {
        q().fetch_all(&mut *tx).await?;
    }
    Ok(ms(t.elapsed()) / f64::from(runs))
}
