//! Goals and key results: lists, CRUD, the alignment tree, and progress updates that also
//! write the `goal_progress_ts` time series. Reads are cached per viewer (15 min), dropped
//! when the goal changes or the organisation does; writes put the new value back.

use super::dashboard::dashboards_changed;
use super::idempotency::{IdempotencyKey, claim, remember};
use super::versions::{IfMatch, etag_header, version_matches};
use crate::auth::Auth;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, parse_time_key, time_key};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pms_cache::{Category, Key, Scope};
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
        .routes(routes!(list_goals, create_goal))
        .routes(routes!(get_goal, update_goal, delete_goal))
        .routes(routes!(record_progress))
        .routes(routes!(goal_tree))
        .routes(routes!(add_key_result))
}

const GOAL_TYPES: [&str; 5] = [
    "INDIVIDUAL",
    "TEAM",
    "DEPARTMENT",
    "COMPANY",
    "OKR_OBJECTIVE",
];
const GOAL_STATUSES: [&str; 6] = [
    "DRAFT",
    "ACTIVE",
    "AT_RISK",
    "ON_HOLD",
    "COMPLETED",
    "CANCELLED",
];
const VISIBILITIES: [&str; 3] = ["PUBLIC", "TEAM", "PRIVATE"];

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct KeyResultResponse {
    pub id: Uuid,
    pub title: String,
    pub metric_type: String,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub start_value: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub target_value: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub current_value: Decimal,
    pub unit: Option<String>,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct GoalResponse {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub goal_type: String,
    pub status: String,
    pub visibility: String,
    pub title: String,
    pub description: Option<String>,
    #[serde(with = "crate::day")]
    pub period_start: Date,
    #[serde(with = "crate::day")]
    pub period_end: Date,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub progress: Decimal,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub weight: Decimal,
    #[sqlx(skip)]
    pub key_results: Vec<KeyResultResponse>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const GOAL_COLUMNS: &str =
    "g.id, g.owner_id, g.parent_id, g.goal_type, g.status, g.visibility, g.title, g.description,
    g.period_start, g.period_end, g.progress, g.weight, g.created_at, g.updated_at";
const VISIBLE: &str = "g.deleted_at IS NULL AND pms_api_can_see_goal(g.owner_id, g.visibility)";

/// A page's filters: `$2` status, rows before `($3, $4)` in (created_at, id) order.
const PAGE_FILTER: &str =
    "($2::text IS NULL OR g.status = $2) AND (g.created_at, g.id) < ($3::timestamptz, $4::uuid)";

/// The goals a caller may see, as the union of streams that each follow an index in time
/// order and stop at the page size (`$5`): everything for HR, PUBLIC goals, my own, my reports'
/// (walked in time order probing the chain when I manage many people, joined through the chain
/// when few), and the TEAM goals of my peers and my manager. Together they hold every goal that
/// `pms_api_can_see_goal` lets me see, so the newest `$5` of their union are the page; the
/// rule itself is applied to the page again. Without this, one list scanned and checked every
/// goal of the tenant (over 30 s at 100,000 people).
/// The goal list of one owner (`$1`), built once.
static OWNER_LIST_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT {GOAL_COLUMNS} FROM goals g WHERE {VISIBLE} AND g.owner_id = $1 AND {PAGE_FILTER}
          ORDER BY g.created_at DESC, g.id DESC LIMIT $5"
    )
});

/// The goal list without an owner: the page of the candidates, built once.
static VISIBLE_LIST_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{}
        SELECT {GOAL_COLUMNS} FROM cand JOIN goals g ON g.tenant_id = pms_current_tenant() AND g.id = cand.id
         WHERE $1::uuid IS NULL AND {VISIBLE} ORDER BY g.created_at DESC, g.id DESC LIMIT $5",
        VISIBLE_CANDIDATES.replace("{F}", PAGE_FILTER)
    )
});

const VISIBLE_CANDIDATES: &str = "WITH team AS MATERIALIZED (
    SELECT count(*) >= 2000 AS many FROM (SELECT 1 FROM reporting_chain c
      WHERE c.tenant_id = pms_current_tenant() AND c.ancestor_id = pms_current_user_id() AND c.depth > 0
      LIMIT 2000) x),
