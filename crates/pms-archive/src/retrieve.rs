//! Reading one archived entity back: one index lookup (`retrieve_archived_entity`), then one
//! ranged read of its frame from the object store.

use crate::error::{ArchiveError, Result};
use crate::format;
use crate::store::ArchiveStore;
use serde::Serialize;
use sqlx::Row;
use uuid::Uuid;

/// An archived entity as found.
#[derive(Debug, Clone, Serialize)]
pub struct Retrieved {
    pub tenant_id: Uuid,
    pub entity_type: String,
    pub id: String,
    /// PENDING (queued by archive_entity, not yet in an object) or ARCHIVED.
    pub state: String,
    pub created_at: String,
    pub object_key: Option<String>,
    pub data: serde_json::Value,
}

/// Finds one entity. Under `pms_app` RLS restricts it to the transaction's tenant; on the
/// maintenance pool pass `tenant` to pick one.
pub async fn retrieve<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    store: &ArchiveStore,
    tenant: Option<Uuid>,
    entity_type: &str,
    id: &str,
) -> Result<Option<Retrieved>> {
    let row = sqlx::query(
        "SELECT tenant_id, entity_type, entity_id, state, created_at, object_key, frame_offset, frame_length, data
         FROM retrieve_archived_entity($1, $2::text) WHERE $3::uuid IS NULL OR tenant_id = $3 LIMIT 1",
    )
    .bind(entity_type)
    .bind(id)
    .bind(tenant)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let created: time::OffsetDateTime = row.try_get("created_at")?;
    let state: String = row.try_get("state")?;
    let key: Option<String> = row.try_get("object_key")?;
    let data = match (state.as_str(), &key) {
        ("ARCHIVED", Some(k)) => {
            let offset: i64 = row.try_get("frame_offset")?;
            let len: i32 = row.try_get("frame_length")?;
            let bytes = store.get_range(k, offset as u64, len as u64).await?;
            let archived = format::decode_frame(k, &bytes)?;
            if archived.id != id {
                return Err(ArchiveError::Corrupt {
                    key: k.clone(),
                    reason: format!("frame at {offset} holds {}, not {id}", archived.id),
                });
            }
            archived.data
        }
        _ => row
            .try_get::<Option<serde_json::Value>, _>("data")?
            .unwrap_or(serde_json::Value::Null),
    };
    Ok(Some(Retrieved {
        tenant_id: row.try_get("tenant_id")?,
        entity_type: row.try_get("entity_type")?,
        id: row.try_get("entity_id")?,
        state,
        created_at: crate::archiver::rfc3339(created),
        object_key: key,
        data,
    }))
}
