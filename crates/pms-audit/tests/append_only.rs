//! The audit tables are append-only for everyone but the owner, and the application cannot
//! switch auditing off: each attempt as `pms_app` fails, and the trail is unchanged afterwards.

mod common;

use common::{add_users, chain_ok, make_tenant};
use pms_db::TenantTx;
use pms_test_support::TestDb;
use sqlx::{Connection, Executor};

#[tokio::test]
async fn the_app_cannot_change_audit_rows_or_switch_auditing_off() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "append-only").await?;
    let users = add_users(&db, tenant, "a", 3).await?;
    let mut tx = TenantTx::begin(&db.app, tenant, Some(users[0])).await?;
    pms_audit::events::record(
        &mut tx,
        &pms_audit::NewSecurityEvent::new(pms_audit::SecurityEventKind::LoginSuccess),
    )
    .await?;
    tx.commit().await?;
    let partition: String = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'audit_log'::regclass ORDER BY 1 LIMIT 1",
    )
    .fetch_one(&db.app)
    .await?;

    let attempts = [
        "UPDATE audit_log SET changes = '{}'".to_string(),
        "DELETE FROM audit_log".to_string(),
        "TRUNCATE audit_log".to_string(),
        "INSERT INTO audit_log SELECT * FROM audit_log LIMIT 1".to_string(),
        "UPDATE security_events SET details = '{}'".to_string(),
        "DELETE FROM security_events".to_string(),
        "TRUNCATE security_events".to_string(),
        "UPDATE audit_chain_heads SET seq = 0".to_string(),
        "DELETE FROM audit_chain_heads".to_string(),
        format!("UPDATE {partition} SET changes = '{{}}'"),
        format!("DELETE FROM {partition}"),
        format!("SELECT count(*) FROM {partition}"),
        "ALTER TABLE users DISABLE TRIGGER audit_row_change".to_string(),
        "ALTER TABLE users DISABLE TRIGGER ALL".to_string(),
        "DROP TRIGGER audit_row_change ON users".to_string(),
        "ALTER TABLE audit_log DETACH PARTITION ".to_string() + &partition,
        "SET session_replication_role = replica".to_string(),
        "SET LOCAL session_replication_role = replica".to_string(),
        "SELECT set_config('session_replication_role', 'replica', false)".to_string(),
        "SELECT pms_meta.audit_drop_expired_partitions(36)".to_string(),
        "CREATE TRIGGER sneaky BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION pms_touch_updated_at()".to_string(),
    ];
    for sql in &attempts {
        let mut tx = TenantTx::begin(&db.app, tenant, Some(users[0])).await?;
        let err = tx.execute(sqlx::AssertSqlSafe(sql.as_str())).await.err();
        let Some(err) = err else {
            panic!("pms_app was allowed: {sql}")
        };
        assert!(
            pms_audit::is_denial(&err) || err.to_string().contains("permission denied"),
            "{sql}: {err}"
        );
        tx.rollback().await?;
    }
    // The maintenance role may read every tenant's trail but not change it either.
    for sql in [
        "UPDATE audit_log SET changes = '{}'",
        "DELETE FROM security_events",
        "TRUNCATE audit_log",
    ] {
        let err = db.maintenance.execute(sql).await.expect_err(sql);
        assert!(pms_audit::is_denial(&err), "{sql}: {err}");
    }
    // TRUNCATE of an audited table would erase history without a trace: refused even for the owner.
    let mut owner = db.owner().await?;
    let err = owner
        .execute("TRUNCATE delegations")
        .await
        .expect_err("truncate must be refused");
    assert!(
        err.to_string()
            .contains("TRUNCATE of audited table delegations is refused"),
        "{err}"
    );

    // Writes still audited and the chain intact after all of that.
    let status = chain_ok(&db, tenant).await?;
    assert!(status.iter().all(|s| s.ok), "{status:?}");
    assert_eq!(
        status.iter().map(|s| s.entries).sum::<i64>(),
        1 + 3 + 1,
        "tenant insert, 3 users, 1 event"
    );
    Ok(())
}

#[tokio::test]
async fn audit_triggers_fire_even_in_replica_mode() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "replica-mode").await?;
    // Only a superuser can set session_replication_role; the trigger is ENABLE ALWAYS, so even
    // then the change is audited.
    let mut admin = db.admin().await?;
    let mut tx = admin.begin().await?;
    tx.execute("SET LOCAL session_replication_role = replica")
        .await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO users (tenant_id, email, first_name, last_name) VALUES ($1, 'r@example.com', 'R', 'R')")
        .bind(tenant.as_uuid())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND table_name = 'users'",
    )
    .bind(tenant.as_uuid())
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(n, 1);
    Ok(())
}
