//! Tenant isolation over every table of the catalog: with both demo tenants seeded, the
//! application role sees only the current tenant's rows in each table and can change none of
//! the other tenant's. The table list comes from the live catalog, so a new table is covered
//! the day it is created (and must get demo rows, or this test says which table has none).

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_db::seed::demo::{DEMO_COMPANY, SECOND_TENANT, seed_demo, tenant_id};
use pms_test_support::{TestDb, catalog};

#[tokio::test]
async fn every_table_shows_the_app_only_the_current_tenant() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    seed_demo(&db.maintenance).await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let acme = tenant_id(&SECOND_TENANT);
    let mut owner = db.owner().await?;
    let tables = catalog::tenant_tables(&mut owner).await?;
    assert!(tables.len() >= 100, "{} tables", tables.len());

    for table in &tables {
        // The truth, seen by the maintenance role (BYPASSRLS).
        let (in_demo, in_acme): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FILTER (WHERE tenant_id = $1), count(*) FILTER (WHERE tenant_id = $2) FROM {table}"
        )))
        .bind(demo)
        .bind(acme)
        .fetch_one(&db.maintenance)
        .await?;
        assert!(in_demo > 0 && in_acme > 0, "{table} has no demo rows in one tenant ({in_demo}, {in_acme})");

        for (me, other, expected) in [(demo, acme, in_demo), (acme, demo, in_acme)] {
            let mut tx = TenantTx::begin(&db.app, TenantId(me), None).await?;
            let (visible, foreign): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT count(*), count(*) FILTER (WHERE tenant_id <> $1) FROM {table}"
            )))
            .bind(me)
            .fetch_one(&mut **tx)
            .await?;
            assert_eq!((visible, foreign), (expected, 0), "{table} as tenant {me}");
            let deleted = sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE tenant_id = $1")))
                .bind(other)
                .execute(&mut **tx)
                .await?
                .rows_affected();
            assert_eq!(deleted, 0, "{table}: deleted another tenant's rows");
            tx.rollback().await?;
        }
    }
    // tenants itself: each tenant sees only its own row.
    let mut tx = TenantTx::begin(&db.app, TenantId(acme), None).await?;
    let seen: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM tenants").fetch_all(&mut **tx).await?;
    assert_eq!(seen, vec![acme]);
    Ok(())
}
