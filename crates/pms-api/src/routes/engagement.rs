//! Engagement: surveys and their questions (HR writes them; everyone in the tenant reads
//! them), answers (once per person: `survey_participations` records that they answered, never
//! what; an anonymous survey's answers keep no respondent and only the day), results
//! aggregated by the database with every group below the survey's minimum respondents
//! withheld, pulse responses, and engagement scores over time.

use super::metrics::{RollupQuery, RollupResponse, read_rollup};
use super::promotions::{after_time, check_one_of, check_text, done, parse_day};
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
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_surveys, create_survey))
        .routes(routes!(get_survey))
        .routes(routes!(transition_survey))
        .routes(routes!(answer_survey))
        .routes(routes!(survey_results))
        .routes(routes!(submit_pulse))
        .routes(routes!(my_pulse))
        .routes(routes!(engagement_scores))
}

const SURVEY_TYPES: [&str; 5] = ["ENGAGEMENT", "PULSE", "ONBOARDING", "EXIT", "CUSTOM"];
const ANSWER_TYPES: [&str; 4] = ["LIKERT_5", "ENPS_10", "TEXT", "CHOICE"];
const SURVEY_STATUSES: [&str; 4] = ["DRAFT", "OPEN", "CLOSED", "ARCHIVED"];

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct QuestionResponse {
    pub id: Uuid,
    pub position: i16,
    pub prompt: String,
    /// LIKERT_5 (1-5), ENPS_10 (0-10), TEXT or CHOICE.
    pub answer_type: String,
    pub driver: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct SurveyResponse {
    pub id: Uuid,
    pub title: String,
    pub survey_type: String,
    /// DRAFT, OPEN, CLOSED or ARCHIVED.
    pub status: String,
    pub is_anonymous: bool,
    /// Results of a group with fewer answers are withheld.
    pub min_respondents: i16,
    #[serde(with = "time::serde::rfc3339::option")]
    pub opens_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    /// Whether I answered it.
    pub answered: bool,
    #[sqlx(skip)]
    pub questions: Vec<QuestionResponse>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

const SURVEY_COLUMNS: &str = "s.id, s.title, s.survey_type, s.status, s.is_anonymous, s.min_respondents, s.opens_at, s.closes_at,
    EXISTS (SELECT 1 FROM survey_participations p WHERE p.survey_id = s.id AND p.user_id = pms_current_user_id()) AS answered,
    s.created_at";

/// Drafts only for HR.
const SURVEY_VISIBLE: &str = "s.deleted_at IS NULL AND (s.status <> 'DRAFT' OR pms_is_tenant_hr())";

async fn fetch_survey(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<SurveyResponse>, sqlx::Error> {
    let s: Option<SurveyResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SURVEY_COLUMNS} FROM engagement_surveys s WHERE s.id = $1 AND {SURVEY_VISIBLE}"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut s) = s else { return Ok(None) };
    s.questions = sqlx::query_as(
        "SELECT id, position, prompt, answer_type, driver FROM survey_questions WHERE survey_id = $1 ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(Some(s))
}

/// Surveys, newest first (drafts: HR only).
#[utoipa::path(get, path = "/surveys", tag = "engagement", params(PageParams),
    responses((status = 200, body = Page<SurveyResponse>), (status = 400, body = ErrorBody)))]
async fn list_surveys(
    mut db: Db,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<SurveyResponse>>, ApiError> {
    let limit = p.limit()?;
    let after = after_time(&p)?;
    let rows: Vec<SurveyResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SURVEY_COLUMNS} FROM engagement_surveys s WHERE {SURVEY_VISIBLE}
            AND ($1::timestamptz IS NULL OR (s.created_at, s.id) < ($1, $2))
          ORDER BY s.created_at DESC, s.id DESC LIMIT $3"
    )))
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |s: &SurveyResponse| {
        (time_key(s.created_at), s.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQuestion {
    pub prompt: String,
    /// LIKERT_5 (default), ENPS_10, TEXT or CHOICE.
    pub answer_type: Option<String>,
    pub driver: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSurveyRequest {
    pub title: String,
    /// ENGAGEMENT (default), PULSE, ONBOARDING, EXIT or CUSTOM.
    pub survey_type: Option<String>,
    /// Default true.
    pub is_anonymous: Option<bool>,
    /// 1 to 1000 (default 5).
    pub min_respondents: Option<i16>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub opens_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub questions: Vec<NewQuestion>,
}

/// Creates a survey (DRAFT) with its questions (HR).
#[utoipa::path(post, path = "/surveys", tag = "engagement", request_body = CreateSurveyRequest,
    responses((status = 201, body = SurveyResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_survey(
    mut db: Db,
    ApiJson(req): ApiJson<CreateSurveyRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_text(&mut f, "title", &req.title, 200);
    check_one_of(
        &mut f,
        "survey_type",
        req.survey_type.as_deref(),
        &SURVEY_TYPES,
    );
    if let Some(m) = req.min_respondents
        && !(1..=1000).contains(&m)
    {
        f.push(FieldError::new("min_respondents", "from 1 to 1000"));
    }
    for (name, t) in [("opens_at", req.opens_at), ("closes_at", req.closes_at)] {
        if let Some(t) = t
            && !(1970..=2200).contains(&t.year())
        {
            f.push(FieldError::new(name, "a time between 1970 and 2200"));
        }
    }
    if let (Some(a), Some(b)) = (req.opens_at, req.closes_at)
        && b < a
    {
        f.push(FieldError::new("closes_at", "must not be before opens_at"));
    }
    if req.questions.len() > 100 {
        f.push(FieldError::new("questions", "at most 100"));
    }
    for (i, q) in req.questions.iter().enumerate() {
        check_text(&mut f, &format!("questions[{i}].prompt"), &q.prompt, 1000);
        check_one_of(
            &mut f,
            &format!("questions[{i}].answer_type"),
            q.answer_type.as_deref(),
            &ANSWER_TYPES,
        );
        if let Some(d) = &q.driver {
            check_text(&mut f, &format!("questions[{i}].driver"), d, 100);
        }
    }
    done(f)?;
    let auth = db.auth().clone();
    auth.require_hr()?;
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO engagement_surveys (tenant_id, title, survey_type, is_anonymous, min_respondents, opens_at, closes_at, created_by)
         VALUES ($1, $2, coalesce($3, 'ENGAGEMENT'), coalesce($4, true), coalesce($5, 5), $6, $7, $8) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.title.trim())
    .bind(req.survey_type.as_deref())
    .bind(req.is_anonymous)
    .bind(req.min_respondents)
    .bind(req.opens_at)
    .bind(req.closes_at)
    .bind(auth.user.as_uuid())
    .fetch_one(db.conn())
    .await?;
    for (i, q) in req.questions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO survey_questions (tenant_id, survey_id, position, prompt, answer_type, driver)
             VALUES ($1, $2, $3, $4, coalesce($5, 'LIKERT_5'), $6)",
        )
        .bind(auth.tenant.as_uuid())
        .bind(id)
        .bind(i as i16 + 1)
        .bind(q.prompt.trim())
        .bind(q.answer_type.as_deref())
        .bind(q.driver.as_deref())
        .execute(db.conn())
        .await?;
    }
    let s = fetch_survey(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new survey is not visible to HR"))?;
    db.commit().await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

/// One survey with its questions.
#[utoipa::path(get, path = "/surveys/{id}", tag = "engagement", params(("id" = Uuid, Path)),
    responses((status = 200, body = SurveyResponse), (status = 404, body = ErrorBody)))]
async fn get_survey(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<SurveyResponse>, ApiError> {
    let s = fetch_survey(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(s))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyTransitionRequest {
    /// The next status: OPEN (from DRAFT), CLOSED (from OPEN), ARCHIVED (from CLOSED).
    pub status: String,
}

/// Moves a survey one step forward (HR); anything else is 409 `invalid_transition`.
#[utoipa::path(post, path = "/surveys/{id}/transition", tag = "engagement", request_body = SurveyTransitionRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = SurveyResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_survey(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<SurveyTransitionRequest>,
) -> Result<Json<SurveyResponse>, ApiError> {
    let mut f = Vec::new();
    check_one_of(
        &mut f,
        "status",
        Some(req.status.as_str()),
        &SURVEY_STATUSES,
    );
    done(f)?;
    let auth = db.auth().clone();
    let current = fetch_survey(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    auth.require_hr()?;
    let from = SURVEY_STATUSES.iter().position(|s| *s == current.status);
    let to = SURVEY_STATUSES.iter().position(|s| *s == req.status);
    if from.zip(to).is_none_or(|(a, b)| b != a + 1) {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!(
                "the survey is {}: it moves one step at a time ({}), not to {}",
                current.status,
                SURVEY_STATUSES.join(" -> "),
                req.status
            ),
        ));
    }
    sqlx::query("UPDATE engagement_surveys SET status = $2 WHERE id = $1 AND status = $3")
        .bind(id)
        .bind(&req.status)
        .bind(&current.status)
        .execute(db.conn())
        .await?;
    let s = fetch_survey(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(s))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub question_id: Uuid,
    /// LIKERT_5: 1 to 5; ENPS_10: 0 to 10.
    pub rating: Option<i16>,
    /// TEXT and CHOICE questions.
    pub text: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerSurveyRequest {
    pub answers: Vec<Answer>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerSurveyResponse {
    pub survey_id: Uuid,
    pub answers: usize,
    /// Whether the answers were stored without naming me.
    pub anonymous: bool,
}

/// Answers an OPEN survey, once. An anonymous survey's answers keep no respondent (and only
/// the day); that I answered is recorded apart from them.
#[utoipa::path(post, path = "/surveys/{id}/responses", tag = "engagement", request_body = AnswerSurveyRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = AnswerSurveyResponse), (status = 404, body = ErrorBody),
              (status = 409, description = "not open, or answered already", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn answer_survey(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<AnswerSurveyRequest>,
) -> Result<Response, ApiError> {
    let auth = db.auth().clone();
    let survey = fetch_survey(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut f = Vec::new();
    if req.answers.is_empty() || req.answers.len() > 100 {
        f.push(FieldError::new("answers", "1 to 100 answers"));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, a) in req.answers.iter().enumerate() {
        let Some(q) = survey.questions.iter().find(|q| q.id == a.question_id) else {
            f.push(FieldError::new(
                format!("answers[{i}].question_id"),
                "not a question of this survey",
            ));
            continue;
        };
        if !seen.insert(a.question_id) {
            f.push(FieldError::new(
                format!("answers[{i}].question_id"),
                "answered twice",
            ));
        }
        match (q.answer_type.as_str(), a.rating, &a.text) {
            ("LIKERT_5", Some(r), None) if (1..=5).contains(&r) => {}
            ("ENPS_10", Some(r), None) if (0..=10).contains(&r) => {}
            ("LIKERT_5", ..) => f.push(FieldError::new(
                format!("answers[{i}].rating"),
                "a rating from 1 to 5 (and no text)",
            )),
            ("ENPS_10", ..) => f.push(FieldError::new(
                format!("answers[{i}].rating"),
                "a rating from 0 to 10 (and no text)",
            )),
            (_, None, Some(t)) => check_text(&mut f, &format!("answers[{i}].text"), t, 2000),
            _ => f.push(FieldError::new(
                format!("answers[{i}].text"),
                "a text answer (and no rating)",
            )),
        }
    }
    done(f)?;
    if survey.status != "OPEN" {
        return Err(ApiError::conflict(
            "survey_not_open",
            format!(
                "the survey is {}; answers are taken while it is OPEN",
                survey.status
            ),
        ));
    }
    if survey.survey_type == "PULSE" {
        return Err(ApiError::conflict(
            "pulse_survey",
            "a pulse survey is answered with POST /pulse",
        ));
    }
    let inserted = sqlx::query(
        "INSERT INTO survey_participations (tenant_id, survey_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, survey_id, user_id) DO NOTHING",
    )
    .bind(auth.tenant.as_uuid())
    .bind(id)
    .bind(auth.user.as_uuid())
    .execute(db.conn())
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(ApiError::conflict(
            "already_answered",
            "you answered this survey already",
        ));
    }
    let anonymous = survey.is_anonymous;
    for a in &req.answers {
        sqlx::query(
            "INSERT INTO survey_responses (tenant_id, survey_id, question_id, respondent_id, department_id, rating, answer_text,
                                           submitted_at, created_at, updated_at)
             SELECT $1, $2, $3, CASE WHEN $4 THEN NULL ELSE u.id END, u.department_id, $5, $6,
                    t, t, t
               FROM users u, LATERAL (SELECT CASE WHEN $4 THEN date_trunc('day', now()) ELSE now() END AS t) x
              WHERE u.id = $7",
        )
        .bind(auth.tenant.as_uuid())
        .bind(id)
        .bind(a.question_id)
        .bind(anonymous)
        .bind(a.rating)
        .bind(a.text.as_deref().map(str::trim))
        .bind(auth.user.as_uuid())
        .execute(db.conn())
        .await?;
    }
    db.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(AnswerSurveyResponse {
            survey_id: id,
            answers: req.answers.len(),
            anonymous,
        }),
    )
        .into_response())
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