cand AS (
    (SELECT g.id, g.created_at FROM goals g
      WHERE pms_is_tenant_hr() AND g.deleted_at IS NULL AND {F}
      ORDER BY g.created_at DESC, g.id DESC LIMIT $5)
    UNION
    (SELECT g.id, g.created_at FROM goals g
      WHERE g.visibility = 'PUBLIC' AND g.deleted_at IS NULL AND {F}
      ORDER BY g.created_at DESC, g.id DESC LIMIT $5)
    UNION
    (SELECT g.id, g.created_at FROM goals g
      WHERE g.owner_id = pms_current_user_id() AND g.deleted_at IS NULL AND {F}
      ORDER BY g.created_at DESC, g.id DESC LIMIT $5)
    UNION
    (SELECT g.id, g.created_at FROM goals g
      WHERE (SELECT many FROM team)
        AND g.deleted_at IS NULL AND {F} AND pms_api_manages(pms_current_user_id(), g.owner_id)
      ORDER BY g.created_at DESC, g.id DESC LIMIT $5)
    UNION
    (SELECT g.id, g.created_at FROM reporting_chain c
       JOIN goals g ON g.tenant_id = c.tenant_id AND g.owner_id = c.descendant_id
      WHERE NOT (SELECT many FROM team)
        AND c.tenant_id = pms_current_tenant() AND c.ancestor_id = pms_current_user_id()
        AND c.depth > 0 AND g.deleted_at IS NULL AND {F}
      ORDER BY g.created_at DESC, g.id DESC LIMIT $5)
    UNION
    (SELECT g.id, g.created_at FROM users me
       JOIN users o ON o.tenant_id = me.tenant_id AND (o.manager_id = me.manager_id OR o.id = me.manager_id)
       JOIN goals g ON g.tenant_id = o.tenant_id AND g.owner_id = o.id
      WHERE me.tenant_id = pms_current_tenant() AND me.id = pms_current_user_id()
        AND g.visibility = 'TEAM' AND g.deleted_at IS NULL AND {F}
      ORDER BY g.created_at DESC, g.id DESC LIMIT $5))";

