//! Transactions that carry their tenant. Application work runs in a [`TenantTx`], which sets
//! `app.tenant_id` (and `app.user_id`) with `set_config(..., true)`: local to the transaction,
//! so it is safe under PgBouncer's transaction pooling and can never leak to the next user of
//! the connection. Cross-tenant work has its own type, [`MaintenanceTx`], on the
//! `pms_maintenance` pool, so it is visible in every signature that does it.
//!
//! On a Citus coordinator the settings must reach the workers too, where the shards' row-level
//! security and triggers read them: Citus forwards `SET LOCAL` (with
//! `citus.propagate_set_commands = 'local'`, which `pms migrate` sets on the coordinator's
//! database) but not a `set_config` call. So once a connection has found the `citus`
//! extension ([`crate::connect::DbUrls::pool`] looks when it makes a pool), both types set
//! their settings with `SET LOCAL` instead: still local to the transaction, so just as safe
//! under PgBouncer.

use pms_core::{TenantId, UserId};
use sqlx::{PgPool, Postgres, Transaction};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};

static SET_LOCAL: AtomicBool = AtomicBool::new(false);

/// From now on, this process sets the tenant context with `SET LOCAL` (Citus). Never switched
/// back: `SET LOCAL` is right on a plain server as well.
pub fn use_set_local() {
    SET_LOCAL.store(true, Ordering::Relaxed);
}

/// True once [`use_set_local`] was called.
pub fn uses_set_local() -> bool {
    SET_LOCAL.load(Ordering::Relaxed)
}

/// `value` as an escaped string literal (`E'...'`, read the same whatever
/// `standard_conforming_strings` says).
fn literal(value: &str) -> String {
    format!("E'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
}

/// Sets transaction-local settings: one `set_config(..., true)` statement, or on Citus one
/// batch of `SET LOCAL`s (literals: `SET` takes no parameters).
async fn set_local(
    conn: &mut sqlx::PgConnection,
    settings: &[(&str, String)],
) -> Result<(), sqlx::Error> {
    if uses_set_local() {
        let sql: String = settings
            .iter()
            .map(|(name, value)| format!("SET LOCAL {name} = {};", literal(value)))
            .collect();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(conn)
            .await?;
        return Ok(());
    }
    let calls: Vec<String> = (1..=settings.len())
        .zip(settings)
        .map(|(i, (name, _))| format!("set_config('{name}', ${i}, true)"))
        .collect();
    let sql = format!("SELECT {}", calls.join(", "));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (_, value) in settings {
        q = q.bind(value.as_str());
    }
    q.execute(conn).await?;
    Ok(())
}

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
        set_local(
            &mut tx,
            &[
                ("app.tenant_id", tenant.to_string()),
                (
                    "app.user_id",
                    user.map(|u| u.to_string()).unwrap_or_default(),
                ),
                ("app.request_id", request_id.unwrap_or_default().to_owned()),
            ],
        )
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
        set_local(&mut tx, &[("app.maintenance", "on".to_owned())]).await?;
        Ok(Self { tx })
    }

    /// Scopes the rest of this transaction to one tenant (for work that must pass RLS checks
    /// even under a role that bypasses them, e.g. to exercise policies).
    pub async fn set_tenant(&mut self, tenant: TenantId) -> Result<(), sqlx::Error> {
        set_local(&mut self.tx, &[("app.tenant_id", tenant.to_string())]).await
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
