//! Erasure reaches the audit tier: after erasing a person, a search of `audit_log` and
//! `security_events` for their name, email, id (and their exact address) finds nothing; the
//! entries are still there under the pseudonym, every hash chain still verifies, a head
//! exported before still matches, and tampering with a redacted entry (or its redaction
//! record) is still caught. An entry naming two people is redacted twice and still verifies.
//! Only the maintenance role may redact; a row that already fails its digest is never
//! laundered by a redaction.

mod common;

use common::*;
use pms_archive::erase::erase_person;
use pms_core::{TenantId, UserId};
use pms_db::TenantTx;
use sqlx::{Connection, Executor, PgConnection};
use uuid::Uuid;

/// Every stream of the tenant's chain, as the application inside its tenant.
async fn verify(
    db: &pms_test_support::TestDb,
    t: Uuid,
) -> anyhow::Result<Vec<(String, bool, Option<String>)>> {
    let mut tx = TenantTx::begin(&db.app, TenantId(t), None).await?;
    let rows = sqlx::query_as("SELECT stream, ok, problem FROM verify_audit_chain($1)")
        .bind(t)
        .fetch_all(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(rows)
}

fn all_ok(rows: &[(String, bool, Option<String>)]) -> bool {
    rows.iter().all(|(_, ok, _)| *ok)
}

/// Rows of `table` (audit_log or security_events) of tenant `t` whose text mentions `needle`.
async fn mentions(
    admin: &mut PgConnection,
    table: &str,
    t: Uuid,
    needle: &str,
) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM {table} x WHERE x.tenant_id = $1 AND strpos(lower(to_jsonb(x)::text), lower($2)) > 0"
    )))
    .bind(t)
    .bind(needle)
    .fetch_one(admin)
    .await?)
}

/// One security event, as the application records it.
struct Ev<'a> {
    kind: &'a str,
    ip: Option<&'a str>,
    agent: Option<&'a str>,
    /// A user the event is about (resource type `User`).
    about: Option<Uuid>,
    details: serde_json::Value,
    /// The login name tried (failed logins).
    account: Option<&'a str>,
}

impl<'a> Ev<'a> {
    fn new(kind: &'a str) -> Self {
        Self {
            kind,
            ip: None,
            agent: None,
            about: None,
            details: serde_json::json!({}),
            account: None,
        }
    }
}

