//! Bad input gets a clear, one-line error (SQLSTATE 22023, surfaced as InvalidInput) and
//! writes nothing: unknown entity types, negative or missing days and limits, limits above the
//! cap, unknown event types, malformed details.

mod common;

use common::{add_users, chain_ok, make_tenant};
use pms_audit::{AuditError, NewSecurityEvent, SecurityEventKind, history, suspicious};
use pms_db::TenantTx;
use pms_test_support::TestDb;
use serde_json::json;
use uuid::Uuid;

fn invalid(r: Result<impl std::fmt::Debug, AuditError>, needle: &str) {
    match r {
        Err(AuditError::InvalidInput(msg)) => {
            assert!(msg.contains(needle), "{msg:?} does not say {needle:?}");
            assert!(!msg.contains('\n'), "not one line: {msg:?}");
        }
        other => panic!("expected InvalidInput({needle}), got {other:?}"),
    }
}

#[tokio::test]
async fn read_functions_refuse_bad_arguments() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "bad-input").await?;
    let users = add_users(&db, tenant, "b", 1).await?;
    let u = users[0];
    // Each refusal aborts its transaction, so each call gets a fresh one.
    macro_rules! fresh {
        ($tx:ident => $call:expr) => {{
            let mut $tx = TenantTx::begin(&db.app, tenant, None).await?;
            let r = $call.await;
            $tx.rollback().await?;
            r
        }};
    }
    invalid(
        fresh!(tx => history::user_history(&mut tx, u, -1, 10)),
        "days must be between 1 and 1095, got -1",
    );
    invalid(
        fresh!(tx => history::user_history(&mut tx, u, 0, 10)),
        "days must be between 1 and 1095, got 0",
    );
    invalid(
        fresh!(tx => history::user_history(&mut tx, u, 5000, 10)),
        "days must be between 1 and 1095",
    );
    invalid(
        fresh!(tx => history::user_history(&mut tx, u, 1, -5)),
        "limit must be between 1 and 1000, got -5",
    );
    invalid(
        fresh!(tx => history::user_history(&mut tx, u, 1, 1001)),
        "limit must be between 1 and 1000, got 1001",
    );
    invalid(
        fresh!(tx => history::entity_history(&mut tx, "Spaceship", u.as_uuid(), 10)),
        "unknown entity type 'Spaceship'; known: AccessPolicy",
    );
    invalid(
        fresh!(tx => history::entity_history(&mut tx, "users", u.as_uuid(), 0)),
        "limit must be between 1 and 1000",
    );
    invalid(
        fresh!(tx => history::tenant_events(&mut tx, tenant, -7, 10)),
        "days must be between",
    );
    invalid(
        fresh!(tx => history::tenant_events(&mut tx, tenant, 7, 100_000)),
        "limit must be between",
    );
    invalid(
        fresh!(tx => suspicious::detect(&mut tx, tenant, -1)),
        "hours must be between 1 and 8760, got -1",
    );
    invalid(
        fresh!(tx => suspicious::detect(&mut tx, tenant, 9000)),
        "hours must be between 1 and 8760",
    );
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    // Good arguments work, by entity type or by table name, in any case.
    for ty in ["User", "user", "users"] {
        let h = history::entity_history(&mut tx, ty, u.as_uuid(), 10).await?;
        assert_eq!(h.len(), 1, "{ty}");
        assert_eq!(h[0].operation, "INSERT");
    }
    tx.rollback().await?;
    // Without a tenant the functions say so instead of returning an empty (clean-looking) answer.
    let mut conn = db.app.acquire().await?;
    let err = history::user_history(&mut conn, u, 1, 1).await.unwrap_err();
    assert!(
        matches!(&err, AuditError::Denied(m) if m.contains("no tenant set")),
        "{err}"
    );
    let err = history::tenant_events(&mut conn, pms_core::TenantId(Uuid::now_v7()), 1, 1)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AuditError::Denied(m) if m.contains("is not the tenant of this transaction")),
        "{err}"
    );
    Ok(())
}

#[tokio::test]
async fn refused_security_events_write_nothing() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "bad-events").await?;
    let cases: Vec<(&str, serde_json::Value, Option<&str>, &str)> = vec![
        (
            "LOGIN_SUCESS",
            json!({}),
            None,
            "unknown security event type 'LOGIN_SUCESS'",
        ),
        (
            "DATA_EXPORT",
            json!({"rows": 10}),
            None,
            "DATA_EXPORT needs a resource type",
        ),
        (
            "DATA_EXPORT",
            json!({"rows": "many"}),
            Some("Goal"),
            "details.rows must be a whole number",
        ),
        (
            "DATA_EXPORT",
            json!({"rows": -3}),
            Some("Goal"),
            "details.rows must be a whole number",
        ),
        (
            "SENSITIVE_READ",
            json!([1, 2]),
            Some("PIP"),
            "details must be a JSON object",
        ),
        (
            "SENSITIVE_READ",
            json!({}),
            Some("PIP; DROP"),
            "resource type must be 1-64 letters",
        ),
        (
            "LOGIN_FAILURE",
            json!({}),
            None,
            "LOGIN_FAILURE needs the account",
        ),
    ];
    for (kind, details, resource, needle) in cases {
        let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
        let r: Result<Uuid, AuditError> =
            sqlx::query_scalar("SELECT record_security_event($1, NULL, NULL, NULL, $2, NULL, $3)")
                .bind(kind)
                .bind(resource)
                .bind(&details)
                .fetch_one(&mut **tx)
                .await
                .map_err(AuditError::from);
        invalid(r, needle);
        tx.rollback().await?;
    }
    // Through the typed API, an unknown severity cannot even be expressed; a bad one in SQL is refused.
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let r: Result<Uuid, AuditError> =
        sqlx::query_scalar("SELECT record_security_event('LOGOUT', p_severity => 'APOCALYPTIC')")
            .fetch_one(&mut **tx)
            .await
            .map_err(AuditError::from);
    invalid(r, "unknown severity 'APOCALYPTIC'");
    tx.rollback().await?;
    // No tenant: refused.
    let mut conn = db.app.acquire().await?;
    let r = pms_audit::events::record(&mut conn, &NewSecurityEvent::new(SecurityEventKind::Logout))
        .await;
    invalid(r, "no tenant set");
    // Nothing was written, and the chain is intact.
    let status = chain_ok(&db, tenant).await?;
    let security = status.iter().find(|s| s.stream == "security").cloned();
    assert_eq!(security.map(|s| (s.ok, s.entries)), Some((true, 0)));
    Ok(())
}
