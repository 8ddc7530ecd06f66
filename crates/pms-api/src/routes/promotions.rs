//! Promotions: a person's promotion score (computed by `pms_promotion_score`, the platform's
//! rule in SQL, with the inputs it used), the recommendations made from it, and promotion
//! decisions with their approval workflow (PROPOSED → APPROVED | REJECTED, APPROVED →
//! EFFECTIVE; kept by a trigger, checked here first for a clear answer). What the caller may
//! see is the database's: the score only for people they may see, recommendations and
//! decisions under their tables' visibility rules.

mod decisions;

use super::versions::etag_header;
use crate::auth::Auth;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(promotion_score))
        .routes(routes!(list_recommendations, create_recommendation))
        .routes(routes!(get_recommendation))
        .merge(decisions::router())
}

pub(crate) fn check_text(f: &mut Vec<FieldError>, path: &str, v: &str, max: usize) {
    if v.trim().is_empty() || v.chars().count() > max {
        f.push(FieldError::new(path, format!("1 to {max} characters")));
    }
}

pub(crate) fn check_one_of(f: &mut Vec<FieldError>, path: &str, v: Option<&str>, allowed: &[&str]) {
    if let Some(v) = v
        && !allowed.contains(&v)
    {
        f.push(FieldError::new(
            path,
            format!("one of {}", allowed.join(", ")),
        ));
    }
}

pub(crate) fn done(f: Vec<FieldError>) -> Result<(), ApiError> {
    if f.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(f))
    }
}

/// Whether the acting user may see a person's records of a visibility domain (the database's
/// `pms_can_see_person`).
pub(crate) async fn can_see_person(
    conn: &mut PgConnection,
    person: Uuid,
    domain: &str,
) -> Result<bool, ApiError> {
    Ok(sqlx::query_scalar(
        "SELECT pms_can_see_person($1, $2) AND EXISTS (SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL)",
    )
    .bind(person)
    .bind(domain)
    .fetch_one(conn)
    .await?)
}

/// Whether the caller manages `person` in a domain (their chain or a delegation), or is HR.
pub(crate) async fn manages_or_hr(
    conn: &mut PgConnection,
    auth: &Auth,
    person: Uuid,
    domain: &str,
) -> Result<bool, ApiError> {
    if auth.is_hr() {
        return Ok(true);
    }
    Ok(
        sqlx::query_scalar("SELECT $1 IN (SELECT m FROM pms_managed_people($2) m)")
            .bind(person)
            .bind(domain)
            .fetch_one(conn)
            .await?,
    )
}

/// The page position of a list ordered by `created_at DESC, id DESC`.
pub(crate) fn after_time(p: &PageParams) -> Result<Option<(OffsetDateTime, Uuid)>, ApiError> {
    Ok(match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    })
}

/// One input of a score, as the SQL function reports it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoreInput {
    /// performance, potential, skills, leadership, tenure or engagement.
    pub input: String,
    pub weight: f64,
    /// 0 to 100; absent when there is no data (counted as 0).
    pub value: Option<f64>,
    /// The table the value came from.
    pub source: Option<String>,
    pub source_id: Option<Uuid>,
    /// The day of the observation (`YYYY-MM-DD`).
    pub observed_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionScoreResponse {
    pub person_id: Uuid,
    #[serde(with = "crate::day")]
    pub as_of: Date,
    /// 0.30 performance + 0.25 potential + 0.20 skills + 0.15 leadership + 0.05 tenure +
    /// 0.05 engagement, rounded to two decimals.
    pub overall: f64,
    /// READY_NOW, READY_1_YEAR, READY_2_YEARS or NEEDS_DEVELOPMENT.
    pub readiness: String,
    pub inputs: Vec<ScoreInput>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// The day the score is computed for (`YYYY-MM-DD`; default: today).
    pub as_of: Option<String>,
}

pub(crate) fn parse_day(field: &str, v: Option<&str>) -> Result<Option<Date>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(v, &fmt) {
        Ok(d) if (1900..=2200).contains(&d.year()) => Ok(Some(d)),
        _ => Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("{field} must be a date YYYY-MM-DD between 1900 and 2200"),
            fields: vec![FieldError::new(field, "a date YYYY-MM-DD")],
        }),
    }
}

async fn today(conn: &mut PgConnection) -> Result<Date, ApiError> {
    Ok(sqlx::query_scalar("SELECT current_date")
        .fetch_one(conn)
        .await?)
}

type ScoreRow = (f64, String, serde_json::Value);

async fn score(
    conn: &mut PgConnection,
    person: Uuid,
    as_of: Date,
) -> Result<Option<ScoreRow>, ApiError> {
    Ok(
        sqlx::query_as(
            "SELECT overall::float8, readiness, inputs FROM pms_promotion_score($1, $2)",
        )
        .bind(person)
        .bind(as_of)
        .fetch_optional(conn)
        .await?,
    )
}

fn inputs_of(v: serde_json::Value) -> Result<Vec<ScoreInput>, ApiError> {
    serde_json::from_value(v).map_err(ApiError::internal)
}