async fn fetch_goal(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<GoalResponse>, sqlx::Error> {
    let g: Option<GoalResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GOAL_COLUMNS} FROM goals g WHERE g.id = $1 AND {VISIBLE}"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut g) = g else { return Ok(None) };
    g.key_results = sqlx::query_as(
        "SELECT id, title, metric_type, start_value, target_value, current_value, unit, status
           FROM key_results WHERE goal_id = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(Some(g))
}

/// The viewer's cached copy of a goal: per viewer, because what is visible depends on them.
fn goal_key(auth: &Auth, id: Uuid) -> Key {
    Key::new(
        auth.tenant,
        Category::Goal,
        &[&id.to_string(), &auth.user.to_string()],
    )
    .unwrap_or_else(|_| Key::dashboard(auth.tenant, auth.user))
    .depends_on(Scope::Entity(id))
    .depends_on(Scope::User(auth.user))
    .depends_on(Scope::Org)
}

/// A goal for a viewer, cache-aside.
async fn load_goal(
    state: &AppState,
    db: &mut Db,
    id: Uuid,
) -> Result<Option<GoalResponse>, ApiError> {
    let key = goal_key(db.auth(), id);
    if let Some(g) = state.cache().get::<Option<GoalResponse>>(&key).await {
        return Ok(g);
    }
    let g = fetch_goal(db.conn(), id).await?;
    state.cache().put(&key, &g).await.ok();
    Ok(g)
}

/// After a write: every viewer's copy is dropped, the writer's is replaced (write-through),
/// and the dashboards of the owner and their chain are dropped.
async fn goal_changed(
    state: &AppState,
    auth: &Auth,
    g: Option<&GoalResponse>,
    id: Uuid,
    owner: Uuid,
) -> Result<(), ApiError> {
    state
        .cache()
        .invalidate(auth.tenant, Scope::Entity(id))
        .await;
    if let Some(g) = g {
        state
            .cache()
            .put(&goal_key(auth, id), &Some(g.clone()))
            .await
            .ok();
    }
    dashboards_changed(state, auth, owner).await
}

/// May the caller write goals of `owner`: themself, someone they manage, or HR.
async fn may_write_for(
    conn: &mut PgConnection,
    auth: &Auth,
    owner: Uuid,
) -> Result<bool, ApiError> {
    if owner == auth.user.as_uuid() || auth.is_hr() {
        return Ok(true);
    }
    Ok(sqlx::query_scalar("SELECT pms_api_manages($1, $2)")
        .bind(auth.user.as_uuid())
        .bind(owner)
        .fetch_one(conn)
        .await?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GoalQuery {
    pub owner_id: Option<Uuid>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Goals I may see, newest first.
#[utoipa::path(get, path = "/goals", tag = "goals", params(GoalQuery),
    responses((status = 200, body = Page<GoalResponse>), (status = 400, body = ErrorBody)))]
async fn list_goals(
    mut db: Db,
    ApiQuery(q): ApiQuery<GoalQuery>,
) -> Result<Json<Page<GoalResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    if let Some(s) = &q.status
        && !GOAL_STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("unknown goal status {s:?}"),
            fields: vec![FieldError::new("status", "unknown")],
        });
    }
    // No cursor: start after the end of time (the bound is then always an index condition).
    let (before_at, before_id) =
        after.unwrap_or((time::PrimitiveDateTime::MAX.assume_utc(), Uuid::max()));
    let sql = match q.owner_id {
        Some(_) => OWNER_LIST_SQL.as_str(),
        None => VISIBLE_LIST_SQL.as_str(),
    };
    let rows: Vec<GoalResponse> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(q.owner_id)
        .bind(q.status.as_deref())
        .bind(before_at)
        .bind(before_id)
        .bind(limit + 1)
        .fetch_all(db.conn())
        .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |g: &GoalResponse| {
        (time_key(g.created_at), g.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeyResult {
    pub title: String,
    /// NUMBER, PERCENT, CURRENCY, BOOLEAN or MILESTONE (default NUMBER).
    pub metric_type: Option<String>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub start_value: Option<Decimal>,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub target_value: Decimal,
    pub unit: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGoalRequest {
    /// Default: me. A manager may create goals for their reports; HR for anyone.
    pub owner_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub goal_type: Option<String>,
    pub visibility: Option<String>,
    #[serde(with = "crate::day")]
    pub period_start: Date,
    #[serde(with = "crate::day")]
    pub period_end: Date,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub weight: Option<Decimal>,
    #[serde(default)]
    pub key_results: Vec<NewKeyResult>,
}

fn check_text(fields: &mut Vec<FieldError>, path: &str, v: &str, max: usize) {
    if v.trim().is_empty() || v.chars().count() > max {
        fields.push(FieldError::new(path, format!("1 to {max} characters")));
    }
}

fn check_one_of(fields: &mut Vec<FieldError>, path: &str, v: Option<&str>, allowed: &[&str]) {
    if let Some(v) = v
        && !allowed.contains(&v)
    {
        fields.push(FieldError::new(
            path,
            format!("one of {}", allowed.join(", ")),
        ));
    }
}

fn validate_create(req: &CreateGoalRequest) -> Result<(), ApiError> {
    let mut f = Vec::new();
    check_text(&mut f, "title", &req.title, 300);
    if let Some(d) = &req.description
        && d.chars().count() > 10_000
    {
        f.push(FieldError::new("description", "at most 10000 characters"));
    }
    check_one_of(&mut f, "goal_type", req.goal_type.as_deref(), &GOAL_TYPES);
    check_one_of(
        &mut f,
        "visibility",
        req.visibility.as_deref(),
        &VISIBILITIES,
    );
    if req.period_end < req.period_start {
        f.push(FieldError::new(
            "period_end",
            "must not be before period_start",
        ));
    }
    for (name, d) in [
        ("period_start", req.period_start),
        ("period_end", req.period_end),
    ] {
        if !(1900..=2200).contains(&d.year()) {
            f.push(FieldError::new(name, "a date between 1900 and 2200"));
        }
    }
    if let Some(w) = req.weight
        && (w <= Decimal::ZERO || w >= Decimal::from(1000))
    {
        f.push(FieldError::new(
            "weight",
            "greater than 0 and less than 1000",
        ));
    }
    if req.key_results.len() > 20 {
        f.push(FieldError::new("key_results", "at most 20"));
    }
    for (i, kr) in req.key_results.iter().enumerate() {
        check_text(&mut f, &format!("key_results[{i}].title"), &kr.title, 300);
        check_one_of(
            &mut f,
            &format!("key_results[{i}].metric_type"),
            kr.metric_type.as_deref(),
            &["NUMBER", "PERCENT", "CURRENCY", "BOOLEAN", "MILESTONE"],
        );
        if kr.target_value.abs() >= Decimal::from(1_000_000_000_000i64) {
            f.push(FieldError::new(
                format!("key_results[{i}].target_value"),
                "too large",
            ));
        }
    }
    if f.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(f))
    }
}

/// Creates a goal (and its key results). Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/goals", tag = "goals", request_body = CreateGoalRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = GoalResponse), (status = 404, description = "owner or parent not visible", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_goal(
    State(state): State<AppState>,
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreateGoalRequest>,
) -> Result<Response, ApiError> {
    validate_create(&req)?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let auth = db.auth().clone();
    let owner = req.owner_id.unwrap_or(auth.user.as_uuid());
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL)",
    )
    .bind(owner)
    .fetch_one(db.conn())
    .await?;
    if !exists {
        return Err(ApiError::field("owner_id", "no such person"));
    }
    if !may_write_for(db.conn(), &auth, owner).await? {
        return Err(ApiError::Forbidden(
            "you may create goals for yourself and the people you manage".into(),
        ));
    }
    if let Some(parent) = req.parent_id
        && fetch_goal(db.conn(), parent).await?.is_none()
    {
        return Err(ApiError::field("parent_id", "no such goal"));
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO goals (tenant_id, owner_id, parent_id, title, description, goal_type, visibility, period_start, period_end, weight)
         VALUES ($1, $2, $3, $4, $5, coalesce($6, 'INDIVIDUAL'), coalesce($7, 'PUBLIC'), $8, $9, coalesce($10, 1)) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(owner)
    .bind(req.parent_id)
    .bind(req.title.trim())
    .bind(req.description.as_deref())
    .bind(req.goal_type.as_deref())
    .bind(req.visibility.as_deref())
    .bind(req.period_start)
    .bind(req.period_end)
    .bind(req.weight)
    .fetch_one(db.conn())
    .await?;
    for kr in &req.key_results {
        insert_key_result(db.conn(), &auth, id, kr).await?;
    }
    let g = fetch_goal(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new goal is not visible to its creator"))?;
    remember(&mut db, &key, StatusCode::CREATED, &g).await?;
    db.commit().await?;
    goal_changed(&state, &auth, Some(&g), id, owner).await?;
    Ok((StatusCode::CREATED, [etag_header(g.updated_at)], Json(g)).into_response())
}

async fn insert_key_result(
    conn: &mut PgConnection,
    auth: &Auth,
    goal: Uuid,
    kr: &NewKeyResult,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO key_results (tenant_id, goal_id, title, metric_type, start_value, target_value, current_value, unit)
         VALUES ($1, $2, $3, coalesce($4, 'NUMBER'), coalesce($5, 0), $6, coalesce($5, 0), $7)",
    )
    .bind(auth.tenant.as_uuid())
    .bind(goal)
    .bind(kr.title.trim())
    .bind(kr.metric_type.as_deref())
    .bind(kr.start_value)
    .bind(kr.target_value)
    .bind(kr.unit.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

/// One goal with its key results.
#[utoipa::path(get, path = "/goals/{id}", tag = "goals", params(("id" = Uuid, Path)),
    responses((status = 200, body = GoalResponse), (status = 404, body = ErrorBody)))]
