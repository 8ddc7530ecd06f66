//! Report runs: requesting one now (queued for the worker, which computes it as me), listing
//! mine, and downloading a generated report as CSV or JSON (`?format=` first, then `Accept`,
//! then the run's own format).

use super::{check_format, fetch_definition};
use crate::db::Db;
use crate::error::{ApiError, ErrorBody, FieldError, error_response};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pagination::{Page, PageParams, page, time_key};
use crate::routes::idempotency::{IdempotencyKey, claim, remember};
use crate::routes::promotions::{after_time, done};
use crate::routes::versions::etag_header;
use crate::state::AppState;
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(generate_now))
        .routes(routes!(list_generated))
        .routes(routes!(get_generated))
        .routes(routes!(download_generated))
}

const STATUSES: [&str; 4] = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"];
/// The longest period one run covers.
const MAX_PERIOD_DAYS: i64 = 366;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct GeneratedReportResponse {
    pub id: Uuid,
    pub report_id: Uuid,
    /// The schedule that queued it; absent when requested.
    pub schedule_id: Option<Uuid>,
    /// Whom it was computed as (the requester, or the owner of a scheduled report).
    pub requested_by: Option<Uuid>,
    /// QUEUED, RUNNING, SUCCEEDED or FAILED.
    pub status: String,
    /// CSV or JSON: the default of its download.
    pub format: String,
    #[serde(with = "crate::day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub period_start: Option<Date>,
    #[serde(with = "crate::day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub period_end: Option<Date>,
    pub row_count: Option<i32>,
    /// Why it failed.
    pub error: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, report_id, schedule_id, requested_by, status, format, period_start, period_end, row_count, error,
    started_at, finished_at, created_at, updated_at";

async fn fetch(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<GeneratedReportResponse>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM generated_reports WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateReportRequest {
    /// CSV (default) or JSON.
    pub format: Option<String>,
    /// The period, both days or neither (at most 366 days).
    #[serde(default, with = "crate::day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub period_start: Option<Date>,
    #[serde(default, with = "crate::day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub period_end: Option<Date>,
    /// Without a period: the last complete period of the report's kind before this day
    /// (default today, UTC): the week before for a weekly summary, the month before for a
    /// monthly card, the quarter before for a quarterly review.
    #[serde(default, with = "crate::day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
}

/// Requests a run of a report I may see, now: queued (202) for the worker, which computes it
/// as me, so it holds only what I may see. Honors `Idempotency-Key`.
#[utoipa::path(post, path = "/reports/definitions/{id}/generate", tag = "reports", request_body = GenerateReportRequest,
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 202, body = GeneratedReportResponse), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn generate_now(
    mut db: Db,
    key: IdempotencyKey,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<GenerateReportRequest>,
) -> Result<Response, ApiError> {
    let mut f = Vec::new();
    check_format(&mut f, "format", req.format.as_deref());
    let in_range = |d: Date| (1900..=2200).contains(&d.year());
    for (path, d) in [
        ("period_start", req.period_start),
        ("period_end", req.period_end),
        ("as_of", req.as_of),
    ] {
        if let Some(d) = d
            && !in_range(d)
        {
            f.push(FieldError::new(path, "a date between 1900 and 2200"));
        }
    }
    match (req.period_start, req.period_end) {
        (Some(s), Some(e)) => {
            if e < s {
                f.push(FieldError::new("period_end", "not before period_start"));
            } else if (e - s).whole_days() >= MAX_PERIOD_DAYS {
                f.push(FieldError::new("period_end", "at most 366 days of period"));
            }
            if req.as_of.is_some() {
                f.push(FieldError::new(
                    "as_of",
                    "either a period or as_of, not both",
                ));
            }
        }
        (None, None) => {}
        (None, Some(_)) => f.push(FieldError::new("period_start", "required with period_end")),
        (Some(_), None) => f.push(FieldError::new("period_end", "required with period_start")),
    }
    done(f)?;
    let report = fetch_definition(db.conn(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !super::REPORT_KINDS.contains(&report.report_type.as_str()) {
        return Err(ApiError::conflict(
            "not_generated",
            format!(
                "reports of type {} are kept but not generated by the platform",
                report.report_type
            ),
        ));
    }
    if let Some(replay) = claim(&mut db, &key, &req).await? {
        return Ok(replay);
    }
    let (start, end): (Date, Date) = match (req.period_start, req.period_end) {
        (Some(s), Some(e)) => (s, e),
        _ => {
            sqlx::query_as(
                "SELECT period_start, period_end FROM pms_report_period($1, coalesce($2, (now() AT TIME ZONE 'UTC')::date), $3)",
            )
            .bind(&report.report_type)
            .bind(req.as_of)
            .bind(report.definition.get("period").and_then(|v| v.as_str()))
            .fetch_one(db.conn())
            .await?
        }
    };
    let run: Uuid = sqlx::query_scalar(
        "INSERT INTO generated_reports (tenant_id, report_id, requested_by, status, format, period_start, period_end)
         VALUES ($1, $2, $3, 'QUEUED', $4, $5, $6) RETURNING id",
    )
    .bind(db.auth().tenant.as_uuid())
    .bind(id)
    .bind(db.auth().user.as_uuid())
    .bind(req.format.as_deref().unwrap_or("CSV"))
    .bind(start)
    .bind(end)
    .fetch_one(db.conn())
    .await?;
    let g = fetch(db.conn(), run)
        .await?
        .ok_or_else(|| ApiError::internal("the new run is not visible to its requester"))?;
    remember(&mut db, &key, StatusCode::ACCEPTED, &g).await?;
    db.commit().await?;
    Ok((StatusCode::ACCEPTED, [etag_header(g.updated_at)], Json(g)).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GeneratedReportQuery {
    pub report_id: Option<Uuid>,
    /// QUEUED, RUNNING, SUCCEEDED or FAILED.
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// My report runs (requested, or of my scheduled reports), newest first.
#[utoipa::path(get, path = "/reports/generated", tag = "reports", params(GeneratedReportQuery),
    responses((status = 200, body = Page<GeneratedReportResponse>), (status = 400, body = ErrorBody)))]
async fn list_generated(
    mut db: Db,
    ApiQuery(q): ApiQuery<GeneratedReportQuery>,
) -> Result<Json<Page<GeneratedReportResponse>>, ApiError> {
    let p = PageParams {
        cursor: q.cursor,
        limit: q.limit,
    };
    let limit = p.limit()?;
    let after = after_time(&p)?;
    if let Some(s) = &q.status
        && !STATUSES.contains(&s.as_str())
    {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            message: format!("status must be one of {}", STATUSES.join(", ")),
            fields: vec![FieldError::new("status", "unknown")],
        });
    }
    let rows: Vec<GeneratedReportResponse> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM generated_reports
          WHERE ($1::uuid IS NULL OR report_id = $1) AND ($2::text IS NULL OR status = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
          ORDER BY created_at DESC, id DESC LIMIT $5"
    )))
    .bind(q.report_id)
    .bind(q.status.as_deref())
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit + 1)
    .fetch_all(db.conn())
    .await?;
    db.commit().await?;
    Ok(Json(page(rows, limit, |r: &GeneratedReportResponse| {
        (time_key(r.created_at), r.id)
    })))
}

