//! Development plans (activities, checkpoints, progress) and career paths with suggestions of
//! next steps. A plan is seen and written by its person, their chain (and GOALS delegates) and
//! HR (the database's rule); its workflow (DRAFT -> ACTIVE -> COMPLETED, or CANCELLED) and its
//! progress (the share of activities done) are triggers. Activities and checkpoints:
//! `development_parts.rs`.

use super::checks::{Checks, person_exists, query_one_of, workflow};
use super::development_parts::{Activity, Checkpoint};
use super::idempotency::{IdempotencyKey, claim, remember};
use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan, update_plan))
        .routes(routes!(list_career_paths))
        .routes(routes!(career_suggestions))
        .merge(super::development_parts::router())
}

const STATUSES: [&str; 4] = ["DRAFT", "ACTIVE", "COMPLETED", "CANCELLED"];

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct DevelopmentPlanResponse {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub manager_id: Option<Uuid>,
    pub career_path_id: Option<Uuid>,
    pub target_step_id: Option<Uuid>,
    pub title: String,
    /// DRAFT, ACTIVE, COMPLETED or CANCELLED.
    pub status: String,
    #[serde(with = "crate::day")]
    pub starts_on: Date,
    #[serde(with = "crate::day::option")]
    pub ends_on: Option<Date>,
    /// The share of activities done (dropped ones do not count), 0 to 100.
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub progress: Decimal,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[sqlx(skip)]
    pub activities: Vec<Activity>,
    #[sqlx(skip)]
    pub checkpoints: Vec<Checkpoint>,
}

const COLUMNS: &str =
    "p.id, p.employee_id, p.manager_id, p.career_path_id, p.target_step_id, p.title, p.status,
    p.starts_on, p.ends_on, p.progress, p.created_at, p.updated_at";

pub(crate) async fn fetch_plan(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<DevelopmentPlanResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM development_plans p WHERE p.id = $1 AND p.deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub(crate) async fn fetch_full(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<DevelopmentPlanResponse>, sqlx::Error> {
    let Some(mut p) = fetch_plan(&mut *conn, id).await? else {
        return Ok(None);
    };
    p.activities = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM development_activities WHERE plan_id = $1 ORDER BY due_date NULLS LAST, created_at, id",
        super::development_parts::ACTIVITY_COLUMNS
    )))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    p.checkpoints = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM development_checkpoints WHERE plan_id = $1 ORDER BY scheduled_on, created_at, id",
        super::development_parts::CHECKPOINT_COLUMNS
    )))
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(Some(p))
}

fn respond(status: StatusCode, p: DevelopmentPlanResponse) -> Response {
    (status, [etag_header(p.updated_at)], Json(p)).into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    pub employee_id: Option<Uuid>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Development plans I may see, newest first (lists carry no activities or checkpoints).
#[utoipa::path(get, path = "/development-plans", tag = "development", params(PlanQuery),
    responses((status = 200, body = Page<DevelopmentPlanResponse>), (status = 400, body = ErrorBody)))]
async fn list_plans(
    mut db: Db,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> Result<Json<Page<DevelopmentPlanResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    query_one_of("status", q.status.as_deref(), &STATUSES)?;
    let rows: Vec<DevelopmentPlanResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM development_plans p WHERE p.deleted_at IS NULL
            AND ($1::uuid IS NULL OR p.employee_id = $1) AND ($2::text IS NULL OR p.status = $2)
            AND ($3::timestamptz IS NULL OR (p.created_at, p.id) < ($3, $4))
          ORDER BY p.created_at DESC, p.id DESC LIMIT $5"
    )))
    .bind(q.employee_id)
    .bind(q.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |p: &DevelopmentPlanResponse| {
        (time_key(p.created_at), p.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanRequest {
    /// Default: me. A manager may plan for their reports; HR for anyone.
    pub employee_id: Option<Uuid>,
    pub title: String,
    pub career_path_id: Option<Uuid>,
    /// A step of `career_path_id`.
    pub target_step_id: Option<Uuid>,
    #[serde(with = "crate::day")]
    pub starts_on: Date,
    #[serde(default, with = "crate::day::option")]
    pub ends_on: Option<Date>,
}

/// Creates a development plan (DRAFT). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/development-plans", tag = "development", request_body = CreatePlanRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = DevelopmentPlanResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_plan(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreatePlanRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("title", &req.title, 300);
    c.date("starts_on", Some(req.starts_on));
    c.date("ends_on", req.ends_on);
    if let Some(e) = req.ends_on
        && e < req.starts_on
    {
        c.push("ends_on", "must not be before starts_on");
    }
    if req.target_step_id.is_some() && req.career_path_id.is_none() {
        c.push("target_step_id", "needs career_path_id");
    }
    c.done()?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let auth = db.auth().clone();
    let employee = req.employee_id.unwrap_or(auth.user.as_uuid());
    // No such person, or one I may not see (GOALS, the domain of plans): 404, as for every
    // record of someone I may not see.
    if !person_exists(db.conn(), employee).await? {
        return Err(ApiError::NotFound);
    }
    let may: bool = sqlx::query_scalar("SELECT pms_can_see_person($1, 'GOALS')")
        .bind(employee)
        .fetch_one(db.conn())
        .await?;
    if !may {
        return Err(ApiError::NotFound);
    }
    if let Some(path) = req.career_path_id {
        let ok: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM career_paths WHERE id = $1 AND deleted_at IS NULL)
                AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM career_path_steps WHERE id = $2 AND path_id = $1))",
        )
        .bind(path)
        .bind(req.target_step_id)
        .fetch_one(db.conn())
        .await?;
        if !ok {
            return Err(ApiError::field(
                "career_path_id",
                "no such career path (or the step is not on it)",
            ));
        }
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO development_plans (tenant_id, employee_id, manager_id, career_path_id, target_step_id, title, starts_on, ends_on)
         SELECT $1, $2, u.manager_id, $3, $4, $5, $6, $7 FROM users u WHERE u.id = $2 RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(employee)
    .bind(req.career_path_id)
    .bind(req.target_step_id)
    .bind(req.title.trim())
    .bind(req.starts_on)
    .bind(req.ends_on)
    .fetch_one(db.conn())
    .await
    .map_err(workflow)?;
    let p = fetch_full(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new plan is not visible to its creator"))?;
    remember(&mut db, &key, StatusCode::CREATED, &p).await?;
    db.commit().await?;
    Ok(respond(StatusCode::CREATED, p))
}

