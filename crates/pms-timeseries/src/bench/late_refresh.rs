//! The refresh after late data: a day of late points for every user, then the daily rollup's
//! refresh against a bare aggregate of that day.

use super::dataset::{Dataset, METRICS, mix};
use super::queries::ms;
use crate::Result;
use crate::ingest::{self, IngestOptions, MetricRow};
use sqlx::{Executor, PgPool};
use std::time::Instant;
use time::{Duration, OffsetDateTime};

/// Three rounds: one day (a year back) of late rows for every user and metric, then the
/// daily rollup's refresh, against a bare INSERT ... SELECT of the same aggregate for that day.
pub(super) async fn late_refresh(
    m: &PgPool,
    ds: &Dataset,
    end: OffsetDateTime,
    out: &mut (dyn FnMut(String) + Send),
) -> Result<()> {
    let sql: String = sqlx::query_scalar("SELECT timeseries.rollup_sql(r) FROM timeseries.rollups r WHERE name = 'performance_metrics_daily'")
        .fetch_one(m)
        .await?;
    let (mut refresh_ms, mut bare_ms, mut monthly_ms) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..3i64 {
        let day = end - Duration::days(365 + round * 7) + Duration::hours(13);
        let records: Vec<_> = ds
            .users
            .iter()
            .flat_map(|u| METRICS.iter().map(move |mtr| (*u, *mtr)))
            .enumerate()
            .map(|(i, (u, mtr))| {
                let r = MetricRow {
                    tenant_id: ds.tenant,
                    user_id: u,
                    metric_name: mtr.to_string(),
                    value: (mix(i as u64 + 7) % 10_001) as f64 / 100.0,
                    recorded_at: day,
                };
                (i as u64 + 1, Ok(r))
            })
            .collect();
        ingest::ingest(
            m,
            records.into_iter(),
            &IngestOptions::default(),
            &mut |_| {},
        )
        .await?;
        let t = Instant::now();
        sqlx::query("SELECT timeseries.refresh_rollup('performance_metrics_daily')")
            .execute(m)
            .await?;
        refresh_ms.push(ms(t.elapsed()));
        let t = Instant::now();
        sqlx::query("SELECT timeseries.refresh_rollup('performance_metrics_monthly')")
            .execute(m)
            .await?;
        monthly_ms.push(ms(t.elapsed()));
        m.execute("TRUNCATE bench.baseline").await?;
        let day_start: OffsetDateTime = sqlx::query_scalar("SELECT time_bucket('1 day', $1)")
            .bind(day)
            .fetch_one(m)
            .await?;
        let t = Instant::now();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO bench.baseline {sql}"
        )))
        .bind(day_start)
        .bind(day_start + Duration::days(1))
        .bind(ds.tenant)
        .execute(m)
        .await?;
        bare_ms.push(ms(t.elapsed()));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (r, b, mo) = (
        median(&mut refresh_ms),
        median(&mut bare_ms),
        median(&mut monthly_ms),
    );
    out(format!(
        "refresh one late day, {} users x 5 metrics: daily rollup refresh {r:.1} ms, bare INSERT..SELECT..GROUP BY {b:.1} ms, ratio {:.2} (goal <= 1.5); monthly rollup refresh from daily {mo:.1} ms",
        ds.users.len(),
        r / b
    ));
    Ok(())
}
