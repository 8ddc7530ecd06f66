//! The ratings grid of a cycle, adjusting a rating in a session (the rationale is required and
//! the original rating is kept), the distribution of a session's ratings against its target
//! curve, and finalizing a cycle's calibration, which locks its ratings for good. The lock,
//! the kept original and the rationale are the database's rules (`078_api_c_calibration.sql`);
//! which ratings a caller sees are the visibility policies' (HR; the person's chain).

use super::calibration::{fetch_session, rating_ok, refused, session_to_run};
use super::checks::Checks;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page};
use crate::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(grid))
        .routes(routes!(list_ratings, adjust_rating))
        .routes(routes!(distribution))
        .routes(routes!(finalize))
}

/// One row of the grid: a manager review of the cycle with its original and current rating.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct GridRow {
    pub review_id: Uuid,
    pub reviewee_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub department_id: Option<Uuid>,
    pub reviewer_id: Option<Uuid>,
    pub review_status: String,
    /// The rating before any calibration (the first adjustment's original, else the current one).
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub original_rating: Option<Decimal>,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub current_rating: Option<Decimal>,
    /// The latest adjustment's session and rationale, if the rating was calibrated.
    pub last_session_id: Option<Uuid>,
    pub last_rationale: Option<String>,
    /// The cycle's calibration is finalized: the rating no longer changes.
    pub locked: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GridFilter {
    /// The people of one department.
    pub department_id: Option<Uuid>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The ratings grid of a cycle: its manager reviews the caller may see (HR: all; a manager:
/// their people's), by name, with the original and current rating.
#[utoipa::path(get, path = "/review-cycles/{id}/calibration-grid", tag = "calibration",
    params(("id" = Uuid, Path), GridFilter),
    responses((status = 200, body = Page<GridRow>), (status = 404, body = ErrorBody)))]
async fn grid(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(f): ApiQuery<GridFilter>,
) -> Result<Json<Page<GridRow>>, ApiError> {
    let p = PageParams {
        cursor: f.cursor,
        limit: f.limit,
    };
    let limit = p.limit()?;
    let after = p.after()?;
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM review_cycles WHERE id = $1 AND deleted_at IS NULL)",
    )
    .bind(id)
    .fetch_one(db.conn())
    .await?;
    if !exists {
        return Err(ApiError::NotFound);
    }
    let rows: Vec<GridRow> = sqlx::query_as(
        "SELECT r.id AS review_id, r.reviewee_id, u.first_name, u.last_name, u.department_id, r.reviewer_id,
                r.status AS review_status,
                coalesce(first.original_rating, r.overall_rating) AS original_rating, r.overall_rating AS current_rating,
                last.session_id AS last_session_id, last.rationale AS last_rationale,
                c.calibration_locked_at IS NOT NULL AS locked
           FROM performance_reviews r
           JOIN review_cycles c ON c.tenant_id = r.tenant_id AND c.id = r.cycle_id
           JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.reviewee_id
           LEFT JOIN LATERAL (SELECT cr.original_rating FROM calibration_ratings cr
                               WHERE cr.tenant_id = r.tenant_id AND cr.review_id = r.id
                               ORDER BY cr.created_at, cr.id LIMIT 1) first ON true
           LEFT JOIN LATERAL (SELECT cr.session_id, cr.rationale FROM calibration_ratings cr
                               WHERE cr.tenant_id = r.tenant_id AND cr.review_id = r.id
                               ORDER BY cr.updated_at DESC, cr.id DESC LIMIT 1) last ON true
          WHERE r.cycle_id = $1 AND r.review_type = 'MANAGER' AND r.deleted_at IS NULL
            AND r.reviewee_id <> pms_current_user_id()
            AND ($2::uuid IS NULL OR u.department_id = $2)
            AND ($3::text IS NULL OR (lower(u.last_name || ' ' || u.first_name), r.id) > ($3, $4))
          ORDER BY lower(u.last_name || ' ' || u.first_name), r.id LIMIT $5",
    )
    .bind(id)
    .bind(f.department_id)
    .bind(after.as_ref().map(|a| a.0.clone()))
    .bind(after.as_ref().map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &GridRow| {
        (
            format!("{} {}", r.last_name, r.first_name).to_lowercase(),
            r.review_id,
        )
    })))
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct CalibrationRatingResponse {
    pub id: Uuid,
    pub session_id: Uuid,
    pub review_id: Uuid,
    pub employee_id: Uuid,
    pub adjusted_by: Option<Uuid>,
    /// The rating before calibration; kept as it was.
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub original_rating: Decimal,
    #[schema(value_type = Option<f64>)]
    #[serde(default, with = "rust_decimal::serde::float_option")]
    pub adjusted_rating: Option<Decimal>,
    pub rationale: Option<String>,
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const RATING_COLUMNS: &str = "id, session_id, review_id, employee_id, adjusted_by, original_rating, adjusted_rating, rationale, status, created_at, updated_at";

/// The adjustments made in a session (those the caller may see).
#[utoipa::path(get, path = "/calibration/sessions/{id}/ratings", tag = "calibration", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<CalibrationRatingResponse>), (status = 404, body = ErrorBody)))]
async fn list_ratings(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<CalibrationRatingResponse>>, ApiError> {
    fetch_session(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let rows: Vec<CalibrationRatingResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {RATING_COLUMNS} FROM calibration_ratings WHERE session_id = $1 ORDER BY created_at, id LIMIT 1000"
    )))
    .bind(id)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(rows))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustRequest {
    pub review_id: Uuid,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub rating: Decimal,
    /// Why the rating moved: required when it differs from the original.
    pub rationale: Option<String>,
}

