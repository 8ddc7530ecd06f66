//! A dashboard's widgets: added, changed and removed by the dashboard's owner, each field of
//! their configuration checked against the widget's type.

use super::{DashboardConfigResponse, check_range, fetch, owned, respond};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath};
use crate::routes::promotions::{check_one_of, done};
use crate::routes::reports::check_text;
use crate::routes::versions::{IfMatch, version_matches};
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_widget))
        .routes(routes!(update_widget, delete_widget))
}

const WIDGET_TYPES: [&str; 7] = [
    "LINE_CHART",
    "BAR_CHART",
    "PIE_CHART",
    "TABLE",
    "KPI_TILE",
    "HEATMAP",
    "LEADERBOARD",
];
const WIDGET_PERIODS: [&str; 4] = ["week", "month", "quarter", "year"];

/// What a widget shows and where it sits in the grid.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WidgetConfig {
    /// The metric shown (a KPI tile, a chart), 1 to 100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// The leaderboard shown (a LEADERBOARD widget).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaderboard: Option<String>,
    /// week, month, quarter or year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Rows shown (TABLE, LEADERBOARD), 1 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Grid position: column and row from 0, width and height in cells 1 to 12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<i64>,
    /// KPI thresholds, ascending, at most 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Vec<f64>>,
}

fn check_config(f: &mut Vec<FieldError>, widget_type: &str, c: &WidgetConfig) {
    if let Some(m) = &c.metric {
        check_text(f, "config.metric", m, 100);
    }
    if let Some(l) = &c.leaderboard {
        check_text(f, "config.leaderboard", l, 100);
        if widget_type != "LEADERBOARD" {
            f.push(FieldError::new(
                "config.leaderboard",
                "only a LEADERBOARD widget names a leaderboard",
            ));
        }
    }
    check_one_of(f, "config.period", c.period.as_deref(), &WIDGET_PERIODS);
    check_range(f, "config.limit", c.limit, 1, 100);
    check_range(f, "config.x", c.x, 0, 100);
    check_range(f, "config.y", c.y, 0, 1000);
    check_range(f, "config.w", c.w, 1, 12);
    check_range(f, "config.h", c.h, 1, 12);
    if let Some(t) = &c.thresholds {
        if widget_type != "KPI_TILE" {
            f.push(FieldError::new(
                "config.thresholds",
                "only a KPI_TILE has thresholds",
            ));
        } else if t.len() > 10
            || t.iter().any(|v| !v.is_finite())
            || t.windows(2).any(|w| w[0] >= w[1])
        {
            f.push(FieldError::new(
                "config.thresholds",
                "at most 10 finite numbers, ascending",
            ));
        }
    }
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWidgetRequest {
    /// LINE_CHART, BAR_CHART, PIE_CHART, TABLE, KPI_TILE, HEATMAP or LEADERBOARD.
    pub widget_type: String,
    pub title: String,
    /// 0 to 1000 (default: after the last widget).
    pub position: Option<i16>,
    /// A report definition I may see.
    pub report_id: Option<Uuid>,
    #[serde(default)]
    pub config: Option<WidgetConfig>,
}

async fn check_report(conn: &mut PgConnection, report: Option<Uuid>) -> Result<(), ApiError> {
    let Some(r) = report else { return Ok(()) };
    let seen: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM report_definitions WHERE id = $1 AND deleted_at IS NULL)",
    )
    .bind(r)
    .fetch_one(conn)
    .await?;
    if seen {
        Ok(())
    } else {
        Err(ApiError::field("report_id", "no such report"))
    }
}

