//! The sync's rules, one test each: on the demo tenant (rules require features touching
//! people be tested there) an incremental pass equals a full rebuild and repeats as a no-op;
//! anonymous feedback keeps no giver; the reporting role reads one tenant at a time and the
//! application role nothing; a writer that was still open when a pass began is caught by the
//! next; deletes without an audit trail (tombstones) and rewritten rollup buckets reach the
//! facts; an unknown tenant is a clear error that writes nothing; the SCD2 rules hold in the
//! schema itself.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use pms_db::RoleName;
use pms_seed::demo::{DEMO_COMPANY, SECOND_TENANT};
use pms_test_support::TestDb;
use pms_warehouse::{SyncOptions, WarehouseError};
use sqlx::Connection as _;

#[tokio::test]
async fn demo_tenant_incremental_equals_full_and_repeats_as_a_no_op() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let demo = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    let first = common::sync(&db, DEMO_COMPANY.slug, false).await?;
    assert!(first.total_changed() > 0);
    // A person moves and is promoted, a review is recalibrated, feedback deleted.
    let employee = pms_seed::demo::user_id(&DEMO_COMPANY, "employee");
    sqlx::query("UPDATE users SET department_id = (SELECT id FROM departments WHERE tenant_id = $1 AND id IS DISTINCT FROM users.department_id ORDER BY code LIMIT 1), level = coalesce(level, 1) + 1 WHERE tenant_id = $1 AND id = $2")
        .bind(demo).bind(employee).execute(&db.maintenance).await?;
    sqlx::query("UPDATE performance_reviews SET overall_rating = 4.5 WHERE tenant_id = $1 AND id = (SELECT id FROM performance_reviews WHERE tenant_id = $1 ORDER BY id LIMIT 1)")
        .bind(demo).execute(&db.maintenance).await?;
    sqlx::query("DELETE FROM feedback WHERE tenant_id = $1 AND id = (SELECT id FROM feedback WHERE tenant_id = $1 ORDER BY id LIMIT 1)")
        .bind(demo).execute(&db.maintenance).await?;
    let second = common::sync(&db, DEMO_COMPANY.slug, false).await?;
    assert!(
        second.tenants[0].changed["users"] >= 2,
        "{:?}",
        second.tenants[0].changed
    );
    assert_eq!(second.tenants[0].changed["feedback"], 1);
    let again = common::sync(&db, DEMO_COMPANY.slug, false).await?;
    assert_eq!(again.total_changed(), 0, "{:?}", again.tenants[0].changed);

    let incremental = common::contents(&db, demo).await?;
    assert!(!incremental["fact_performance_review"].is_empty());
    assert!(!incremental["fact_feedback"].is_empty());
    let versions = incremental["dim_user"]
        .iter()
        .filter(|r| r.contains(&employee.to_string()))
        .count();
    assert_eq!(versions, 2, "the move made a second version");
    common::sync(&db, DEMO_COMPANY.slug, true).await?;
    let full = common::contents(&db, demo).await?;
    assert_eq!(common::first_difference(&incremental, &full), None);
    assert!(common::scd2_violations(&db, demo).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn anonymous_feedback_keeps_no_giver() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut t = common::tenant(&db.maintenance, 1, 3).await?;
    common::apply(
        &db.maintenance,
        &mut t,
        &common::Change::GiveFeedback {
            giver: 0,
            receiver: 1,
            anonymous: true,
        },
    )
    .await?;
    common::apply(
        &db.maintenance,
        &mut t,
        &common::Change::GiveFeedback {
            giver: 0,
            receiver: 2,
            anonymous: false,
        },
    )
    .await?;
    common::sync(&db, &t.slug, false).await?;
    let mut conn = common::reporting(&db, t.id).await?;
    let rows: Vec<(bool, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT is_anonymous, giver_key, receiver_key FROM warehouse.fact_feedback ORDER BY is_anonymous",
    )
    .fetch_all(&mut conn)
    .await?;
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].1.is_some() && rows[0].2.is_some(),
        "named feedback has both people"
    );
    assert!(
        rows[1].0 && rows[1].1.is_none(),
        "anonymous feedback has no giver key"
    );
    // And the schema refuses one.
    let err = sqlx::query("UPDATE warehouse.fact_feedback SET giver_key = receiver_key WHERE tenant_id = $1 AND is_anonymous")
        .bind(t.id)
        .execute(&db.maintenance)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("check constraint"), "{err}");
    Ok(())
}