/// Adjusts a review's rating in a session in progress (HR, in the cycle's CALIBRATION phase):
/// the original rating is kept in the calibration record, the review takes the new rating and
/// becomes CALIBRATED. A moved rating needs a rationale.
#[utoipa::path(post, path = "/calibration/sessions/{id}/ratings", tag = "calibration", request_body = AdjustRequest,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CalibrationRatingResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "session_not_in_progress, cycle_phase, invalid_transition, ratings_locked", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn adjust_rating(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<AdjustRequest>,
) -> Result<Response, ApiError> {
    let mut c = Checks::new();
    if !rating_ok(req.rating) {
        c.push("rating", "from 0 to 5 with at most two decimals");
    }
    c.opt_text("rationale", req.rationale.as_deref(), 5000);
    c.done()?;
    let session = session_to_run(&mut db, id).await?;
    let review: Option<(Uuid, String, Option<Decimal>, Option<Uuid>)> = sqlx::query_as(
        "SELECT r.reviewee_id, r.status, r.overall_rating, u.department_id
           FROM performance_reviews r JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.reviewee_id
          WHERE r.id = $1 AND r.cycle_id = $2 AND r.deleted_at IS NULL",
    )
    .bind(req.review_id)
    .bind(session.cycle_id)
    .fetch_optional(db.conn())
    .await?;
    let (reviewee, status, current, dept) = review
        .ok_or_else(|| ApiError::field("review_id", "no such review in the session's cycle"))?;
    if session.department_id.is_some() && dept != session.department_id {
        return Err(ApiError::field(
            "review_id",
            "the reviewee is not in the session's department",
        ));
    }
    let (cycle_status, locked): (String, Option<OffsetDateTime>) =
        sqlx::query_as("SELECT status, calibration_locked_at FROM review_cycles WHERE id = $1")
            .bind(session.cycle_id)
            .fetch_one(db.conn())
            .await?;
    if locked.is_some() {
        return Err(ApiError::conflict(
            "ratings_locked",
            "the cycle's calibration was finalized: its ratings no longer change",
        ));
    }
    if session.status != "IN_PROGRESS" {
        return Err(ApiError::conflict(
            "session_not_in_progress",
            format!(
                "the session is {}: ratings are adjusted while it is IN_PROGRESS",
                session.status
            ),
        ));
    }
    if cycle_status != "CALIBRATION" {
        return Err(ApiError::conflict(
            "cycle_phase",
            format!("the cycle is in {cycle_status}; adjusting needs CALIBRATION"),
        ));
    }
    if !matches!(status.as_str(), "SUBMITTED" | "CALIBRATED") {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("the review is {status}; calibrating needs SUBMITTED or CALIBRATED"),
        ));
    }
    let first: Option<Decimal> = sqlx::query_scalar(
        "SELECT original_rating FROM calibration_ratings WHERE review_id = $1 ORDER BY created_at, id LIMIT 1",
    )
    .bind(req.review_id)
    .fetch_optional(db.conn())
    .await?;
    let original = first
        .or(current)
        .ok_or_else(|| ApiError::conflict("no_rating", "the review has no rating to calibrate"))?;
    if req.rating != original && req.rationale.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(ApiError::field(
            "rationale",
            "required when the rating moves from the original",
        ));
    }
    let auth = db.auth().clone();
    let row: CalibrationRatingResponse = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO calibration_ratings (tenant_id, session_id, review_id, employee_id, adjusted_by, original_rating, adjusted_rating, rationale, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ACCEPTED')
         ON CONFLICT (tenant_id, session_id, review_id) DO UPDATE
            SET adjusted_rating = EXCLUDED.adjusted_rating, rationale = EXCLUDED.rationale,
                adjusted_by = EXCLUDED.adjusted_by, status = 'ACCEPTED'
         RETURNING {RATING_COLUMNS}"
    )))
    .bind(auth.tenant.as_uuid())
    .bind(id)
    .bind(req.review_id)
    .bind(reviewee)
    .bind(auth.user.as_uuid())
    .bind(original)
    .bind(req.rating)
    .bind(req.rationale.as_deref().map(str::trim))
    .fetch_one(db.conn())
    .await
    .map_err(refused)?;
    sqlx::query(
        "UPDATE performance_reviews SET status = 'CALIBRATED', overall_rating = $2 WHERE id = $1",
    )
    .bind(req.review_id)
    .bind(req.rating)
    .execute(db.conn())
    .await
    .map_err(refused)?;
    db.commit().await?;
    Ok((StatusCode::OK, Json(row)).into_response())
}

