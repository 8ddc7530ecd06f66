//! Cursor pagination: every list is ordered by a key and the row id, and the cursor is the
//! last row's pair, opaque to clients. Offsets are not offered: they skip or repeat rows when
//! the list changes between pages, and they get slower with depth.

use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub(crate) const DEFAULT_LIMIT: i64 = 50;
pub(crate) const MAX_LIMIT: i64 = 200;

/// `?cursor=&limit=` of a list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(n) => Err(ApiError::BadRequest {
                code: "invalid_query",
                message: format!("limit must be from 1 to {MAX_LIMIT}, not {n}"),
                fields: vec![crate::error::FieldError::new("limit", "out of range")],
            }),
        }
    }

    /// The (key, id) after which the page starts.
    pub fn after(&self) -> Result<Option<(String, Uuid)>, ApiError> {
        let Some(c) = &self.cursor else {
            return Ok(None);
        };
        decode(c).map(Some).ok_or_else(|| {
            ApiError::bad_request("invalid_cursor", "the cursor is not one this API returned")
        })
    }
}

fn encode(key: &str, id: Uuid) -> String {
    hex::encode(format!("{key}\u{1f}{id}"))
}

fn decode(c: &str) -> Option<(String, Uuid)> {
    let raw = String::from_utf8(hex::decode(c).ok()?).ok()?;
    let (key, id) = raw.rsplit_once('\u{1f}')?;
    Some((key.to_string(), Uuid::try_parse(id).ok()?))
}

/// Builds a page from `rows` fetched with `LIMIT limit + 1`.
pub(crate) fn page<T>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> (String, Uuid)) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| {
            let (k, id) = key(r);
            encode(&k, id)
        })
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}

/// The cursor key of a timestamp: microseconds since the epoch, zero-padded so that text
/// order is time order.
pub(crate) fn time_key(t: time::OffsetDateTime) -> String {
    format!(
        "{:020}",
        (t.unix_timestamp_nanos() / 1000) as i64 + 10_i64.pow(18)
    )
}

/// The timestamp of a [`time_key`].
pub(crate) fn parse_time_key(k: &str) -> Result<time::OffsetDateTime, ApiError> {
    let bad = || ApiError::bad_request("invalid_cursor", "the cursor is not one this API returned");
    let n: i64 = k.parse().map_err(|_| bad())?;
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(n - 10_i64.pow(18)) * 1000)
        .map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let id = Uuid::new_v4();
        let c = encode("Doe\u{1f}x", id);
        assert_eq!(decode(&c), Some(("Doe\u{1f}x".to_string(), id)));
        assert!(decode("zz").is_none());
        assert!(decode(&hex::encode("no separator")).is_none());
        let t = time::macros::datetime!(2026-01-02 03:04:05.123456 UTC);
        assert_eq!(parse_time_key(&time_key(t)).unwrap(), t);
        let early = time::macros::datetime!(1999-01-01 0:00 UTC);
        assert!(time_key(early) < time_key(t));
    }
}