/// One of my report runs.
#[utoipa::path(get, path = "/reports/generated/{id}", tag = "reports", params(("id" = Uuid, Path)),
    responses((status = 200, body = GeneratedReportResponse), (status = 404, body = ErrorBody)))]
async fn get_generated(mut db: Db, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let g = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    db.commit().await?;
    Ok(([etag_header(g.updated_at)], Json(g)).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// csv or json; wins over `Accept`.
    pub format: Option<String>,
}

/// A generated report as a JSON document: what it is, and one object per row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDocument {
    pub id: Uuid,
    pub report_id: Uuid,
    pub name: String,
    pub report_type: String,
    #[serde(with = "crate::day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub period_start: Option<Date>,
    #[serde(with = "crate::day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub period_end: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub generated_at: Option<OffsetDateTime>,
    pub columns: Vec<String>,
    /// `{column: value}` per row, in the report's order.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

/// The format of a download: `?format=`, else the first of CSV or JSON that `Accept` names
/// (a wildcard or no header: the run's own format); `None` when `Accept` names neither.
fn negotiate(
    query: Option<&str>,
    headers: &HeaderMap,
    stored: &str,
) -> Result<Option<Format>, ApiError> {
    let own = if stored == "JSON" {
        Format::Json
    } else {
        Format::Csv
    };
    if let Some(q) = query {
        return match q.to_ascii_lowercase().as_str() {
            "csv" => Ok(Some(Format::Csv)),
            "json" => Ok(Some(Format::Json)),
            _ => Err(ApiError::BadRequest {
                code: "invalid_query",
                message: "format must be csv or json".into(),
                fields: vec![FieldError::new("format", "csv or json")],
            }),
        };
    }
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(Some(own));
    };
    let mut best: Option<(f32, Format)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let format = match media.as_str() {
            "text/csv" => Some(Format::Csv),
            "application/json" => Some(Format::Json),
            "*/*" | "text/*" | "application/*" => Some(match media.as_str() {
                "text/*" => Format::Csv,
                "application/*" => Format::Json,
                _ => own,
            }),
            _ => None,
        };
        if let Some(fmt) = format
            && q > 0.0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, fmt));
        }
    }
    Ok(best.map(|b| b.1))
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge spaces,
/// quotes doubled; text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab)
/// starts with an apostrophe. Numbers and booleans as JSON writes them; null is empty.
pub(crate) fn csv_field(v: &serde_json::Value) -> String {
    let text = match v {
        serde_json::Value::Null => return String::new(),
        serde_json::Value::String(s) => {
            if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{s}")
            } else {
                s.clone()
            }
        }
        other => other.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The CSV of a report: a header line of its columns, then its rows, CRLF line ends.
pub(crate) fn to_csv(columns: &[String], rows: &[Vec<serde_json::Value>]) -> String {
    let mut out = String::new();
    let header: Vec<String> = columns
        .iter()
        .map(|c| csv_field(&serde_json::Value::String(c.clone())))
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for r in rows {
        let line: Vec<String> = r.iter().map(csv_field).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

type ContentRow = (
    String,
    String,
    Option<serde_json::Value>,
    Option<OffsetDateTime>,
);

/// Downloads a generated report of mine: CSV (`text/csv`) or JSON (`application/json`). A run
/// that has not succeeded is 409 `report_not_ready`; an `Accept` naming neither format, 406.
#[utoipa::path(get, path = "/reports/generated/{id}/download", tag = "reports",
    params(("id" = Uuid, Path), DownloadQuery, ("Accept" = Option<String>, Header)),
    responses((status = 200, description = "the report", content((String = "text/csv"), (ReportDocument = "application/json"))),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 406, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn download_generated(
    mut db: Db,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<DownloadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let g = fetch(db.conn(), id).await?.ok_or(ApiError::NotFound)?;
    let Some(format) = negotiate(q.format.as_deref(), &headers, &g.format)? else {
        return Ok(error_response(
            StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
            "a report downloads as text/csv or application/json",
        ));
    };
    if g.status != "SUCCEEDED" {
        return Err(ApiError::conflict(
            "report_not_ready",
            format!("the report is {}: nothing to download yet", g.status),
        ));
    }
    let (name, report_type, content, finished_at): ContentRow = sqlx::query_as(
        "SELECT d.name, d.report_type, g.content, g.finished_at
           FROM generated_reports g JOIN report_definitions d ON d.tenant_id = g.tenant_id AND d.id = g.report_id
          WHERE g.id = $1",
    )
    .bind(id)
    .fetch_optional(db.conn())
    .await?
    .ok_or(ApiError::NotFound)?;
    db.commit().await?;
    let content = content.unwrap_or_default();
    let columns: Vec<String> = content
        .get("columns")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(ApiError::internal)?
        .unwrap_or_default();
    let rows: Vec<Vec<serde_json::Value>> = content
        .get("rows")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(ApiError::internal)?
        .unwrap_or_default();
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let day = g.period_end.map(|d| d.to_string()).unwrap_or_default();
    let (body, media, ext) = match format {
        Format::Csv => (to_csv(&columns, &rows), "text/csv; charset=utf-8", "csv"),
        Format::Json => {
            let doc = ReportDocument {
                id: g.id,
                report_id: g.report_id,
                name,
                report_type,
                period_start: g.period_start,
                period_end: g.period_end,
                generated_at: finished_at,
                rows: rows
                    .into_iter()
                    .map(|r| columns.iter().cloned().zip(r).collect())
                    .collect(),
                columns,
            };
            (
                serde_json::to_string(&doc).map_err(ApiError::internal)?,
                "application/json",
                "json",
            )
        }
    };
    let disposition = format!("attachment; filename=\"{stem}-{day}.{ext}\"");
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
        assert_eq!(csv_field(&json!(null)), "");
        assert_eq!(csv_field(&json!(4.5)), "4.5");
        assert_eq!(csv_field(&json!("plain")), "plain");
        assert_eq!(csv_field(&json!("Doe, Jane")), "\"Doe, Jane\"");
        assert_eq!(csv_field(&json!("say \"hi\"")), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field(&json!("two\nlines")), "\"two\nlines\"");
        assert_eq!(csv_field(&json!(" edge")), "\" edge\"");
        assert_eq!(csv_field(&json!("=1+1")), "'=1+1");
        assert_eq!(csv_field(&json!(-3)), "-3");
        let csv = to_csv(
            &["a".into(), "b".into()],
            &[vec![json!(1), json!("x,y")], vec![json!(null), json!(true)]],
        );
        assert_eq!(csv, "a,b\r\n1,\"x,y\"\r\n,true\r\n");
    }

    #[test]
    fn the_format_comes_from_the_query_then_accept_then_the_run() {
        let mut h = HeaderMap::new();
        assert!(negotiate(None, &h, "JSON").unwrap() == Some(Format::Json));
        assert!(negotiate(Some("CSV"), &h, "JSON").unwrap() == Some(Format::Csv));
        assert!(negotiate(Some("pdf"), &h, "JSON").is_err());
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("text/csv;q=0.5, application/json"),
        );
        assert!(negotiate(None, &h, "CSV").unwrap() == Some(Format::Json));
        h.insert(header::ACCEPT, HeaderValue::from_static("*/*"));
        assert!(negotiate(None, &h, "CSV").unwrap() == Some(Format::Csv));
        h.insert(header::ACCEPT, HeaderValue::from_static("application/pdf"));
        assert!(negotiate(None, &h, "CSV").unwrap().is_none());
    }
}
