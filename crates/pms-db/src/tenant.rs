//! Transactions that carry their tenant. Application work runs in a [`TenantTx`], which sets
//! `app.tenant_id` (and `app.user_id`) with `set_config(..., true)`: local to the transaction,
//! so it is safe under PgBouncer's transaction pooling and can never leak to the next user of
//! the connection. Cross-tenant work has its own type, [`MaintenanceTx`], on the
//! `pms_maintenance` pool, so it is visible in every signature that does it.

use pms_core::{TenantId, UserId};
use sqlx::{PgPool, Postgres, Transaction};
use std::ops::{Deref, DerefMut};

/// A transaction scoped to one tenant (and optionally one acting user).
pub struct TenantTx {
    tx: Transaction<'static, Postgres>,
    tenant: TenantId,
    user: Option<UserId>,
}

impl TenantTx {
    /// Begins a transaction and sets the tenant (and user, and request id) for it only.
    pub async fn begin(
        pool: &PgPool,
        tenant: TenantId,
        user: Option<UserId>,
    ) -> Result<Self, sqlx::Error> {
        Self::begin_with_request(pool, tenant, user, None).await
    }

    /// As [`TenantTx::begin`], also recording a request id for the audit trail.
    pub async fn begin_with_request(
        pool: &PgPool,
        tenant: TenantId,
        user: Option<UserId>,
        request_id: Option<&str>,
    ) -> Result<Self, sqlx::Error> {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), set_config('app.request_id', $3, true)",
        )
        .bind(tenant.to_string())
        .bind(user.map(|u| u.to_string()).unwrap_or_default())
        .bind(request_id.unwrap_or_default())
        .execute(&mut *tx)
        .await?;
        Ok(Self { tx, tenant, user })
    }

    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    pub fn user(&self) -> Option<UserId> {
        self.user
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl Deref for TenantTx {
    type Target = Transaction<'static, Postgres>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl DerefMut for TenantTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// A cross-tenant transaction for scheduled maintenance, seeding and operator commands.
/// Only obtainable from a pool that logs in as `pms_maintenance` (or the owner).
pub struct MaintenanceTx {
    tx: Transaction<'static, Postgres>,
}

impl MaintenanceTx {
    pub async fn begin(pool: &PgPool) -> Result<Self, sqlx::Error> {
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT set_config('app.maintenance', 'on', true)")
            .execute(&mut *tx)
            .await?;
        Ok(Self { tx })
    }

    /// Scopes the rest of this transaction to one tenant (for work that must pass RLS checks
    /// even under a role that bypasses them, e.g. to exercise policies).
    pub async fn set_tenant(&mut self, tenant: TenantId) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(tenant.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Deref for MaintenanceTx {
    type Target = Transaction<'static, Postgres>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl DerefMut for MaintenanceTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}
