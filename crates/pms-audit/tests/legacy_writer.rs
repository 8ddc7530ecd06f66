//! A writer that does not know the payload columns (one written against the earlier
//! canonical form, like a bulk-load hook) still leaves a chain that verifies: the entry is
//! sealed (salt, payload digest) and hashed again before it is stored.

mod common;

use common::{add_users, chain_ok, make_tenant};
use pms_test_support::TestDb;
use sqlx::{Connection, Executor};

#[tokio::test]
async fn an_entry_written_without_its_payload_digest_is_sealed_on_insert() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = make_tenant(&db, "legacy").await?;
    add_users(&db, tenant, "l", 3).await?;
    let mut owner = db.owner().await?;
    let mut tx = owner.begin().await?;
    tx.execute(sqlx::AssertSqlSafe(format!(
        "SELECT set_config('app.tenant_id', '{tenant}', false)"
    )))
    .await?;
    tx.execute(
        r#"DO $$
           DECLARE c record; e public.audit_log;
           BEGIN
               c := pms_meta.audit_chain_next(public.pms_current_tenant(), 'audit');
               e.tenant_id := public.pms_current_tenant(); e.id := gen_random_uuid(); e.seq := c.next_seq;
               e.occurred_at := clock_timestamp(); e.table_name := 'users'; e.entity_type := 'User';
               e.operation := 'INSERT'; e.changes := '{"bulk_load": {"rows": 3}}'; e.db_user := session_user;
               e.txid := txid_current(); e.prev_hash := c.prev_hash;
               e.hash := public.audit_chain_hash(e.prev_hash, public.audit_log_canonical(e));
               INSERT INTO public.audit_log SELECT (e).*;
           END $$"#,
    )
    .await?;
    tx.commit().await?;
    let stored: (Option<Vec<u8>>, Vec<u8>) = sqlx::query_as(
        "SELECT payload_salt, payload_digest FROM audit_log WHERE tenant_id = $1 AND changes ? 'bulk_load'",
    )
    .bind(tenant.as_uuid())
    .fetch_one(&mut owner)
    .await?;
    assert_eq!(stored.0.map(|s| s.len()), Some(16));
    assert_eq!(stored.1.len(), 32);
    let status = chain_ok(&db, tenant).await?;
    assert!(status.iter().all(|s| s.ok), "{status:?}");
    owner.close().await?;
    Ok(())
}
