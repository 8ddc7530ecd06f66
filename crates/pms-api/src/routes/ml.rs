//! ML predictions about people (attrition risk, promotion readiness, productivity, ...), each
//! with the model and version that made it. The latest prediction of a type for a person is
//! cached 24 h under `ml:prediction:{userId}:{type}`, the same for every viewer: who may see
//! the person's predictions (the person, their chain, HR: the table's visibility rule) is
//! asked of the database on every request first. A new prediction replaces the entry.

use super::promotions::{can_see_person, check_text, done};
use crate::auth::Auth;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pms_cache::Key;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_models))
        .routes(routes!(record_prediction))
        .routes(routes!(person_predictions))
        .routes(routes!(person_prediction))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ModelResponse {
    pub id: Uuid,
    pub name: String,
    pub version: String,
    pub model_type: String,
    /// TRAINING, ACTIVE, SHADOW or RETIRED.
    pub status: String,
    #[schema(value_type = Object)]
    pub metrics: serde_json::Value,
    #[serde(with = "time::serde::rfc3339::option")]
    pub trained_at: Option<OffsetDateTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelList {
    pub items: Vec<ModelResponse>,
}

/// The tenant's registered models and versions.
#[utoipa::path(get, path = "/ml/models", tag = "ml", responses((status = 200, body = ModelList)))]
async fn list_models(mut db: Db) -> Result<Json<ModelList>, ApiError> {
    let items = sqlx::query_as(
        "SELECT id, name, version, model_type, status, metrics, trained_at FROM ml_models
          ORDER BY name, version DESC, id LIMIT 500",
    )
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(ModelList { items }))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct PredictionResponse {
    pub id: Uuid,
    pub user_id: Uuid,
    pub prediction_type: String,
    pub score: f64,
    pub confidence: Option<f64>,
    pub label: Option<String>,
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
    pub model_id: Uuid,
    pub model_name: String,
    pub model_version: String,
    #[serde(with = "time::serde::rfc3339")]
    pub predicted_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_until: Option<OffsetDateTime>,
}

const PREDICTION_SELECT: &str = "SELECT p.id, p.user_id, p.prediction_type, p.score::float8 AS score, p.confidence::float8 AS confidence,
    p.label, p.explanation, p.model_id, m.name AS model_name, m.version AS model_version, p.predicted_at, p.valid_until
    FROM ml_model_predictions p JOIN ml_models m ON m.tenant_id = p.tenant_id AND m.id = p.model_id";

fn valid_type(t: &str) -> bool {
    (2..=64).contains(&t.len())
        && t.starts_with(|c: char| c.is_ascii_uppercase())
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn prediction_key(auth: &Auth, user: Uuid, kind: &str) -> Result<Key, ApiError> {
    Ok(Key::ml_prediction(
        auth.tenant,
        pms_core::UserId::from(user),
        kind,
    )?)
}

async fn latest(
    conn: &mut PgConnection,
    user: Uuid,
    kind: &str,
) -> Result<Option<PredictionResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PREDICTION_SELECT} WHERE p.user_id = $1 AND p.prediction_type = $2
          ORDER BY p.predicted_at DESC, p.id DESC LIMIT 1"
    )))
    .bind(user)
    .bind(kind)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PredictionList {
    /// The latest prediction of each type.
    pub items: Vec<PredictionResponse>,
}

/// The latest prediction of each type about a person (the person, their chain, HR).
#[utoipa::path(get, path = "/people/{id}/predictions", tag = "ml", params(("id" = Uuid, Path)),
    responses((status = 200, body = PredictionList), (status = 404, body = ErrorBody)))]
async fn person_predictions(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PredictionList>, ApiError> {
    if !can_see_person(db.conn(), id, "REVIEWS").await? {
        return Err(ApiError::NotFound);
    }
    let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM ({PREDICTION_SELECT} WHERE p.user_id = $1) x
          WHERE x.id IN (SELECT DISTINCT ON (q.prediction_type) q.id FROM ml_model_predictions q WHERE q.user_id = $1
                          ORDER BY q.prediction_type, q.predicted_at DESC, q.id DESC)
          ORDER BY x.prediction_type"
    )))
    .bind(id)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(PredictionList { items }))
}

