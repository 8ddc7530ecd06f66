//! `pms warehouse` end to end with the real binary: a sync killed with SIGKILL at points spread
//! over its run leaves either the state before it or the state after it, never a mix, and a
//! rerun ends in the warehouse a full rebuild gives; bad input (an unknown tenant, an
//! unreachable database, a `--to` URL that cannot be written) is one clear line and writes
//! nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pms_db::RoleName;
use pms_seed::demo::DEMO_COMPANY;
use pms_test_support::TestDb;
use sqlx::Connection as _;
use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use uuid::Uuid;

fn pms(url: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pms"));
    c.args(args)
        .env("DATABASE_URL", url)
        .env_remove("PMS_APP_DATABASE_URL")
        .env_remove("PMS_MAINTENANCE_DATABASE_URL")
        .env_remove("PMS_ARCHIVE_URL")
        .env_remove("PMS_WAREHOUSE_STEP_PAUSE_MS")
        .env("RUST_LOG", "error");
    c
}

fn run(url: &str, args: &[&str]) -> Output {
    pms(url, args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn contents(db: &TestDb, tenant: Uuid) -> anyhow::Result<BTreeMap<String, Vec<String>>> {
    let mut conn = db.urls.connect(RoleName::Maintenance).await?;
    let c = pms_warehouse::canonical::contents(&mut conn, tenant).await?;
    conn.close().await?;
    Ok(c)
}

#[tokio::test]
async fn a_sync_killed_anywhere_leaves_before_or_after_and_a_rerun_completes() -> anyhow::Result<()>
{
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let demo = pms_seed::demo::tenant_id(&DEMO_COMPANY);
    let url = db.urls.admin.clone();
    let first = run(&url, &["warehouse", "sync"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let before = contents(&db, demo).await?;
    // Changes of every kind for the killed runs to carry.
    sqlx::query(
        "UPDATE users SET level = coalesce(level, 1) + 1, job_title = 'Lead' WHERE tenant_id = $1",
    )
    .bind(demo)
    .execute(&db.maintenance)
    .await?;
    sqlx::query("UPDATE performance_reviews SET overall_rating = 3.5 WHERE tenant_id = $1")
        .bind(demo)
        .execute(&db.maintenance)
        .await?;
    sqlx::query("DELETE FROM feedback WHERE tenant_id = $1 AND id = (SELECT id FROM feedback WHERE tenant_id = $1 ORDER BY id LIMIT 1)")
        .bind(demo).execute(&db.maintenance).await?;

    // How long a throttled run takes, to spread the kills over it.
    let pause = "25";
    let started = Instant::now();
    let mut probe = pms(&url, &["warehouse", "sync", "--tenant", "acme-test"])
        .env("PMS_WAREHOUSE_STEP_PAUSE_MS", pause)
        .stdout(Stdio::null())
        .spawn()?;
    probe.wait()?;
    let span = started.elapsed().as_millis() as u64 * 2;
    // Points spread over the run, in an order drawn from a random seed.
    let seed = Uuid::new_v4().as_u128();
    let mut seen = Vec::new();
    for k in 0..6u64 {
        let at = (span * (k + 1) / 7 + (seed >> (k * 8)) as u64 % 40).max(5);
        let mut child = pms(&url, &["warehouse", "sync"])
            .env("PMS_WAREHOUSE_STEP_PAUSE_MS", pause)
            .stdout(Stdio::null())
            .spawn()?;
        tokio::time::sleep(Duration::from_millis(at)).await;
        child.kill()?; // SIGKILL
        child.wait()?;
        seen.push((at, contents(&db, demo).await?));
    }
    let rerun = run(&url, &["warehouse", "sync"]);
    assert!(rerun.status.success(), "{}", text(&rerun.stderr));
    let after = contents(&db, demo).await?;
    assert_ne!(before, after, "the changes reached the warehouse");
    assert!(
        seen.iter().any(|(_, s)| *s == before),
        "no kill landed before the commit"
    );
    for (at, state) in &seen {
        assert!(
            *state == before || *state == after,
            "killed at {at} ms: a half-written warehouse"
        );
    }
    let again = run(&url, &["warehouse", "sync", "--tenant", DEMO_COMPANY.slug]);
    assert!(
        text(&again.stdout).contains("0 row(s) changed"),
        "{}",
        text(&again.stdout)
    );
    let full = run(
        &url,
        &["warehouse", "sync", "--tenant", DEMO_COMPANY.slug, "--full"],
    );
    assert!(full.status.success(), "{}", text(&full.stderr));
    assert!(
        contents(&db, demo).await? == after,
        "the rerun equals a full rebuild"
    );
    let status = run(
        &url,
        &["warehouse", "status", "--tenant", DEMO_COMPANY.slug],
    );
    let out = text(&status.stdout);
    assert!(status.status.success(), "{}", text(&status.stderr));
    assert!(
        out.contains("performance_reviews")
            && out.contains("warehouse.fact_feedback")
            && out.contains("FULL"),
        "{out}"
    );
    Ok(())
}

#[tokio::test]
async fn bad_input_is_one_clear_line_and_writes_nothing() -> anyhow::Result<()> {
    let db = TestDb::new().await?;
    pms_seed::demo::seed_demo(&db.maintenance).await?;
    let url = db.urls.admin.clone();
    let written = || async {
        let n: i64 = sqlx::query_scalar("SELECT (SELECT count(*) FROM warehouse.sync_runs) + (SELECT count(*) FROM warehouse.dim_user)")
            .fetch_one(&db.maintenance)
            .await?;
        anyhow::Ok(n)
    };

    let out = run(&url, &["warehouse", "sync", "--tenant", "no-such-tenant"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("no tenant with slug \"no-such-tenant\"") && err.contains("nothing"),
        "{err}"
    );
    assert_eq!(written().await?, 0);

    // Nothing listens on port 1.
    let out = run(
        "postgres://postgres@127.0.0.1:1/pms",
        &["warehouse", "sync"],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("DATABASE_URL") && err.lines().count() <= 2,
        "{err}"
    );

    let out = run(&url, &["warehouse", "export", "--to", "ftp://nowhere/x"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("ftp://nowhere/x"), "{err}");
    assert_eq!(written().await?, 0);
    Ok(())
}
