//! Helpers of the one-on-one, PIP, development and notification tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::{Api, Resp};
use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

impl Resp {
    /// The response's ETag header.
    pub fn etag(&self) -> String {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    pub fn id(&self) -> Uuid {
        self.body["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no id in {}", self.body))
    }
}

impl Api {
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Resp {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn post_if(&self, path: &str, token: &str, body: Value, etag: &str) -> Resp {
        self.call_with(
            Method::POST,
            path,
            Some(token),
            Some(body),
            &[("If-Match", etag)],
        )
        .await
    }

    pub async fn patch_if(&self, path: &str, token: &str, body: Value, etag: &str) -> Resp {
        self.call_with(
            Method::PATCH,
            path,
            Some(token),
            Some(body),
            &[("If-Match", etag)],
        )
        .await
    }

    /// A row as text, read as the maintenance role (what is really stored).
    pub async fn row_text(&self, table: &str, id: Uuid) -> String {
        sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(format!(
            "SELECT (SELECT x::text FROM {table} x WHERE id = $1)"
        )))
        .bind(id)
        .fetch_one(&self.db.maintenance)
        .await
        .unwrap()
        .unwrap_or_default()
    }

    /// Audit entries of a row written by `actor`.
    pub async fn audited(&self, table: &str, row: Uuid, actor: Uuid) -> i64 {
        sqlx::query_scalar(
            "SELECT count(*) FROM audit_log WHERE table_name = $1 AND row_id = $2 AND actor_user_id = $3",
        )
        .bind(table)
        .bind(row)
        .bind(actor)
        .fetch_one(&self.db.maintenance)
        .await
        .unwrap()
    }

    /// Notifications of one event about one entity to one person.
    pub async fn notified(&self, recipient: Uuid, event: &str, entity: Uuid) -> i64 {
        sqlx::query_scalar(
            "SELECT count(*) FROM notifications WHERE recipient_id = $1 AND event = $2 AND entity_id = $3",
        )
        .bind(recipient)
        .bind(event)
        .bind(entity)
        .fetch_one(&self.db.maintenance)
        .await
        .unwrap()
    }
}
