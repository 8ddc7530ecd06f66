//! Performance improvement plans: opened from a template (its length, expectations, check-in
//! rhythm and milestones), then moved DRAFT -> ACTIVE -> ON_TRACK / AT_RISK -> SUCCESSFUL /
//! UNSUCCESSFUL, or CANCELLED while open. The moves are a trigger's to allow or refuse
//! (`076_api_a_workflows.sql`); who sees a plan (the person once it is not a draft, their
//! chain, HR) is the database's visibility rule. Milestones, check-ins and templates:
//! `pip_parts.rs`.

use super::checks::{Checks, person_exists, query_one_of, workflow};
use super::idempotency::{IdempotencyKey, claim, remember};
use super::pip_parts::{CheckIn, Milestone, NewMilestone, insert_milestone};
use super::promotions::can_see_person;
use super::versions::{IfMatch, etag_header, version_matches};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
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
        .routes(routes!(list_pips, create_pip))
        .routes(routes!(get_pip, update_pip))
        .routes(routes!(transition_pip))
        .merge(super::pip_parts::router())
}

pub(crate) const STATUSES: [&str; 8] = [
    "DRAFT",
    "ACTIVE",
    "ON_TRACK",
    "AT_RISK",
    "EXTENDED",
    "SUCCESSFUL",
    "UNSUCCESSFUL",
    "CANCELLED",
];

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PipResponse {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub manager_id: Uuid,
    pub hr_partner_id: Option<Uuid>,
    pub template_id: Option<Uuid>,
    /// DRAFT, ACTIVE, ON_TRACK, AT_RISK, SUCCESSFUL, UNSUCCESSFUL, CANCELLED (EXTENDED: older data).
    pub status: String,
    pub reason: String,
    pub expectations: Option<String>,
    #[serde(with = "crate::day")]
    pub starts_on: Date,
    #[serde(with = "crate::day")]
    pub ends_on: Date,
    pub check_in_every_days: i16,
    /// When the next check-in is due (open plans only).
    #[serde(with = "crate::day::option")]
    pub next_check_in_on: Option<Date>,
    pub outcome_notes: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// The statuses this plan may move to next.
    pub next_statuses: Vec<String>,
    #[sqlx(skip)]
    pub milestones: Vec<Milestone>,
    #[sqlx(skip)]
    pub check_ins: Vec<CheckIn>,
}

const COLUMNS: &str = "p.id, p.employee_id, p.manager_id, p.hr_partner_id, p.template_id, p.status, p.reason,
    p.expectations, p.starts_on, p.ends_on, p.check_in_every_days, p.next_check_in_on, p.outcome_notes, p.closed_at,
    p.created_at, p.updated_at, pms_pip_next_statuses(p.status) AS next_statuses";