/// One band of the distribution.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Band {
    /// `1`..`5`, or `below` / `meets` / `exceeds`.
    pub band: String,
    /// The ratings in the band: from `lower` (included) to `upper` (excluded; the top band
    /// includes 5).
    pub lower: f64,
    pub upper: f64,
    pub count: i64,
    pub share: f64,
    /// The target curve's share, if it has this band.
    pub target_share: Option<f64>,
    /// `share - target_share`: positive when the band holds more than the curve wants.
    pub gap: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DistributionResponse {
    pub session_id: Uuid,
    pub cycle_id: Uuid,
    /// The manager reviews with a rating in the session's scope that the caller may see.
    pub total: i64,
    pub bands: Vec<Band>,
}

/// The bands of a target curve's scheme: five (one per rating, .5 up) or three named.
fn bands_of(target: &serde_json::Value) -> Vec<(&'static str, f64, f64)> {
    let named = target.as_object().is_some_and(|o| {
        !o.is_empty()
            && o.keys()
                .all(|k| ["below", "meets", "exceeds"].contains(&k.as_str()))
    });
    if named {
        vec![
            ("below", 0.0, 2.5),
            ("meets", 2.5, 4.0),
            ("exceeds", 4.0, 5.0),
        ]
    } else {
        vec![
            ("1", 0.0, 1.5),
            ("2", 1.5, 2.5),
            ("3", 2.5, 3.5),
            ("4", 3.5, 4.5),
            ("5", 4.5, 5.0),
        ]
    }
}

