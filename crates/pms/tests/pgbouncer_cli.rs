//! `pms pgbouncer config` end to end: the files it writes run as `pgbouncer -d` (as the
//! postgres user when root), the application's role works through it in tenant transactions,
//! and the pool settings are the ones asked for.

use pms_core::TenantId;
use pms_db::{DbUrls, RoleName, TenantTx};
use pms_test_support::TestDb;
use std::process::Command;
use uuid::Uuid;

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
}

#[tokio::test]
async fn the_written_configuration_runs_and_pools_the_app() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    let dir = std::env::temp_dir().join(format!("pms-pgbouncer-cli-{}", Uuid::new_v4()));
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let out = Command::new(env!("CARGO_BIN_EXE_pms"))
        .args(["pgbouncer", "config", "--pool-size", "3", "--port"])
        .arg(port.to_string())
        .arg("--out")
        .arg(&dir)
        .env("DATABASE_URL", &db.urls.admin)
        .env("RUST_LOG", "error")
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("PMS_PGBOUNCER_URL=postgresql://127.0.0.1:{port}")),
        "{stdout}"
    );
    let ini = std::fs::read_to_string(dir.join("pgbouncer.ini"))?;
    assert!(ini.contains(&format!("{} = host=", db.name)), "{ini}");
    assert!(ini.contains("default_pool_size = 3") && ini.contains("pool_mode = transaction"));
    assert!(!ini.contains("* ="), "no fallback unless asked: {ini}");

    let bin = pms_db::pgbouncer_process::find_binary()?;
    let mut cmd = if is_root() {
        Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()?;
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    let started = cmd.arg("-d").arg(dir.join("pgbouncer.ini")).status()?;
    assert!(started.success());
    let result = async {
        let urls = DbUrls::direct(db.urls.admin.clone())
            .with_pgbouncer(Some(format!("postgresql://127.0.0.1:{port}")));
        let mut last = None;
        for _ in 0..50 {
            match urls.pool(RoleName::App, 4).await {
                Ok(p) => {
                    last = Some(Ok(p));
                    break;
                }
                Err(e) => last = Some(Err(e)),
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let pool = last.ok_or_else(|| anyhow::anyhow!("no attempt"))??;
        let tenant = TenantId(Uuid::now_v7());
        sqlx::query("INSERT INTO tenants (id, slug, name) VALUES ($1, 'bouncer', 'B')")
            .bind(tenant.as_uuid())
            .execute(&db.maintenance)
            .await?;
        let mut tx = TenantTx::begin(&pool, tenant, None).await?;
        sqlx::query("INSERT INTO departments (tenant_id, code, name) VALUES ($1, 'D', 'Dept')")
            .bind(tenant.as_uuid())
            .execute(&mut **tx)
            .await?;
        let (me, n): (String, i64) =
            sqlx::query_as("SELECT current_user::text, count(*) FROM departments")
                .fetch_one(&mut **tx)
                .await?;
        tx.commit().await?;
        assert_eq!((me.as_str(), n), ("pms_app", 1));
        pool.close().await;
        anyhow::Ok(())
    }
    .await;
    if let Ok(pid) = std::fs::read_to_string(dir.join("pgbouncer.pid")) {
        let _ = Command::new("kill").arg(pid.trim()).status();
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let _ = std::fs::remove_dir_all(&dir);
    result
}
