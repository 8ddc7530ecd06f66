//! The demo seed as the application role sees it: no tenant set, no rows and no writes; run
//! twice, it inserts nothing the second time, and the four demo accounts have their roles and
//! the demo password.

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;

#[tokio::test]
async fn no_tenant_set_means_no_rows_and_no_writes() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let mut conn = db.app.acquire().await?;
    for table in [
        "tenants",
        "users",
        "departments",
        "teams",
        "roles",
        "user_roles",
        "reporting_lines",
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(&mut *conn)
                .await?;
        assert_eq!(n, 0, "{table} visible without a tenant");
    }
    let demo = pms_seed::demo::tenant_id(&pms_seed::demo::DEMO_COMPANY);
    let err = sqlx::query("INSERT INTO departments (tenant_id, code, name) VALUES ($1, 'X', 'X')")
        .bind(demo)
        .execute(&mut *conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    // A session-level setting is never made by the library: after a tenant transaction, the
    // connection is back to no tenant.
    drop(conn);
    let mut tx = TenantTx::begin(&db.app, TenantId(demo), None).await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&mut **tx)
        .await?;
    assert!(n > 0);
    tx.commit().await?;
    let mut conn = db.app.acquire().await?;
    let setting: Option<String> =
        sqlx::query_scalar("SELECT nullif(current_setting('app.tenant_id', true), '')")
            .fetch_one(&mut *conn)
            .await?;
    assert_eq!(setting, None);
    Ok(())
}

#[tokio::test]
async fn demo_seed_is_idempotent_and_has_the_accounts() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let first = pms_seed::demo::seed_demo(&db.maintenance).await?;
    assert!(first.inserted_rows > 50);
    let second = pms_seed::demo::seed_demo(&db.maintenance).await?;
    assert_eq!(second.inserted_rows, 0);
    let demo = TenantId(pms_seed::demo::tenant_id(&pms_seed::demo::DEMO_COMPANY));
    let mut tx = TenantTx::begin(&db.app, demo, None).await?;
    let rows: Vec<(String, String, Vec<String>)> = sqlx::query_as(
        "SELECT u.email, u.password_hash, array_agg(r.code ORDER BY r.code)
         FROM users u JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id
         JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
         WHERE u.email IN ('admin@demo.pms-platform.local', 'manager@demo.pms-platform.local',
                           'employee@demo.pms-platform.local', 'jane@demo.pms-platform.local')
         GROUP BY u.email, u.password_hash ORDER BY u.email",
    )
    .fetch_all(&mut **tx)
    .await?;
    assert_eq!(rows.len(), 4);
    let roles: Vec<(&str, Vec<&str>)> = rows
        .iter()
        .map(|(e, _, r)| (e.as_str(), r.iter().map(|s| s.as_str()).collect()))
        .collect();
    assert_eq!(
        roles[0],
        ("admin@demo.pms-platform.local", vec!["ADMIN", "HR_ADMIN"])
    );
    assert_eq!(
        roles[1],
        ("employee@demo.pms-platform.local", vec!["EMPLOYEE"])
    );
    assert_eq!(roles[2], ("jane@demo.pms-platform.local", vec!["EMPLOYEE"]));
    assert_eq!(
        roles[3],
        ("manager@demo.pms-platform.local", vec!["MANAGER"])
    );
    for (_, hash, _) in &rows {
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(pms_seed::password::verify("demo123", hash));
    }
    Ok(())
}
