//! Time-series: per hypertable its chunks (raw and compressed bytes, compression ratio), the
//! rollups' watermarks and lag, and a chart of points per day over the last 30 days (the
//! viewer's tenant's points, or every tenant's for a platform operator).

use super::chart::{self, Point};
use super::layout::{self, badge, unavailable};
use super::ops::{self, NO_OPERATIONS};
use super::session::{Scope, Viewer};
use super::tiers::rollup_late;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use pms_db::TenantTx;
use pms_timeseries::Hypertable;
use std::collections::BTreeMap;
use time::{Date, Duration, OffsetDateTime};

/// Days in the chart, ending today (UTC).
const DAYS: i64 = 30;

struct PerTable {
    chunks: usize,
    compressed: usize,
    raw: i64,
    packed: i64,
}

/// Points per day in `[from, to)` over every hypertable (compressed chunks included).
async fn points_per_day(
    conn: &mut sqlx::PgConnection,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<BTreeMap<Date, i64>, sqlx::Error> {
    let mut days = BTreeMap::new();
    for h in Hypertable::ALL {
        let sql = format!(
            "SELECT (date_trunc('day', recorded_at AT TIME ZONE 'UTC'))::date, count(*)
               FROM timeseries.{}_points($1, $2) GROUP BY 1",
            h.table()
        );
        let rows: Vec<(Date, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .fetch_all(&mut *conn)
            .await?;
        for (d, n) in rows {
            *days.entry(d).or_insert(0) += n;
        }
    }
    Ok(days)
}

/// `GET /console/timeseries`.
pub(crate) async fn page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let ops = match ops::audited(&state, &viewer, "timeseries").await {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let today = OffsetDateTime::now_utc().date();
    let first = today - Duration::days(DAYS - 1);
    let from = first.midnight().assume_utc();
    let to = (today + Duration::days(1)).midnight().assume_utc();
    let counted = match (viewer.scope, ops) {
        (Scope::Platform, Some(o)) => match o.read().await {
            Ok(mut tx) => points_per_day(&mut tx, from, to)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        (Scope::Platform, None) => Err(NO_OPERATIONS.to_string()),
        (Scope::Tenant, _) => {
            match TenantTx::begin(state.pool(), viewer.auth.tenant, Some(viewer.auth.user)).await {
                Ok(mut tx) => points_per_day(&mut tx, from, to)
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            }
        }
    };
    let status = match ops {
        Some(o) => pms_timeseries::status::status(&o.pool)
            .await
            .map_err(|e| e.to_string()),
        None => Err(NO_OPERATIONS.to_string()),
    };
    let mut tables: BTreeMap<String, PerTable> = BTreeMap::new();
    if let Ok(s) = &status {
        for c in &s.chunks {
            let t = tables.entry(c.hypertable.clone()).or_insert(PerTable {
                chunks: 0,
                compressed: 0,
                raw: 0,
                packed: 0,
            });
            t.chunks += 1;
            if c.compressed {
                t.compressed += 1;
                t.packed += c.compressed_bytes;
            }
            t.raw += c.raw_bytes;
        }
    }
    let body = html! {
        h2 { "Points per day" }
        @match &counted {
            Err(why) => { (unavailable("The points per day", why)) }
            Ok(days) => {
                @let points: Vec<Point> = (0..DAYS).map(|i| {
                    let d = first + Duration::days(i);
                    Point { label: format!("{:02}-{:02}", d.month() as u8, d.day()), value: *days.get(&d).unwrap_or(&0) as f64 }
                }).collect();
                @let total: i64 = days.values().sum();
                p {
                    "Points recorded from " (first) " to " (today) " (UTC"
                    @if viewer.scope == Scope::Tenant { ", this organisation's" } @else { ", every tenant's" }
                    "): " strong id="points-total" data-from=(from.unix_timestamp()) data-to=(to.unix_timestamp()) { (total) }
                }
                (chart::bars("points-chart", "Time-series points per day, last 30 days", &points))
            }
        }
        @if viewer.scope == Scope::Platform {
            h2 { "Chunks by hypertable" }
            @match &status {
                Err(why) => { (unavailable("The chunk status", why)) }
                Ok(s) => {
                    p class="note" { "Engine: " (s.backend) "." }
                    div class="scroll" { table id="chunks" {
                        thead { tr { th scope="col" { "Hypertable" } th scope="col" class="num" { "Chunks" } th scope="col" class="num" { "Compressed" }
                            th scope="col" class="num" { "Raw bytes" } th scope="col" class="num" { "Compressed bytes" } th scope="col" class="num" { "Ratio" } } }
                        tbody { @for (name, t) in &tables { tr data-hypertable=(name) {
                            th scope="row" { (name) }
                            td class="num chunks" { (t.chunks) } td class="num" { (t.compressed) }
                            td class="num" { (layout::bytes(t.raw)) } td class="num" { (layout::bytes(t.packed)) }
                            td class="num" { @if t.packed > 0 { (format!("{:.1}×", t.raw as f64 / t.packed as f64)) } @else { "—" } }
                        } } }
                    } }
                }
            }
        }
        h2 { "Rollups" }
        @match &status {
            Err(why) => { (unavailable("The rollup status", why)) }
            Ok(s) => {
                div class="scroll" { table id="rollups" {
                    thead { tr { th scope="col" { "Rollup" } th scope="col" { "Of" } th scope="col" { "Watermark" } th scope="col" class="num" { "Lag" }
                        th scope="col" class="num" { "Pending invalidations" } th scope="col" { "Last refresh" } th scope="col" { "State" } } }
                    tbody { @for r in &s.rollups { tr {
                        th scope="row" { (r.rollup) } td { (r.hypertable) }
                        td { (layout::opt_when(r.watermark)) }
                        td class="num" { (r.lag_seconds.map(layout::secs).unwrap_or_else(|| "—".into())) }
                        td class="num" { (r.pending_invalidations) }
                        td { (layout::opt_when(r.last_refresh_at)) }
                        td { (badge(if rollup_late(&r.rollup, r.lag_seconds) { "warning" } else { "ok" })) }
                    } } }
                } }
            }
        }
    };
    layout::page(&viewer, "/console/timeseries", "Time-series", body).into_response()
}
