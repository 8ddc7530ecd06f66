//! The per-tenant hash chains: verification, and the exported head that catches what a
//! self-consistent rewrite (or a truncated tail with a rewound head) would hide.

use crate::AuditError;
use pms_core::TenantId;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

/// The verdict on one stream (`audit` or `security`) of a tenant's chain.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct ChainStatus {
    pub stream: String,
    /// Entries checked before the first broken link (all of them when intact).
    pub entries: i64,
    pub last_seq: i64,
    pub ok: bool,
    /// The sequence number of the first broken link.
    pub broken_seq: Option<i64>,
    pub broken_id: Option<Uuid>,
    pub problem: Option<String>,
}

/// The head of one stream, as exported: keep it where the database owner cannot write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub tenant_id: Uuid,
    pub stream: String,
    pub seq: i64,
    /// Hex SHA-256 of entry `seq`; absent while the stream is empty.
    pub hash: Option<String>,
    pub exported_at: String,
}

/// Verifies both streams of `tenant`'s chain (one row each).
pub async fn verify(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> Result<Vec<ChainStatus>, AuditError> {
    Ok(sqlx::query_as(
        "SELECT stream, entries, last_seq, ok, broken_seq, broken_id, problem FROM verify_audit_chain($1)",
    )
    .bind(tenant.as_uuid())
    .fetch_all(conn)
    .await?)
}

/// The current heads of `tenant`'s streams, to export.
pub async fn export_head(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> Result<Vec<ChainHead>, AuditError> {
    let rows: Vec<(String, i64, Option<String>, String)> = sqlx::query_as(
        "SELECT stream, seq, hash, to_char(exported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
           FROM audit_chain_head($1)",
    )
    .bind(tenant.as_uuid())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(stream, seq, hash, exported_at)| ChainHead {
            tenant_id: tenant.as_uuid(),
            stream,
            seq,
            hash,
            exported_at,
        })
        .collect())
}

/// `None` when the chain still holds the exported `head` unchanged; otherwise what is wrong.
pub async fn check_head(
    conn: &mut PgConnection,
    head: &ChainHead,
) -> Result<Option<String>, AuditError> {
    Ok(
        sqlx::query_scalar("SELECT check_audit_chain_head($1, $2, $3, $4)")
            .bind(head.tenant_id)
            .bind(&head.stream)
            .bind(head.seq)
            .bind(head.hash.as_deref())
            .fetch_one(conn)
            .await?,
    )
}

/// Parses exported heads (a JSON array as written by `pms audit head`).
pub fn parse_heads(json: &str) -> Result<Vec<ChainHead>, AuditError> {
    serde_json::from_str(json)
        .map_err(|e| AuditError::Head(format!("not a list of exported chain heads: {e}")))
}

/// Every tenant the connection can see (all of them for the maintenance role).
pub async fn tenants(conn: &mut PgConnection) -> Result<Vec<(Uuid, String)>, AuditError> {
    Ok(sqlx::query_as("SELECT id, slug FROM tenants ORDER BY slug")
        .fetch_all(conn)
        .await?)
}
