//! Dashboards and their widgets, as configuration: my dashboards (at most one the default),
//! shared ones (everyone in the tenant reads them; only the owner changes them), and each
//! widget's type, title, position and configuration, validated per field. What a widget shows
//! is computed elsewhere (`GET /me/dashboard`, the reports); who sees what is the tables'
//! visibility rules (`079_api_e_01_visibility.sql`).

mod widgets;

use super::idempotency::{IdempotencyKey, claim, remember};
use super::promotions::{after_time, done};
use super::reports::check_text;
use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, time_key};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_dashboards, create_dashboard))
        .routes(routes!(get_dashboard, update_dashboard, delete_dashboard))
        .merge(widgets::router())
}

/// A dashboard's layout.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardLayout {
    /// Grid columns, 1 to 12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<i64>,
    /// Height of a grid row in pixels, 10 to 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_height: Option<i64>,
}

pub(super) fn check_range(f: &mut Vec<FieldError>, path: &str, v: Option<i64>, lo: i64, hi: i64) {
    if let Some(v) = v
        && !(lo..=hi).contains(&v)
    {
        f.push(FieldError::new(path, format!("from {lo} to {hi}")));
    }
}

fn check_layout(f: &mut Vec<FieldError>, l: &DashboardLayout) {
    check_range(f, "layout.columns", l.columns, 1, 12);
    check_range(f, "layout.row_height", l.row_height, 10, 1000);
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DashboardWidgetResponse {
    pub id: Uuid,
    pub dashboard_id: Uuid,
    /// A report definition the widget draws from.
    pub report_id: Option<Uuid>,
    pub widget_type: String,
    pub title: String,
    /// Order on the dashboard, ascending.
    pub position: i16,
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DashboardConfigResponse {
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub name: String,
    #[schema(value_type = Object)]
    pub layout: serde_json::Value,
    pub is_default: bool,
    pub is_shared: bool,
    /// Whether I may change it (I own it).
    pub editable: bool,
    #[sqlx(skip)]
    pub widgets: Vec<DashboardWidgetResponse>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, owner_id, name, layout, is_default, is_shared, owner_id IS NOT DISTINCT FROM pms_current_user_id() AS editable,
    created_at, updated_at";
const WIDGET_COLUMNS: &str =
    "id, dashboard_id, report_id, widget_type, title, position, config, created_at, updated_at";

pub(super) async fn fetch(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<DashboardConfigResponse>, sqlx::Error> {
    let d: Option<DashboardConfigResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM dashboards WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut d) = d else { return Ok(None) };
    d.widgets = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {WIDGET_COLUMNS} FROM dashboard_widgets WHERE dashboard_id = $1 ORDER BY position, created_at, id"
    )))
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(Some(d))
}

/// The dashboard, when I own it: 404 when I may not see it, 403 when I see it (shared) but
/// do not own it.
pub(super) async fn owned(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<DashboardConfigResponse, ApiError> {
    let d = fetch(conn, id).await?.ok_or(ApiError::NotFound)?;
    if !d.editable {
        return Err(ApiError::Forbidden(
            "a shared dashboard is changed by its owner only".into(),
        ));
    }
    Ok(d)
}

pub(super) fn respond(status: StatusCode, d: DashboardConfigResponse) -> Response {
    (status, [etag_header(d.updated_at)], Json(d)).into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardListQuery {
    /// true: only mine; false: only others' shared ones.
    pub mine: Option<bool>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Dashboards I may see (mine and shared ones), newest first, without their widgets.
#[utoipa::path(get, path = "/dashboards", tag = "dashboards", params(DashboardListQuery),
    responses((status = 200, body = Page<DashboardConfigResponse>), (status = 400, body = ErrorBody)))]
async fn list_dashboards(
    mut db: Db,
    ApiQuery(q): ApiQuery<DashboardListQuery>,
) -> Result<Json<Page<DashboardConfigResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = after_time(&p)?;
    let rows: Vec<DashboardConfigResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM dashboards
          WHERE deleted_at IS NULL AND ($1::boolean IS NULL OR (owner_id IS NOT DISTINCT FROM pms_current_user_id()) = $1)
            AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
          ORDER BY created_at DESC, id DESC LIMIT $4"
    )))
    .bind(q.mine)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &DashboardConfigResponse| {
        (time_key(r.created_at), r.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDashboardRequest {
    pub name: String,
    #[serde(default)]
    pub layout: Option<DashboardLayout>,
    /// Make it my default (my previous default stops being one).
    #[serde(default)]
    pub is_default: Option<bool>,
    /// Share it with everyone in the tenant (read only).
    #[serde(default)]
    pub is_shared: Option<bool>,
}

async fn clear_default(conn: &mut PgConnection, except: Option<Uuid>) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE dashboards SET is_default = false
          WHERE owner_id = pms_current_user_id() AND is_default AND deleted_at IS NULL
            AND ($1::uuid IS NULL OR id <> $1)",
    )
    .bind(except)
    .execute(conn)
    .await?;
    Ok(())
}

