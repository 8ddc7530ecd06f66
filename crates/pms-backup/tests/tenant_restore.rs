//! Single-tenant restore: tenant A's goals are deleted by mistake after T; restore-tenant A to
//! T brings back exactly A's goals as of T, while B's writes made after T are all still there.
//! The dry run reports the change per table and writes nothing; the restore is one transaction,
//! recorded in A's audit trail (whose chain still verifies), and B's trail is untouched.

mod common;

use common::*;
use pms_backup::create::{BackupKind, create};
use pms_backup::tenant_restore::restore_tenant;
use sqlx::{Executor, PgConnection};
use time::OffsetDateTime;

async fn audit_entries(c: &mut PgConnection, t: uuid::Uuid) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE tenant_id = $1")
            .bind(t)
            .fetch_one(c)
            .await?,
    )
}

#[tokio::test]
async fn one_tenant_goes_back_in_time_and_the_other_keeps_its_writes() -> anyhow::Result<()> {
    let env = env("tenant").await?;
    let (a, ua) = tenant(&env, "alpha").await?;
    let (b, ub) = tenant(&env, "beta").await?;
    let app = env.app().await?;
    goals(&app, a, ua, "a-goal", 12).await?;
    goals(&app, b, ub, "b-goal", 5).await?;
    create(&env.cfg, &env.server, BackupKind::Full, 1).await?;
    goals(&app, a, ua, "a-late", 3).await?;

    let mut admin = env.admin().await?;
    let at: OffsetDateTime = sqlx::query_scalar("SELECT clock_timestamp()")
        .fetch_one(&mut admin)
        .await?;
    let a_at_t = titles(&env.server.admin_url, a).await?;
    assert_eq!(a_at_t.len(), 15);

    // After T: A's goals deleted by mistake (as the application), B keeps writing.
    let mut tx = pms_db::TenantTx::begin(&app, pms_core::TenantId(a), None).await?;
    sqlx::query("DELETE FROM goals").execute(&mut **tx).await?;
    tx.commit().await?;
    goals(&app, b, ub, "b-after-t", 4).await?;
    let b_now = titles(&env.server.admin_url, b).await?;
    assert_eq!(b_now.len(), 9);
    admin.execute("SELECT pg_switch_wal()").await?;
    pms_backup::init::check(&env.cfg, &env.server)?;
    let b_audit = audit_entries(&mut admin, b).await?;
    let now: OffsetDateTime = sqlx::query_scalar("SELECT now()")
        .fetch_one(&mut admin)
        .await?;

    let dry = restore_tenant(&env.cfg, &env.server, a, at, true, now).await?;
    assert!(!dry.applied);
    eprintln!("dry run: {:#?}", dry.changes);
    let goals_change = dry
        .changes
        .iter()
        .find(|c| c.table == "public.goals")
        .expect("goals change");
    assert_eq!(
        (goals_change.live_rows, goals_change.restored_rows),
        (0, 15)
    );
    assert_eq!(
        (goals_change.rows_removed, goals_change.rows_added),
        (0, 15)
    );
    assert!(
        titles(&env.server.admin_url, a).await?.is_empty(),
        "a dry run writes nothing"
    );

    let a_audit_before = audit_entries(&mut admin, a).await?;
    let done = restore_tenant(&env.cfg, &env.server, a, at, false, now).await?;
    assert!(done.applied);
    eprintln!(
        "restored tenant A to {at}: {} table(s) changed, {}",
        done.changes.len(),
        done.recovery_point
    );
    assert_eq!(
        titles(&env.server.admin_url, a).await?,
        a_at_t,
        "A's goals as of T"
    );
    assert_eq!(
        titles(&env.server.admin_url, b).await?,
        b_now,
        "B untouched, its writes after T kept"
    );

    // The audit trail records the restore (the re-inserted goals), under its request id; A's
    // chain verifies; B's trail has not changed.
    let by_restore: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND request_id LIKE 'backup.restore-tenant%' AND table_name = 'goals' AND operation = 'INSERT'",
    )
    .bind(a)
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(by_restore, 15);
    assert!(audit_entries(&mut admin, a).await? > a_audit_before);
    let broken: i64 =
        sqlx::query_scalar("SELECT count(*) FROM verify_audit_chain($1) WHERE NOT ok")
            .bind(a)
            .fetch_one(&mut admin)
            .await?;
    assert_eq!(broken, 0);
    assert_eq!(audit_entries(&mut admin, b).await?, b_audit);

    // Bad input: an unknown tenant, a time in the future.
    let e = restore_tenant(&env.cfg, &env.server, uuid::Uuid::now_v7(), at, true, now)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("no tenant"), "{e}");
    let e = restore_tenant(
        &env.cfg,
        &env.server,
        a,
        now + time::Duration::hours(2),
        true,
        now,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(e.contains("future"), "{e}");
    Ok(())
}
