//! `Idempotency-Key` on creating POSTs: the first response is stored in the request's own
//! transaction and replayed to a retry with the same key and the same body; the same key with
//! another body is refused. A concurrent retry waits on the key's row until the first commits.
//! A key counts for a day: an older one is taken as new (the worker's `purge_idempotency_keys`
//! deletes them).

use crate::db::Db;
use crate::error::ApiError;
use crate::middleware::IDEMPOTENCY_KEY;
use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub(crate) struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(v) = parts.headers.get(IDEMPOTENCY_KEY) else {
            return Ok(Self(None));
        };
        let k = v.to_str().unwrap_or("").trim();
        if k.is_empty() || k.len() > 200 || !k.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 200 printable ASCII characters",
            ));
        }
        Ok(Self(Some(k.to_string())))
    }
}

const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// Claims `key` for this request; `Some(response)` when an earlier request already answered.
pub(crate) async fn claim<B: Serialize>(
    db: &mut Db,
    key: &IdempotencyKey,
    body: &B,
) -> Result<Option<Response>, ApiError> {
    let Some(k) = &key.0 else { return Ok(None) };
    let hash: [u8; 32] =
        Sha256::digest(serde_json::to_vec(body).map_err(ApiError::internal)?).into();
    let me = db.auth().user.as_uuid();
    let tenant = db.auth().tenant.as_uuid();
    let inserted: Option<bool> = sqlx::query_scalar(
        "INSERT INTO api_idempotency_keys (tenant_id, user_id, key, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, user_id, key) DO UPDATE
            SET request_hash = EXCLUDED.request_hash, status = NULL, response = NULL, created_at = now()
          WHERE api_idempotency_keys.created_at < now() - interval '1 day'
         RETURNING true",
    )
    .bind(tenant)
    .bind(me)
    .bind(k)
    .bind(hash.as_slice())
    .fetch_optional(db.conn())
    .await?;
    if inserted.is_some() {
        return Ok(None);
    }
    let (stored_hash, status, response): (Vec<u8>, Option<i16>, Option<serde_json::Value>) = sqlx::query_as(
        "SELECT request_hash, status, response FROM api_idempotency_keys WHERE user_id = $1 AND key = $2",
    )
    .bind(me)
    .bind(k)
    .fetch_one(db.conn())
    .await?;
    if stored_hash != hash {
        return Err(ApiError::Unprocessable {
            code: "idempotency_key_reused",
            message: "this Idempotency-Key was used with a different request body".into(),
            fields: Vec::new(),
        });
    }
    let status = status
        .and_then(|s| StatusCode::from_u16(s as u16).ok())
        .unwrap_or(StatusCode::OK);
    let mut resp = (status, Json(response.unwrap_or(serde_json::Value::Null))).into_response();
    resp.headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    Ok(Some(resp))
}

/// Stores the answer to a claimed key (in the same transaction as the work it describes).
pub(crate) async fn remember<T: Serialize>(
    db: &mut Db,
    key: &IdempotencyKey,
    status: StatusCode,
    body: &T,
) -> Result<(), ApiError> {
    let Some(k) = &key.0 else { return Ok(()) };
    let me = db.auth().user.as_uuid();
    sqlx::query("UPDATE api_idempotency_keys SET status = $3, response = $4 WHERE user_id = $1 AND key = $2")
        .bind(me)
        .bind(k)
        .bind(status.as_u16() as i16)
        .bind(serde_json::to_value(body).map_err(ApiError::internal)?)
        .execute(db.conn())
        .await?;
    Ok(())
}
