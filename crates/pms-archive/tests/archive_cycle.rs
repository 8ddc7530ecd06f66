//! The archive cycle on a local directory: due rows move to verified objects and leave their
//! table, one entity comes back by id, a rerun does nothing, and failures injected at every
//! step of the protocol end, after a rerun, in the same state.

mod common;

use common::*;
use pms_archive::failpoint;
use pms_core::TenantId;
use pms_db::TenantTx;

#[tokio::test]
async fn due_rows_are_archived_verified_indexed_and_retrievable() -> anyhow::Result<()> {
    let db = db().await?;
    let t = tenant(&db, "arch-a").await?;
    let other = tenant(&db, "arch-b").await?;
    old_goals(&db.maintenance, t, 2500, "6 years").await?;
    old_goals(&db.maintenance, t, 10, "1 day").await?;
    old_goals(&db.maintenance, other, 5, "6 years").await?;
    let dir = tempdir("cycle")?;
    let a = archiver(&db, &dir, 1000)?;

    let report = a.run(&no_progress).await?;
    assert_eq!(report.archived_rows, 2505);
    assert_eq!(report.archived_batches, 4, "{report:?}");
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM fx_goals").await?,
        10
    );
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM archived_entities").await?,
        2505
    );
    assert_consistent(&a).await?;
    let keys = a.store.list().await?;
    assert!(
        keys.iter()
            .all(|k| k.starts_with("Goal/") && k.ends_with(".ndjson.zst")),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|k| k.starts_with(&format!("Goal/{t}/20"))),
        "{keys:?}"
    );

    // One entity back, through the application role: RLS picks the tenant.
    let id: String = sqlx::query_scalar(
        "SELECT id FROM archived_entities WHERE tenant_id = $1 LIMIT 1 OFFSET 1234",
    )
    .bind(t)
    .fetch_one(&db.maintenance)
    .await?;
    let mut tx = TenantTx::begin(&db.app, TenantId(t), None).await?;
    let got = pms_archive::retrieve::retrieve(&mut **tx, &a.store, None, "Goal", &id)
        .await?
        .expect("archived goal");
    assert_eq!(got.state, "ARCHIVED");
    assert_eq!(got.data["id"], serde_json::json!(id));
    assert!(
        got.data["title"]
            .as_str()
            .unwrap_or_default()
            .starts_with("goal ")
    );
    tx.rollback().await?;
    // The other tenant cannot see it.
    let mut tx = TenantTx::begin(&db.app, TenantId(other), None).await?;
    assert!(
        pms_archive::retrieve::retrieve(&mut **tx, &a.store, None, "Goal", &id)
            .await?
            .is_none()
    );
    tx.rollback().await?;

    // Statistics and tiers know about the archive.
    let archived: Option<i64> =
        sqlx::query_scalar("SELECT row_count FROM get_storage_statistics() WHERE entity_type = 'Goal' AND tier = 'ARCHIVE'")
            .fetch_optional(&db.maintenance)
            .await?;
    assert_eq!(archived, Some(2505));
    sqlx::query("SELECT update_storage_tiers()")
        .execute(&db.maintenance)
        .await?;
    let hot: i64 = sqlx::query_scalar(
        "SELECT row_count FROM storage_tier_state WHERE tenant_id = $1 AND entity_type = 'Goal' AND tier = 'HOT'",
    )
    .bind(t)
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(hot, 10);

    // A second run changes nothing.
    let again = a.run(&no_progress).await?;
    assert_eq!(again.archived_rows, 0);
    assert_eq!(a.store.list().await?.len(), 4);
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

#[tokio::test]
async fn failures_at_every_step_end_in_the_same_state_after_a_rerun() -> anyhow::Result<()> {
    let db = db().await?;
    let dir = tempdir("failpoints")?;
    let points = [
        failpoint::AFTER_INTENT,
        failpoint::AFTER_OBJECT_WRITE,
        failpoint::AFTER_VERIFY,
        failpoint::BEFORE_DELETE_COMMIT,
        failpoint::AFTER_DELETE_COMMIT,
    ];
    let mut total = 0;
    for (i, point) in points.iter().enumerate() {
        let t = tenant(&db, &format!("fp-{i}")).await?;
        old_goals(&db.maintenance, t, 250, "6 years").await?;
        total += 250;
        let a = archiver(&db, &dir, 100)?;
        a.failpoints.fail(point);
        let err = a
            .run(&no_progress)
            .await
            .expect_err("the fail point must fail the run");
        assert!(err.to_string().contains(point), "{err}");
        // Whatever happened, nothing is lost: every row is in its table or in the archive.
        let here = count(
            &db.maintenance,
            &format!("SELECT count(*) FROM fx_goals WHERE tenant_id = '{t}'"),
        )
        .await?;
        let archived = count(
            &db.maintenance,
            &format!("SELECT count(*) FROM archived_entities WHERE tenant_id = '{t}'"),
        )
        .await?;
        assert_eq!(here + archived, 250, "at {point}");
        a.failpoints.clear();
        a.run(&no_progress).await?;
        assert_eq!(
            count(
                &db.maintenance,
                &format!("SELECT count(*) FROM fx_goals WHERE tenant_id = '{t}'")
            )
            .await?,
            0
        );
        assert_consistent(&a).await?;
    }
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM archived_entities").await?,
        total
    );
    assert_eq!(
        count(
            &db.maintenance,
            "SELECT count(DISTINCT id) FROM archived_entities"
        )
        .await?,
        total
    );
    assert_eq!(
        count(
            &db.maintenance,
            "SELECT count(*) FROM archive_batches WHERE status <> 'ARCHIVED'"
        )
        .await?,
        0
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

#[tokio::test]
async fn archive_entity_queues_and_the_archiver_writes_it() -> anyhow::Result<()> {
    let db = db().await?;
    let t = tenant(&db, "queue").await?;
    let id = uuid::Uuid::now_v7();
    let mut tx = TenantTx::begin(&db.app, TenantId(t), None).await?;
    let state: String = sqlx::query_scalar(
        "SELECT archive_entity('Feedback', $1, $2, $3, now() - interval '3 years')",
    )
    .bind(id)
    .bind(t)
    .bind(serde_json::json!({"text": "great quarter", "score": 5}))
    .fetch_one(&mut **tx)
    .await?;
    assert_eq!(state, "PENDING");
    tx.commit().await?;
    let dir = tempdir("queue")?;
    let a = archiver(&db, &dir, 1000)?;
    let mut tx = TenantTx::begin(&db.app, TenantId(t), None).await?;
    let pending =
        pms_archive::retrieve::retrieve(&mut **tx, &a.store, None, "Feedback", &id.to_string())
            .await?;
    assert_eq!(pending.map(|p| p.state), Some("PENDING".to_string()));
    tx.rollback().await?;

    let report = a.run(&no_progress).await?;
    assert_eq!(report.archived_by_type.get("Feedback"), Some(&1));
    let got = pms_archive::retrieve::retrieve(
        &db.maintenance,
        &a.store,
        Some(t),
        "Feedback",
        &id.to_string(),
    )
    .await?
    .expect("archived");
    assert_eq!(got.state, "ARCHIVED");
    assert_eq!(
        got.data,
        serde_json::json!({"text": "great quarter", "score": 5})
    );
    assert_eq!(
        count(&db.maintenance, "SELECT count(*) FROM archive_pending").await?,
        0
    );
    assert_consistent(&a).await?;
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
