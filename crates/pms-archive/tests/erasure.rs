//! Erasure of one employee: afterwards a search of every tier (hot tables, archive queue,
//! archive index, every archive object, the erasure log) for their name, email and id finds
//! only pseudonymised compliance records, and those records are still there. Her time-series
//! points are gone. The audit trail (audit_log, security_events) names her nowhere either, and
//! its hash chains still verify (redacted entries: docs/ARCHITECTURE.md, privacy).

mod common;

use common::*;
use pms_archive::erase::erase_person;
use sqlx::Connection;

const TS_TABLES: [&str; 4] = [
    "performance_metrics_ts",
    "engagement_metrics_ts",
    "goal_progress_ts",
    "feedback_activity_ts",
];

#[tokio::test]
async fn erasure_leaves_only_pseudonymised_compliance_records() -> anyhow::Result<()> {
    let db = db().await?;
    let t = tenant(&db, "erase").await?;
    let jane = user(
        &db.maintenance,
        t,
        "jane.roe@example.com",
        "Janelle",
        "Roeberts",
    )
    .await?;
    let boss = user(&db.maintenance, t, "boss@example.com", "Bea", "Bossman").await?;
    let other = user(&db.maintenance, t, "other@example.com", "Otto", "Other").await?;
    // Reviews (compliance) about Jane, old ones to be archived and recent ones; goals and
    // notifications (not compliance) of Jane; and someone else's rows that must not change.
    for (age, n) in [("6 years", 30), ("1 month", 5)] {
        sqlx::query(
            "INSERT INTO fx_reviews (tenant_id, employee_id, reviewer_id, comments, rating, created_at)
             SELECT $1, $2, $3, 'Janelle Roeberts (jane.roe@example.com) exceeded; id ' || $2::text, 4,
                    now() - $4::interval - g * interval '1 minute' FROM generate_series(1, $5) g",
        )
        .bind(t)
        .bind(jane)
        .bind(boss)
        .bind(age)
        .bind(n as i64)
        .execute(&db.maintenance)
        .await?;
    }
    sqlx::query(
        "INSERT INTO fx_reviews (tenant_id, employee_id, reviewer_id, comments, rating, created_at)
         SELECT $1, $2, $3, 'Otto did fine', 3, now() - interval '6 years' - g * interval '1 minute' FROM generate_series(1, 10) g",
    )
    .bind(t)
    .bind(other)
    .bind(boss)
    .execute(&db.maintenance)
    .await?;
    old_goals(&db.maintenance, t, 40, "6 years").await?;
    sqlx::query("UPDATE fx_goals SET owner_id = CASE WHEN title IN ('goal 1', 'goal 2') THEN $2 ELSE $3 END WHERE tenant_id = $1")
        .bind(t)
        .bind(jane)
        .bind(other)
        .execute(&db.maintenance)
        .await?;
    old_goals(&db.maintenance, t, 3, "1 day").await?;
    sqlx::query("UPDATE fx_goals SET owner_id = $2 WHERE tenant_id = $1 AND owner_id IS NULL")
        .bind(t)
        .bind(jane)
        .execute(&db.maintenance)
        .await?;
    sqlx::query("INSERT INTO fx_notifications (tenant_id, user_id, body, created_at) VALUES ($1, $2, 'Hi Janelle', now())")
        .bind(t)
        .bind(jane)
        .execute(&db.maintenance)
        .await?;
    sqlx::query("INSERT INTO sessions (tenant_id, user_id, token_hash, expires_at) VALUES ($1, $2, sha256('tok'), now() + interval '1 day')")
        .bind(t)
        .bind(jane)
        .execute(&db.maintenance)
        .await?;

    // Time-series points of Jane and of someone else, in every hypertable.
    for table in TS_TABLES {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} (tenant_id, user_id, metric_name, value, recorded_at)
             SELECT $1, u, 'm', g, now() - g * interval '1 hour' FROM generate_series(1, 5) g, unnest(ARRAY[$2, $3]::uuid[]) u")))
        .bind(t)
        .bind(jane)
        .bind(other)
        .execute(&db.maintenance)
        .await?;
    }

    let dir = tempdir("erase")?;
    let a = archiver(&db, &dir, 16)?;
    a.run(&no_progress).await?;
    let jane_goals_archived = count(&db.maintenance, &format!(
        "SELECT count(*) FROM archived_entities WHERE entity_type = 'Goal' AND '{jane}' = ANY (person_ids)")).await?;
    assert!(jane_goals_archived > 0);

    // A hold on her blocks the erasure, and nothing changes.
    sqlx::query("INSERT INTO legal_holds (tenant_id, scope, person_id, reason) VALUES ($1, 'PERSON', $2, 'dispute')")
        .bind(t)
        .bind(jane)
        .execute(&db.maintenance)
        .await?;
    let err = erase_person(&a, t, jane)
        .await
        .expect_err("held")
        .to_string();
    assert!(err.contains("legal hold"), "{err}");
    assert_eq!(
        count(
            &db.maintenance,
            &format!("SELECT count(*) FROM users WHERE id = '{jane}'")
        )
        .await?,
        1
    );
    sqlx::query("DELETE FROM legal_holds WHERE tenant_id = $1")
        .bind(t)
        .execute(&db.maintenance)
        .await?;

    let mut admin = db.admin().await?;
    let audit_seq_before: i64 =
        sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM audit_log WHERE tenant_id = $1")
            .bind(t)
            .fetch_one(&mut admin)
            .await?;
    admin.close().await?;
    assert!(audit_seq_before > 0, "creating users is audited");
    let report = erase_person(&a, t, jane).await?;
    assert!(report.archive_rows_pseudonymised >= 30, "{report:?}");
    assert_eq!(
        report.archive_rows_deleted as i64, jane_goals_archived,
        "{report:?}"
    );
    assert_eq!(
        report.database["tables"]["fx_reviews"]["kept"], 5,
        "{report:?}"
    );
    assert_eq!(
        report.database["tables"]["fx_goals"]["deleted"], 3,
        "{report:?}"
    );
    let pseudonym = report.pseudonym_id;

    // Search every tier.
    let needles = [
        jane.to_string(),
        "jane.roe@example.com".to_string(),
        "janelle".to_string(),
        "roeberts".to_string(),
    ];
    let tables = [
        "users",
        "sessions",
        "fx_reviews",
        "fx_goals",
        "fx_notifications",
        "archive_pending",
        "archived_entities",
        "archive_batches",
        "privacy_erasures",
        "legal_holds",
        "storage_tier_state",
    ];
    for table in tables {
        for n in &needles {
            let hits = count(
                &db.maintenance,
                &format!(
                    "SELECT count(*) FROM {table} t WHERE lower(to_jsonb(t)::text) LIKE '%{}%'",
                    n.to_lowercase()
                ),
            )
            .await?;
            assert_eq!(hits, 0, "{table} still mentions {n}");
        }
    }
    for key in a.store.list().await? {
        let bytes = a.store.get(&key).await?;
        let text = String::from_utf8(zstd::stream::decode_all(&bytes[..])?)?.to_lowercase();
        for n in &needles {
            assert!(
                !text.contains(&n.to_lowercase()),
                "object {key} still mentions {n}"
            );
        }
    }
    for table in TS_TABLES {
        for n in &needles {
            let hits = count(
                &db.maintenance,
                &format!(
                    "SELECT count(*) FROM {table} t WHERE lower(to_jsonb(t)::text) LIKE '%{}%'",
                    n.to_lowercase()
                ),
            )
            .await?;
            assert_eq!(hits, 0, "{table} still holds points of {n}");
        }
        assert_eq!(
            count(
                &db.maintenance,
                &format!("SELECT count(*) FROM {table} WHERE user_id = '{other}'")
            )
            .await?,
            5,
            "{table}"
        );
        assert_eq!(
            report.database["hooks"]["timeseries"][table]["points"], 5,
            "{report:?}"
        );
    }
    // The audit trail is redacted, not rewritten: no entry names her any more, the erasure
    // is recorded (the account's DELETE, under the pseudonym, and a DATA_ERASURE event), and
    // the chain still verifies (crates/pms-archive/tests/erasure_audit.rs goes further).
    let mut admin = db.admin().await?;
    for table in ["audit_log", "security_events"] {
        for n in &needles {
            let hits: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {table} t WHERE t.tenant_id = $1 AND lower(to_jsonb(t)::text) LIKE '%' || $2 || '%'"
            )))
            .bind(t)
            .bind(n.to_lowercase())
            .fetch_one(&mut admin)
            .await?;
            assert_eq!(hits, 0, "{table} still mentions {n}");
        }
    }
    let erasure_recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND seq > $2 AND table_name = 'users' AND operation = 'DELETE' AND row_id = $3")
        .bind(t)
        .bind(audit_seq_before)
        .bind(pseudonym)
        .fetch_one(&mut admin)
        .await?;
    assert_eq!(
        erasure_recorded, 1,
        "the deletion of her account is audited, under the pseudonym"
    );
    let redaction_events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM security_events WHERE tenant_id = $1 AND event_type = 'DATA_ERASURE'",
    )
    .bind(t)
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(redaction_events, 1, "{report:?}");
    let verified: Option<bool> =
        sqlx::query_scalar("SELECT bool_and(ok) FROM verify_audit_chain($1)")
            .bind(t)
            .fetch_one(&mut admin)
            .await?;
    admin.close().await?;
    assert_eq!(count(&db.maintenance, &format!(
        "SELECT count(*) FROM privacy_erasures WHERE tenant_id = '{t}' AND pseudonym_id = '{pseudonym}' AND status = 'DONE'")).await?, 1);
    assert_eq!(
        verified,
        Some(true),
        "the audit chain still verifies after the erasure"
    );

    // The compliance records remain, under the pseudonym; the others' records are intact.
    assert_eq!(
        count(
            &db.maintenance,
            &format!("SELECT count(*) FROM fx_reviews WHERE employee_id = '{pseudonym}'")
        )
        .await?,
        5
    );
    assert_eq!(count(&db.maintenance, &format!(
        "SELECT count(*) FROM archived_entities WHERE entity_type = 'PerformanceReview' AND '{pseudonym}' = ANY (person_ids)")).await?, 30);
    let archived_review: String = sqlx::query_scalar(
        "SELECT id FROM archived_entities WHERE entity_type = 'PerformanceReview' AND $1 = ANY (person_ids) LIMIT 1")
        .bind(pseudonym)
        .fetch_one(&db.maintenance)
        .await?;
    let got = pms_archive::retrieve::retrieve(
        &db.maintenance,
        &a.store,
        Some(t),
        "PerformanceReview",
        &archived_review,
    )
    .await?
    .expect("kept");
    assert_eq!(
        got.data["employee_id"],
        serde_json::json!(pseudonym.to_string())
    );
    assert!(
        got.data["comments"]
            .as_str()
            .unwrap_or_default()
            .contains("[erased]"),
        "{:?}",
        got.data
    );
    assert_eq!(
        count(
            &db.maintenance,
            &format!("SELECT count(*) FROM archived_entities WHERE '{other}' = ANY (person_ids)")
        )
        .await?,
        10 + 38
    );
    assert_consistent(&a).await?;

    // A second erasure finds nothing left to do.
    let again = erase_person(&a, t, jane).await?;
    assert!(again.already_erased);
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