/// The plan, when the caller may see it.
pub(crate) async fn fetch_plan(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<PipResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM performance_improvement_plans p WHERE p.id = $1 AND p.deleted_at IS NULL"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub(crate) async fn fetch_full(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<PipResponse>, sqlx::Error> {
    let Some(mut p) = fetch_plan(&mut *conn, id).await? else {
        return Ok(None);
    };
    p.milestones = sqlx::query_as(
        "SELECT id, description, due_date, status, created_at, updated_at FROM pip_milestones
          WHERE pip_id = $1 ORDER BY due_date, created_at, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    p.check_ins = sqlx::query_as(
        "SELECT id, conducted_by, check_in_date, progress_rating, notes, created_at, updated_at FROM pip_check_ins
          WHERE pip_id = $1 ORDER BY check_in_date, created_at, id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(Some(p))
}

/// The plan for a write: 404 when invisible, 403 when visible but the caller may not run it
/// (the person themself, the plan's HR partner without the HR role).
pub(crate) async fn plan_to_run(db: &mut Db, id: Uuid) -> Result<PipResponse, ApiError> {
    let p = fetch_plan(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    let may: bool = sqlx::query_scalar("SELECT pms_api_may_run_pip($1)")
        .bind(p.employee_id)
        .fetch_one(db.conn())
        .await?;
    if !may {
        return Err(ApiError::Forbidden(
            "a PIP is run by the person's managers and HR".into(),
        ));
    }
    Ok(p)
}

fn respond(status: StatusCode, p: PipResponse) -> Response {
    (status, [etag_header(p.updated_at)], Json(p)).into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PipQuery {
    pub employee_id: Option<Uuid>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// PIPs I may see, newest first (lists carry no milestones or check-ins).
#[utoipa::path(get, path = "/pips", tag = "pips", params(PipQuery),
    responses((status = 200, body = Page<PipResponse>), (status = 400, body = ErrorBody)))]
async fn list_pips(
    mut db: Db,
    ApiQuery(q): ApiQuery<PipQuery>,
) -> Result<Json<Page<PipResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = match p.after()? {
        Some((k, id)) => Some((parse_time_key(&k)?, id)),
        None => None,
    };
    query_one_of("status", q.status.as_deref(), &STATUSES)?;
    let rows: Vec<PipResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM performance_improvement_plans p WHERE p.deleted_at IS NULL
            AND ($1::uuid IS NULL OR p.employee_id = $1) AND ($2::text IS NULL OR p.status = $2)
            AND ($3::timestamptz IS NULL OR (p.created_at, p.id) < ($3, $4))
          ORDER BY p.created_at DESC, p.id DESC LIMIT $5"
    )))
    .bind(q.employee_id)
    .bind(q.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |p: &PipResponse| {
        (time_key(p.created_at), p.id)
    })))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePipRequest {
    pub employee_id: Uuid,
    /// The plan's length (duration_days), expectations, check-in rhythm and milestones come
    /// from the template unless given here.
    pub template_id: Option<Uuid>,
    pub reason: String,
    pub expectations: Option<String>,
    #[serde(with = "crate::day")]
    pub starts_on: Date,
    /// Required without a template; default: starts_on + the template's duration.
    #[serde(default, with = "crate::day::option")]
    pub ends_on: Option<Date>,
    /// Default: me when I am above the person, else their manager.
    pub manager_id: Option<Uuid>,
    pub hr_partner_id: Option<Uuid>,
    /// 1 to 90 (default: the template's, else 14).
    pub check_in_every_days: Option<i16>,
    /// Milestones besides the template's.
    #[serde(default)]
    pub milestones: Vec<NewMilestone>,
    /// The review that led to the plan.
    pub review_id: Option<Uuid>,
}

/// The template's contribution to a new plan.
#[derive(sqlx::FromRow)]
struct TemplateDefaults {
    duration_days: i16,
    expectations: Option<String>,
    check_in_every_days: i16,
    milestones: serde_json::Value,
}

