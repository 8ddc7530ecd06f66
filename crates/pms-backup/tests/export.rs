//! Logical exports: one tenant moved from one platform to another keeps every row and its
//! audit chain verifies there; a damaged export file is refused; the whole database, dumped
//! with pg_dump, imports into an empty database with every row and verifiable chains.

mod common;

use common::*;
use pms_backup::export;
use sqlx::{Connection, Executor, PgConnection};

async fn chain_ok(url: &str, t: uuid::Uuid) -> anyhow::Result<bool> {
    let mut c = PgConnection::connect(url).await?;
    let broken: i64 =
        sqlx::query_scalar("SELECT count(*) FROM verify_audit_chain($1) WHERE NOT ok")
            .bind(t)
            .fetch_one(&mut c)
            .await?;
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE tenant_id = $1")
        .bind(t)
        .fetch_one(&mut c)
        .await?;
    c.close().await?;
    Ok(broken == 0 && entries > 0)
}

#[tokio::test]
async fn a_tenant_moves_between_platforms_and_the_database_dumps_and_imports() -> anyhow::Result<()>
{
    let from = env("exp-from").await?;
    let to = env("exp-to").await?;
    let (a, ua) = tenant(&from, "moving").await?;
    let (b, ub) = tenant(&from, "staying").await?;
    let app = from.app().await?;
    goals(&app, a, ua, "a-goal", 30).await?;
    goals(&app, b, ub, "b-goal", 4).await?;
    let a_titles = titles(&from.server.admin_url, a).await?;

    let dir = from.dir.join("exports").join("moving");
    let manifest = export::export_tenant(&from.server.admin_url, a, &dir).await?;
    assert!(
        manifest
            .tables
            .iter()
            .any(|t| t.table == "public.audit_log" && t.rows > 0)
    );
    let e = export::export_tenant(&from.server.admin_url, a, &dir)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("already exists"), "{e}");

    // A damaged file is refused before anything is written.
    let goals_file = manifest
        .tables
        .iter()
        .find(|t| t.table == "public.goals")
        .expect("goals exported");
    let path = dir.join(&goals_file.file);
    let original = std::fs::read(&path)?;
    let mut damaged = original.clone();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 1;
    std::fs::write(&path, &damaged)?;
    let e = export::import_tenant(&to.server.admin_url, &dir)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("checksum") && e.contains(&goals_file.file),
        "{e}"
    );
    std::fs::write(&path, &original)?;

    let imported = export::import_tenant(&to.server.admin_url, &dir).await?;
    assert_eq!(imported.tenant, a);
    assert_eq!(titles(&to.server.admin_url, a).await?, a_titles);
    assert!(
        titles(&to.server.admin_url, b).await?.is_empty(),
        "only the exported tenant moved"
    );
    assert!(
        chain_ok(&to.server.admin_url, a).await?,
        "the moved tenant's audit chain verifies"
    );
    let e = export::import_tenant(&to.server.admin_url, &dir)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("already exists"), "{e}");
    // The application role sees the moved tenant's rows through RLS as usual.
    let app_to = to.app().await?;
    let mut tx = pms_db::TenantTx::begin(&app_to, pms_core::TenantId(a), None).await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM goals")
        .fetch_one(&mut **tx)
        .await?;
    assert_eq!(n, 30);
    tx.commit().await?;

    // The whole database: pg_dump, then pg_restore into an empty database on the other server.
    let dump = from.dir.join("exports").join("all.dump");
    export::export_database(&from.server.bindir, &from.server.admin_url, &dump)?;
    let mut admin = to.admin().await?;
    admin.execute("CREATE DATABASE pms_imported").await?;
    admin.close().await?;
    let target = to.server.url_for_db("pms_imported");
    export::import_database(&to.server.bindir, &target, &dump).await?;
    assert_eq!(titles(&target, a).await?, a_titles);
    assert_eq!(titles(&target, b).await?.len(), 4);
    assert!(chain_ok(&target, a).await? && chain_ok(&target, b).await?);
    let e = export::import_database(&to.server.bindir, &target, &dump)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("not empty"), "{e}");
    Ok(())
}
