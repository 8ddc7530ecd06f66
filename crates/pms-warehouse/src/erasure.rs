//! The Parquet export as a tier of an erasure. The warehouse tables are erased inside the
//! erasure's transaction (`pms_retention.erase_warehouse_person`); the export is an object store
//! outside it, so after the commit this tier re-exports the person's tenant: every partition
//! that held them has new rows, hence a new fingerprint, and is rewritten (or deleted when
//! emptied); the others are left alone. A store without an export yet is left untouched.

use crate::export::{MANIFEST, export};
use pms_archive::erase::ErasureTier;
use pms_archive::{ArchiveConfig, ArchiveStore};
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

/// The export at `url`, rewritten from the warehouse read through `pool` after an erasure.
pub struct ExportTier {
    pool: sqlx::PgPool,
    url: String,
}

impl ExportTier {
    pub fn new(pool: sqlx::PgPool, url: impl Into<String>) -> Self {
        Self {
            pool,
            url: url.into(),
        }
    }

    async fn rewrite(&self, tenant: Uuid) -> Result<serde_json::Value, String> {
        let store = ArchiveStore::open(&ArchiveConfig::for_url(self.url.clone()))
            .map_err(|e| format!("opening the warehouse export {}: {e}", self.url))?;
        let keys = store.list().await.map_err(|e| e.to_string())?;
        if !keys.iter().any(|k| k == MANIFEST) {
            return Ok(serde_json::json!({ "url": self.url, "exported": false }));
        }
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(|e| format!("connecting for the warehouse export: {e}"))?;
        let r = export(&mut conn, &store, Some(tenant))
            .await
            .map_err(|e| e.to_string())?;
        Ok(serde_json::json!({
            "url": r.url, "exported": true, "partitions_rewritten": r.written,
            "partitions_removed": r.removed, "partitions_unchanged": r.unchanged,
        }))
    }
}

impl ErasureTier for ExportTier {
    fn name(&self) -> &'static str {
        "warehouse_export"
    }

    fn erase<'a>(
        &'a self,
        tenant: Uuid,
        _person: Uuid,
        _pseudonym: Uuid,
    ) -> Pin<Box<dyn Future<Output = Result<serde_json::Value, String>> + Send + 'a>> {
        Box::pin(self.rewrite(tenant))
    }
}
