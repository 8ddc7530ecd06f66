//! Retention rules: expired rows deleted by daily_data_maintenance, legal holds (tenant,
//! person, entity) blocking deletion and archive expiry, tenant overrides within legal bounds,
//! and bad input refused with a clear message and nothing moved.

mod common;

use common::*;
use pms_archive::{ArchiveConfig, ArchiveStore, Archiver};

async fn old_notifications(
    db: &pms_test_support::TestDb,
    t: uuid::Uuid,
    user: Option<uuid::Uuid>,
    n: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO fx_notifications (tenant_id, user_id, body, created_at)
         SELECT $1, $2, 'note ' || g, now() - interval '7 months' - g * interval '1 minute' FROM generate_series(1, $3) g",
    )
    .bind(t)
    .bind(user)
    .bind(n)
    .execute(&db.maintenance)
    .await?;
    Ok(())
}

async fn daily(db: &pms_test_support::TestDb) -> anyhow::Result<serde_json::Value> {
    Ok(sqlx::query_scalar("SELECT daily_data_maintenance()")
        .fetch_one(&db.maintenance)
        .await?)
}

#[tokio::test]
async fn legal_holds_block_deletion_until_released() -> anyhow::Result<()> {
    let db = db().await?;
    let held = tenant(&db, "held").await?;
    let free = tenant(&db, "free").await?;
    old_notifications(&db, held, None, 1000).await?;
    old_notifications(&db, free, None, 300).await?;
    // A young notification is never touched.
    sqlx::query(
        "INSERT INTO fx_notifications (tenant_id, body, created_at) VALUES ($1, 'new', now())",
    )
    .bind(held)
    .execute(&db.maintenance)
    .await?;
    let hold: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO legal_holds (tenant_id, scope, reason) VALUES ($1, 'TENANT', 'litigation 2026-17') RETURNING id",
    )
    .bind(held)
    .fetch_one(&db.maintenance)
    .await?;

    let report = daily(&db).await?;
    assert_eq!(report["expired_deleted"], 300, "{report}");
    assert_eq!(report["errors"], serde_json::json!([]));
    assert!(
        report["tiers_updated"].as_i64().unwrap_or(0) > 0,
        "{report}"
    );
    assert_eq!(
        count(
            &db.maintenance,
            &format!("SELECT count(*) FROM fx_notifications WHERE tenant_id = '{held}'")
        )
        .await?,
        1001
    );
    let held_due: i64 = sqlx::query_scalar(
        "SELECT held FROM get_archival_candidates() WHERE entity_type = 'Notification' AND tenant_id = $1",
    )
    .bind(held)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(held_due, 1000);

    sqlx::query("UPDATE legal_holds SET released_at = now() WHERE tenant_id = $1 AND id = $2")
        .bind(held)
        .bind(hold)
        .execute(&db.maintenance)
        .await?;
    let report = daily(&db).await?;
    assert_eq!(report["expired_deleted"], 1000, "{report}");
    assert_eq!(
        count(
            &db.maintenance,
            &format!("SELECT count(*) FROM fx_notifications WHERE tenant_id = '{held}'")
        )
        .await?,
        1
    );
    Ok(())
}

#[tokio::test]
async fn person_and_entity_holds_block_archival_and_archive_expiry() -> anyhow::Result<()> {
    let db = db().await?;
    let t = tenant(&db, "holds").await?;
    let u = user(&db.maintenance, t, "held@example.com", "Held", "Person").await?;
    old_goals(&db.maintenance, t, 50, "6 years").await?;
    sqlx::query(
        "UPDATE fx_goals SET owner_id = $2 WHERE tenant_id = $1 AND title IN ('goal 1', 'goal 2')",
    )
    .bind(t)
    .bind(u)
    .execute(&db.maintenance)
    .await?;
    sqlx::query("INSERT INTO legal_holds (tenant_id, scope, person_id, reason) VALUES ($1, 'PERSON', $2, 'investigation')")
        .bind(t)
        .bind(u)
        .execute(&db.maintenance)
        .await?;
    let dir = tempdir("holds")?;
    let a = archiver(&db, &dir, 20)?;
    let report = a.run(&no_progress).await?;
    assert_eq!(
        report.archived_rows, 48,
        "the held person's goals stay: {report:?}"
    );

    // Expire the archive: this tenant keeps goals only a year in total (within the bounds).
    sqlx::query(
        "INSERT INTO retention_policy_overrides (tenant_id, entity_type, hot_for, warm_for, cold_for, archive_for, reason)
         VALUES ($1, 'Goal', '1 day', '2 days', '3 days', '1 year', 'data minimisation')",
    )
    .bind(t)
    .execute(&db.maintenance)
    .await?;
    let goal: String = sqlx::query_scalar(
        "SELECT id FROM archived_entities WHERE tenant_id = $1 ORDER BY created_at LIMIT 1",
    )
    .bind(t)
    .fetch_one(&db.maintenance)
    .await?;
    sqlx::query("INSERT INTO legal_holds (tenant_id, scope, entity_type, entity_id, reason) VALUES ($1, 'ENTITY', 'Goal', $2, 'audit')")
        .bind(t)
        .bind(&goal)
        .execute(&db.maintenance)
        .await?;
    let report = a.run(&no_progress).await?;
    assert_eq!(
        report.expired_batches, 2,
        "the batch holding the held goal stays: {report:?}"
    );
    let kept = count(&db.maintenance, "SELECT count(*) FROM archived_entities").await?;
    assert_eq!(kept, 20);
    assert!(
        pms_archive::retrieve::retrieve(&db.maintenance, &a.store, Some(t), "Goal", &goal)
            .await?
            .is_some()
    );
    assert_consistent(&a).await?;
    // Rows of the held person are past their (new) end of life, and still not deleted.
    let report = daily(&db).await?;
    assert_eq!(report["expired_deleted"], 0, "{report}");
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM fx_goals").await?,
        2
    );

    sqlx::query("UPDATE legal_holds SET released_at = now() WHERE tenant_id = $1")
        .bind(t)
        .execute(&db.maintenance)
        .await?;
    let report = a.run(&no_progress).await?;
    assert_eq!(report.expired_batches, 1, "{report:?}");
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM archived_entities").await?,
        0
    );
    assert_consistent(&a).await?;
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