async fn get_goal(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    let g = load_goal(&state, &mut db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(g.updated_at)], Json(g)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGoalRequest {
    pub title: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub description: Option<Option<String>>,
    pub status: Option<String>,
    pub visibility: Option<String>,
    #[serde(default, with = "crate::day::option")]
    pub period_start: Option<Date>,
    #[serde(default, with = "crate::day::option")]
    pub period_end: Option<Date>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub weight: Option<Decimal>,
}

/// Changes a goal (its owner, their managers, HR). Honors `If-Match`.
#[utoipa::path(patch, path = "/goals/{id}", tag = "goals", request_body = UpdateGoalRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = GoalResponse), (status = 404, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_goal(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdateGoalRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if let Some(t) = &req.title {
        check_text(&mut f, "title", t, 300);
    }
    check_one_of(&mut f, "status", req.status.as_deref(), &GOAL_STATUSES);
    check_one_of(
        &mut f,
        "visibility",
        req.visibility.as_deref(),
        &VISIBILITIES,
    );
    if let Some(w) = req.weight
        && (w <= Decimal::ZERO || w >= Decimal::from(1000))
    {
        f.push(FieldError::new(
            "weight",
            "greater than 0 and less than 1000",
        ));
    }
    if !f.is_empty() {
        return Err(ApiError::invalid(f));
    }
    let auth = db.auth().clone();
    let current = fetch_goal(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if !may_write_for(db.conn(), &auth, current.owner_id).await? {
        return Err(ApiError::Forbidden(
            "only the goal's owner, their managers and HR may change it".into(),
        ));
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE goals SET title = coalesce($2, title),
                description = CASE WHEN $3 THEN $4 ELSE description END,
                status = coalesce($5, status), visibility = coalesce($6, visibility),
                period_start = coalesce($7, period_start), period_end = coalesce($8, period_end),
                weight = coalesce($9, weight),
                completed_at = CASE WHEN coalesce($5, status) = 'COMPLETED' THEN coalesce(completed_at, now()) ELSE NULL END
          WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(10)
    )))
    .bind(id)
    .bind(req.title.as_deref().map(str::trim))
    .bind(req.description.is_some())
    .bind(req.description.clone().flatten())
    .bind(req.status.as_deref())
    .bind(req.visibility.as_deref())
    .bind(req.period_start)
    .bind(req.period_end)
    .bind(req.weight)
    .bind(version)
    .fetch_optional(db.conn())
    .await?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let g = fetch_goal(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    goal_changed(&state, &auth, Some(&g), id, g.owner_id).await?;
    Ok(([etag_header(g.updated_at)], Json(g)).into_response())
}

