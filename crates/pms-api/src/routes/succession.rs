//! Succession plans: key positions, their successors and the bench strength the database
//! computes (`pms_succession_bench`, counted over every candidate whoever asks). Plans are
//! visible to HR, their owner and the incumbent's chain; a successor only to those who may see
//! that candidacy (HR, the candidate's chain), never to the candidate.

use super::promotions::{
    after_time, can_see_person, check_one_of, check_text, done, manages_or_hr,
};
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
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan))
        .routes(routes!(add_successor))
        .routes(routes!(remove_successor))
}

const CRITICALITIES: [&str; 4] = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
const RISKS: [&str; 3] = ["LOW", "MEDIUM", "HIGH"];
const PLAN_STATUSES: [&str; 3] = ["DRAFT", "ACTIVE", "ARCHIVED"];
const READINESS: [&str; 3] = ["READY_NOW", "READY_1_YEAR", "READY_2_YEARS"];

/// How deep the bench of a plan is.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Bench {
    pub ready_now: i64,
    pub ready_1_year: i64,
    pub ready_2_years: i64,
    pub total: i64,
    /// NONE, WEAK, ADEQUATE (one ready now, or two within a year) or STRONG (one ready now
    /// and three in all).
    pub strength: String,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Successor {
    pub candidate_id: Uuid,
    pub name: String,
    pub readiness: String,
    pub rank: i16,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PlanResponse {
    pub id: Uuid,
    pub position_title: String,
    pub incumbent_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub criticality: String,
    pub vacancy_risk: String,
    pub status: String,
    #[serde(default, with = "crate::day::option")]
    pub review_date: Option<Date>,
    #[sqlx(skip)]
    pub bench: Option<Bench>,
    /// The successors the caller may see, by rank.
    #[sqlx(skip)]
    pub successors: Vec<Successor>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const PLAN_COLUMNS: &str =
    "id, position_title, incumbent_id, department_id, owner_id, criticality, vacancy_risk, status,
    review_date, created_at, updated_at";

async fn bench(conn: &mut PgConnection, id: Uuid) -> Result<Option<Bench>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ready_now, ready_1_year, ready_2_years, total, strength FROM pms_succession_bench($1)",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

async fn fetch_plan(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<PlanResponse>, sqlx::Error> {
    let p: Option<PlanResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PLAN_COLUMNS} FROM succession_plans WHERE id = $1 AND deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut p) = p else { return Ok(None) };
    p.bench = bench(&mut *conn, id).await?;
    p.successors = sqlx::query_as(
        "SELECT c.candidate_id, coalesce(u.display_name, u.first_name || ' ' || u.last_name) AS name, c.readiness, c.rank, c.notes
           FROM succession_candidates c JOIN users u ON u.id = c.candidate_id
          WHERE c.plan_id = $1 ORDER BY c.rank, c.candidate_id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(Some(p))
}

/// Succession plans I may see, newest first, each with its bench.
#[utoipa::path(get, path = "/succession-plans", tag = "succession", params(PageParams),
    responses((status = 200, body = Page<PlanResponse>), (status = 400, body = ErrorBody)))]