/// A person's promotion score with its inputs: for the person, their chain and HR.
#[utoipa::path(get, path = "/people/{id}/promotion-score", tag = "promotions",
    params(("id" = Uuid, Path), AsOfQuery),
    responses((status = 200, body = PromotionScoreResponse), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn promotion_score(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<AsOfQuery>,
) -> Result<Json<PromotionScoreResponse>, ApiError> {
    let as_of = match parse_day("as_of", q.as_of.as_deref())? {
        Some(d) => d,
        None => today(db.conn()).await?,
    };
    let (overall, readiness, inputs) = score(db.conn(), id, as_of)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(PromotionScoreResponse {
        person_id: id,
        as_of,
        overall,
        readiness,
        inputs: inputs_of(inputs)?,
    }))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct RecommendationResponse {
    pub id: Uuid,
    pub user_id: Uuid,
    pub recommended_by: Option<Uuid>,
    pub cycle_id: Option<Uuid>,
    pub target_level: Option<i16>,
    pub target_title: Option<String>,
    /// The overall promotion score when the recommendation was made.
    pub readiness_score: f64,
    pub readiness: String,
    /// OPEN, ACCEPTED, DECLINED or CONVERTED.
    pub status: String,
    pub rationale: Option<String>,
    /// `{"as_of": day, "inputs": [...]}`: the inputs of the score, as computed.
    #[schema(value_type = Object)]
    pub factors: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const REC_COLUMNS: &str = "id, user_id, recommended_by, cycle_id, target_level, target_title, readiness_score::float8 AS readiness_score,
    readiness, status, rationale, factors, created_at, updated_at";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendationQuery {
    pub user_id: Option<Uuid>,
    /// OPEN, ACCEPTED, DECLINED or CONVERTED.
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

const REC_STATUSES: [&str; 4] = ["OPEN", "ACCEPTED", "DECLINED", "CONVERTED"];

/// Promotion recommendations I may see (HR; the person's chain), newest first.
#[utoipa::path(get, path = "/promotion-recommendations", tag = "promotions", params(RecommendationQuery),
    responses((status = 200, body = Page<RecommendationResponse>), (status = 400, body = ErrorBody)))]
async fn list_recommendations(
    mut db: Db,
    ApiQuery(q): ApiQuery<RecommendationQuery>,
) -> Result<Json<Page<RecommendationResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = after_time(&p)?;
    if let Some(s) = &q.status
        && !REC_STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("status must be one of {}", REC_STATUSES.join(", ")),
            fields: vec![FieldError::new("status", "unknown")],
        });
    }
    let rows: Vec<RecommendationResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REC_COLUMNS} FROM promotion_recommendations
          WHERE ($1::uuid IS NULL OR user_id = $1) AND ($2::text IS NULL OR status = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
          ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(q.user_id)
    .bind(q.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &RecommendationResponse| {
        (time_key(r.created_at), r.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRecommendationRequest {
    pub user_id: Uuid,
    pub target_level: Option<i16>,
    pub target_title: Option<String>,
    pub cycle_id: Option<Uuid>,
    pub rationale: Option<String>,
    /// The day the score is computed for (default: today).
    #[serde(default, with = "crate::day::option")]
    pub as_of: Option<Date>,
}

/// Recommends a person for promotion: the platform computes the score and readiness now and
/// keeps them with their inputs. For the person's chain and HR.
#[utoipa::path(post, path = "/promotion-recommendations", tag = "promotions", request_body = CreateRecommendationRequest,
    responses((status = 201, body = RecommendationResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_recommendation(
    mut db: Db,
    ApiJson(req): ApiJson<CreateRecommendationRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if let Some(t) = &req.target_title {
        check_text(&mut f, "target_title", t, 200);
    }
    if let Some(l) = req.target_level
        && !(1..=20).contains(&l)
    {
        f.push(FieldError::new("target_level", "from 1 to 20"));
    }
    if let Some(r) = &req.rationale
        && r.chars().count() > 5000
    {
        f.push(FieldError::new("rationale", "at most 5000 characters"));
    }
    if let Some(d) = req.as_of
        && !(1900..=2200).contains(&d.year())
    {
        f.push(FieldError::new("as_of", "a date between 1900 and 2200"));
    }
    done(f)?;
    let auth = db.auth().clone();
    if !can_see_person(db.conn(), req.user_id, "APPROVALS").await? {
        return Err(ApiError::NotFound);
    }
    if !manages_or_hr(db.conn(), &auth, req.user_id, "APPROVALS").await? {
        return Err(ApiError::Forbidden(
            "only the person's managers and HR may recommend them".into(),
        ));
    }
    let as_of = match req.as_of {
        Some(d) => d,
        None => today(db.conn()).await?,
    };
    let rec: RecommendationResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO promotion_recommendations (tenant_id, user_id, recommended_by, cycle_id, target_level, target_title,
                                                readiness_score, readiness, rationale, factors)
         SELECT $1, $2, $3, $4, $5, $6, s.overall, s.readiness, $7,
                jsonb_build_object('as_of', $8::date, 'inputs', s.inputs)
           FROM pms_promotion_score($2, $8) s
         RETURNING {REC_COLUMNS}"
    )))
    .bind(auth.tenant.as_uuid())
    .bind(req.user_id)
    .bind(auth.user.as_uuid())
    .bind(req.cycle_id)
    .bind(req.target_level)
    .bind(req.target_title.as_deref().map(str::trim))
    .bind(req.rationale.as_deref())
    .bind(as_of)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok((
        StatusCode::CREATED,
        [etag_header(rec.updated_at)],
        Json(rec),
    )
        .into_response())
}

/// One promotion recommendation.
#[utoipa::path(get, path = "/promotion-recommendations/{id}", tag = "promotions", params(("id" = Uuid, Path)),
    responses((status = 200, body = RecommendationResponse), (status = 404, body = ErrorBody)))]
async fn get_recommendation(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let rec: RecommendationResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {REC_COLUMNS} FROM promotion_recommendations WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(rec.updated_at)], Json(rec)).into_response())
}