async fn sql_error(db: &pms_test_support::TestDb, sql: &str) -> String {
    match sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&db.maintenance)
        .await
    {
        Ok(_) => panic!("accepted: {sql}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_moves_nothing() -> anyhow::Result<()> {
    let db = db().await?;
    let t = tenant(&db, "bad").await?;
    old_goals(&db.maintenance, t, 30, "6 years").await?;

    let e = sql_error(
        &db,
        &format!("SELECT archive_entity('Gaol', 'x', '{t}', '{{}}', now())"),
    )
    .await;
    assert!(e.contains("unknown entity type Gaol"), "{e}");
    let e = sql_error(&db, "SELECT * FROM retrieve_archived_entity('Nope', 'x')").await;
    assert!(e.contains("unknown entity type Nope"), "{e}");
    let e = sql_error(
        &db,
        &format!("SELECT archive_entity('Notification', 'x', '{t}', '{{}}', now())"),
    )
    .await;
    assert!(e.contains("never archived"), "{e}");
    let e = sql_error(&db, &format!(
        "INSERT INTO retention_policy_overrides (tenant_id, entity_type, hot_for, warm_for, cold_for, archive_for, reason)
         VALUES ('{t}', 'Goal', '2 years', '1 year', '5 years', '7 years', 'x')")).await;
    assert!(e.contains("tiers out of order"), "{e}");
    let e = sql_error(&db, &format!(
        "INSERT INTO retention_policy_overrides (tenant_id, entity_type, hot_for, warm_for, cold_for, archive_for, reason)
         VALUES ('{t}', 'Goal', '-1 year', '1 year', '5 years', '7 years', 'x')")).await;
    assert!(e.contains("must be positive"), "{e}");
    let e = sql_error(&db, &format!(
        "INSERT INTO retention_policy_overrides (tenant_id, entity_type, hot_for, warm_for, cold_for, archive_for, reason)
         VALUES ('{t}', 'PIP', '1 year', '2 years', '3 years', '4 years', 'x')")).await;
    assert!(e.contains("outside the legal bounds"), "{e}");
    let e = sql_error(
        &db,
        "UPDATE pms_retention.policies SET warm_for = '1 month' WHERE entity_type = 'Goal'",
    )
    .await;
    assert!(e.contains("tiers out of order"), "{e}");
    let e = sql_error(
        &db,
        "SELECT pms_retention.register_entity('Unknown', 'fx_goals')",
    )
    .await;
    assert!(e.contains("unknown entity type"), "{e}");

    for (url, want) in [
        ("not a url", "invalid"),
        ("ftp://host/dir", "unsupported scheme"),
        ("s3://", "no bucket"),
        ("file://host/relative", "absolute path"),
    ] {
        let err = ArchiveStore::open(&ArchiveConfig::for_url(url))
            .expect_err(url)
            .to_string();
        assert!(err.contains(want), "{url}: {err}");
    }
    // An unreachable S3 endpoint: the run stops at the probe, before any row moves.
    let mut cfg = ArchiveConfig::for_url("s3://pms-archive/prefix");
    cfg.s3_options = vec![
        ("aws_endpoint".into(), "http://127.0.0.1:9".into()),
        ("aws_allow_http".into(), "true".into()),
        ("aws_access_key_id".into(), "k".into()),
        ("aws_secret_access_key".into(), "s".into()),
        ("aws_region".into(), "us-east-1".into()),
    ];
    let a = Archiver::new(db.maintenance.clone(), &cfg)?;
    let err = a
        .run(&no_progress)
        .await
        .expect_err("unreachable")
        .to_string();
    assert!(err.contains("not usable"), "{err}");
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM fx_goals").await?,
        30
    );
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM archive_batches").await?,
        0
    );
    Ok(())
}
