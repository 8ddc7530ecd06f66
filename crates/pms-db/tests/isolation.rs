//! Tenant isolation as the application role: colliding natural keys, cross-tenant reads and
//! writes, foreign keys into another tenant (no tenant at all: pms-seed's `demo_seed` tests).

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use uuid::Uuid;

async fn make_tenant(db: &TestDb, slug: &str) -> anyhow::Result<TenantId> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
        .bind(id)
        .bind(slug)
        .execute(&db.maintenance)
        .await?;
    Ok(TenantId(id))
}

async fn add_user(
    tx: &mut TenantTx,
    email: &str,
    manager: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let tenant = tx.tenant().as_uuid();
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, first_name, last_name, manager_id) VALUES ($1, $2, $3, 'A', 'B', $4)",
    )
    .bind(tenant)
    .bind(id)
    .bind(email)
    .bind(manager)
    .execute(&mut ***tx)
    .await?;
    Ok(id)
}

#[tokio::test]
async fn colliding_natural_keys_stay_apart() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let a = make_tenant(&db, "tenant-a").await?;
    let b = make_tenant(&db, "tenant-b").await?;

    let mut tx = TenantTx::begin(&db.app, a, None).await?;
    let ua = add_user(&mut tx, "same@example.com", None).await?;
    sqlx::query(
        "INSERT INTO departments (tenant_id, code, name) VALUES ($1, 'ENG', 'Engineering A')",
    )
    .bind(a.as_uuid())
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;

    let mut tx = TenantTx::begin(&db.app, b, None).await?;
    let ub = add_user(&mut tx, "same@example.com", None).await?;
    sqlx::query(
        "INSERT INTO departments (tenant_id, code, name) VALUES ($1, 'ENG', 'Engineering B')",
    )
    .bind(b.as_uuid())
    .execute(&mut **tx)
    .await?;
    // B sees only B.
    let seen: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users")
        .fetch_all(&mut **tx)
        .await?;
    assert_eq!(seen, vec![ub]);
    let depts: Vec<String> = sqlx::query_scalar("SELECT name FROM departments")
        .fetch_all(&mut **tx)
        .await?;
    assert_eq!(depts, vec!["Engineering B".to_string()]);
    let tenants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM tenants")
        .fetch_all(&mut **tx)
        .await?;
    assert_eq!(tenants, vec![b.as_uuid()]);
    // B cannot change or delete A's row, even by its exact key.
    let n = sqlx::query("UPDATE users SET first_name = 'X' WHERE tenant_id = $1 AND id = $2")
        .bind(a.as_uuid())
        .bind(ua)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 0);
    let n = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(ua)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    assert_eq!(n, 0);
    // B cannot write a row into A.
    let err =
        sqlx::query("INSERT INTO departments (tenant_id, code, name) VALUES ($1, 'OPS', 'Sneaky')")
            .bind(a.as_uuid())
            .execute(&mut **tx)
            .await
            .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    tx.rollback().await?;

    // A's row is intact.
    let mut tx = TenantTx::begin(&db.app, a, None).await?;
    let name: String = sqlx::query_scalar("SELECT first_name FROM users WHERE id = $1")
        .bind(ua)
        .fetch_one(&mut **tx)
        .await?;
    assert_eq!(name, "A");
    // Moving a row to another tenant is refused too.
    let err = sqlx::query("UPDATE departments SET tenant_id = $1")
        .bind(b.as_uuid())
        .execute(&mut **tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    Ok(())
}

#[tokio::test]
async fn a_foreign_key_cannot_point_into_another_tenant() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let a = make_tenant(&db, "tenant-a").await?;
    let b = make_tenant(&db, "tenant-b").await?;
    let mut tx = TenantTx::begin(&db.app, a, None).await?;
    let manager_in_a = add_user(&mut tx, "boss@example.com", None).await?;
    tx.commit().await?;

    let mut tx = TenantTx::begin(&db.app, b, None).await?;
    let err = add_user(&mut tx, "sneaky@example.com", Some(manager_in_a))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("foreign key"), "{err}");
    Ok(())
}