/// Adds a widget to a dashboard of mine; returns the dashboard.
#[utoipa::path(post, path = "/dashboards/{id}/widgets", tag = "dashboards", request_body = CreateWidgetRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = DashboardConfigResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn add_widget(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<CreateWidgetRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_one_of(
        &mut f,
        "widget_type",
        Some(req.widget_type.as_str()),
        &WIDGET_TYPES,
    );
    check_text(&mut f, "title", &req.title, 200);
    if let Some(p) = req.position
        && !(0..=1000).contains(&p)
    {
        f.push(FieldError::new("position", "from 0 to 1000"));
    }
    let config = req.config.clone().unwrap_or_default();
    check_config(&mut f, &req.widget_type, &config);
    done(f)?;
    let d = owned(db.conn(), id).await?;
    if d.widgets.len() >= 50 {
        return Err(ApiError::conflict(
            "too_many_widgets",
            "a dashboard holds at most 50 widgets",
        ));
    }
    check_report(db.conn(), req.report_id).await?;
    let position = req.position.unwrap_or_else(|| {
        d.widgets
            .iter()
            .map(|w| w.position)
            .max()
            .map_or(0, |p| (p + 1).min(1000))
    });
    sqlx::query(
        "INSERT INTO dashboard_widgets (tenant_id, dashboard_id, report_id, widget_type, title, position, config)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(db.auth().tenant.as_uuid())
    .bind(id)
    .bind(req.report_id)
    .bind(&req.widget_type)
    .bind(req.title.trim())
    .bind(position)
    .bind(serde_json::to_value(&config).map_err(ApiError::internal)?)
    .execute(db.conn())
    .await?;
    let d = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::CREATED, d))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWidgetRequest {
    pub widget_type: Option<String>,
    pub title: Option<String>,
    pub position: Option<i16>,
    /// A report definition I may see; null detaches it.
    #[serde(default, deserialize_with = "crate::routes::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub report_id: Option<Option<Uuid>>,
    /// Replaces the configuration.
    pub config: Option<WidgetConfig>,
}

/// Changes a widget of a dashboard of mine; returns the dashboard. Honors `If-Match` (the
/// widget's version).
#[utoipa::path(patch, path = "/dashboards/{id}/widgets/{widget_id}", tag = "dashboards", request_body = UpdateWidgetRequest,
    params(("id" = Uuid, Path), ("widget_id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = DashboardConfigResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_widget(
    mut db: Db,
    ApiPath((dashboard, widget)): ApiPath<(Uuid, Uuid)>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateWidgetRequest>,
) -> Result<Response, ApiError> {
    let d = owned(db.conn(), dashboard).await?;
    let w = d
        .widgets
        .iter()
        .find(|w| w.id == widget)
        .ok_or(ApiError::NotFound)?;
    let widget_type = req.widget_type.clone().unwrap_or(w.widget_type.clone());
    let mut f = Vec::new();
    check_one_of(
        &mut f,
        "widget_type",
        Some(widget_type.as_str()),
        &WIDGET_TYPES,
    );
    if let Some(t) = &req.title {
        check_text(&mut f, "title", t, 200);
    }
    if let Some(p) = req.position
        && !(0..=1000).contains(&p)
    {
        f.push(FieldError::new("position", "from 0 to 1000"));
    }
    // The configuration is checked against the widget's type after the change.
    let config: WidgetConfig = match &req.config {
        Some(c) => c.clone(),
        None => serde_json::from_value(w.config.clone()).unwrap_or_default(),
    };
    check_config(&mut f, &widget_type, &config);
    done(f)?;
    if let Some(r) = req.report_id {
        check_report(db.conn(), r).await?;
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE dashboard_widgets SET widget_type = $3, title = coalesce($4, title), position = coalesce($5, position),
                report_id = CASE WHEN $6 THEN $7 ELSE report_id END, config = $8
          WHERE id = $1 AND dashboard_id = $2 AND {} RETURNING id",
        version_matches(9)
    )))
    .bind(widget)
    .bind(dashboard)
    .bind(&widget_type)
    .bind(req.title.as_deref().map(str::trim))
    .bind(req.position)
    .bind(req.report_id.is_some())
    .bind(req.report_id.flatten())
    .bind(serde_json::to_value(&config).map_err(ApiError::internal)?)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let d = fetch(db.conn(), dashboard)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, d))
}

/// Removes a widget from a dashboard of mine.
#[utoipa::path(delete, path = "/dashboards/{id}/widgets/{widget_id}", tag = "dashboards", params(("id" = Uuid, Path), ("widget_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_widget(
    mut db: Db,
    ApiPath((dashboard, widget)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    owned(db.conn(), dashboard).await?;
    let n = sqlx::query("DELETE FROM dashboard_widgets WHERE id = $1 AND dashboard_id = $2")
        .bind(widget)
        .bind(dashboard)
        .execute(db.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