/// Creates a dashboard of mine. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/dashboards", tag = "dashboards", request_body = CreateDashboardRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = DashboardConfigResponse), (status = 422, body = ErrorBody)))]
async fn create_dashboard(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateDashboardRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_text(&mut f, "name", &req.name, 200);
    let layout = req.layout.clone().unwrap_or_default();
    check_layout(&mut f, &layout);
    done(f)?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    if req.is_default == Some(true) {
        clear_default(db.conn(), None).await?;
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO dashboards (tenant_id, owner_id, name, layout, is_default, is_shared)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(db.auth().tenant.as_uuid())
    .bind(db.auth().user.as_uuid())
    .bind(req.name.trim())
    .bind(serde_json::to_value(&layout).map_err(ApiError::internal)?)
    .bind(req.is_default.unwrap_or(false))
    .bind(req.is_shared.unwrap_or(false))
    .fetch_one(db.conn())
    .await?;
    let d = fetch(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new dashboard is not visible to its owner"))?;
    remember(&mut db, &key, StatusCode::CREATED, &d).await?;
    db.commit().await?;
    Ok(respond(StatusCode::CREATED, d))
}

/// One dashboard with its widgets in order.
#[utoipa::path(get, path = "/dashboards/{id}", tag = "dashboards", params(("id" = Uuid, Path)),
    responses((status = 200, body = DashboardConfigResponse), (status = 404, body = ErrorBody)))]
async fn get_dashboard(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let d = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, d))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDashboardRequest {
    pub name: Option<String>,
    /// Replaces the layout.
    pub layout: Option<DashboardLayout>,
    pub is_default: Option<bool>,
    pub is_shared: Option<bool>,
}

/// Changes a dashboard of mine. Honors `If-Match`.
#[utoipa::path(patch, path = "/dashboards/{id}", tag = "dashboards", request_body = UpdateDashboardRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = DashboardConfigResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_dashboard(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateDashboardRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if let Some(n) = &req.name {
        check_text(&mut f, "name", n, 200);
    }
    if let Some(l) = &req.layout {
        check_layout(&mut f, l);
    }
    done(f)?;
    owned(db.conn(), id).await?;
    if req.is_default == Some(true) {
        clear_default(db.conn(), Some(id)).await?;
    }
    let layout = match &req.layout {
        Some(l) => Some(serde_json::to_value(l).map_err(ApiError::internal)?),
        None => None,
    };
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE dashboards SET name = coalesce($2, name), layout = coalesce($3, layout),
                is_default = coalesce($4, is_default), is_shared = coalesce($5, is_shared)
          WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(6)
    )))
    .bind(id)
    .bind(req.name.as_deref().map(str::trim))
    .bind(layout)
    .bind(req.is_default)
    .bind(req.is_shared)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let d = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, d))
}

/// Deletes a dashboard of mine (and its widgets). Honors `If-Match`.
#[utoipa::path(delete, path = "/dashboards/{id}", tag = "dashboards",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 412, body = ErrorBody)))]
async fn delete_dashboard(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, ApiError> {
    owned(db.conn(), id).await?;
    let deleted: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE dashboards SET deleted_at = now(), is_default = false
          WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(2)
    )))
    .bind(id)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    deleted.ok_or(ApiError::PreconditionFailed)?;
    sqlx::query("DELETE FROM dashboard_widgets WHERE dashboard_id = $1")
        .bind(id)
        .execute(db.conn())
        .await?;
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