#[tokio::test]
async fn reporting_reads_one_tenant_and_the_app_reads_nothing() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let mut conn = db.urls.connect(RoleName::Maintenance).await?;
    pms_warehouse::sync(&mut conn, &SyncOptions::default(), &mut |_| {}).await?;
    conn.close().await?;
    let demo = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    let acme = pms_seed::demo::tenant_id(&SECOND_TENANT);
    let mut r = common::reporting(&db, demo).await?;
    let tenants: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT tenant_id FROM (SELECT tenant_id FROM warehouse.fact_performance_review
                                          UNION ALL SELECT tenant_id FROM warehouse.dim_user) x",
    )
    .fetch_all(&mut r)
    .await?;
    assert_eq!(tenants, vec![demo]);
    r.close().await?;
    let mut r = common::reporting(&db, acme).await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM warehouse.dim_user WHERE tenant_id = $1")
        .bind(demo)
        .fetch_one(&mut r)
        .await?;
    assert_eq!(n, 0, "another tenant's people are invisible");
    r.close().await?;
    let mut none = db.urls.connect(RoleName::Readonly).await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM warehouse.fact_performance_review")
        .fetch_one(&mut none)
        .await?;
    assert_eq!(n, 0, "no tenant set: no rows");
    none.close().await?;
    let err = sqlx::query("SELECT count(*) FROM warehouse.fact_performance_review")
        .execute(&db.app)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    Ok(())
}

/// A writer whose transaction began before a pass and committed after it: its updated_at is
/// older than the pass, so a watermark of "when the pass ran" would skip it for ever.
#[tokio::test]
async fn a_writer_open_during_a_pass_is_caught_by_the_next() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let t = common::tenant(&db.maintenance, 2, 3).await?;
    common::sync(&db, &t.slug, false).await?;
    let mut writer = db.urls.connect(RoleName::Maintenance).await?;
    sqlx::query("BEGIN").execute(&mut writer).await?;
    sqlx::query("UPDATE users SET job_title = 'Staff Engineer' WHERE tenant_id = $1 AND id = $2")
        .bind(t.id)
        .bind(t.users[1])
        .execute(&mut writer)
        .await?;
    let during = common::sync(&db, &t.slug, false).await?;
    assert_eq!(
        during.total_changed(),
        0,
        "the open change is not visible yet"
    );
    sqlx::query("COMMIT").execute(&mut writer).await?;
    writer.close().await?;
    let after = common::sync(&db, &t.slug, false).await?;
    assert!(
        after.tenants[0].changed["users"] > 0,
        "{:?}",
        after.tenants[0].changed
    );
    let mut r = common::reporting(&db, t.id).await?;
    let title: String = sqlx::query_scalar(
        "SELECT job_title FROM warehouse.dim_user WHERE user_id = $1 AND is_current",
    )
    .bind(t.users[1])
    .fetch_one(&mut r)
    .await?;
    assert_eq!(title, "Staff Engineer");
    Ok(())
}