/// Opens a PIP as a DRAFT (the person does not see it until it is ACTIVE). Only the person's
/// managers and HR may. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/pips", tag = "pips", request_body = CreatePipRequest,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = PipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_pip(
    mut db: Db,
    key: IdempotencyKey,
    ApiJson(req): ApiJson<CreatePipRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.text("reason", &req.reason, 5000);
    c.opt_text("expectations", req.expectations.as_deref(), 10_000);
    c.date("starts_on", Some(req.starts_on));
    c.date("ends_on", req.ends_on);
    c.range(
        "check_in_every_days",
        req.check_in_every_days.map(i64::from),
        1,
        90,
    );
    if req.milestones.len() > 30 {
        c.push("milestones", "at most 30");
    }
    for (i, m) in req.milestones.iter().enumerate() {
        c.text(
            &format!("milestones[{i}].description"),
            &m.description,
            2000,
        );
        c.date(&format!("milestones[{i}].due_date"), Some(m.due_date));
    }
    if req.template_id.is_none() && req.ends_on.is_none() {
        c.push("ends_on", "required without a template");
    }
    c.done()?;
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let auth = db.auth().clone();
    // A person I may not see (in the REVIEWS domain of PIPs), or no such person: 404, as for
    // every record of someone I may not see.
    if !person_exists(db.conn(), req.employee_id).await?
        || !can_see_person(db.conn(), req.employee_id, "REVIEWS").await?
    {
        return Err(ApiError::NotFound);
    }
    let may: bool = sqlx::query_scalar("SELECT pms_api_may_run_pip($1)")
        .bind(req.employee_id)
        .fetch_one(db.conn())
        .await?;
    if !may {
        return Err(ApiError::Forbidden(
            "you may open PIPs for the people you manage (HR for anyone)".into(),
        ));
    }
    let template: Option<TemplateDefaults> = match req.template_id {
        None => None,
        Some(t) => Some(
            sqlx::query_as(
                "SELECT duration_days, expectations, check_in_every_days, milestones FROM pip_templates
                  WHERE id = $1 AND deleted_at IS NULL",
            )
            .bind(t)
            .fetch_optional(db.conn())
            .await?
            .ok_or_else(|| ApiError::field("template_id", "no such template"))?,
        ),
    };
    let ends_on = match (req.ends_on, &template) {
        (Some(d), _) => d,
        (None, Some(t)) => req.starts_on + time::Duration::days(i64::from(t.duration_days)),
        (None, None) => return Err(ApiError::field("ends_on", "required without a template")),
    };
    if ends_on <= req.starts_on {
        return Err(ApiError::field("ends_on", "must be after starts_on"));
    }
    let manager: Uuid = match req.manager_id {
        Some(m) => m,
        None => sqlx::query_scalar::<_, Option<Uuid>>(
            "SELECT CASE WHEN pms_api_manages(pms_current_user_id(), $1) THEN pms_current_user_id() ELSE u.manager_id END
               FROM users u WHERE u.id = $1",
        )
        .bind(req.employee_id)
        .fetch_one(db.conn())
        .await?
        .ok_or_else(|| ApiError::field("manager_id", "the person has no manager: name one"))?,
    };
    if manager == req.employee_id || !person_exists(db.conn(), manager).await? {
        return Err(ApiError::field(
            "manager_id",
            "another person of the organisation",
        ));
    }
    if let Some(hr) = req.hr_partner_id
        && !person_exists(db.conn(), hr).await?
    {
        return Err(ApiError::field("hr_partner_id", "no such person"));
    }
    if let Some(r) = req.review_id {
        let visible: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM performance_reviews WHERE id = $1 AND reviewee_id = $2 AND deleted_at IS NULL)")
                .bind(r)
                .bind(req.employee_id)
                .fetch_one(db.conn())
                .await?;
        if !visible {
            return Err(ApiError::field(
                "review_id",
                "no such review of this person",
            ));
        }
    }
    let expectations = req
        .expectations
        .clone()
        .or_else(|| template.as_ref().and_then(|t| t.expectations.clone()));
    let every = req
        .check_in_every_days
        .or(template.as_ref().map(|t| t.check_in_every_days))
        .unwrap_or(14);
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO performance_improvement_plans (tenant_id, employee_id, manager_id, hr_partner_id, template_id, review_id,
                status, reason, expectations, starts_on, ends_on, check_in_every_days)
         VALUES ($1, $2, $3, $4, $5, $6, 'DRAFT', $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(req.employee_id)
    .bind(manager)
    .bind(req.hr_partner_id)
    .bind(req.template_id)
    .bind(req.review_id)
    .bind(req.reason.trim())
    .bind(expectations.as_deref().map(str::trim))
    .bind(req.starts_on)
    .bind(ends_on)
    .bind(every)
    .fetch_one(db.conn())
    .await
    .map_err(workflow)?;
    // The template's milestones, each due offset_days after the start (within the plan).
    if let Some(t) = &template {
        for m in t.milestones.as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let Some(description) = m.get("description").and_then(|d| d.as_str()) else {
                continue;
            };
            let offset = m.get("offset_days").and_then(|d| d.as_i64()).unwrap_or(0);
            let due = req.starts_on + time::Duration::days(offset.clamp(0, 3650));
            let m = NewMilestone {
                description: description.to_string(),
                due_date: due.min(ends_on),
            };
            insert_milestone(db.conn(), auth.tenant.as_uuid(), id, &m).await?;
        }
    }
    for m in &req.milestones {
        insert_milestone(db.conn(), auth.tenant.as_uuid(), id, m).await?;
    }
    let p = fetch_full(db.conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal("the new PIP is not visible to its creator"))?;
    remember(&mut db, &key, StatusCode::CREATED, &p).await?;
    db.commit().await?;
    Ok(respond(StatusCode::CREATED, p))
}

