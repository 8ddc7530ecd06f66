//! The daily `warehouse_sync` job: its first run fills the star, a second run right after
//! changes nothing (idempotent), and a change in between reaches the warehouse.

use pms_test_support::TestDb;
use pms_worker::scheduler::{JobContext, Scheduler};

#[tokio::test]
async fn the_warehouse_job_syncs_and_repeats_as_a_no_op() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let tenant = uuid::Uuid::new_v4();
    sqlx::query(
        "INSERT INTO tenants (id, slug, name) VALUES ($1, 'warehouse-job', 'Warehouse job')",
    )
    .bind(tenant)
    .execute(&db.maintenance)
    .await?;
    sqlx::query("INSERT INTO users (tenant_id, email, first_name, last_name) VALUES ($1, 'a@example.com', 'A', 'Person'), ($1, 'b@example.com', 'B', 'Person')")
        .bind(tenant)
        .execute(&db.maintenance)
        .await?;
    let jobs = pms_worker::jobs::all();
    let job = jobs
        .iter()
        .find(|j| j.name() == "warehouse_sync")
        .ok_or_else(|| anyhow::anyhow!("no warehouse_sync job"))?;
    assert_eq!(job.interval().as_secs(), 24 * 60 * 60);
    let ctx = JobContext::new(db.maintenance.clone());
    let run = || async {
        let r = Scheduler::run_once(&ctx, job.as_ref())
            .await
            .map_err(anyhow::Error::msg)?
            .unwrap_or_default();
        anyhow::Ok(r["rows_changed"].as_i64().unwrap_or(-1))
    };
    assert!(run().await? >= 3, "the tenant and two people");
    assert_eq!(run().await?, 0);
    sqlx::query(
        "UPDATE users SET job_title = 'Manager' WHERE tenant_id = $1 AND email = 'a@example.com'",
    )
    .bind(tenant)
    .execute(&db.maintenance)
    .await?;
    assert!(run().await? >= 2, "the version closed and the new one");
    let versions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM warehouse.dim_user WHERE tenant_id = $1")
            .bind(tenant)
            .fetch_one(&db.maintenance)
            .await?;
    assert_eq!(versions, 3);
    Ok(())
}
