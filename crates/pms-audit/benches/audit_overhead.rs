//! What the audit trigger and the hash chain cost a write: the same inserts and updates, as
//! `pms_app`, on two identical tables (RLS and updated_at trigger on both), one of them
//! audited; then the same with 4 concurrent writers of one tenant (which serialise at the
//! tenant's chain head) against 4 writers of 4 tenants. Prints rows/s and the ratio.
//!
//! `PMS_TEST_DATABASE_URL=... cargo bench -p pms-audit --bench audit_overhead`

use pms_core::TenantId;
use pms_db::TenantTx;
use pms_test_support::TestDb;
use sqlx::Executor;
use std::time::Instant;
use uuid::Uuid;

const ROWS: usize = 2000;
const PER_TX: usize = 50;

async fn tenant(db: &TestDb, slug: &str) -> anyhow::Result<TenantId> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $2)")
        .bind(id)
        .bind(slug)
        .execute(&db.maintenance)
        .await?;
    Ok(TenantId(id))
}

/// Inserts then updates ROWS rows of `table` in `tenant`; returns rows written per second.
async fn writes(db: &TestDb, tenant: TenantId, table: &str, rows: usize) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut ids = Vec::with_capacity(rows);
    for chunk in 0..rows / PER_TX {
        let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
        for i in 0..PER_TX {
            let id = Uuid::now_v7();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} (tenant_id, id, name, score) VALUES ($1, $2, $3, $4)"
            )))
            .bind(tenant.as_uuid())
            .bind(id)
            .bind(format!("row {chunk}-{i}"))
            .bind(i as i32)
            .execute(&mut **tx)
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
    }
    for chunk in ids.chunks(PER_TX) {
        let mut tx = TenantTx::begin(&db.app, tenant, None).await?;
        for id in chunk {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE {table} SET score = score + 1 WHERE id = $1"
            )))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok((2 * rows) as f64 / started.elapsed().as_secs_f64())
}

async fn concurrent(db: &TestDb, tenants: &[TenantId], table: &str) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (w, t) in (0..4).zip(tenants.iter().cycle()) {
        let db_app = db.app.clone();
        let (t, table) = (*t, table.to_string());
        tasks.push(tokio::spawn(async move {
            for chunk in 0..ROWS / 4 / PER_TX {
                let mut tx = TenantTx::begin(&db_app, t, None).await?;
                for i in 0..PER_TX {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "INSERT INTO {table} (tenant_id, name, score) VALUES ($1, $2, 0)"
                    )))
                    .bind(t.as_uuid())
                    .bind(format!("w{w} {chunk}-{i}"))
                    .execute(&mut **tx)
                    .await?;
                }
                tx.commit().await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(ROWS as f64 / started.elapsed().as_secs_f64())
}

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let db = TestDb::new().await?;
        let mut owner = db.owner().await?;
        for t in ["bench_plain", "bench_audited"] {
            owner
                .execute(sqlx::AssertSqlSafe(format!(
                    "CREATE TABLE {t} (tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL DEFAULT gen_random_uuid(),
                        name text NOT NULL, score integer NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (tenant_id, id));
                     SELECT pms_meta.enable_tenant_rls('{t}'), pms_meta.add_updated_at_trigger('{t}');"
                )))
                .await?;
        }
        owner.execute("SELECT pms_meta.enable_audit('bench_audited')").await?;
        let tenants = [tenant(&db, "bench-a").await?, tenant(&db, "bench-b").await?, tenant(&db, "bench-c").await?, tenant(&db, "bench-d").await?];
        // Warm up both paths once.
        writes(&db, tenants[0], "bench_plain", 200).await?;
        writes(&db, tenants[0], "bench_audited", 200).await?;
        let plain = writes(&db, tenants[1], "bench_plain", ROWS).await?;
        let audited = writes(&db, tenants[1], "bench_audited", ROWS).await?;
        println!("one writer, {ROWS} inserts + {ROWS} updates, {PER_TX} per transaction:");
        println!("  plain    {plain:>8.0} rows/s");
        println!("  audited  {audited:>8.0} rows/s   ratio audited/plain = {:.2}", audited / plain);
        let one_tenant = concurrent(&db, &tenants[2..3], "bench_audited").await?;
        let four_tenants = concurrent(&db, &tenants, "bench_audited").await?;
        let plain_one = concurrent(&db, &tenants[2..3], "bench_plain").await?;
        println!("four writers, {ROWS} audited inserts:");
        println!("  plain, one tenant        {plain_one:>8.0} rows/s");
        println!("  audited, one tenant      {one_tenant:>8.0} rows/s   ratio to plain = {:.2}", one_tenant / plain_one);
        println!("  audited, four tenants    {four_tenants:>8.0} rows/s   ratio to plain = {:.2}", four_tenants / plain_one);
        let mut tx = TenantTx::begin(&db.app, tenants[2], None).await?;
        let ok: bool = sqlx::query_scalar("SELECT bool_and(ok) FROM verify_audit_chain($1)").bind(tenants[2].as_uuid()).fetch_one(&mut **tx).await?;
        tx.commit().await?;
        println!("chain of the contended tenant verifies: {ok}");
        anyhow::Ok(())
    })
}
