//! Tenant isolation over every table of the catalog: with both demo tenants seeded, the
//! application role sees only the current tenant's rows in each table and can change none of
//! the other tenant's. The table list comes from the live catalog, so a new table is covered
//! the day it is created (and must get demo rows, or this test says which table has none).
//! The ledgers that only jobs write (archive, storage tiers, erasures) get rows from
//! [`job_ledger_rows`] here, since the demo seed has no archive store to run those jobs against.
//! The app acts as the tenant's HR administrator, who sees every row of the person-sensitive
//! tables (their visibility policies are tested in `visibility_matrix.rs`), except the rows
//! only their author sees (domain PRIVATE): those are counted over every person of the tenant.

use pms_core::TenantId;
use pms_core::UserId;
use pms_db::TenantTx;
use pms_seed::demo::{DEMO_COMPANY, SECOND_TENANT, seed_demo, tenant_id, user_id};
use pms_test_support::{TestDb, catalog};
use sqlx::Executor;

/// One row in each job-written ledger for a tenant, as the archiver, tiering and erasure jobs
/// would write them (inserted by the superuser, as those jobs run outside any tenant).
fn job_ledger_rows(t: uuid::Uuid) -> String {
    format!(
        "INSERT INTO archive_batches (tenant_id, id, entity_type, object_key, status, row_count, object_bytes, raw_bytes,
                                      object_sha256, created_min, created_max, archived_at)
         VALUES ('{t}', '{t}', 'Notification', 'test/{t}/notification/1.zst', 'ARCHIVED', 1, 100, 300,
                 repeat('ab', 32), now() - interval '3 years', now() - interval '3 years', now());
         INSERT INTO archived_entities (tenant_id, entity_type, id, batch_id, frame_offset, frame_length, created_at)
         VALUES ('{t}', 'Notification', 'n-1', '{t}', 0, 100, now() - interval '3 years');
         INSERT INTO archive_pending (tenant_id, entity_type, id, data, created_at)
         VALUES ('{t}', 'Notification', 'n-2', '{{}}', now() - interval '3 years');
         INSERT INTO storage_tier_state (tenant_id, entity_type, tier, row_count) VALUES ('{t}', 'Notification', 'HOT', 1);
         INSERT INTO privacy_erasures (tenant_id, subject_hash, pseudonym_id) VALUES ('{t}', repeat('cd', 32), gen_random_uuid());"
    )
}

#[tokio::test]
async fn every_table_shows_the_app_only_the_current_tenant() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    seed_demo(&db.maintenance).await?;
    let demo = tenant_id(&DEMO_COMPANY);
    let acme = tenant_id(&SECOND_TENANT);
    let mut admin = db.admin().await?;
    for tenant in [demo, acme] {
        admin
            .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(job_ledger_rows(tenant))))
            .await?;
    }
    let mut owner = db.owner().await?;
    let tables = catalog::tenant_tables(&mut owner).await?;
    assert!(tables.len() >= 100, "{} tables", tables.len());
    let private: Vec<String> = sqlx::query_scalar(
        "SELECT table_name FROM pms_meta.visibility_rules WHERE domain = 'PRIVATE'",
    )
    .fetch_all(&db.maintenance)
    .await?;
    let hr = |t: uuid::Uuid| {
        let tenant = if t == demo {
            &DEMO_COMPANY
        } else {
            &SECOND_TENANT
        };
        UserId(user_id(tenant, "admin"))
    };

    for table in &tables {
        // The truth, seen by the maintenance role (BYPASSRLS).
        let (in_demo, in_acme): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FILTER (WHERE tenant_id = $1), count(*) FILTER (WHERE tenant_id = $2) FROM {table}"
        )))
        .bind(demo)
        .bind(acme)
        .fetch_one(&db.maintenance)
        .await?;
        assert!(
            in_demo > 0 && in_acme > 0,
            "{table} has no demo rows in one tenant ({in_demo}, {in_acme})"
        );

        for (me, other, expected) in [(demo, acme, in_demo), (acme, demo, in_acme)] {
            let actors: Vec<UserId> = if private.contains(table) {
                sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1")
                    .bind(me)
                    .fetch_all(&db.maintenance)
                    .await?
                    .into_iter()
                    .map(UserId)
                    .collect()
            } else {
                vec![hr(me)]
            };
            let mut seen = 0;
            for actor in actors {
                let mut tx = TenantTx::begin(&db.app, TenantId(me), Some(actor)).await?;
                let (visible, foreign): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT count(*), count(*) FILTER (WHERE tenant_id <> $1) FROM {table}"
                )))
                .bind(me)
                .fetch_one(&mut **tx)
                .await?;
                assert_eq!(foreign, 0, "{table} as tenant {me}: another tenant's rows");
                seen += visible;
                // Append-only tables (audit_log, security_events) grant the app no DELETE at all.
                let may_delete: bool =
                    sqlx::query_scalar("SELECT has_table_privilege('pms_app', $1, 'DELETE')")
                        .bind(table)
                        .fetch_one(&mut **tx)
                        .await?;
                if !may_delete {
                    tx.rollback().await?;
                    continue;
                }
                let deleted = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE tenant_id = $1"
                )))
                .bind(other)
                .execute(&mut **tx)
                .await?
                .rows_affected();
                assert_eq!(deleted, 0, "{table}: deleted another tenant's rows");
                tx.rollback().await?;
            }
            assert_eq!(seen, expected, "{table} as tenant {me}");
        }
    }
    // tenants itself: each tenant sees only its own row.
    let mut tx = TenantTx::begin(&db.app, TenantId(acme), None).await?;
    let seen: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM tenants")
        .fetch_all(&mut **tx)
        .await?;
    assert_eq!(seen, vec![acme]);
    Ok(())
}
