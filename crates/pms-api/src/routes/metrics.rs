//! Time-series reads and ingestion. Reads go through the SQL contract
//! (`get_recent_performance_metrics`, `calculate_engagement_trend`, the rollup views) with the
//! caller's scope asked of the database first (`pms_api_b_can_see_group`: a person they may
//! see, a team they lead or are above the lead of, a department they head or are above the
//! head of, the tenant for HR). `POST /metrics` loads NDJSON lines checked exactly as
//! `pms metrics ingest` checks them (`pms_timeseries::parse` and its `Validator`), within the
//! caller's tenant, and accepts every valid line: each rejected one is reported with its
//! number and reason.

use super::promotions::parse_day;
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pms_timeseries::Hypertable;
use pms_timeseries::ingest::Validator;
use pms_timeseries::parse::{Format, RecordReader};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(recent_metrics))
        .routes(routes!(engagement_trend))
        .routes(routes!(rollups))
        .routes(routes!(ingest))
}

/// Accepted points of one hypertable, as the columns `unnest` takes.
type Columns = (Vec<Uuid>, Vec<String>, Vec<f64>, Vec<OffsetDateTime>);

/// The most lines one request may carry.
pub const MAX_LINES: usize = 10_000;

async fn can_see_group(db: &mut Db, grain: &str, subject: Uuid) -> Result<bool, ApiError> {
    Ok(sqlx::query_scalar("SELECT pms_api_b_can_see_group($1, $2)")
        .bind(grain)
        .bind(subject)
        .fetch_one(db.conn())
        .await?)
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct MetricPoint {
    pub metric_name: String,
    pub value: f64,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecentMetrics {
    pub person_id: Uuid,
    pub days: i32,
    pub items: Vec<MetricPoint>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// 1 to 3650 (default 30 for metrics, 90 for the trend).
    pub days: Option<i32>,
}

fn days(q: &DaysQuery, default: i32) -> Result<i32, ApiError> {
    match q.days {
        None => Ok(default),
        Some(d) if (1..=3650).contains(&d) => Ok(d),
        Some(_) => Err(ApiError::BadRequest {
            code: "invalid_query",
            message: "days must be from 1 to 3650".into(),
            fields: vec![FieldError::new("days", "out of range")],
        }),
    }
}

/// A person's performance metric points of the last days (`get_recent_performance_metrics`).
#[utoipa::path(get, path = "/people/{id}/metrics/recent", tag = "metrics", params(("id" = Uuid, Path), DaysQuery),
    responses((status = 200, body = RecentMetrics), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn recent_metrics(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<DaysQuery>,
) -> Result<Json<RecentMetrics>, ApiError> {
    let days = days(&q, 30)?;
    if !can_see_group(&mut db, "user", id).await? {
        return Err(ApiError::NotFound);
    }
    let tenant = db.auth().tenant.as_uuid();
    let items = sqlx::query_as(
        "SELECT metric_name, value, recorded_at FROM get_recent_performance_metrics($1, $2, $3) LIMIT 10000",
    )
    .bind(tenant)
    .bind(id)
    .bind(days)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(RecentMetrics {
        person_id: id,
        days,
        items,
    }))
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct EngagementTrend {
    /// UP, DOWN, STABLE or NO_DATA.
    pub trend: String,
    /// Points per day (least squares over the daily averages).
    pub slope: Option<f64>,
    pub days_with_data: i64,
    pub average: Option<f64>,
}

/// A person's engagement trend over the last days (`calculate_engagement_trend`).
#[utoipa::path(get, path = "/people/{id}/engagement/trend", tag = "metrics", params(("id" = Uuid, Path), DaysQuery),
    responses((status = 200, body = EngagementTrend), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn engagement_trend(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<DaysQuery>,
) -> Result<Json<EngagementTrend>, ApiError> {
    let days = days(&q, 90)?;
    if !can_see_group(&mut db, "user", id).await? {
        return Err(ApiError::NotFound);
    }
    let tenant = db.auth().tenant.as_uuid();
    let t = sqlx::query_as(
        "SELECT trend, slope, days_with_data, average FROM calculate_engagement_trend($1, $2, make_interval(days => $3))",
    )
    .bind(tenant)
    .bind(id)
    .bind(days)
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(t))
}

/// The rollups one may read, by their API name.
pub(crate) const ROLLUPS: [(&str, &str); 4] = [
    ("daily", "performance_metrics_daily"),
    ("monthly", "performance_metrics_monthly"),
    ("engagement_weekly", "engagement_metrics_weekly"),
    ("feedback_monthly", "feedback_trends_monthly"),
];
pub(crate) const GRAINS: [&str; 4] = ["user", "team", "department", "tenant"];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RollupQuery {
    /// daily or monthly (performance metrics), engagement_weekly, feedback_monthly.
    pub rollup: String,
    /// user, team, department or tenant.
    pub grain: String,
    /// The person, team or department (default for tenant: the caller's tenant).
    pub subject_id: Option<Uuid>,
    /// Only this metric.
    pub metric: Option<String>,
    /// First bucket day (`YYYY-MM-DD`), inclusive.
    pub from: Option<String>,
    /// Last bucket day (`YYYY-MM-DD`), exclusive.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct RollupBucket {
    pub metric_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub bucket: OffsetDateTime,
    pub sample_count: i64,
    pub avg_value: f64,
    pub min_value: f64,
    pub max_value: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RollupResponse {
    pub rollup: String,
    pub grain: String,
    pub subject_id: Uuid,
    /// Oldest bucket first (at most 5000).
    pub items: Vec<RollupBucket>,
}

pub(crate) async fn read_rollup(db: &mut Db, q: &RollupQuery) -> Result<RollupResponse, ApiError> {
    let view = ROLLUPS
        .iter()
        .find(|(n, _)| *n == q.rollup)
        .map(|(_, v)| *v)
        .ok_or_else(|| ApiError::BadRequest {
            code: "invalid_query",
            message: format!("rollup must be one of {}", ROLLUPS.map(|r| r.0).join(", ")),
            fields: vec![FieldError::new("rollup", "unknown")],
        })?;
    if !GRAINS.contains(&q.grain.as_str()) {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("grain must be one of {}", GRAINS.join(", ")),
            fields: vec![FieldError::new("grain", "unknown")],
        });
    }
    let from = parse_day("from", q.from.as_deref())?;
    let to = parse_day("to", q.to.as_deref())?;
    let subject = match (q.grain.as_str(), q.subject_id) {
        ("tenant", None) => db.auth().tenant.as_uuid(),
        (_, Some(s)) => s,
        (_, None) => {
            return Err(ApiError::BadRequest {
                code: "invalid_query",
                message: "subject_id is required for this grain".into(),
                fields: vec![FieldError::new("subject_id", "required")],
            });
        }
    };
    if !can_see_group(db, &q.grain, subject).await? {
        return Err(ApiError::NotFound);
    }
    let items = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT metric_name, bucket, sample_count::int8 AS sample_count, avg_value::float8 AS avg_value,
                min_value::float8 AS min_value, max_value::float8 AS max_value
           FROM public.{view}
          WHERE grain = $1 AND subject_id = $2 AND ($3::text IS NULL OR metric_name = $3)
            AND ($4::date IS NULL OR bucket >= $4::date::timestamptz) AND ($5::date IS NULL OR bucket < $5::date::timestamptz)
          ORDER BY bucket, metric_name LIMIT 5000"
    )))
    .bind(&q.grain)
    .bind(subject)
    .bind(q.metric.as_deref())
    .bind(from)
    .bind(to)
    .fetch_all(db.conn())
    .await?;
    Ok(RollupResponse {
        rollup: q.rollup.clone(),
        grain: q.grain.clone(),
        subject_id: subject,
        items,
    })
}

