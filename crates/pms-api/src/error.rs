//! The API's one error type. Every 4xx is `{"error": {"code", "message", "fields": [...]}}` with
//! a stable `code`; a 5xx is generic, logged once with its request id, and leaks nothing.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// One invalid field: its JSON path (`key_results[0].target_value`) and what is wrong.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub message: String,
}

impl FieldError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `invalid_json`, `validation_failed`, `not_found`, ...
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request cannot be read (malformed JSON, bad id, bad cursor, bad query).
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
    },
    /// 401: no valid session.
    #[error("authentication required")]
    Unauthorized { code: &'static str, message: String },
    /// 403: a signed-in caller asked for an action their role does not allow, on something
    /// they can see (what they cannot see is a 404).
    #[error("{0}")]
    Forbidden(String),
    /// 404: unknown, in another tenant, or not visible to the caller: indistinguishable.
    #[error("not found")]
    NotFound,
    /// 409: the state does not allow it (duplicate, workflow out of order).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 412: `If-Match` does not match the current version.
    #[error("the resource changed since it was read")]
    PreconditionFailed,
    /// 413: body larger than the limit.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// 415: not `application/json`.
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// 422: well-formed but invalid values.
    #[error("{message}")]
    Unprocessable {
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
    },
    /// 429 with `Retry-After`.
    #[error("too many attempts; retry after {} s", .0.as_secs().max(1))]
    TooManyRequests(Duration),
    /// 503: a dependency (database, cache for sessions) is unavailable or too slow.
    #[error("{0}")]
    Unavailable(String),
    /// 500: logged with its cause; the client sees a generic message.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => format!("{}: {}", one.path, one.message),
            _ => format!("{} fields are invalid", fields.len()),
        };
        Self::Unprocessable {
            code: "validation_failed",
            message,
            fields,
        }
    }

    pub fn field(path: &str, message: impl Into<String>) -> Self {
        Self::invalid(vec![FieldError::new(path, message)])
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthorized {
            code,
            message: message.into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Unauthorized { code, .. }
            | Self::Conflict { code, .. }
            | Self::Unprocessable { code, .. } => code,
            Self::Forbidden(_) => "forbidden",
            Self::NotFound => "not_found",
            Self::PreconditionFailed => "precondition_failed",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::TooManyRequests(_) => "rate_limited",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }
}

/// The body of an error response, for writing errors outside handlers (middleware, fallback).
pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_string(),
            message: message.to_string(),
            fields: Vec::new(),
        },
    };
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code().to_string();
        let wait = match &self {
            Self::TooManyRequests(w) => Some(*w),
            _ => None,
        };
        let (message, fields) = match self {
            Self::Internal(cause) => {
                // Logged once, here; the request id is on the surrounding span.
                tracing::error!(error = %cause, "request failed");
                (
                    "internal error; the request id identifies it in the logs".to_string(),
                    Vec::new(),
                )
            }
            Self::Unavailable(cause) => {
                tracing::warn!(error = %cause, "dependency unavailable");
                (
                    "a dependency is unavailable; retry later".to_string(),
                    Vec::new(),
                )
            }
            Self::BadRequest {
                message, fields, ..
            }
            | Self::Unprocessable {
                message, fields, ..
            } => (message, fields),
            ref other => (other.to_string(), Vec::new()),
        };
        let mut resp = (
            status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code,
                    message,
                    fields,
                },
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        match wait {
            Some(w) => with_retry_after(resp, w),
            None => resp,
        }
    }
}

/// Maps database errors: constraint violations become 409/422 naming the constraint's field,
/// a row-level-security refusal becomes 404 (what the caller may not write, it may not know),
/// anything else a 500.
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let code = db.code().map(|c| c.to_string()).unwrap_or_default();
            let constraint = db.constraint().unwrap_or("").to_string();
            match code.as_str() {
                "23505" => {
                    return Self::conflict(
                        "already_exists",
                        format!("a row with the same key already exists ({constraint})"),
                    );
                }
                "23503" => {
                    return Self::field(
                        &field_of(&constraint),
                        "refers to something that does not exist",
                    );
                }
                "23514" | "23502" | "22001" | "22003" | "22007" | "22008" | "22P02" => {
                    let path = if constraint.is_empty() {
                        "body".to_string()
                    } else {
                        field_of(&constraint)
                    };
                    return Self::field(
                        &path,
                        format!("rejected by the database: {}", db.message()),
                    );
                }
                "42501" if db.message().contains("row-level security") => return Self::NotFound,
                "P0001" => return Self::conflict("rejected", db.message().to_string()),
                "57014" => return Self::Unavailable("statement timed out".into()),
                _ => {}
            }
        }
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                Self::Unavailable(format!("database: {e}"))
            }
            other => Self::Internal(format!("database: {other}")),
        }
    }
}

/// `goals_owner_id_fkey` → `owner_id`; `goals_period_check` → `period`.
fn field_of(constraint: &str) -> String {
    let trimmed = constraint
        .trim_end_matches("_fkey")
        .trim_end_matches("_check")
        .trim_end_matches("_key");
    match trimmed.split_once('_') {
        Some((_, rest)) if !rest.is_empty() => rest.to_string(),
        _ => trimmed.to_string(),
    }
}

impl From<pms_cache::CacheError> for ApiError {
    fn from(e: pms_cache::CacheError) -> Self {
        if e.is_unavailable() {
            Self::Unavailable(format!("cache: {e}"))
        } else {
            Self::Internal(format!("cache: {e}"))
        }
    }
}

/// Adds `Retry-After` (whole seconds, at least 1).
pub fn with_retry_after(mut resp: Response, wait: Duration) -> Response {
    let secs = wait.as_secs().max(1).to_string();
    if let Ok(v) = HeaderValue::from_str(&secs) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}
