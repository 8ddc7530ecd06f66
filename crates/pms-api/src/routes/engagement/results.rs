//! Survey results (aggregated by the database with every group below the survey's minimum
//! respondents withheld), pulse answers, and engagement scores over time in the caller's scope.

use super::fetch_survey;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::metrics::{RollupQuery, RollupResponse, read_rollup};
use crate::routes::promotions::{check_text, done, parse_day};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(survey_results))
        .routes(routes!(submit_pulse))
        .routes(routes!(my_pulse))
        .routes(routes!(engagement_scores))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct QuestionResult {
    pub question_id: Uuid,
    /// With `by=department`: the department (absent: answers without one).
    pub department_id: Option<Uuid>,
    pub answers: i64,
    /// Fewer answers than the survey's min_respondents: no average, no distribution.
    pub withheld: bool,
    pub average: Option<f64>,
    /// Rating to count.
    #[schema(value_type = Option<Object>)]
    pub distribution: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct PulseResult {
    pub responses: i64,
    pub withheld: bool,
    pub average: Option<f64>,
    #[schema(value_type = Option<Object>)]
    pub distribution: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResults {
    pub survey_id: Uuid,
    pub min_respondents: i16,
    pub questions: Vec<QuestionResult>,
    /// The mood of a pulse survey.
    pub pulse: Option<PulseResult>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// `department`: per department as well (HR).
    pub by: Option<String>,
}

/// A survey's results, aggregated with groups below the threshold withheld: HR any time (by
/// department too); everyone once the survey is CLOSED, tenant-wide only.
#[utoipa::path(get, path = "/surveys/{id}/results", tag = "engagement", params(("id" = Uuid, Path), ResultsQuery),
    responses((status = 200, body = SurveyResults), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn survey_results(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> Result<Json<SurveyResults>, ApiError> {
    let by_department = match q.by.as_deref() {
        None => false,
        Some("department") => true,
        Some(_) => {
            return Err(ApiError::BadRequest {
                code: "invalid_query",
                message: "by must be department".into(),
                fields: vec![FieldError::new("by", "unknown")],
            });
        }
    };
    let survey = fetch_survey(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let visible: bool = sqlx::query_scalar(
        "SELECT pms_is_tenant_hr() OR ($1 IN ('CLOSED', 'ARCHIVED') AND NOT $2)",
    )
    .bind(&survey.status)
    .bind(by_department)
    .fetch_one(db.conn())
    .await?;
    if !visible {
        return Err(ApiError::NotFound);
    }
    let questions = sqlx::query_as(
        "SELECT question_id, department_id, answers, withheld, average::float8 AS average, distribution
           FROM pms_survey_results($1, $2)",
    )
    .bind(id)
    .bind(by_department)
    .fetch_all(db.conn())
    .await?;
    let pulse = if survey.survey_type == "PULSE" {
        sqlx::query_as(
            "SELECT responses, withheld, average::float8 AS average, distribution FROM pms_pulse_results($1)",
        )
        .bind(id)
        .fetch_optional(db.conn())
        .await?
    } else {
        None
    };
    db.commit().await?;
    Ok(Json(SurveyResults {
        survey_id: id,
        min_respondents: survey.min_respondents,
        questions,
        pulse,
    }))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PulseRequest {
    /// An OPEN pulse survey.
    pub survey_id: Uuid,
    /// 1 to 5.
    pub mood: i16,
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct PulseResponse {
    pub survey_id: Option<Uuid>,
    pub mood: i16,
    pub comment: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub responded_at: OffsetDateTime,
}

/// Answers a pulse survey, once (anonymous when the survey is).
#[utoipa::path(post, path = "/pulse", tag = "engagement", request_body = PulseRequest,
    responses((status = 201, body = PulseResponse), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_pulse(
    mut db: Db,
    ApiJson(req): ApiJson<PulseRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if !(1..=5).contains(&req.mood) {
        f.push(FieldError::new("mood", "from 1 to 5"));
    }
    if let Some(c) = &req.comment {
        check_text(&mut f, "comment", c, 1000);
    }
    done(f)?;
    let auth = db.auth().clone();
    let survey = fetch_survey(db.conn(), req.survey_id)
        .await?
        .ok_or_else(|| ApiError::field("survey_id", "no such survey"))?;
    if survey.survey_type != "PULSE" {
        return Err(ApiError::field("survey_id", "not a pulse survey"));
    }
    if survey.status != "OPEN" {
        return Err(ApiError::conflict(
            "survey_not_open",
            format!(
                "the pulse is {}; answers are taken while it is OPEN",
                survey.status
            ),
        ));
    }
    let inserted = sqlx::query(
        "INSERT INTO survey_participations (tenant_id, survey_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, survey_id, user_id) DO NOTHING",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.survey_id)
    .bind(auth.user.as_uuid())
    .execute(db.conn())
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(ApiError::conflict(
            "already_answered",
            "you answered this pulse already",
        ));
    }
    // No RETURNING: an anonymous row names nobody, so its writer may not read it back.
    let at: OffsetDateTime =
        sqlx::query_scalar("SELECT CASE WHEN $1 THEN date_trunc('day', now()) ELSE now() END")
            .bind(survey.is_anonymous)
            .fetch_one(db.conn())
            .await?;
    sqlx::query(
        "INSERT INTO pulse_responses (tenant_id, user_id, survey_id, mood, comment, responded_at, created_at, updated_at)
         VALUES ($1, CASE WHEN $2 THEN NULL ELSE $3::uuid END, $4, $5, $6, $7, $7, $7)",
    )
    .bind(auth.tenant.as_uuid())
    .bind(survey.is_anonymous)
    .bind(auth.user.as_uuid())
    .bind(req.survey_id)
    .bind(req.mood)
    .bind(req.comment.as_deref().map(str::trim))
    .bind(at)
    .execute(db.conn())
    .await?;
    db.commit().await?;
    let p = PulseResponse {
        survey_id: Some(req.survey_id),
        mood: req.mood,
        comment: req.comment.as_deref().map(|c| c.trim().to_string()),
        responded_at: at,
    };
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PulseList {
    /// My pulse answers under my name (anonymous ones name nobody), newest first.
    pub items: Vec<PulseResponse>,
}

/// My pulse history (answers to non-anonymous pulses).
#[utoipa::path(get, path = "/me/pulse", tag = "engagement", responses((status = 200, body = PulseList)))]
async fn my_pulse(mut db: Db) -> Result<Json<PulseList>, ApiError> {
    let items = sqlx::query_as(
        "SELECT survey_id, mood, comment, responded_at FROM pulse_responses
          WHERE user_id = pms_current_user_id() ORDER BY responded_at DESC, id DESC LIMIT 500",
    )
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(PulseList { items }))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct EngagementScore {
    #[serde(with = "crate::day")]
    pub period_start: Date,
    pub driver: String,
    pub score: f64,
    pub enps: Option<i16>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EngagementScores {
    pub grain: String,
    pub subject_id: Uuid,
    /// Scores per period (`engagement_scores`: people and departments), oldest first.
    pub scores: Vec<EngagementScore>,
    /// The weekly rollup of `engagement_metrics_ts` for the subject.
    pub weekly: RollupResponse,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScoresQuery {
    /// user, team, department or tenant.
    pub grain: String,
    /// The person, team or department (default for tenant: mine).
    pub subject_id: Option<Uuid>,
    /// Only this metric of the weekly rollup (e.g. engagement_score).
    pub metric: Option<String>,
    /// From this day (`YYYY-MM-DD`), inclusive.
    pub from: Option<String>,
    /// Until this day, exclusive.
    pub to: Option<String>,
}

/// Engagement of a person, team, department or the tenant over time, in my scope.
#[utoipa::path(get, path = "/engagement/scores", tag = "engagement", params(ScoresQuery),
    responses((status = 200, body = EngagementScores), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn engagement_scores(
    mut db: Db,
    ApiQuery(q): ApiQuery<ScoresQuery>,
) -> Result<Json<EngagementScores>, ApiError> {
    let rq = RollupQuery {
        rollup: "engagement_weekly".into(),
        grain: q.grain.clone(),
        subject_id: q.subject_id,
        metric: q.metric.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
    };
    let weekly = read_rollup(&mut db, &rq).await?;
    let from = parse_day("from", q.from.as_deref())?;
    let to = parse_day("to", q.to.as_deref())?;
    let scores = sqlx::query_as(
        "SELECT period_start, driver, score::float8 AS score, enps FROM engagement_scores
          WHERE CASE $1 WHEN 'user' THEN user_id = $2 WHEN 'department' THEN department_id = $2
                        WHEN 'tenant' THEN user_id IS NULL AND department_id IS NULL ELSE false END
            AND ($3::date IS NULL OR period_start >= $3) AND ($4::date IS NULL OR period_start < $4)
          ORDER BY period_start, driver LIMIT 1000",
    )
    .bind(&q.grain)
    .bind(weekly.subject_id)
    .bind(from)
    .bind(to)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(EngagementScores {
        grain: q.grain,
        subject_id: weekly.subject_id,
        scores,
        weekly,
    }))
}