/// One PIP with its milestones and check-ins.
#[utoipa::path(get, path = "/pips/{id}", tag = "pips", params(("id" = Uuid, Path)),
    responses((status = 200, body = PipResponse), (status = 404, body = ErrorBody)))]
async fn get_pip(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let p = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, p))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePipRequest {
    pub reason: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub expectations: Option<Option<String>>,
    /// Extends (or shortens) the plan.
    #[serde(default, with = "crate::day::option")]
    pub ends_on: Option<Date>,
    #[serde(default, deserialize_with = "super::double_option")]
    pub hr_partner_id: Option<Option<Uuid>>,
    pub check_in_every_days: Option<i16>,
}

/// Changes an open PIP (a closed one refuses: `record_closed`). Honors `If-Match`.
#[utoipa::path(patch, path = "/pips/{id}", tag = "pips", request_body = UpdatePipRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = PipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_pip(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<UpdatePipRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.opt_text("reason", req.reason.as_deref(), 5000);
    if let Some(Some(e)) = &req.expectations {
        c.text("expectations", e, 10_000);
    }
    c.date("ends_on", req.ends_on);
    c.range(
        "check_in_every_days",
        req.check_in_every_days.map(i64::from),
        1,
        90,
    );
    c.done()?;
    let current = plan_to_run(&mut db, id).await?;
    if let Some(e) = req.ends_on
        && e <= current.starts_on
    {
        return Err(ApiError::field("ends_on", "must be after starts_on"));
    }
    if let Some(Some(hr)) = req.hr_partner_id
        && !person_exists(db.conn(), hr).await?
    {
        return Err(ApiError::field("hr_partner_id", "no such person"));
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE performance_improvement_plans SET reason = coalesce($2, reason),
                expectations = CASE WHEN $3 THEN $4 ELSE expectations END, ends_on = coalesce($5, ends_on),
                hr_partner_id = CASE WHEN $6 THEN $7 ELSE hr_partner_id END,
                check_in_every_days = coalesce($8, check_in_every_days)
          WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(9)
    )))
    .bind(id)
    .bind(req.reason.as_deref().map(str::trim))
    .bind(req.expectations.is_some())
    .bind(req.expectations.clone().flatten())
    .bind(req.ends_on)
    .bind(req.hr_partner_id.is_some())
    .bind(req.hr_partner_id.flatten())
    .bind(req.check_in_every_days)
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let p = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, p))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PipTransitionRequest {
    /// The next status: one of the plan's `next_statuses`.
    pub status: String,
    /// The outcome notes; required to close as SUCCESSFUL or UNSUCCESSFUL.
    pub note: Option<String>,
}

/// Moves a PIP to its next status. A move the workflow does not allow is a 409
/// `invalid_transition` (closing without notes: `outcome_required`; a closed plan:
/// `record_closed`) and changes nothing. Honors `If-Match`.
#[utoipa::path(post, path = "/pips/{id}/transition", tag = "pips", request_body = PipTransitionRequest,
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = PipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn transition_pip(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    IfMatch(version): IfMatch,
    ApiJson(req): ApiJson<PipTransitionRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    c.one_of("status", Some(&req.status), &STATUSES);
    c.opt_text("note", req.note.as_deref(), 10_000);
    c.done()?;
    let current = plan_to_run(&mut db, id).await?;
    if current.status == req.status {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!(
                "the PIP is {} already; the next status is one of {}",
                current.status,
                current.next_statuses.join(", ")
            ),
        ));
    }
    let updated: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "UPDATE performance_improvement_plans SET status = $2,
                outcome_notes = CASE WHEN $2 IN ('SUCCESSFUL', 'UNSUCCESSFUL', 'CANCELLED') THEN coalesce($3, outcome_notes) ELSE outcome_notes END
          WHERE id = $1 AND deleted_at IS NULL AND {} RETURNING id",
        version_matches(4)
    )))
    .bind(id)
    .bind(&req.status)
    .bind(req.note.as_deref().map(str::trim))
    .bind(version)
    .fetch_optional(db.conn())
    .await
    .map_err(workflow)?;
    updated.ok_or(ApiError::PreconditionFailed)?;
    let p = fetch_full(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(respond(StatusCode::OK, p))
}
