//! Helpers shared by the audit tests: tenants and people made through the real roles.
#![allow(dead_code)]

use pms_audit::Actor;
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use pms_test_support::TestDb;
use sqlx::PgConnection;
use uuid::Uuid;

/// A tenant, created as the maintenance role (the application may not create tenants).
pub async fn make_tenant(db: &TestDb, slug: &str) -> anyhow::Result<TenantId> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
        .bind(id)
        .bind(slug)
        .execute(&db.maintenance)
        .await?;
    Ok(TenantId(id))
}

/// A user of the transaction's tenant.
pub async fn add_user(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
) -> Result<UserId, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, $3, 'Test', 'Person')")
        .bind(tenant.as_uuid())
        .bind(id)
        .bind(email)
        .execute(conn)
        .await?;
    Ok(UserId(id))
}

/// `n` users of `tenant`, committed.
pub async fn add_users(
    db: &TestDb,
    tenant: TenantId,
    prefix: &str,
    n: usize,
) -> anyhow::Result<Vec<UserId>> {
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(add_user(&mut tx, tenant, &format!("{prefix}{i}@example.com")).await?);
    }
    tx.commit().await?;
    Ok(out)
}

pub fn actor(tenant: TenantId, user: UserId, request: &str) -> Actor {
    Actor {
        tenant,
        user: Some(user),
        request_id: Some(request.to_string()),
    }
}

/// Every stream of `tenant`'s chain verifies (as the application, inside the tenant).
pub async fn chain_ok(
    db: &TestDb,
    tenant: TenantId,
) -> anyhow::Result<Vec<pms_audit::ChainStatus>> {
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let status = pms_audit::chain::verify(&mut tx, tenant).await?;
    tx.commit().await?;
    Ok(status)
}