async fn list_plans(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<PlanResponse>>, ApiError> {
    let limit = p.limit()?;
    let after = after_time(&p)?;
    let mut rows: Vec<PlanResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PLAN_COLUMNS} FROM succession_plans WHERE deleted_at IS NULL
            AND ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2))
          ORDER BY created_at DESC, id DESC LIMIT $3"
    )))
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    for r in &mut rows {
        r.bench = bench(db.conn(), r.id).await?;
    }
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &PlanResponse| {
        (time_key(r.created_at), r.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSuccessionPlanRequest {
    pub position_title: String,
    pub incumbent_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    /// Default: me.
    pub owner_id: Option<Uuid>,
    pub criticality: Option<String>,
    pub vacancy_risk: Option<String>,
    pub status: Option<String>,
    #[serde(default, with = "crate::day::option")]
    pub review_date: Option<Date>,
}

/// Creates a succession plan (HR).
#[utoipa::path(post, path = "/succession-plans", tag = "succession", request_body = CreateSuccessionPlanRequest,
    responses((status = 201, body = PlanResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_plan(
    mut db: Db,
    ApiJson(req): ApiJson<CreateSuccessionPlanRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_text(&mut f, "position_title", &req.position_title, 200);
    check_one_of(
        &mut f,
        "criticality",
        req.criticality.as_deref(),
        &CRITICALITIES,
    );
    check_one_of(&mut f, "vacancy_risk", req.vacancy_risk.as_deref(), &RISKS);
    check_one_of(&mut f, "status", req.status.as_deref(), &PLAN_STATUSES);
    if let Some(d) = req.review_date
        && !(1900..=2200).contains(&d.year())
    {
        f.push(FieldError::new(
            "review_date",
            "a date between 1900 and 2200",
        ));
    }
    done(f)?;
    let auth = db.auth().clone();
    auth.require_hr()?;
    for (field, person) in [
        ("incumbent_id", req.incumbent_id),
        ("owner_id", req.owner_id),
    ] {
        if let Some(p) = person
            && !can_see_person(db.conn(), p, "APPROVALS").await?
        {
            return Err(ApiError::field(field, "no such person"));
        }
    }
    if let Some(d) = req.department_id {
        let ok: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM departments WHERE id = $1 AND deleted_at IS NULL)",
        )
        .bind(d)
        .fetch_one(db.conn())
        .await?;
        if !ok {
            return Err(ApiError::field("department_id", "no such department"));
        }
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO succession_plans (tenant_id, position_title, incumbent_id, department_id, owner_id, criticality, vacancy_risk, status, review_date)
         VALUES ($1, $2, $3, $4, coalesce($5, $6), coalesce($7, 'LOW'), coalesce($8, 'LOW'), coalesce($9, 'DRAFT'), $10) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.position_title.trim())
    .bind(req.incumbent_id)
    .bind(req.department_id)
    .bind(req.owner_id)
    .bind(auth.user.as_uuid())
    .bind(req.criticality.as_deref())
    .bind(req.vacancy_risk.as_deref())
    .bind(req.status.as_deref())
    .bind(req.review_date)
    .fetch_one(db.conn())
    .await?;
    let p = fetch_plan(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new plan is not visible to HR"))?;
    db.commit().await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

/// One succession plan with its successors and bench strength.
#[utoipa::path(get, path = "/succession-plans/{id}", tag = "succession", params(("id" = Uuid, Path)),
    responses((status = 200, body = PlanResponse), (status = 404, body = ErrorBody)))]
async fn get_plan(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Json<PlanResponse>, ApiError> {
    let p = fetch_plan(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(p))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddSuccessorRequest {
    pub candidate_id: Uuid,
    /// READY_NOW, READY_1_YEAR or READY_2_YEARS.
    pub readiness: String,
    /// 1 = first choice (default 1).
    pub rank: Option<i16>,
    pub notes: Option<String>,
}

/// Names a successor on a plan (or changes their readiness and rank): HR, or a manager of
/// the candidate who may see the plan.
#[utoipa::path(post, path = "/succession-plans/{id}/successors", tag = "succession", request_body = AddSuccessorRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = PlanResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn add_successor(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<AddSuccessorRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_one_of(
        &mut f,
        "readiness",
        Some(req.readiness.as_str()),
        &READINESS,
    );
    if let Some(r) = req.rank
        && !(1..=100).contains(&r)
    {
        f.push(FieldError::new("rank", "from 1 to 100"));
    }
    if let Some(n) = &req.notes
        && n.chars().count() > 2000
    {
        f.push(FieldError::new("notes", "at most 2000 characters"));
    }
    done(f)?;
    let auth = db.auth().clone();
    fetch_plan(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if !can_see_person(db.conn(), req.candidate_id, "APPROVALS").await? {
        return Err(ApiError::field("candidate_id", "no such person"));
    }
    if !manages_or_hr(db.conn(), &auth, req.candidate_id, "APPROVALS").await? {
        return Err(ApiError::Forbidden(
            "only HR and the candidate's managers may name them a successor".into(),
        ));
    }
    sqlx::query(
        "INSERT INTO succession_candidates (tenant_id, plan_id, candidate_id, readiness, rank, notes)
         VALUES ($1, $2, $3, $4, coalesce($5, 1), $6)
         ON CONFLICT (tenant_id, plan_id, candidate_id)
         DO UPDATE SET readiness = EXCLUDED.readiness, rank = EXCLUDED.rank, notes = EXCLUDED.notes",
    )
    .bind(auth.tenant.as_uuid())
    .bind(id)
    .bind(req.candidate_id)
    .bind(&req.readiness)
    .bind(req.rank)
    .bind(req.notes.as_deref())
    .execute(db.conn())
    .await?;
    let p = fetch_plan(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

/// Removes a successor from a plan.
#[utoipa::path(delete, path = "/succession-plans/{id}/successors/{candidate_id}", tag = "succession",
    params(("id" = Uuid, Path), ("candidate_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn remove_successor(
    mut db: Db,
    ApiPath((id, candidate)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    fetch_plan(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    let n =
        sqlx::query("DELETE FROM succession_candidates WHERE plan_id = $1 AND candidate_id = $2")
            .bind(id)
            .bind(candidate)
            .execute(db.conn())
            .await?
            .rows_affected();
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    db.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
