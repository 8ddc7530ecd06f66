//! Organisational health of the tenant and of each department, computed by the database
//! (`pms_org_health`: engagement 0.20, performance 0.20, culture 0.15, leadership 0.15,
//! collaboration 0.10, innovation 0.10, wellbeing 0.10; EXCELLENT ≥ 85, GOOD ≥ 70, FAIR ≥ 55,
//! POOR ≥ 40, else CRITICAL) from the latest value of each component in
//! `organizational_health_metrics` / `department_health_metrics`.
//!
//! Cached in the org-health category (1 h): `org:health:{tenant}` and
//! `org:health:{tenant}:department:{id}`, the same for every viewer (who may see it is asked
//! of the database first, on every request). An entry carries the version of its inputs
//! (`pms_org_health_version`: count and latest change of the input rows); a read whose version
//! differs recomputes, so an input changed by any application, even straight in SQL, shows at
//! once. Inputs written here also drop the entry.

use super::promotions::{done, parse_day};
use crate::auth::Auth;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use pms_cache::{Category, Key};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tenant_health))
        .routes(routes!(department_healths))
        .routes(routes!(department_health))
        .routes(routes!(put_tenant_inputs))
        .routes(routes!(put_department_inputs))
}

pub(crate) const COMPONENTS: [&str; 7] = [
    "engagement",
    "performance",
    "culture",
    "leadership",
    "collaboration",
    "innovation",
    "wellbeing",
];

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HealthInput {
    pub component: String,
    pub weight: f64,
    /// 0 to 100; absent when there is no value (left out, the other weights scaled up).
    pub value: Option<f64>,
    /// The period of the value (`YYYY-MM-DD`).
    pub period_start: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HealthResponse {
    /// Absent for the tenant's health.
    pub department_id: Option<Uuid>,
    /// 0 to 100; absent when no component has a value.
    pub overall: Option<f64>,
    /// EXCELLENT, GOOD, FAIR, POOR or CRITICAL; absent without data.
    pub level: Option<String>,
    /// The latest period among the inputs (`YYYY-MM-DD`).
    pub period_start: Option<String>,
    pub inputs: Vec<HealthInput>,
}

/// overall, level, inputs, period_start, version (a row of `pms_org_health`).
type HealthRow = (
    Option<f64>,
    Option<String>,
    serde_json::Value,
    Option<Date>,
    String,
);

/// A cached health and the version of the inputs it was computed from.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    version: String,
    health: HealthResponse,
}

pub(crate) fn health_key(auth: &Auth, department: Option<Uuid>) -> Key {
    match department {
        None => Key::org_health(auth.tenant),
        Some(d) => Key::new(
            auth.tenant,
            Category::OrgHealth,
            &[&auth.tenant.to_string(), "department", &d.to_string()],
        )
        .unwrap_or_else(|_| Key::org_health(auth.tenant)),
    }
}

/// The health the caller may see, from the cache when its inputs have not changed; `None`
/// when they may not see it.
async fn load(
    state: &AppState,
    db: &mut Db,
    department: Option<Uuid>,
) -> Result<Option<HealthResponse>, ApiError> {
    let version: Option<String> = sqlx::query_scalar("SELECT pms_org_health_version($1)")
        .bind(department)
        .fetch_one(db.conn())
        .await?;
    let Some(version) = version else {
        return Ok(None);
    };
    let key = health_key(db.auth(), department);
    if let Some(c) = state.cache().get::<Cached>(&key).await
        && c.version == version
    {
        return Ok(Some(c.health));
    }
    let row: Option<HealthRow> = sqlx::query_as(
        "SELECT overall::float8, level, inputs, period_start, version FROM pms_org_health($1)",
    )
    .bind(department)
    .fetch_optional(db.conn())
    .await?;
    let Some((overall, level, inputs, period_start, version)) = row else {
        return Ok(None);
    };
    let health = HealthResponse {
        department_id: department,
        overall,
        level,
        period_start: period_start.map(|d| d.to_string()),
        inputs: serde_json::from_value(inputs).map_err(ApiError::internal)?,
    };
    state
        .cache()
        .put(
            &key,
            &Cached {
                version,
                health: health.clone(),
            },
        )
        .await
        .ok();
    Ok(Some(health))
}

/// The tenant's health (HR, and the top of the organisation).
#[utoipa::path(get, path = "/org-health", tag = "org-health",
    responses((status = 200, body = HealthResponse), (status = 404, body = ErrorBody)))]
async fn tenant_health(
    State(state): State<AppState>,
    mut db: Db,
) -> Result<Json<HealthResponse>, ApiError> {
    let h = load(&state, &mut db, None)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(h))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentHealthList {
    pub items: Vec<HealthResponse>,
}

/// The health of every department I may see (HR: all; a head: theirs and those below them).
#[utoipa::path(get, path = "/org-health/departments", tag = "org-health",
    responses((status = 200, body = DepartmentHealthList)))]
async fn department_healths(
    State(state): State<AppState>,
    mut db: Db,
) -> Result<Json<DepartmentHealthList>, ApiError> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM departments WHERE deleted_at IS NULL AND pms_api_b_can_see_health(id)
          ORDER BY name, id LIMIT 500",
    )
    .fetch_all(db.conn())
    .await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(h) = load(&state, &mut db, Some(id)).await? {
            items.push(h);
        }
    }
    db.commit().await?;
    Ok(Json(DepartmentHealthList { items }))
}

