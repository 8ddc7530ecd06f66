//! No password, token or session id ever reaches an audit or security row: known secrets are
//! seeded through every path (password hashes, sessions, jsonb settings, event details) and
//! then searched for in the whole text of every audit and security row.

mod common;

use common::{add_user, make_tenant};
use pms_audit::{NewSecurityEvent, SecurityEventKind};
use pms_db::TenantTx;
use pms_test_support::TestDb;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn seeded_secrets_never_appear_in_audit_or_security_rows() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "secrets").await?;
    let pw_hash = "$argon2id$v=19$m=19456,t=2,p=1$SEEDEDSALTxyz$SEEDEDHASHvalue0001";
    let pw_hash2 = "$argon2id$v=19$m=19456,t=2,p=1$SEEDEDSALTabc$SEEDEDHASHvalue0002";
    let plain_pw = "Plain-Text-Password-77";
    let token = [0x5au8; 32];
    let token_hex = hex_of(&token);
    let session_id = Uuid::now_v7();
    let api_key = "sk_live_SEEDED_API_KEY_123";
    let smtp_pw = "smtp-SEEDED-pass-9";

    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    let user = add_user(&mut tx, tenant, "s@example.com").await?;
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user.as_uuid())
        .bind(pw_hash)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE users SET password_hash = $2, job_title = 'Changed' WHERE id = $1")
        .bind(user.as_uuid())
        .bind(pw_hash2)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (tenant_id, id, user_id, token_hash, ip_address, expires_at) VALUES ($1, $2, $3, $4, '10.1.1.1', now() + interval '1 hour')",
    )
    .bind(tenant.as_uuid())
    .bind(session_id)
    .bind(user.as_uuid())
    .bind(&token[..])
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE tenants SET settings = $1")
        .bind(json!({"smtp": {"host": "mail.example.com", "password": smtp_pw}, "sso": [{"client_secret": api_key}]}))
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO access_policies (tenant_id, name, resource, action, conditions) VALUES ($1, 'p', 'reviews', 'READ', $2)")
        .bind(tenant.as_uuid())
        .bind(json!({"api_key": api_key, "ip": "10.0.0.0/8"}))
        .execute(&mut **tx)
        .await?;
    for (kind, details) in [
        (
            SecurityEventKind::LoginSuccess,
            json!({"session_id": session_id, "token": token_hex, "method": "password"}),
        ),
        (
            SecurityEventKind::LoginFailure,
            json!({"password": plain_pw, "reason": "bad password"}),
        ),
        (
            SecurityEventKind::PasswordChange,
            json!({"old_password": plain_pw, "new_password_hash": pw_hash2}),
        ),
        (
            SecurityEventKind::Logout,
            json!({"sessionId": session_id, "refresh_token": api_key}),
        ),
    ] {
        let mut ev = NewSecurityEvent::new(kind);
        ev.user = Some(user);
        ev.details = details;
        pms_audit::events::record(&mut tx, &ev).await?;
    }
    tx.commit().await?;

    // Search the full text of every row, as the maintenance role (which sees all tenants).
    let secrets = [
        pw_hash,
        pw_hash2,
        "SEEDEDHASH",
        "SEEDEDSALT",
        plain_pw,
        &token_hex,
        &session_id.to_string(),
        api_key,
        smtp_pw,
    ];
    for s in secrets {
        let hits: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM audit_log a WHERE strpos(a::text, $1) > 0)
                  + (SELECT count(*) FROM security_events e WHERE strpos(e::text, $1) > 0)
                  + (SELECT count(*) FROM audit_chain_heads h WHERE strpos(h::text, $1) > 0)",
        )
        .bind(s)
        .fetch_one(&db.maintenance)
        .await?;
        assert_eq!(hits, 0, "secret {s:?} found in the audit trail");
    }
    // The changes themselves are still on record, without their values.
    let changed: Vec<serde_json::Value> = sqlx::query_scalar(
        "SELECT changes -> 'password_hash' FROM audit_log WHERE table_name = 'users' AND row_id = $1 AND operation = 'UPDATE' ORDER BY seq",
    )
    .bind(user.as_uuid())
    .fetch_all(&db.maintenance)
    .await?;
    assert_eq!(
        changed,
        vec![
            json!({"old": null, "new": "[REDACTED]"}),
            json!({"old": "[REDACTED]", "new": "[REDACTED]"})
        ]
    );
    let settings: serde_json::Value = sqlx::query_scalar(
        "SELECT changes -> 'settings' -> 'new' FROM audit_log WHERE table_name = 'tenants' AND operation = 'UPDATE' AND tenant_id = $1",
    )
    .bind(tenant.as_uuid())
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(
        settings,
        json!({"smtp": {"host": "mail.example.com", "password": "[REDACTED]"}, "sso": [{"client_secret": "[REDACTED]"}]})
    );
    // Sessions are not audited at all (their ids and token hashes are secrets).
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE table_name = 'sessions'")
        .fetch_one(&db.maintenance)
        .await?;
    assert_eq!(n, 0);
    // The search itself does find a value that is stored.
    let found: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log a WHERE strpos(a::text, 'mail.example.com') > 0",
    )
    .fetch_one(&db.maintenance)
    .await?;
    assert_eq!(found, 1);
    Ok(())
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
