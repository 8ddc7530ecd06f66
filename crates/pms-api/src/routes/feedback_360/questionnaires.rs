//! 360 questionnaires: DRAFT → PUBLISHED → RETIRED, their questions fixed once published (a
//! trigger's rule). Every member of the tenant reads them; HR (ADMIN, HR_ADMIN) writes them.

use super::cycles::Feedback360StatusRequest;
use super::refused;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::routes::checks::{Checks, query_one_of};
use crate::routes::idempotency::{IdempotencyKey, claim, remember};
use crate::routes::versions::{IfMatch, etag_header, version_matches};
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

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_questionnaires, create_questionnaire))
        .routes(routes!(get_questionnaire))
        .routes(routes!(transition_questionnaire))
}

const QUESTIONNAIRE_STATUSES: [&str; 3] = ["DRAFT", "PUBLISHED", "RETIRED"];
const ANSWER_TYPES: [&str; 3] = ["RATING", "TEXT", "CHOICE"];

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360QuestionResponse {
    pub id: Uuid,
    pub position: i16,
    pub prompt: String,
    /// RATING (1 to 5), TEXT or CHOICE (words).
    pub answer_type: String,
    pub is_required: bool,
    /// The competency a RATING question rates (its aggregation and gap analysis).
    pub competency_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Feedback360QuestionnaireResponse {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// DRAFT, PUBLISHED or RETIRED.
    pub status: String,
    #[sqlx(skip)]
    pub questions: Vec<Feedback360QuestionResponse>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const QUESTIONNAIRE_COLUMNS: &str =
    "q.id, q.name, q.description, q.status, q.created_at, q.updated_at";

/// The questions of a questionnaire, in order.
pub(super) async fn questions(
    conn: &mut PgConnection,
    questionnaire: Uuid,
) -> Result<Vec<Feedback360QuestionResponse>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, position, prompt, answer_type, is_required, competency_id FROM feedback_360_questions
          WHERE questionnaire_id = $1 ORDER BY position, id",
    )
    .bind(questionnaire)
    .fetch_all(conn)
    .await
}

async fn fetch_questionnaire(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Feedback360QuestionnaireResponse>, sqlx::Error> {
    let q: Option<Feedback360QuestionnaireResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {QUESTIONNAIRE_COLUMNS} FROM feedback_360_questionnaires q WHERE q.id = $1 AND q.deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut q) = q else { return Ok(None) };
    q.questions = questions(conn, id).await?;
    Ok(Some(q))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Feedback360QuestionnaireFilter {
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The tenant's 360 questionnaires, newest first (without their questions).
#[utoipa::path(get, path = "/feedback-360/questionnaires", tag = "feedback-360", params(Feedback360QuestionnaireFilter),
    responses((status = 200, body = Page<Feedback360QuestionnaireResponse>), (status = 400, body = ErrorBody)))]