/// Records `ev` as the application, acting as `actor`.
async fn event(
    db: &pms_test_support::TestDb,
    t: Uuid,
    actor: Option<Uuid>,
    ev: Ev<'_>,
) -> anyhow::Result<()> {
    let mut tx = TenantTx::begin(&db.app, TenantId(t), actor.map(UserId)).await?;
    sqlx::query("SELECT record_security_event($1, NULL, $2::inet, $3, $4, $5, $6, $7)")
        .bind(ev.kind)
        .bind(ev.ip)
        .bind(ev.agent)
        .bind(ev.about.map(|_| "User"))
        .bind(ev.about)
        .bind(ev.details)
        .bind(ev.account)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[tokio::test]
async fn erasure_redacts_the_audit_trail_and_the_chains_still_verify() -> anyhow::Result<()> {
    let db = db().await?;
    let mut owner = db.owner().await?;
    owner
        .execute("SELECT pms_meta.enable_audit('fx_reviews', 'FxReview')")
        .await?;
    // Words are erased whole: Jan, not the Jan of Janet (nor First7 of First70).
    let scrubbed: String = sqlx::query_scalar(
        "SELECT pms_retention.scrub_text('Jan met Janet; JAN (jan@x.io), First7 First70', ARRAY['jan@x.io', 'Jan', 'First7'])",
    )
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(
        scrubbed,
        "[erased] met Janet; [erased] ([erased]), [erased] First70"
    );
    let t = tenant(&db, "erase-audit").await?;
    let jane = user(
        &db.maintenance,
        t,
        "jane.roe@example.com",
        "Janelle",
        "Roeberts",
    )
    .await?;
    let bob = user(
        &db.maintenance,
        t,
        "bob.bright@example.com",
        "Bobby",
        "Brightwater",
    )
    .await?;
    let otto = user(&db.maintenance, t, "otto@example.com", "Otto", "Other").await?;

    // Jane acts (actor), is acted upon (row id), is written about (review text naming both her
    // and Bob, reviewed by Bob), logs in from an address, fails a login by email, and is read.
    let mut tx = TenantTx::begin(&db.app, TenantId(t), Some(UserId(jane))).await?;
    sqlx::query("UPDATE users SET job_title = 'Lead' WHERE id = $1")
        .bind(jane)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE users SET job_title = 'Peer of Janelle' WHERE id = $1")
        .bind(otto)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    let mut tx = TenantTx::begin(&db.app, TenantId(t), Some(UserId(bob))).await?;
    sqlx::query(
        "INSERT INTO fx_reviews (tenant_id, employee_id, reviewer_id, comments, rating, created_at)
         VALUES ($1, $2, $3, 'Janelle Roeberts did well, says Bobby Brightwater', 4, now())",
    )
    .bind(t)
    .bind(jane)
    .bind(bob)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO fx_reviews (tenant_id, employee_id, reviewer_id, comments, rating, created_at)
         VALUES ($1, $2, $3, 'Otto is steady', 3, now())",
    )
    .bind(t)
    .bind(otto)
    .bind(bob)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    {
        let mut ev = Ev::new("LOGIN_SUCCESS");
        ev.ip = Some("203.0.113.77");
        ev.agent = Some("Firefox (Janelle's laptop)");
        event(&db, t, Some(jane), ev).await?;
    }
    {
        let mut ev = Ev::new("LOGIN_FAILURE");
        ev.ip = Some("198.51.100.9");
        ev.account = Some("Jane.Roe@example.com");
        event(&db, t, None, ev).await?;
    }
    {
        let mut ev = Ev::new("SENSITIVE_READ");
        ev.about = Some(jane);
        ev.details = serde_json::json!({"why": "calibration of Janelle Roeberts"});
        event(&db, t, Some(otto), ev).await?;
    }
    {
        let mut ev = Ev::new("LOGIN_SUCCESS");
        ev.ip = Some("192.0.2.5");
        event(&db, t, Some(otto), ev).await?;
    }
    assert!(all_ok(&verify(&db, t).await?));

    // A head exported before the erasure.
    let mut tx = TenantTx::begin(&db.app, TenantId(t), None).await?;
    let heads: Vec<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT stream, seq, hash FROM audit_chain_head($1)")
            .bind(t)
            .fetch_all(&mut **tx)
            .await?;
    tx.commit().await?;

    // Only the erasure path may redact: not the application, and nobody may update the trail.
    let mut tx = TenantTx::begin(&db.app, TenantId(t), None).await?;
    let err = sqlx::query("SELECT pms_meta.audit_redact_person($1, $2, $3, '{}')")
        .bind(t)
        .bind(jane)
        .bind(Uuid::now_v7())
        .execute(&mut **tx)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("permission denied"), "{err}");
    tx.rollback().await?;
    for pool in [&db.app, &db.maintenance] {
        let mut tx = TenantTx::begin(pool, TenantId(t), None).await?;
        let err = sqlx::query("UPDATE audit_log SET changes = '{}' WHERE tenant_id = $1")
            .bind(t)
            .execute(&mut **tx)
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("permission denied"), "{err}");
        tx.rollback().await?;
    }

    let dir = tempdir("erase-audit")?;
    let a = archiver(&db, &dir, 16)?;
    let report = erase_person(&a, t, jane).await?;
    let pseudonym = report.pseudonym_id;
    assert!(
        report.audit["audit_entries_redacted"].as_i64().unwrap_or(0) >= 4,
        "{report:?}"
    );
    assert_eq!(report.audit["security_events_redacted"], 3, "{report:?}");
    assert_eq!(report.audit["redaction_events"], 1, "{report:?}");

    let mut admin = db.admin().await?;
    for table in ["audit_log", "security_events"] {
        for needle in [
            jane.to_string().as_str(),
            "jane.roe@example.com",
            "janelle",
            "roeberts",
            "203.0.113.77",
        ] {
            assert_eq!(
                mentions(&mut admin, table, t, needle).await?,
                0,
                "{table} still mentions {needle}"
            );
        }
    }
    // Still there, under the pseudonym; the others untouched.
    let as_pseudonym: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND (row_id = $2 OR actor_user_id = $2)",
    )
    .bind(t)
    .bind(pseudonym)
    .fetch_one(&mut admin)
    .await?;
    assert!(as_pseudonym >= 3, "{as_pseudonym}");
    let login: (Option<Uuid>, Option<String>) = sqlx::query_as(
        "SELECT user_id, host(ip_address) FROM security_events WHERE tenant_id = $1 AND event_type = 'LOGIN_SUCCESS' ORDER BY seq LIMIT 1",
    )
    .bind(t)
    .fetch_one(&mut admin)
    .await?;
    assert_eq!(login, (Some(pseudonym), Some("203.0.113.0".into())));
    assert!(mentions(&mut admin, "security_events", t, "192.0.2.5").await? == 1);
    assert!(mentions(&mut admin, "audit_log", t, "bobby brightwater").await? > 0);
    assert!(
        all_ok(&verify(&db, t).await?),
        "{:?}",
        verify(&db, t).await?
    );
    let mut tx = TenantTx::begin(&db.app, TenantId(t), None).await?;
    for (stream, seq, hash) in &heads {
        let problem: Option<String> =
            sqlx::query_scalar("SELECT check_audit_chain_head($1, $2, $3, $4)")
                .bind(t)
                .bind(stream)
                .bind(seq)
                .bind(hash.as_deref())
                .fetch_one(&mut **tx)
                .await?;
        assert_eq!(problem, None, "{stream}");
    }
    tx.commit().await?;

    // Bob too: the review entry naming both is redacted a second time, and still verifies.
    let second = erase_person(&a, t, bob).await?;
    assert!(
        second.audit["audit_entries_redacted"].as_i64().unwrap_or(0) >= 2,
        "{second:?}"
    );
    for needle in [
        bob.to_string().as_str(),
        "bob.bright@example.com",
        "brightwater",
    ] {
        assert_eq!(
            mentions(&mut admin, "audit_log", t, needle).await?,
            0,
            "{needle}"
        );
    }
    let twice: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT x ->> 'q' FROM security_events e, jsonb_array_elements(e.details -> 'redactions') x
          WHERE e.tenant_id = $1 AND e.event_type = 'DATA_ERASURE' AND x ->> 's' = 'audit'
          GROUP BY 1 HAVING count(*) = 2) d",
    )
    .bind(t)
    .fetch_one(&mut admin)
    .await?;
    assert!(twice >= 1, "an entry redacted for both people");
    assert!(
        all_ok(&verify(&db, t).await?),
        "{:?}",
        verify(&db, t).await?
    );
    admin.close().await?;

    // Tampering, as the owner, each rolled back: a redacted entry, a redacted event, the
    // redaction record itself, a salt dropped to pass a row off as redacted.
    let forged = [
        format!("UPDATE audit_log SET changes = changes || '{{\"x\": 1}}' WHERE actor_user_id = '{pseudonym}'"),
        format!("UPDATE audit_log SET actor_user_id = '{otto}' WHERE actor_user_id = '{pseudonym}'"),
        format!("UPDATE security_events SET ip_address = '203.0.113.77' WHERE user_id = '{pseudonym}'"),
        "UPDATE security_events SET details = jsonb_set(details, '{redactions,0,to}', to_jsonb(repeat('0', 64))) WHERE event_type = 'DATA_ERASURE'".to_string(),
        format!("UPDATE audit_log SET payload_salt = NULL, changes = '{{}}' WHERE row_id = '{otto}'"),
    ];
    for sql in &forged {
        let mut tx = owner.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(t.to_string())
            .execute(&mut *tx)
            .await?;
        let n = tx
            .execute(sqlx::AssertSqlSafe(sql.clone()))
            .await?
            .rows_affected();
        assert!(n > 0, "tampering touched nothing: {sql}");
        let status: Vec<(String, bool, Option<String>)> =
            sqlx::query_as("SELECT stream, ok, problem FROM verify_audit_chain($1)")
                .bind(t)
                .fetch_all(&mut *tx)
                .await?;
        assert!(!all_ok(&status), "not detected: {sql}");
        tx.rollback().await?;
    }
    assert!(all_ok(&verify(&db, t).await?));

    // A tampered entry is never laundered by a later redaction: erasing Otto stops, nothing
    // changes, and the tampering stays visible.
    owner
        .execute(sqlx::AssertSqlSafe(format!(
            "SELECT set_config('app.tenant_id', '{t}', false);
             UPDATE audit_log SET changes = changes || '{{\"forged\": true}}' WHERE row_id = '{otto}' AND operation = 'UPDATE'"
        )))
        .await?;
    let err = erase_person(&a, t, otto)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    // (That entry, naming Janelle, was redacted before: it is checked against its record.)
    assert!(err.contains("does not match its redaction record"), "{err}");
    // And an entry never redacted (her account's creation, an earlier entry) is checked
    // against its sealed digest.
    owner
        .execute(sqlx::AssertSqlSafe(format!(
            "UPDATE audit_log SET changes = changes || '{{\"forged\": true}}' WHERE row_id = '{otto}' AND operation = 'INSERT'"
        )))
        .await?;
    let err = erase_person(&a, t, otto)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("does not match its digest"), "{err}");
    assert_eq!(
        count(
            &db.maintenance,
            &format!("SELECT count(*) FROM users WHERE id = '{otto}'")
        )
        .await?,
        1
    );
    assert!(!all_ok(&verify(&db, t).await?));
    owner.close().await?;
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
