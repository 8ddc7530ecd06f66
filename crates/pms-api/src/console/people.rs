//! People and organisation (tenant administrators only): headcount by status and department,
//! and trend charts over the rollups: engagement by week (`engagement_metrics_weekly`) and the
//! organisation's health as its performance metrics by week (`performance_metrics_daily`).

use super::chart;
use super::layout::{self, unavailable};
use super::session::{Scope, Viewer, not_found};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use pms_db::TenantTx;
use sqlx::PgConnection;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Weeks in the trend charts.
const WEEKS: i32 = 13;

type Series = (Vec<String>, Vec<(String, Vec<Option<f64>>)>);

/// `(week, metric, average)` rows as chart labels and one series per metric.
fn pivot(rows: Vec<(OffsetDateTime, String, f64)>) -> Series {
    let mut weeks: Vec<OffsetDateTime> = rows.iter().map(|r| r.0).collect();
    weeks.sort();
    weeks.dedup();
    let mut by: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for (w, m, v) in rows {
        let i = weeks.iter().position(|x| *x == w).unwrap_or(0);
        by.entry(m).or_insert_with(|| vec![None; weeks.len()])[i] = Some((v * 10.0).round() / 10.0);
    }
    let labels = weeks
        .iter()
        .map(|w| format!("{:02}-{:02}", w.month() as u8, w.day()))
        .collect();
    (labels, by.into_iter().collect())
}

async fn trend(conn: &mut PgConnection, view: &str, exclude: &[&str]) -> Result<Series, String> {
    let sql = format!(
        "SELECT date_trunc('week', bucket), metric_name, sum(sum_value) / sum(sample_count)
           FROM {view}
          WHERE grain = 'user' AND bucket >= date_trunc('week', now()) - make_interval(weeks => $1)
            AND NOT (metric_name = ANY($2))
          GROUP BY 1, 2 ORDER BY 1, 2"
    );
    let rows: Vec<(OffsetDateTime, String, f64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(WEEKS)
        .bind(exclude)
        .fetch_all(conn)
        .await
        .map_err(|e| e.to_string())?;
    Ok(pivot(rows))
}

struct Figures {
    by_status: Vec<(String, i64)>,
    by_department: Vec<(String, i64)>,
    engagement: Result<Series, String>,
    enps: Result<Series, String>,
    health: Result<Series, String>,
}

async fn read(tx: &mut TenantTx) -> Result<Figures, sqlx::Error> {
    let by_status = sqlx::query_as(
        "SELECT status, count(*) FROM users WHERE deleted_at IS NULL GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    .fetch_all(&mut ***tx)
    .await?;
    let by_department = sqlx::query_as(
        "SELECT coalesce(d.name, 'No department'), count(*) FROM users u
           LEFT JOIN departments d ON d.tenant_id = u.tenant_id AND d.id = u.department_id
          WHERE u.deleted_at IS NULL AND u.status IN ('ACTIVE', 'ON_LEAVE') GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    .fetch_all(&mut ***tx)
    .await?;
    let engagement = trend(tx, "engagement_metrics_weekly", &["enps"]).await;
    let enps = match engagement {
        Ok(_) => {
            trend(
                tx,
                "engagement_metrics_weekly",
                &[
                    "engagement_score",
                    "satisfaction",
                    "wellbeing",
                    "participation",
                ],
            )
            .await
        }
        Err(ref e) => Err(e.clone()),
    };
    let health = trend(tx, "performance_metrics_daily", &[]).await;
    Ok(Figures {
        by_status,
        by_department,
        engagement,
        enps,
        health,
    })
}

fn counts(id: &str, title: &str, rows: &[(String, i64)]) -> Markup {
    html! {
        div class="scroll" { table id=(id) {
            thead { tr { th scope="col" { (title) } th scope="col" class="num" { "People" } } }
            tbody { @for (k, n) in rows { tr { th scope="row" { (k) } td class="num" { (n) } } } }
        } }
    }
}

fn chart_or(id: &str, title: &str, s: &Result<Series, String>) -> Markup {
    match s {
        Err(why) => unavailable(title, why),
        Ok((labels, _)) if labels.is_empty() => {
            html! { p class="note" { "No data in the last " (WEEKS) " weeks for " (title) "." } }
        }
        Ok((labels, series)) => chart::lines(id, title, labels, series),
    }
}

/// `GET /console/people`.
pub(crate) async fn page(State(state): State<AppState>, viewer: Viewer) -> Response {
    if viewer.scope != Scope::Tenant {
        return not_found();
    }
    let figures = async {
        let mut tx =
            TenantTx::begin(state.pool(), viewer.auth.tenant, Some(viewer.auth.user)).await?;
        read(&mut tx).await
    }
    .await;
    let body = match figures {
        Err(e) => unavailable("People figures", &e.to_string()),
        Ok(f) => {
            let total: i64 = f
                .by_status
                .iter()
                .filter(|(s, _)| s == "ACTIVE" || s == "ON_LEAVE")
                .map(|(_, n)| n)
                .sum();
            html! {
                ul class="figures" {
                    li { "People (active or on leave)" span class="v" id="headcount" { (total) } }
                    li { "Departments" span class="v" { (f.by_department.len()) } }
                }
                h2 { "Engagement, by week" }
                (chart_or("engagement-chart", "Engagement scores (average per person, 0–100)", &f.engagement))
                (chart_or("enps-chart", "eNPS (average per person, −100 to 100)", &f.enps))
                h2 { "Organisation health, by week" }
                (chart_or("health-chart", "Performance metrics (average per person, 0–100)", &f.health))
                h2 { "People" }
                (counts("by-status", "Status", &f.by_status))
                (counts("by-department", "Department (active people)", &f.by_department))
            }
        }
    };
    layout::page(&viewer, "/console/people", "People and organisation", body).into_response()
}
