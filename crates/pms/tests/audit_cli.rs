//! `pms audit` end to end: the real binary against a test database, including a truncated
//! tail caught only by an exported head, and bad input answered with one line and exit 1.

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use sqlx::Executor;
use std::process::Output;
use uuid::Uuid;

fn pms(db: &TestDb, args: &[&str]) -> anyhow::Result<Output> {
    Ok(std::process::Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(args)
        .env("DATABASE_URL", &db.urls.admin)
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .env("RUST_LOG", "error")
        .output()?)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[tokio::test]
async fn verify_head_history_and_bad_input() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = TenantId(Uuid::now_v7());
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'cli', 'CLI')")
        .bind(tenant.as_uuid())
        .execute(&db.maintenance)
        .await?;
    let actor = Uuid::now_v7();
    let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
    sqlx::query("INSERT INTO users (tenant_id, id, email, first_name, last_name) VALUES ($1, $2, 'cli@example.com', 'C', 'L')")
        .bind(tenant.as_uuid())
        .bind(actor)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    let mut tx = TenantTx::begin(&db.app, tenant, Some(pms_core::UserId(actor))).await?;
    for i in 0..5 {
        sqlx::query("UPDATE users SET job_title = $2 WHERE id = $1")
            .bind(actor)
            .bind(format!("t{i}"))
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    let t = tenant.to_string();

    let out = pms(&db, &["audit", "verify", "--tenant", &t])?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("ok      cli audit    7 entries"),
        "{}",
        text(&out.stdout)
    );

    let head = std::env::temp_dir().join(format!("pms-audit-head-{}.json", Uuid::now_v7()));
    let head_s = head.display().to_string();
    let out = pms(&db, &["audit", "head", "--tenant", &t, "--out", &head_s])?;
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = pms(
        &db,
        &[
            "audit",
            "history",
            "--user",
            &actor.to_string(),
            "--days",
            "1",
            "--json",
        ],
    )?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 5);
    let out = pms(
        &db,
        &["audit", "history", "--entity", &format!("User:{actor}")],
    )?;
    assert_eq!(
        text(&out.stdout).lines().count(),
        6,
        "{}",
        text(&out.stdout)
    );

    // The owner cuts the last two entries and rewinds the head: consistent from inside...
    let mut owner = db.owner().await?;
    owner
        .execute(sqlx::AssertSqlSafe(format!(
            "SELECT set_config('app.tenant_id', '{t}', false);
             DELETE FROM audit_log WHERE seq > 5;
             UPDATE audit_chain_heads SET seq = 5, hash = (SELECT hash FROM audit_log WHERE seq = 5) WHERE stream = 'audit';"
        )))
        .await?;
    let out = pms(&db, &["audit", "verify", "--tenant", &t])?;
    assert!(out.status.success(), "{}", text(&out.stdout));
    // ...but not against the exported head.
    let out = pms(&db, &["audit", "verify", "--tenant", &t, "--head", &head_s])?;
    let _ = std::fs::remove_file(&head);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("BROKEN")
            && text(&out.stdout).contains("behind the exported head"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        text(&out.stderr).trim(),
        "error: 1 audit chain problem(s) found"
    );

    // A chain broken in the middle is reported with its first broken link.
    owner
        .execute("UPDATE audit_log SET changes = '{}' WHERE seq = 3")
        .await?;
    let out = pms(&db, &["audit", "verify"])?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("BROKEN  cli audit    at entry 3: entry 3 was altered"),
        "{}",
        text(&out.stdout)
    );

    let user = actor.to_string();
    let cases: [(Vec<&str>, &str); 6] = [
        (
            vec!["audit", "history", "--user", &user, "--days", "-1"],
            "error: days must be between 1 and 1095, got -1",
        ),
        (
            vec![
                "audit",
                "history",
                "--entity",
                "Spaceship:0190c8a2-7b4e-7000-8000-000000000000",
            ],
            "error: unknown entity type 'Spaceship'",
        ),
        (
            vec!["audit", "history", "--entity", "User"],
            "error: --entity must be TYPE:ID",
        ),
        (
            vec!["audit", "events", "--tenant", &t, "--limit", "5000"],
            "error: limit must be between 1 and 1000, got 5000",
        ),
        (
            vec!["audit", "suspicious", "--tenant", &t, "--hours", "-3"],
            "error: hours must be between 1 and 8760, got -3",
        ),
        (
            vec![
                "audit",
                "verify",
                "--tenant",
                "0190c8a2-7b4e-7000-8000-000000000000",
            ],
            "error: unknown tenant",
        ),
    ];
    for (args, said) in cases {
        let out = pms(&db, &args)?;
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.starts_with(said), "{args:?}: {err}");
    }
    Ok(())
}