async fn list_questionnaires(
    mut db: Db,
    ApiQuery(f): ApiQuery<Feedback360QuestionnaireFilter>,
) -> Result<Json<Page<Feedback360QuestionnaireResponse>>, ApiError> {
    query_one_of("status", f.status.as_deref(), &QUESTIONNAIRE_STATUSES)?;
    let p = PageParams {
        cursor: f.cursor,
        limit: f.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    let rows: Vec<Feedback360QuestionnaireResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {QUESTIONNAIRE_COLUMNS} FROM feedback_360_questionnaires q
          WHERE q.deleted_at IS NULL AND ($1::text IS NULL OR q.status = $1)
            AND ($2::timestamptz IS NULL OR (q.created_at, q.id) < ($2, $3))
          ORDER BY q.created_at DESC, q.id DESC LIMIT $4"
    )))
    .bind(f.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(
        rows,
        limit,
        |q: &Feedback360QuestionnaireResponse| (time_key(q.created_at), q.id),
    )))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeedback360Question {
    pub prompt: String,
    /// RATING (default), TEXT or CHOICE.
    pub answer_type: Option<String>,
    /// Default true: a submitted request answers it.
    pub is_required: Option<bool>,
    pub competency_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFeedback360QuestionnaireRequest {
    pub name: String,
    pub description: Option<String>,
    /// 1 to 50 questions, in this order.
    pub questions: Vec<NewFeedback360Question>,
}

/// Creates a DRAFT questionnaire with its questions (HR). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/feedback-360/questionnaires", tag = "feedback-360",
    request_body = CreateFeedback360QuestionnaireRequest, params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Feedback360QuestionnaireResponse), (status = 403, body = ErrorBody),
              (status = 409, description = "a live questionnaire of that name exists", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_questionnaire(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateFeedback360QuestionnaireRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("name", &req.name, 200);
    c.opt_text("description", req.description.as_deref(), 2000);
    if req.questions.is_empty() || req.questions.len() > 50 {
        c.push("questions", "1 to 50 questions");
    }
    for (i, q) in req.questions.iter().enumerate() {
        c.text(&format!("questions[{i}].prompt"), &q.prompt, 1000);
        c.one_of(
            &format!("questions[{i}].answer_type"),
            q.answer_type.as_deref(),
            &ANSWER_TYPES,
        );
    }
    c.done()?;
    db.auth().require_hr()?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let tenant = db.auth().tenant.as_uuid();
    let me = db.auth().user.as_uuid();
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO feedback_360_questionnaires (tenant_id, name, description, created_by) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(tenant)
    .bind(req.name.trim())
    .bind(req.description.as_deref())
    .bind(me)
    .fetch_one(db.conn())
    .await
    .map_err(refused)?;
    for (i, q) in req.questions.iter().enumerate() {
        if let Some(comp) = q.competency_id {
            let known: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM competencies WHERE id = $1)")
                    .bind(comp)
                    .fetch_one(db.conn())
                    .await?;
            if !known {
                return Err(ApiError::field(
                    &format!("questions[{i}].competency_id"),
                    "no such competency",
                ));
            }
        }
        sqlx::query(
            "INSERT INTO feedback_360_questions (tenant_id, questionnaire_id, competency_id, position, prompt, answer_type, is_required)
             VALUES ($1, $2, $3, $4, $5, coalesce($6, 'RATING'), coalesce($7, true))",
        )
        .bind(tenant)
        .bind(id)
        .bind(q.competency_id)
        .bind(i as i16 + 1)
        .bind(q.prompt.trim())
        .bind(q.answer_type.as_deref())
        .bind(q.is_required)
        .execute(db.conn())
        .await
        .map_err(refused)?;
    }
    let q = fetch_questionnaire(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new questionnaire is not visible"))?;
    remember(&mut db, &key, StatusCode::CREATED, &q).await?;
    db.commit().await?;
    Ok((StatusCode::CREATED, [etag_header(q.updated_at)], Json(q)).into_response())
}

/// One questionnaire with its questions.
#[utoipa::path(get, path = "/feedback-360/questionnaires/{id}", tag = "feedback-360", params(("id" = Uuid, Path)),
    responses((status = 200, body = Feedback360QuestionnaireResponse), (status = 404, body = ErrorBody)))]
async fn get_questionnaire(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let q = fetch_questionnaire(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(q.updated_at)], Json(q)).into_response())
}

/// Publishes (DRAFT → PUBLISHED) or retires (PUBLISHED → RETIRED) a questionnaire (HR).
/// Honors `If-Match`.
#[utoipa::path(post, path = "/feedback-360/questionnaires/{id}/transition", tag = "feedback-360",
    request_body = Feedback360StatusRequest, params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Feedback360QuestionnaireResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition, record_closed", body = ErrorBody),
              (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_questionnaire(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<Feedback360StatusRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.one_of("status", Some(&req.status), &QUESTIONNAIRE_STATUSES);
    c.done()?;
    let current = fetch_questionnaire(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.auth().require_hr()?;
    if current.status == req.status {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the questionnaire is {} already", current.status),
        ));
    }
    let done: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE feedback_360_questionnaires SET status = $2 WHERE id = $1 AND {} RETURNING id",
        version_matches(3)
    )))
    .bind(id)
    .bind(&req.status)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(refused)?;
    done.ok_or(ApiError::PreconditionFailed)?;
    let q = fetch_questionnaire(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(q.updated_at)], Json(q)).into_response())
}