/// Shares rounded to four places (what a person compares; no float noise in the answer).
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The distribution of the current ratings in a session's scope (its cycle, its department if
/// it has one) against the session's target curve.
#[utoipa::path(get, path = "/calibration/sessions/{id}/distribution", tag = "calibration", params(("id" = Uuid, Path)),
    responses((status = 200, body = DistributionResponse), (status = 404, body = ErrorBody)))]
async fn distribution(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<DistributionResponse>, ApiError> {
    let s = fetch_session(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let ratings: Vec<Decimal> = sqlx::query_scalar(
        "SELECT r.overall_rating FROM performance_reviews r JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.reviewee_id
          WHERE r.cycle_id = $1 AND r.review_type = 'MANAGER' AND r.deleted_at IS NULL AND r.overall_rating IS NOT NULL
            AND r.reviewee_id <> pms_current_user_id() AND ($2::uuid IS NULL OR u.department_id = $2)",
    )
    .bind(s.cycle_id)
    .bind(s.department_id)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    let total = ratings.len() as i64;
    let schema = bands_of(&s.target_distribution);
    let last = schema.len() - 1;
    let bands = schema
        .iter()
        .enumerate()
        .map(|(i, (name, lo, hi))| {
            let count = ratings
                .iter()
                .filter_map(|r| r.to_f64())
                .filter(|r| *r >= *lo && (*r < *hi || i == last))
                .count() as i64;
            let share = if total == 0 {
                0.0
            } else {
                round4(count as f64 / total as f64)
            };
            let target = s.target_distribution.get(*name).and_then(|v| v.as_f64());
            Band {
                band: (*name).to_string(),
                lower: *lo,
                upper: *hi,
                count,
                share,
                target_share: target,
                gap: target.map(|t| round4(share - t)),
            }
        })
        .collect();
    Ok(Json(DistributionResponse {
        session_id: s.id,
        cycle_id: s.cycle_id,
        total,
        bands,
    }))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FinalizeResponse {
    pub cycle_id: Uuid,
    /// Reviews moved from SUBMITTED or CALIBRATED to FINALIZED.
    pub reviews_finalized: i32,
    /// The cycle's status now (FINALIZATION).
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub calibration_locked_at: OffsetDateTime,
}

/// Finalizes a cycle's calibration (HR): needs the cycle in CALIBRATION with every session
/// completed or cancelled; its reviews become FINALIZED, the cycle moves to FINALIZATION and
/// its ratings are locked for good.
#[utoipa::path(post, path = "/review-cycles/{id}/calibration/finalize", tag = "calibration", params(("id" = Uuid, Path)),
    responses((status = 200, body = FinalizeResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "cycle_phase, sessions_open or ratings_locked", body = ErrorBody)))]
async fn finalize(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<FinalizeResponse>, ApiError> {
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM review_cycles WHERE id = $1 AND deleted_at IS NULL)",
    )
    .bind(id)
    .fetch_one(db.conn())
    .await?;
    if !exists {
        return Err(ApiError::NotFound);
    }
    db.auth().require_hr()?;
    let n: i32 = sqlx::query_scalar("SELECT pms_finalize_calibration($1)")
        .bind(id)
        .fetch_one(db.conn())
        .await
        .map_err(refused)?;
    let (status, locked): (String, Option<OffsetDateTime>) =
        sqlx::query_as("SELECT status, calibration_locked_at FROM review_cycles WHERE id = $1")
            .bind(id)
            .fetch_one(db.conn())
            .await?;
    db.commit().await?;
    Ok(Json(FinalizeResponse {
        cycle_id: id,
        reviews_finalized: n,
        status,
        calibration_locked_at: locked
            .ok_or_else(|| ApiError::internal("the cycle is not locked"))?,
    }))
}
