//! The console's one cross-tenant path: a `pms_maintenance` pool (the role the worker and
//! `pms monitor` use), never `pms_app` with its policies loosened. Every page that reads
//! through it records a `SENSITIVE_READ` security event in the reader's own tenant first
//! ([`audited`]), so an operator's look across tenants leaves a trace in the audit chain.

use super::session::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use pms_archive::ArchiveConfig;
use pms_audit::events::{NewSecurityEvent, SecurityEventKind, Severity, record};
use pms_backup::BackupConfig;
use pms_db::TenantTx;
use sqlx::PgPool;

/// What the console needs to see the platform: the maintenance pool and where the archive and
/// the backups live.
#[derive(Clone)]
pub struct Operations {
    /// Logs in as `pms_maintenance` (it bypasses row-level security: platform reads only).
    pub pool: PgPool,
    /// The archive store to verify (`PMS_ARCHIVE_URL`); `None`: not configured.
    pub archive: Option<ArchiveConfig>,
    /// The backup repository and its restore-drill records; `None`: not configured.
    pub backup: Option<BackupConfig>,
}

/// The resource type of the console's audit entries.
pub(crate) const READ_RESOURCE: &str = "OperationsConsole";
pub(crate) const ACTION_RESOURCE: &str = "ConsoleAction";

/// Records in the viewer's tenant that `page` was read through the operations path, then
/// hands out the pool. `None` when the server has no operations connection.
pub(crate) async fn audited<'a>(
    state: &'a AppState,
    viewer: &Viewer,
    page: &str,
) -> Result<Option<&'a Operations>, ApiError> {
    let Some(ops) = state.operations() else {
        return Ok(None);
    };
    let mut e = NewSecurityEvent::new(SecurityEventKind::SensitiveRead);
    e.user = Some(viewer.auth.user);
    e.resource_type = Some(READ_RESOURCE.into());
    e.details = serde_json::json!({"page": page, "scope": viewer.scope.as_str()});
    e.severity = Some(Severity::Info);
    record_event(state, viewer, &e).await?;
    Ok(Some(ops))
}

/// Records `event` in the viewer's tenant, in a transaction of its own.
pub(crate) async fn record_event(
    state: &AppState,
    viewer: &Viewer,
    event: &NewSecurityEvent,
) -> Result<(), ApiError> {
    let mut tx = TenantTx::begin(state.pool(), viewer.auth.tenant, Some(viewer.auth.user)).await?;
    record(&mut tx, event).await.map_err(ApiError::internal)?;
    tx.commit().await?;
    Ok(())
}

impl Operations {
    /// A read-only transaction whose statements may each run 5 s at most: a page's look across
    /// tenants never holds up the database it describes. The actions use the pool itself.
    pub(crate) async fn read(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::raw_sql(
            "SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = 5000; SET LOCAL lock_timeout = 1000",
        )
        .execute(&mut *tx)
        .await?;
        Ok(tx)
    }
}

/// Why a platform figure is missing when the server runs without an operations connection.
pub(crate) const NO_OPERATIONS: &str = "this server has no operations connection (pms serve opens one as pms_maintenance; PMS_MAINTENANCE_DATABASE_URL)";
