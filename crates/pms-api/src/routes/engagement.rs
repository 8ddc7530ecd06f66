//! Engagement: surveys and their questions (HR writes them; everyone in the tenant reads
//! them), answers (once per person: `survey_participations` records that they answered, never
//! what; an anonymous survey's answers keep no respondent and only the day), results
//! aggregated by the database with every group below the survey's minimum respondents
//! withheld, pulse responses, and engagement scores over time (`results`).

mod results;

use super::promotions::{after_time, check_one_of, check_text, done};
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
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_surveys, create_survey))
        .routes(routes!(get_survey))
        .routes(routes!(transition_survey))
        .routes(routes!(answer_survey))
        .merge(results::router())
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

pub(super) async fn fetch_survey(
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
