//! The requests sent to approved raters and their answers. A rater sees and answers their own
//! requests only (HR sees every request; nobody else any): the policies of
//! `079_api_d_00_visibility.sql`. A request moves SENT → OPENED (answers saved) → SUBMITTED, or
//! DECLINED; EXPIRED when the cycle closes. Answers are checked against the questionnaire (a
//! RATING question takes 1 to 5, the others words; a submitted request answers every required
//! question) here with field errors, and again by the database.

use super::questionnaires::{Feedback360QuestionResponse, questions};
use super::refused;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::routes::checks::query_one_of;
use crate::routes::versions::etag_header;
use crate::state::AppState;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use std::collections::HashSet;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_requests))
        .routes(routes!(get_request))
        .routes(routes!(save_answers))
        .routes(routes!(submit_request))
        .routes(routes!(decline_request))
}

const REQUEST_STATUSES: [&str; 5] = ["SENT", "OPENED", "SUBMITTED", "DECLINED", "EXPIRED"];

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360AnswerResponse {
    pub question_id: Uuid,
    pub rating: Option<i16>,
    pub answer_text: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360RequestResponse {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub cycle_name: String,
    /// The person I am asked about.
    pub subject_id: Uuid,
    pub subject_first_name: String,
    pub subject_last_name: String,
    pub rater_id: Uuid,
    /// The rater group I answer in (MANAGER, PEER, DIRECT_REPORT, SELF, EXTERNAL, OTHER).
    pub relationship: String,
    /// SENT, OPENED, SUBMITTED, DECLINED or EXPIRED.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    #[sqlx(skip)]
    /// The questionnaire's questions (one request only; empty in lists).
    pub questions: Vec<Feedback360QuestionResponse>,
    #[sqlx(skip)]
    /// My answers so far (one request only; empty in lists).
    pub answers: Vec<Feedback360AnswerResponse>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(skip)]
    pub questionnaire_id: Uuid,
}

const REQUEST_SELECT: &str = "SELECT q.id, q.cycle_id, c.name AS cycle_name, q.subject_id, u.first_name AS subject_first_name,
        u.last_name AS subject_last_name, q.rater_id, coalesce(n.relationship, 'OTHER') AS relationship, q.status, q.sent_at,
        q.due_at, q.submitted_at, q.created_at, q.updated_at, c.questionnaire_id
   FROM feedback_360_requests q
   JOIN feedback_360_cycles c ON c.tenant_id = q.tenant_id AND c.id = q.cycle_id
   JOIN users u ON u.tenant_id = q.tenant_id AND u.id = q.subject_id
   LEFT JOIN feedback_360_nominations n ON n.tenant_id = q.tenant_id AND n.id = q.nomination_id";

/// A request the caller may see, with its questions and answers.
async fn fetch_request(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Feedback360RequestResponse>, sqlx::Error> {
    let r: Option<Feedback360RequestResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REQUEST_SELECT} WHERE q.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut r) = r else { return Ok(None) };
    r.questions = questions(&mut *conn, r.questionnaire_id).await?;
    r.answers = sqlx::query_as(
        "SELECT a.question_id, a.rating, a.answer_text FROM feedback_360_responses a
           JOIN feedback_360_questions qu ON qu.tenant_id = a.tenant_id AND qu.id = a.question_id
          WHERE a.request_id = $1 ORDER BY qu.position, qu.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(Some(r))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Feedback360RequestFilter {
    pub cycle_id: Option<Uuid>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// My 360 requests (HR: every request), newest first.
#[utoipa::path(get, path = "/feedback-360/requests", tag = "feedback-360", params(Feedback360RequestFilter),
    responses((status = 200, body = Page<Feedback360RequestResponse>), (status = 400, body = ErrorBody)))]