#[tokio::test]
async fn tombstones_and_rewritten_rollup_buckets_reach_the_facts() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let mut t = common::tenant(&db.maintenance, 1, 2).await?;
    common::apply(
        &db.maintenance,
        &mut t,
        &common::Change::Pulse { user: 0, mood: 3 },
    )
    .await?;
    let day = "date_trunc('day', now()) - interval '3 days'";
    let point = format!(
        "INSERT INTO performance_metrics_ts (tenant_id, user_id, metric_name, value, recorded_at) VALUES ($1, $2, 'tasks_completed', $3, {day} + interval '1 hour')"
    );
    sqlx::query(sqlx::AssertSqlSafe(point.clone()))
        .bind(t.id)
        .bind(t.users[0])
        .bind(2.0)
        .execute(&db.maintenance)
        .await?;
    sqlx::query("SELECT timeseries.refresh_all_rollups(now())")
        .execute(&db.maintenance)
        .await?;
    common::sync(&db, &t.slug, false).await?;
    let avg = |db: &TestDb| {
        let id = t.id;
        let urls = db.urls.clone();
        async move {
            let mut r = common::reporting_urls(&urls, id).await?;
            let v: Vec<f64> = sqlx::query_scalar("SELECT avg_value FROM warehouse.fact_performance_daily WHERE metric_name = 'tasks_completed'")
                .fetch_all(&mut r)
                .await?;
            let pulses: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM warehouse.fact_engagement WHERE source = 'PULSE'",
            )
            .fetch_one(&mut r)
            .await?;
            anyhow::Ok((v, pulses))
        }
    };
    assert_eq!(avg(&db).await?, (vec![2.0], 1));
    // A late point rewrites the bucket; the pulse answer is deleted (no audit trail: a tombstone).
    sqlx::query(sqlx::AssertSqlSafe(point))
        .bind(t.id)
        .bind(t.users[0])
        .bind(4.0)
        .execute(&db.maintenance)
        .await?;
    sqlx::query("SELECT timeseries.refresh_all_rollups(now())")
        .execute(&db.maintenance)
        .await?;
    sqlx::query("DELETE FROM pulse_responses WHERE tenant_id = $1")
        .bind(t.id)
        .execute(&db.maintenance)
        .await?;
    let report = common::sync(&db, &t.slug, false).await?;
    assert_eq!(
        avg(&db).await?,
        (vec![3.0], 0),
        "{:?}",
        report.tenants[0].changed
    );
    assert_eq!(common::sync(&db, &t.slug, false).await?.total_changed(), 0);
    Ok(())
}

#[tokio::test]
async fn an_unknown_tenant_is_refused_and_nothing_is_written() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let t = common::tenant(&db.maintenance, 1, 2).await?;
    let mut conn = db.urls.connect(RoleName::Maintenance).await?;
    let opts = SyncOptions {
        tenant: Some("no-such-tenant".into()),
        ..Default::default()
    };
    let err = pms_warehouse::sync(&mut conn, &opts, &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, WarehouseError::UnknownTenant(_)));
    assert!(err.to_string().contains("no-such-tenant"), "{err}");
    let written: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM warehouse.sync_runs) + (SELECT count(*) FROM warehouse.sync_watermarks) + (SELECT count(*) FROM warehouse.dim_user)",
    )
    .fetch_one(&mut conn)
    .await?;
    assert_eq!(written, 0);
    // The connection is usable afterwards (the lock was released, no transaction left open).
    let ok = pms_warehouse::sync(
        &mut conn,
        &SyncOptions {
            tenant: Some(t.slug.clone()),
            ..Default::default()
        },
        &mut |_| {},
    )
    .await?;
    assert!(ok.total_changed() > 0);
    Ok(())
}

#[tokio::test]
async fn the_schema_refuses_two_current_versions_or_overlapping_validity() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let t = common::tenant(&db.maintenance, 1, 1).await?;
    common::sync(&db, &t.slug, false).await?;
    let insert = |from: &'static str, to: &'static str| {
        let pool = db.maintenance.clone();
        let (tenant, user) = (t.id, t.users[0]);
        async move {
            sqlx::query(
                "INSERT INTO warehouse.dim_user (tenant_id, user_id, email, display_name, valid_from, valid_to, is_current)
                 VALUES ($1, $2, 'x@example.com', 'X', $3::timestamptz, $4::timestamptz, $4::timestamptz = 'infinity')",
            )
            .bind(tenant)
            .bind(user)
            .bind(from)
            .bind(to)
            .execute(&pool)
            .await
            .map(|_| ())
        }
    };
    // The person's one version covers all time: any other version overlaps it.
    let e = insert("2030-01-01", "infinity")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("dim_user_current_key") || e.contains("exclusion"),
        "{e}"
    );
    let e = insert("2020-01-01", "2021-01-01")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("conflicting key value violates exclusion constraint"),
        "{e}"
    );
    Ok(())
}