/// One development plan with its activities and checkpoints.
#[utoipa::path(get, path = "/development-plans/{id}", tag = "development", params(("id" = Uuid, Path)),
    responses((status = 200, body = DevelopmentPlanResponse), (status = 404, body = ErrorBody)))]
async fn get_plan(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let p = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, p))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePlanRequest {
    pub title: Option<String>,
    /// ACTIVE (from DRAFT), COMPLETED (from ACTIVE), CANCELLED (from either).
    pub status: Option<String>,
    #[serde(default, with = "crate::day::option")]
    pub ends_on: Option<Date>,
}

/// Changes a plan or moves it along its workflow (a refused move: 409 `invalid_transition`;
/// a closed plan: `record_closed`). Honors `If-Match`.
#[utoipa::path(patch, path = "/development-plans/{id}", tag = "development", request_body = UpdatePlanRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = DevelopmentPlanResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_plan(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdatePlanRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("title", req.title.as_deref(), 300);
    c.one_of("status", req.status.as_deref(), &STATUSES);
    c.date("ends_on", req.ends_on);
    c.done()?;
    let current = fetch_plan(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if let Some(e) = req.ends_on
        && e < current.starts_on
    {
        return Err(ApiError::field("ends_on", "must not be before starts_on"));
    }
    if req.status.as_deref() == Some(current.status.as_str()) {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the plan is {} already", current.status),
        ));
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE development_plans SET title = coalesce($2, title), status = coalesce($3, status), ends_on = coalesce($4, ends_on)
          WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(5)
    )))
    .bind(id)
    .bind(req.title.as_deref().map(str::trim))
    .bind(req.status.as_deref())
    .bind(req.ends_on)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let p = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, p))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct CareerStep {
    pub id: Uuid,
    pub position: i16,
    pub title: String,
    pub level: i16,
    pub typical_months: Option<i16>,
    #[schema(value_type = Object)]
    pub requirements: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CareerPath {
    pub id: Uuid,
    pub name: String,
    /// INDIVIDUAL_CONTRIBUTOR, MANAGEMENT or SPECIALIST.
    pub track: String,
    pub department_id: Option<Uuid>,
    pub description: Option<String>,
    #[sqlx(json)]
    pub steps: Vec<CareerStep>,
}

/// The tenant's career paths with their steps, by name.
#[utoipa::path(get, path = "/career-paths", tag = "development", params(PageParams),
    responses((status = 200, body = Page<CareerPath>), (status = 400, body = ErrorBody)))]
async fn list_career_paths(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<CareerPath>>, ApiError> {
    let limit = p.limit()?;
    let after = p.after()?;
    let rows: Vec<CareerPath> = sqlx::query_as(
        "SELECT p.id, p.name, p.track, p.department_id, p.description,
                coalesce((SELECT jsonb_agg(jsonb_build_object('id', s.id, 'position', s.position, 'title', s.title, 'level', s.level,
                                                              'typical_months', s.typical_months, 'requirements', s.requirements)
                                           ORDER BY s.position)
                            FROM career_path_steps s WHERE s.path_id = p.id), '[]'::jsonb) AS steps
           FROM career_paths p WHERE p.deleted_at IS NULL AND ($1::text IS NULL OR (p.name, p.id) > ($1, $2))
          ORDER BY p.name, p.id LIMIT $3",
    )
    .bind(after.as_ref().map(|a| a.0.clone()))
    .bind(after.as_ref().map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |c: &CareerPath| {
        (c.name.clone(), c.id)
    })))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CareerSuggestion {
    pub path_id: Uuid,
    pub path_name: String,
    pub track: String,
    /// The path belongs to the person's department.
    pub same_department: bool,
    pub step_id: Uuid,
    pub step_title: String,
    pub step_level: i16,
    /// Levels above the person's current level.
    pub level_gap: i32,
    pub typical_months: Option<i16>,
    #[schema(value_type = Object)]
    pub requirements: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CareerSuggestions {
    pub person_id: Uuid,
    /// The next step above the person's level on each career path, their department's first.
    pub suggestions: Vec<CareerSuggestion>,
}

/// Career path suggestions for a person I may see (myself, my reports, anyone for HR).
#[utoipa::path(get, path = "/people/{id}/career-suggestions", tag = "development", params(("id" = Uuid, Path)),
    responses((status = 200, body = CareerSuggestions), (status = 404, body = ErrorBody)))]
async fn career_suggestions(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<CareerSuggestions>, ApiError> {
    let visible: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL) AND pms_can_see_person($1, 'GOALS')",
    )
    .bind(id)
    .fetch_one(db.conn())
    .await?;
    if !visible {
        return Err(ApiError::NotFound);
    }
    let suggestions: Vec<CareerSuggestion> =
        sqlx::query_as("SELECT * FROM pms_career_suggestions($1, 10)")
            .bind(id)
            .fetch_all(db.conn())
            .await?;
    db.commit().await?;
    Ok(Json(CareerSuggestions {
        person_id: id,
        suggestions,
    }))
}