async fn list_requests(
    mut db: Db,
    ApiQuery(f): ApiQuery<Feedback360RequestFilter>,
) -> Result<Json<Page<Feedback360RequestResponse>>, ApiError> {
    query_one_of("status", f.status.as_deref(), &REQUEST_STATUSES)?;
    let p = PageParams {
        cursor: f.cursor,
        limit: f.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    let rows: Vec<Feedback360RequestResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REQUEST_SELECT}
          WHERE ($1::uuid IS NULL OR q.cycle_id = $1) AND ($2::text IS NULL OR q.status = $2)
            AND ($3::timestamptz IS NULL OR (q.created_at, q.id) < ($3, $4))
          ORDER BY q.created_at DESC, q.id DESC LIMIT $5"
    )))
    .bind(f.cycle_id)
    .bind(f.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &Feedback360RequestResponse| {
        (time_key(r.created_at), r.id)
    })))
}

/// One of my requests, with the questionnaire and my answers so far.
#[utoipa::path(get, path = "/feedback-360/requests/{id}", tag = "feedback-360", params(("id" = Uuid, Path)),
    responses((status = 200, body = Feedback360RequestResponse), (status = 404, body = ErrorBody)))]
async fn get_request(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let r = fetch_request(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(r.updated_at)], Json(r)).into_response())
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback360Answer {
    pub question_id: Uuid,
    /// 1 to 5, for a RATING question.
    pub rating: Option<i16>,
    /// Words, for a TEXT or CHOICE question (a comment on a RATING question).
    pub answer_text: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback360AnswersRequest {
    #[serde(default)]
    pub answers: Vec<Feedback360Answer>,
}

/// My request, to answer (else 404; HR, who sees it, may not answer it: 403).
async fn my_request(db: &mut Db, id: Uuid) -> Result<Feedback360RequestResponse, ApiError> {
    let r = fetch_request(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if r.rater_id != db.auth().user.as_uuid() {
        return Err(ApiError::Forbidden(
            "a 360 request is answered by its rater only".into(),
        ));
    }
    Ok(r)
}

/// The field errors of answers against the questionnaire; `complete`: every required
/// question answered, counting the answers already saved.
fn check_answers(
    r: &Feedback360RequestResponse,
    answers: &[Feedback360Answer],
    complete: bool,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, a) in answers.iter().enumerate() {
        let path = |f: &str| format!("answers[{i}].{f}");
        let Some(q) = r.questions.iter().find(|q| q.id == a.question_id) else {
            errors.push(FieldError::new(
                path("question_id"),
                "not a question of this cycle's questionnaire",
            ));
            continue;
        };
        if !seen.insert(a.question_id) {
            errors.push(FieldError::new(path("question_id"), "answered twice"));
        }
        let text = a.answer_text.as_deref().map(str::trim).unwrap_or("");
        if a.answer_text
            .as_deref()
            .is_some_and(|t| t.chars().count() > 5000 || t.contains('\0'))
        {
            errors.push(FieldError::new(
                path("answer_text"),
                "at most 5000 characters",
            ));
        }
        if q.answer_type == "RATING" {
            match a.rating {
                None => errors.push(FieldError::new(path("rating"), "a rating from 1 to 5")),
                Some(n) if !(1..=5).contains(&n) => {
                    errors.push(FieldError::new(path("rating"), "from 1 to 5"));
                }
                Some(_) => {}
            }
        } else {
            if a.rating.is_some() {
                errors.push(FieldError::new(
                    path("rating"),
                    "this question takes words, not a rating",
                ));
            }
            if text.is_empty() {
                errors.push(FieldError::new(path("answer_text"), "words, not blank"));
            }
        }
    }
    if complete {
        for q in r.questions.iter().filter(|q| q.is_required) {
            let answered = seen.contains(&q.id) || r.answers.iter().any(|a| a.question_id == q.id);
            if !answered {
                errors.push(FieldError::new(
                    format!("answers[question_id={}]", q.id),
                    format!("required question {} is not answered", q.position),
                ));
            }
        }
    }
    errors
}

/// Saves answers (insert or replace, one per question) of my request.
async fn save(db: &mut Db, id: Uuid, answers: &[Feedback360Answer]) -> Result<(), ApiError> {
    let tenant = db.auth().tenant.as_uuid();
    for a in answers {
        sqlx::query(
            "INSERT INTO feedback_360_responses (tenant_id, request_id, question_id, rating, answer_text)
             VALUES ($1, $2, $3, $4, nullif(btrim($5), ''))
             ON CONFLICT (tenant_id, request_id, question_id)
             DO UPDATE SET rating = EXCLUDED.rating, answer_text = EXCLUDED.answer_text",
        )
        .bind(tenant)
        .bind(id)
        .bind(a.question_id)
        .bind(a.rating)
        .bind(a.answer_text.as_deref())
        .execute(db.conn())
        .await
        .map_err(refused)?;
    }
    Ok(())
}

/// The request's status after a write: 409 for a request that is final already.
fn open_or_refuse(r: &Feedback360RequestResponse) -> Result<(), ApiError> {
    if matches!(r.status.as_str(), "SUBMITTED" | "DECLINED" | "EXPIRED") {
        return Err(ApiError::conflict(
            "record_closed",
            format!("the request is {} and cannot change", r.status),
        ));
    }
    Ok(())
}

/// Saves answers to my request without submitting it (SENT → OPENED).
#[utoipa::path(put, path = "/feedback-360/requests/{id}/answers", tag = "feedback-360",
    request_body = Feedback360AnswersRequest, params(("id" = Uuid, Path)),
    responses((status = 200, body = Feedback360RequestResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "record_closed, cycle_phase", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_answers(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<Feedback360AnswersRequest>,
) -> Result<Response, ApiError> {
    let r = my_request(&mut db, id).await?;
    open_or_refuse(&r)?;
    let errors = check_answers(&r, &req.answers, false);
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    save(&mut db, id, &req.answers).await?;
    sqlx::query(
        "UPDATE feedback_360_requests SET status = 'OPENED' WHERE id = $1 AND status = 'SENT'",
    )
    .bind(id)
    .execute(db.conn())
    .await
    .map_err(refused)?;
    let r = fetch_request(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(r.updated_at)], Json(r)).into_response())
}

/// Submits my request, with any last answers: every required question must be answered
/// (422 naming each one otherwise, and nothing is saved). Final.
#[utoipa::path(post, path = "/feedback-360/requests/{id}/submit", tag = "feedback-360",
    request_body = Feedback360AnswersRequest, params(("id" = Uuid, Path)),
    responses((status = 200, body = Feedback360RequestResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "record_closed, cycle_phase", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_request(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<Feedback360AnswersRequest>,
) -> Result<Response, ApiError> {
    let r = my_request(&mut db, id).await?;
    open_or_refuse(&r)?;
    let errors = check_answers(&r, &req.answers, true);
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    save(&mut db, id, &req.answers).await?;
    sqlx::query("UPDATE feedback_360_requests SET status = 'SUBMITTED' WHERE id = $1")
        .bind(id)
        .execute(db.conn())
        .await
        .map_err(refused)?;
    let r = fetch_request(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(r.updated_at)], Json(r)).into_response())
}

/// Declines my request (SENT or OPENED → DECLINED). Final.
#[utoipa::path(post, path = "/feedback-360/requests/{id}/decline", tag = "feedback-360", params(("id" = Uuid, Path)),
    responses((status = 200, body = Feedback360RequestResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "record_closed, cycle_phase", body = ErrorBody)))]
async fn decline_request(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let r = my_request(&mut db, id).await?;
    open_or_refuse(&r)?;
    sqlx::query("UPDATE feedback_360_requests SET status = 'DECLINED' WHERE id = $1")
        .bind(id)
        .execute(db.conn())
        .await
        .map_err(refused)?;
    let r = fetch_request(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(r.updated_at)], Json(r)).into_response())
}