/// Deletes a goal (soft: it stays for the audit trail and retention).
#[utoipa::path(delete, path = "/goals/{id}", tag = "goals", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_goal(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let auth = db.auth().clone();
    let current = fetch_goal(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if !may_write_for(db.conn(), &auth, current.owner_id).await? {
        return Err(ApiError::Forbidden(
            "only the goal's owner, their managers and HR may delete it".into(),
        ));
    }
    sqlx::query("UPDATE goals SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL")
        .bind(id)
        .execute(db.conn())
        .await?;
    db.commit().await?;
    goal_changed(&state, &auth, None, id, current.owner_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressRequest {
    /// 0 to 100.
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub progress: Decimal,
    /// Also sets this key result's current value.
    pub key_result_id: Option<Uuid>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub key_result_value: Option<Decimal>,
    /// ON_TRACK, AT_RISK or OFF_TRACK.
    pub confidence: Option<String>,
    pub note: Option<String>,
}

/// Records progress on a goal: the update, the goal's progress, and a `goal_progress_pct`
/// point in `goal_progress_ts`, in one transaction.
#[utoipa::path(post, path = "/goals/{id}/progress", tag = "goals", request_body = ProgressRequest,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = GoalResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_progress(
    State(state): State<AppState>,
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<ProgressRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    if req.progress < Decimal::ZERO || req.progress > Decimal::from(100) {
        f.push(FieldError::new("progress", "from 0 to 100"));
    }
    check_one_of(
        &mut f,
        "confidence",
        req.confidence.as_deref(),
        &["ON_TRACK", "AT_RISK", "OFF_TRACK"],
    );
    if req.key_result_value.is_some() && req.key_result_id.is_none() {
        f.push(FieldError::new("key_result_value", "needs key_result_id"));
    }
    if let Some(n) = &req.note
        && n.chars().count() > 5000
    {
        f.push(FieldError::new("note", "at most 5000 characters"));
    }
    if !f.is_empty() {
        return Err(ApiError::invalid(f));
    }
    let auth = db.auth().clone();
    let current = fetch_goal(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if !may_write_for(db.conn(), &auth, current.owner_id).await? {
        return Err(ApiError::Forbidden(
            "only the goal's owner, their managers and HR may record progress".into(),
        ));
    }
    if let Some(kr) = req.key_result_id {
        let n = sqlx::query("UPDATE key_results SET current_value = coalesce($3, current_value) WHERE id = $1 AND goal_id = $2")
            .bind(kr)
            .bind(id)
            .bind(req.key_result_value)
            .execute(db.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(ApiError::field(
                "key_result_id",
                "not a key result of this goal",
            ));
        }
    }
    sqlx::query(
        "INSERT INTO goal_progress_updates (tenant_id, goal_id, key_result_id, author_id, previous_progress, new_progress, confidence_label, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(auth.tenant.as_uuid())
    .bind(id)
    .bind(req.key_result_id)
    .bind(auth.user.as_uuid())
    .bind(current.progress)
    .bind(req.progress)
    .bind(req.confidence.as_deref())
    .bind(req.note.as_deref())
    .execute(db.conn())
    .await?;
    sqlx::query("UPDATE goals SET progress = $2 WHERE id = $1")
        .bind(id)
        .bind(req.progress)
        .execute(db.conn())
        .await?;
    sqlx::query(
        "INSERT INTO goal_progress_ts (tenant_id, user_id, metric_name, value, recorded_at)
         VALUES ($1, $2, 'goal_progress_pct', $3::float8, now())",
    )
    .bind(auth.tenant.as_uuid())
    .bind(current.owner_id)
    .bind(req.progress)
    .execute(db.conn())
    .await?;
    let g = fetch_goal(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    goal_changed(&state, &auth, Some(&g), id, g.owner_id).await?;
    Ok((StatusCode::CREATED, [etag_header(g.updated_at)], Json(g)).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalTreeResponse {
    /// From the top-level goal down to this goal's parent.
    pub ancestors: Vec<GoalResponse>,
    pub goal: GoalResponse,
    /// Goals aligned under this one (that the caller may see).
    pub children: Vec<GoalResponse>,
}

/// The alignment tree around a goal.
#[utoipa::path(get, path = "/goals/{id}/tree", tag = "goals", params(("id" = Uuid, Path)),
    responses((status = 200, body = GoalTreeResponse), (status = 404, body = ErrorBody)))]
async fn goal_tree(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<GoalTreeResponse>, ApiError> {
    let goal = fetch_goal(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    let ancestors: Vec<GoalResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "WITH RECURSIVE up (id, depth) AS (
             SELECT parent_id, 1 FROM goals WHERE id = $1 AND parent_id IS NOT NULL
             UNION ALL
             SELECT g.parent_id, up.depth + 1 FROM goals g JOIN up ON g.id = up.id WHERE g.parent_id IS NOT NULL AND up.depth < 32)
         SELECT {GOAL_COLUMNS} FROM up JOIN goals g ON g.id = up.id WHERE {VISIBLE} ORDER BY up.depth DESC"
    )))
    .bind(id)
    .fetch_all(db.conn())
    .await?;
    let children: Vec<GoalResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GOAL_COLUMNS} FROM goals g WHERE g.parent_id = $1 AND {VISIBLE} ORDER BY g.created_at, g.id LIMIT 500"
    )))
    .bind(id)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(GoalTreeResponse {
        ancestors,
        goal,
        children,
    }))
}

