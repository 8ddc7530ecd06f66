//! `ETag` / `If-Match`: a record's version is its `updated_at` in microseconds (the database
//! keeps it true with a trigger). An update with `If-Match` applies only to that version;
//! otherwise 412, and nothing is written.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use time::OffsetDateTime;

/// The version token of a record.
pub(crate) fn etag(updated_at: OffsetDateTime) -> String {
    format!("\"{}\"", updated_at.unix_timestamp_nanos() / 1000)
}

pub(crate) fn etag_header(updated_at: OffsetDateTime) -> (header::HeaderName, HeaderValue) {
    (
        header::ETAG,
        HeaderValue::from_str(&etag(updated_at)).unwrap_or(HeaderValue::from_static("\"0\"")),
    )
}

/// The `If-Match` of a request, as the microseconds it names (`None`: no precondition).
pub(crate) struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(v) = parts.headers.get(header::IF_MATCH) else {
            return Ok(Self(None));
        };
        let raw = v.to_str().unwrap_or("").trim();
        let raw = raw.strip_prefix("W/").unwrap_or(raw);
        let n = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .and_then(|r| r.parse::<i64>().ok())
            .ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_if_match",
                    "If-Match must be an ETag this API returned",
                )
            })?;
        Ok(Self(Some(n)))
    }
}

/// SQL condition on `updated_at` for an optional `If-Match` bound as `$n`.
pub(crate) fn version_matches(param: usize) -> String {
    format!(
        "(${param}::bigint IS NULL OR (extract(epoch FROM updated_at) * 1000000)::bigint = ${param})"
    )
}