/// One department's health (HR, its head, and those above the head).
#[utoipa::path(get, path = "/departments/{id}/health", tag = "org-health", params(("id" = Uuid, Path)),
    responses((status = 200, body = HealthResponse), (status = 404, body = ErrorBody)))]
async fn department_health(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<HealthResponse>, ApiError> {
    let h = load(&state, &mut db, Some(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(h))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthInputsRequest {
    /// The period the values are for (`YYYY-MM-DD`): a value replaces the one of the same
    /// component and period.
    pub period_start: String,
    /// The tenant's inputs only; default: period_start.
    pub period_end: Option<String>,
    /// Component (engagement, performance, culture, leadership, collaboration, innovation,
    /// wellbeing) to its value, 0 to 100.
    pub values: BTreeMap<String, f64>,
}

fn validate_inputs(req: &HealthInputsRequest) -> Result<(Date, Date), ApiError> {
    let start = parse_day("period_start", Some(&req.period_start))
        .map_err(|_| ApiError::field("period_start", "a date YYYY-MM-DD between 1900 and 2200"))?
        .ok_or_else(|| ApiError::field("period_start", "required"))?;
    let end = parse_day("period_end", req.period_end.as_deref())
        .map_err(|_| ApiError::field("period_end", "a date YYYY-MM-DD between 1900 and 2200"))?
        .unwrap_or(start);
    let mut f = Vec::new();
    if end < start {
        f.push(FieldError::new(
            "period_end",
            "must not be before period_start",
        ));
    }
    if req.values.is_empty() {
        f.push(FieldError::new("values", "at least one component"));
    }
    for (k, v) in &req.values {
        if !COMPONENTS.contains(&k.as_str()) {
            f.push(FieldError::new(
                format!("values.{k}"),
                format!("not a component (one of {})", COMPONENTS.join(", ")),
            ));
        } else if !v.is_finite() || !(0.0..=100.0).contains(v) {
            f.push(FieldError::new(format!("values.{k}"), "from 0 to 100"));
        }
    }
    done(f)?;
    Ok((start, end))
}

/// The status a health metric row carries for its value.
const STATUS_SQL: &str =
    "CASE WHEN v >= 70 THEN 'HEALTHY' WHEN v >= 55 THEN 'WATCH' ELSE 'AT_RISK' END";

/// Records the tenant's health inputs for a period (HR); answers the new health.
#[utoipa::path(put, path = "/org-health/inputs", tag = "org-health", request_body = HealthInputsRequest,
    responses((status = 200, body = HealthResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_tenant_inputs(
    State(state): State<AppState>,
    mut db: Db,
    ApiJson(req): ApiJson<HealthInputsRequest>,
) -> Result<Json<HealthResponse>, ApiError> {
    let (start, end) = validate_inputs(&req)?;
    let auth = db.auth().clone();
    auth.require_hr()?;
    let (names, values): (Vec<String>, Vec<f64>) = req.values.into_iter().unzip();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO organizational_health_metrics (tenant_id, metric, period_start, period_end, value, status)
         SELECT $1, m, $2, $3, v, {STATUS_SQL} FROM unnest($4::text[], $5::float8[]) AS x(m, v)
         ON CONFLICT (tenant_id, metric, period_start)
         DO UPDATE SET value = EXCLUDED.value, period_end = EXCLUDED.period_end, status = EXCLUDED.status"
    )))
    .bind(auth.tenant.as_uuid())
    .bind(start)
    .bind(end)
    .bind(&names)
    .bind(&values)
    .execute(db.conn())
    .await?;
    db.commit().await?;
    state.cache().invalidate_key(&health_key(&auth, None)).await;
    let mut db = Db::begin(&state, auth, None).await?;
    let h = load(&state, &mut db, None)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(h))
}

/// Records a department's health inputs for a period (HR); answers the new health.
#[utoipa::path(put, path = "/departments/{id}/health/inputs", tag = "org-health", request_body = HealthInputsRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = HealthResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn put_department_inputs(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<HealthInputsRequest>,
) -> Result<Json<HealthResponse>, ApiError> {
    let (start, _) = validate_inputs(&req)?;
    let auth = db.auth().clone();
    let visible: bool = sqlx::query_scalar("SELECT pms_api_b_can_see_health($1)")
        .bind(id)
        .fetch_one(db.conn())
        .await?;
    if !visible {
        return Err(ApiError::NotFound);
    }
    auth.require_hr()?;
    let (names, values): (Vec<String>, Vec<f64>) = req.values.into_iter().unzip();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO department_health_metrics (tenant_id, department_id, metric, period_start, value, status)
         SELECT $1, $2, m, $3, v, {STATUS_SQL} FROM unnest($4::text[], $5::float8[]) AS x(m, v)
         ON CONFLICT (tenant_id, department_id, metric, period_start)
         DO UPDATE SET value = EXCLUDED.value, status = EXCLUDED.status"
    )))
    .bind(auth.tenant.as_uuid())
    .bind(id)
    .bind(start)
    .bind(&names)
    .bind(&values)
    .execute(db.conn())
    .await?;
    db.commit().await?;
    state
        .cache()
        .invalidate_key(&health_key(&auth, Some(id)))
        .await;
    let mut db = Db::begin(&state, auth, None).await?;
    let h = load(&state, &mut db, Some(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(Json(h))
}