/// Adds a key result to a goal. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/goals/{id}/key-results", tag = "goals", request_body = NewKeyResult,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = GoalResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_key_result(
    State(state): State<AppState>,
    mut db: Db,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(kr): ApiJson<NewKeyResult>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_text(&mut f, "title", &kr.title, 300);
    check_one_of(
        &mut f,
        "metric_type",
        kr.metric_type.as_deref(),
        &["NUMBER", "PERCENT", "CURRENCY", "BOOLEAN", "MILESTONE"],
    );
    if !f.is_empty() {
        return Err(ApiError::invalid(f));
    }
    let auth = db.auth().clone();
    let current = fetch_goal(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    if !may_write_for(db.conn(), &auth, current.owner_id).await? {
        return Err(ApiError::Forbidden(
            "only the goal's owner, their managers and HR may add key results".into(),
        ));
    }
    // The key covers the goal too: the same body sent to another goal is another request.
    if let Some(replay) = claim(&mut db, &key, &(id, &kr)).await? {
        return Ok(replay);
    }
    insert_key_result(db.conn(), &auth, id, &kr).await?;
    sqlx::query("UPDATE goals SET updated_at = now() WHERE id = $1")
        .bind(id)
        .execute(db.conn())
        .await?;
    let g = fetch_goal(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    remember(&mut db, &key, StatusCode::CREATED, &g).await?;
    db.commit().await?;
    goal_changed(&state, &auth, Some(&g), id, g.owner_id).await?;
    Ok((StatusCode::CREATED, [etag_header(g.updated_at)], Json(g)).into_response())
}