/// Daily or monthly rollups of a person, team, department or the tenant, in the caller's scope.
#[utoipa::path(get, path = "/metrics/rollups", tag = "metrics", params(RollupQuery),
    responses((status = 200, body = RollupResponse), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn rollups(
    mut db: Db,
    ApiQuery(q): ApiQuery<RollupQuery>,
) -> Result<Json<RollupResponse>, ApiError> {
    let r = read_rollup(&mut db, &q).await?;
    db.commit().await?;
    Ok(Json(r))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineResult {
    pub line: u64,
    /// accepted or rejected.
    pub status: String,
    /// Why the line was rejected.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IngestResponse {
    /// The upload's record (`metric_ingestions`).
    pub ingestion_id: Uuid,
    pub lines: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Accepted points per hypertable.
    pub by_table: BTreeMap<String, u64>,
    /// Every line, in order.
    pub results: Vec<LineResult>,
}

/// Loads metric points, one JSON object per line (`{"tenant_id", "user_id", "metric_name",
/// "value", "recorded_at"}`, the `pms metrics ingest` format), for the caller's tenant (HR:
/// the role integrations sign in with). Each line is checked like `pms metrics ingest` checks
/// it; the valid lines are loaded and the others reported (200 even when some are rejected;
/// 422 `no_line_accepted`, naming each line, when none was: then nothing is written). At most
/// 10,000 lines.
#[utoipa::path(post, path = "/metrics", tag = "metrics",
    request_body(content = String, content_type = "text/plain",
        description = "NDJSON: one JSON object per line, sent as application/x-ndjson (or text/plain)"),
    responses((status = 200, body = IngestResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn ingest(mut db: Db, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let ndjson = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/x-ndjson"
                || m == "application/ndjson"
                || m == "application/jsonl"
                || m == "text/plain"
        })
        .unwrap_or(false);
    if !ndjson {
        return Err(ApiError::UnsupportedMediaType);
    }
    let auth = db.auth().clone();
    auth.require_hr()?;
    let records: Vec<_> = RecordReader::new(body.as_ref(), Format::Ndjson)
        .map_err(|e| ApiError::bad_request("unreadable_body", e.to_string()))?
        .collect();
    if records.is_empty() {
        return Err(ApiError::bad_request(
            "empty_body",
            "the body holds no line",
        ));
    }
    if records.len() > MAX_LINES {
        return Err(ApiError::bad_request(
            "too_many_lines",
            format!("at most {MAX_LINES} lines per request; split the upload"),
        ));
    }
    let registry: Vec<(String, String)> =
        sqlx::query_as("SELECT name, hypertable FROM timeseries.metrics")
            .fetch_all(db.conn())
            .await?;
    let named: Vec<Uuid> = records
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .filter(|r| r.tenant_id == auth.tenant.as_uuid())
        .map(|r| r.user_id)
        .collect();
    let users: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE id = ANY($1)")
        .bind(&named)
        .fetch_all(db.conn())
        .await?;
    let now: OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(db.conn())
        .await?;
    let validator = Validator::from_parts(
        registry,
        auth.tenant.as_uuid(),
        users,
        time::Duration::hours(24),
        now,
    );
    let mut results = Vec::with_capacity(records.len());
    let mut accepted: BTreeMap<Hypertable, Columns> = BTreeMap::new();
    for (line, rec) in records {
        let verdict = rec.and_then(|row| validator.verdict(&row).map(|t| (t, row)));
        match verdict {
            Ok((table, row)) => {
                let e = accepted.entry(table).or_default();
                e.0.push(row.user_id);
                e.1.push(row.metric_name);
                e.2.push(row.value);
                e.3.push(row.recorded_at);
                results.push(LineResult {
                    line,
                    status: "accepted".into(),
                    reason: None,
                });
            }
            Err(reason) => results.push(LineResult {
                line,
                status: "rejected".into(),
                reason: Some(reason),
            }),
        }
    }
    let lines = results.len() as u64;
    let ok = results.iter().filter(|r| r.reason.is_none()).count() as u64;
    if ok == 0 {
        return Err(ApiError::Unprocessable {
            code: "no_line_accepted",
            message: format!("none of the {lines} lines was accepted; nothing was loaded"),
            fields: results
                .into_iter()
                .take(100)
                .map(|r| FieldError::new(format!("line {}", r.line), r.reason.unwrap_or_default()))
                .collect(),
        });
    }
    let mut by_table = BTreeMap::new();
    for (table, (users, names, values, times)) in &accepted {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO public.{} (tenant_id, user_id, metric_name, value, recorded_at)
             SELECT $1, u, m, v, t FROM unnest($2::uuid[], $3::text[], $4::float8[], $5::timestamptz[]) AS x(u, m, v, t)",
            table.table()
        )))
        .bind(auth.tenant.as_uuid())
        .bind(users)
        .bind(names)
        .bind(values)
        .bind(times)
        .execute(db.conn())
        .await?;
        by_table.insert(table.table().to_string(), users.len() as u64);
    }
    let ingestion_id: Uuid = sqlx::query_scalar(
        "INSERT INTO metric_ingestions (tenant_id, ingested_by, lines_total, lines_accepted, lines_rejected)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(auth.tenant.as_uuid())
    .bind(auth.user.as_uuid())
    .bind(lines as i32)
    .bind(ok as i32)
    .bind((lines - ok) as i32)
    .fetch_one(db.conn())
    .await?;
    db.commit().await?;
    Ok((
        StatusCode::OK,
        Json(IngestResponse {
            ingestion_id,
            lines,
            accepted: ok,
            rejected: lines - ok,
            by_table,
            results,
        }),
    )
        .into_response())
}
