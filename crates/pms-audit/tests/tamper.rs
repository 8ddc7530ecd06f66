//! Tamper evidence: 100 random edits, deletions and swaps of audit rows made as the owner are
//! each caught by verify_audit_chain(); a truncated tail with a rewound head, and a rewrite of
//! the whole chain, are caught against an exported head.

mod common;

use common::{add_users, chain_ok, make_tenant};
use pms_audit::{NewSecurityEvent, SecurityEventKind, chain};
use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{Connection, Executor, PgConnection};

async fn build_chain(db: &TestDb, tenant: TenantId) -> anyhow::Result<()> {
    let users = add_users(db, tenant, "t", 20).await?;
    for round in 0..10 {
        let mut tx = TenantTx::begin(&db.app, tenant, Some(users[round])).await?;
        for (i, u) in users.iter().enumerate() {
            sqlx::query("UPDATE users SET job_title = $2 WHERE id = $1")
                .bind(u.as_uuid())
                .bind(format!("title {round}-{i}"))
                .execute(&mut **tx)
                .await?;
        }
        let mut ev = NewSecurityEvent::new(SecurityEventKind::SensitiveRead);
        ev.resource_type = Some("PerformanceReview".into());
        for _ in 0..3 {
            pms_audit::events::record(&mut tx, &ev).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// One random tampering, as the owner, inside `tx`; returns what it did.
async fn tamper(
    conn: &mut PgConnection,
    rng: &mut StdRng,
    n_audit: i64,
    n_events: i64,
) -> anyhow::Result<String> {
    let a = rng.random_range(1..=n_audit);
    let b = loop {
        let b = rng.random_range(1..=n_audit);
        if b != a {
            break b;
        }
    };
    let e = rng.random_range(1..=n_events);
    let (what, sql) = match rng.random_range(0..12) {
        0 => ("edit changes", format!("UPDATE audit_log SET changes = changes || '{{\"job_title\": {{\"new\": \"forged\"}}}}' WHERE seq = {a}")),
        1 => ("edit actor", format!("UPDATE audit_log SET actor_user_id = gen_random_uuid() WHERE seq = {a}")),
        // Later, not earlier: the next month's partition always exists (kept ahead), the
        // previous one need not, and an entry of a month's first second would have nowhere to go.
        2 => ("edit time", format!("UPDATE audit_log SET occurred_at = occurred_at + interval '1 second' WHERE seq = {a}")),
        3 => ("edit operation", format!("UPDATE audit_log SET operation = CASE operation WHEN 'DELETE' THEN 'UPDATE' ELSE 'DELETE' END WHERE seq = {a}")),
        4 => ("delete row", format!("DELETE FROM audit_log WHERE seq = {a}")),
        5 => ("swap contents", format!(
            "UPDATE audit_log x SET changes = y.changes, row_id = y.row_id FROM audit_log y
              WHERE (x.seq, y.seq) IN (({a}, {b}), ({b}, {a}))")),
        6 => ("swap order", format!("UPDATE audit_log SET seq = CASE seq WHEN {a} THEN {b} ELSE {a} END WHERE seq IN ({a}, {b})")),
        7 => ("edit hash", format!("UPDATE audit_log SET hash = sha256(hash) WHERE seq = {a}")),
        8 => ("re-hash one edited row", format!(
            "UPDATE audit_log SET request_id = 'forged' WHERE seq = {a};
             UPDATE audit_log x SET hash = audit_chain_hash(x.prev_hash, audit_log_canonical(x)) WHERE seq = {a}")),
        9 => ("edit event", format!("UPDATE security_events SET user_id = gen_random_uuid() WHERE seq = {e}")),
        10 => ("delete event", format!("DELETE FROM security_events WHERE seq = {e}")),
        _ => ("edit event details", format!("UPDATE security_events SET details = '{{\"x\": 1}}' WHERE seq = {e}")),
    };
    conn.execute(sqlx::AssertSqlSafe(sql)).await?;
    Ok(format!("{what} (audit {a}/{b}, event {e})"))
}

#[tokio::test]
async fn every_tampering_by_the_owner_is_detected() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "tamper").await?;
    build_chain(&db, tenant).await?;
    let status = chain_ok(&db, tenant).await?;
    assert!(status.iter().all(|s| s.ok), "{status:?}");
    let n_audit = status
        .iter()
        .find(|s| s.stream == "audit")
        .map(|s| s.last_seq)
        .unwrap_or_default();
    let n_events = status
        .iter()
        .find(|s| s.stream == "security")
        .map(|s| s.last_seq)
        .unwrap_or_default();
    assert_eq!((n_audit, n_events), (1 + 20 + 200, 30));

    let mut owner = db.owner().await?;
    let mut rng = StdRng::seed_from_u64(42);
    for i in 0..100 {
        let mut tx = owner.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await?;
        let what = tamper(&mut tx, &mut rng, n_audit, n_events).await?;
        let status = chain::verify(&mut tx, tenant).await?;
        let broken: Vec<_> = status.iter().filter(|s| !s.ok).collect();
        assert!(!broken.is_empty(), "tampering {i} not detected: {what}");
        assert!(
            broken
                .iter()
                .all(|s| s.problem.is_some() && s.broken_seq.is_some()),
            "{broken:?}"
        );
        tx.rollback().await?;
    }
    // Rolled back each time: the chain is whole again.
    let status = chain_ok(&db, tenant).await?;
    assert!(status.iter().all(|s| s.ok), "{status:?}");
    Ok(())
}

#[tokio::test]
async fn truncation_and_whole_rewrites_are_caught_by_the_exported_head() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "head").await?;
    build_chain(&db, tenant).await?;
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let heads = chain::export_head(&mut tx, tenant).await?;
    tx.commit().await?;
    let json = serde_json::to_string(&heads)?;
    let heads = chain::parse_heads(&json)?;
    let audit_head = heads
        .iter()
        .find(|h| h.stream == "audit")
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no audit head"))?;
    assert_eq!(audit_head.seq, 221);
    let check = async |head: &pms_audit::ChainHead| -> anyhow::Result<Option<String>> {
        let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
        let r = chain::check_head(&mut tx, head).await?;
        tx.commit().await?;
        Ok(r)
    };
    for h in &heads {
        assert_eq!(check(h).await?, None);
    }

    let mut owner = db.owner().await?;
    let set_tenant = format!("SELECT set_config('app.tenant_id', '{tenant}', false)");
    owner.execute(sqlx::AssertSqlSafe(set_tenant)).await?;
    // Truncate the tail and rewind the head: the chain is consistent with itself again...
    owner
        .execute(
            "DELETE FROM audit_log WHERE seq > 216;
             UPDATE audit_chain_heads h SET seq = 216, hash = (SELECT hash FROM audit_log WHERE seq = 216) WHERE stream = 'audit'",
        )
        .await?;
    let status = chain_ok(&db, tenant).await?;
    assert!(
        status.iter().all(|s| s.ok),
        "a rewound chain looks whole from inside: {status:?}"
    );
    // ...but not against the head exported before.
    let problem = check(&audit_head).await?.unwrap_or_default();
    assert!(problem.contains("behind the exported head"), "{problem}");

    // Rewrite history from entry 100 on (its payload, re-sealed with its salt), re-hashing
    // everything after it, and write the tail back up to the exported length: only the
    // exported head can tell.
    owner
        .execute(
            r#"UPDATE audit_log SET changes = '{"job_title": {"new": "forged"}}' WHERE seq = 100;
               UPDATE audit_log a SET payload_digest = audit_payload_digest(a.payload_salt, audit_log_payload(a)) WHERE seq = 100;
               DO $$
               DECLARE r record; prev bytea;
               BEGIN
                   SELECT hash INTO prev FROM audit_log WHERE seq = 99;
                   FOR r IN SELECT seq FROM audit_log WHERE seq >= 100 ORDER BY seq LOOP
                       UPDATE audit_log a SET prev_hash = prev WHERE a.seq = r.seq;
                       UPDATE audit_log a SET hash = audit_chain_hash(a.prev_hash, audit_log_canonical(a)) WHERE a.seq = r.seq
                           RETURNING a.hash INTO prev;
                   END LOOP;
                   UPDATE audit_chain_heads SET hash = prev WHERE stream = 'audit';
               END $$;
               UPDATE users SET job_title = 'refill' WHERE id IN (SELECT id FROM users LIMIT 5);"#,
        )
        .await?;
    let status = chain_ok(&db, tenant).await?;
    assert!(
        status.iter().all(|s| s.ok),
        "a fully re-hashed chain looks whole from inside: {status:?}"
    );
    let problem = check(&audit_head).await?.unwrap_or_default();
    assert!(
        problem.contains("differs from the exported head"),
        "{problem}"
    );

    // Bad exported heads are refused with a clear error.
    let mut bad = audit_head.clone();
    bad.hash = Some("xyz".into());
    let err = check(&bad).await.unwrap_err().to_string();
    assert!(err.contains("64 lowercase hex digits"), "{err}");
    bad.stream = "nope".into();
    let err = check(&bad).await.unwrap_err().to_string();
    assert!(err.contains("unknown chain stream"), "{err}");
    assert!(chain::parse_heads("{not json").is_err());
    Ok(())
}
