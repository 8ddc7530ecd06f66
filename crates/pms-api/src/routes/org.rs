//! Departments and teams.

use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page};
use crate::state::AppState;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(departments))
        .routes(routes!(department))
        .routes(routes!(teams))
        .routes(routes!(team))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct DepartmentResponse {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub head_id: Option<Uuid>,
    pub people: i64,
}

const DEPARTMENT: &str = "SELECT d.id, d.code, d.name, d.parent_id, d.head_id,
        (SELECT count(*) FROM users u WHERE u.department_id = d.id AND u.deleted_at IS NULL) AS people
   FROM departments d WHERE d.deleted_at IS NULL";

/// Departments, by code.
#[utoipa::path(get, path = "/departments", tag = "org", params(PageParams),
    responses((status = 200, body = Page<DepartmentResponse>)))]
async fn departments(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<DepartmentResponse>>, ApiError> {
    let limit = p.limit()?;
    let after = p.after()?;
    let rows: Vec<DepartmentResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{DEPARTMENT} AND ($1::text IS NULL OR (d.code, d.id) > ($1, $2)) ORDER BY d.code, d.id LIMIT $3"
    )))
    .bind(after.as_ref().map(|a| a.0.clone()))
    .bind(after.as_ref().map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |d: &DepartmentResponse| {
        (d.code.clone(), d.id)
    })))
}

/// One department.
#[utoipa::path(get, path = "/departments/{id}", tag = "org", params(("id" = Uuid, Path)),
    responses((status = 200, body = DepartmentResponse), (status = 404, body = ErrorBody)))]
async fn department(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<DepartmentResponse>, ApiError> {
    let d: Option<DepartmentResponse> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{DEPARTMENT} AND d.id = $1")))
            .bind(id)
            .fetch_optional(db.conn())
            .await?;
    db.commit().await?;
    d.map(Json).ok_or(ApiError::NotFound)
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct TeamResponse {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub team_type: String,
    pub department_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    /// Current members (not left).
    pub member_ids: Vec<Uuid>,
}

const TEAM: &str = "SELECT t.id, t.code, t.name, t.team_type, t.department_id, t.lead_id,
        coalesce((SELECT array_agg(m.user_id ORDER BY m.user_id) FROM team_members m
                   WHERE m.team_id = t.id AND m.left_on IS NULL), '{}') AS member_ids
   FROM teams t WHERE t.deleted_at IS NULL";

/// Teams, by code.
#[utoipa::path(get, path = "/teams", tag = "org", params(PageParams),
    responses((status = 200, body = Page<TeamResponse>)))]
async fn teams(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<TeamResponse>>, ApiError> {
    let limit = p.limit()?;
    let after = p.after()?;
    let rows: Vec<TeamResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{TEAM} AND ($1::text IS NULL OR (t.code, t.id) > ($1, $2)) ORDER BY t.code, t.id LIMIT $3"
    )))
    .bind(after.as_ref().map(|a| a.0.clone()))
    .bind(after.as_ref().map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |t: &TeamResponse| {
        (t.code.clone(), t.id)
    })))
}

/// One team with its members.
#[utoipa::path(get, path = "/teams/{id}", tag = "org", params(("id" = Uuid, Path)),
    responses((status = 200, body = TeamResponse), (status = 404, body = ErrorBody)))]
async fn team(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Json<TeamResponse>, ApiError> {
    let t: Option<TeamResponse> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{TEAM} AND t.id = $1")))
            .bind(id)
            .fetch_optional(db.conn())
            .await?;
    db.commit().await?;
    t.map(Json).ok_or(ApiError::NotFound)
}