/// The latest prediction of one type about a person (cached 24 h).
#[utoipa::path(get, path = "/people/{id}/predictions/{prediction_type}", tag = "ml",
    params(("id" = Uuid, Path), ("prediction_type" = String, Path, description = "e.g. ATTRITION_RISK")),
    responses((status = 200, body = PredictionResponse), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn person_prediction(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath((id, kind)): ApiPath<(Uuid, String)>,
) -> Result<Json<PredictionResponse>, ApiError> {
    if !valid_type(&kind) {
        return Err(ApiError::bad_request(
            "invalid_path",
            "prediction_type is upper case letters, digits and _ (e.g. ATTRITION_RISK)",
        ));
    }
    if !can_see_person(db.conn(), id, "REVIEWS").await? {
        return Err(ApiError::NotFound);
    }
    let key = prediction_key(db.auth(), id, &kind)?;
    let p = match state.cache().get::<Option<PredictionResponse>>(&key).await {
        Some(p) => p,
        None => {
            let p = latest(db.conn(), id, &kind).await?;
            state.cache().put(&key, &p).await.ok();
            p
        }
    };
    db.commit().await?;
    p.map(Json).ok_or(ApiError::NotFound)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPredictionRequest {
    pub user_id: Uuid,
    /// A registered model (not RETIRED).
    pub model_id: Uuid,
    /// Upper case, e.g. ATTRITION_RISK, PROMOTION_READINESS, PRODUCTIVITY.
    pub prediction_type: String,
    /// -99 to 99 (probabilities and risks are 0 to 1).
    pub score: f64,
    /// 0 to 1.
    pub confidence: Option<f64>,
    pub label: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub explanation: Option<serde_json::Value>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub predicted_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub valid_until: Option<OffsetDateTime>,
}

/// Records a prediction (HR: the role integrations and model jobs sign in with). Replaces the
/// cached latest prediction of that type for the person.
#[utoipa::path(post, path = "/ml/predictions", tag = "ml", request_body = RecordPredictionRequest,
    responses((status = 201, body = PredictionResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn record_prediction(
    State(state): State<AppState>,
    mut db: Db,
    ApiJson(req): ApiJson<RecordPredictionRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if !valid_type(&req.prediction_type) {
        f.push(FieldError::new(
            "prediction_type",
            "upper case letters, digits and _ (2 to 64)",
        ));
    }
    if !req.score.is_finite() || !(-99.0..=99.0).contains(&req.score) {
        f.push(FieldError::new("score", "from -99 to 99"));
    }
    if let Some(c) = req.confidence
        && (!c.is_finite() || !(0.0..=1.0).contains(&c))
    {
        f.push(FieldError::new("confidence", "from 0 to 1"));
    }
    if let Some(l) = &req.label {
        check_text(&mut f, "label", l, 100);
    }
    if let Some(e) = &req.explanation
        && (!e.is_object() || e.to_string().len() > 20_000)
    {
        f.push(FieldError::new(
            "explanation",
            "a JSON object, at most 20000 bytes",
        ));
    }
    for (name, t) in [
        ("predicted_at", req.predicted_at),
        ("valid_until", req.valid_until),
    ] {
        if let Some(t) = t
            && !(1970..=2200).contains(&t.year())
        {
            f.push(FieldError::new(name, "a time between 1970 and 2200"));
        }
    }
    if let (Some(a), Some(b)) = (req.predicted_at, req.valid_until)
        && b < a
    {
        f.push(FieldError::new(
            "valid_until",
            "must not be before predicted_at",
        ));
    }
    done(f)?;
    let auth = db.auth().clone();
    if !can_see_person(db.conn(), req.user_id, "REVIEWS").await? {
        return Err(ApiError::NotFound);
    }
    auth.require_hr()?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM ml_models WHERE id = $1")
        .bind(req.model_id)
        .fetch_optional(db.conn())
        .await?;
    match status.as_deref() {
        None => return Err(ApiError::field("model_id", "no such model")),
        Some("RETIRED") => {
            return Err(ApiError::field(
                "model_id",
                "the model is retired and makes no predictions",
            ));
        }
        Some(_) => {}
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO ml_model_predictions (tenant_id, model_id, user_id, prediction_type, score, confidence, label, explanation,
                                           predicted_at, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8, '{}'::jsonb), coalesce($9, now()), $10) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.model_id)
    .bind(req.user_id)
    .bind(&req.prediction_type)
    .bind(req.score)
    .bind(req.confidence)
    .bind(req.label.as_deref())
    .bind(req.explanation.as_ref())
    .bind(req.predicted_at)
    .bind(req.valid_until)
    .fetch_one(db.conn())
    .await?;
    let newest = latest(db.conn(), req.user_id, &req.prediction_type).await?;
    let created: PredictionResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{PREDICTION_SELECT} WHERE p.id = $1"
    )))
    .bind(id)
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    let key = prediction_key(&auth, req.user_id, &req.prediction_type)?;
    state.cache().invalidate_key(&key).await;
    state.cache().put(&key, &newest).await.ok();
    Ok((StatusCode::CREATED, Json(created)).into_response())
}
